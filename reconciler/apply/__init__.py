"""Apply: carry out a Plan exactly, in stages, concurrently, and safely repeatable.

`stages.build_stages(plan)` orders the work; `evaluator.Evaluator` executes it on a thread pool
sharing one boto3 client; `explainer.explain` describes the same stages; `command.run_apply`
is the `reconciler apply` command (approvals, saved plans, lock, report, read-back).
"""

from __future__ import annotations

from reconciler.apply.command import ApplyOptions, run_apply

__all__ = ["ApplyOptions", "run_apply"]

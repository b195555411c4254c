"""The walker that explains: the same stages the evaluator runs, described without a call."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from reconciler.apply.stages import Stage
from reconciler.apply.steps import step_for
from reconciler.apply.steps.hit_types import describe_hit_type

EXAMPLES = 3


def explain(stages: Sequence[Stage], parallelism: int) -> str:
    """Text listing each stage, the MTurk calls it makes and a few of the addresses it touches."""
    if not stages:
        return "Apply has nothing to do: the plan is empty."
    lines = [f"Apply would run {len(stages)} stage(s), in order, up to {parallelism} call(s) at a time within a stage:"]
    for number, stage in enumerate(stages, 1):
        lines.append(f"{number}. {stage.name} ({stage.size})")
        lines.extend(_explain_stage(stage))
    lines.append("Nothing was changed (--explain).")
    return "\n".join(lines)


def _explain_stage(stage: Stage) -> list[str]:
    if stage.hit_types:
        lines = ["   CreateHITType once per distinct type (answers the existing ID for identical properties):"]
        lines.extend(f"     {label}: {describe_hit_type(t)}" for label, t in stage.hit_types)
        return lines
    calls: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for change in stage.changes:
        step = step_for(change)
        key = f"{change.action.value} → {step.calls if step else '?'}"
        calls[key] += 1
        examples.setdefault(key, []).append(change.address)
    lines = []
    for key, count in calls.items():
        shown = examples[key][:EXAMPLES]
        more = f" … and {count - len(shown)} more" if count > len(shown) else ""
        lines.append(f"   {key} ×{count}: {', '.join(shown)}{more}")
    return lines

"""The spec layer: read a project's manifests, validate them, expand batches into desired HITs.

All reading of manifests, data files and templates happens here; nothing below this layer
sees YAML. `load_project` returns the DesiredState or raises SpecErrors with every problem.
"""

from __future__ import annotations

from reconciler.spec.project import load_project, summary

__all__ = ["load_project", "summary"]

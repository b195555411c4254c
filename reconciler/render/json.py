"""`--format json`: the canonical plan document, byte for byte what `plan --out` saves."""

from __future__ import annotations

from typing import Any

from reconciler.plan.serialize import canonical_json


def render_json(doc: dict[str, Any]) -> str:
    """The plan document as canonical JSON (sorted keys, stable across runs)."""
    return canonical_json(doc)

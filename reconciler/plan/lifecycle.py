"""`lifecycle.prevent_destroy`: a destructive change to a protected resource becomes a plan error.

It runs after the whole plan is computed, so the refused change keeps its place (and every other
change stays visible): the reviewer sees what the manifests ask for and why it cannot happen.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from reconciler.model import DesiredState
from reconciler.plan.changes import Change
from reconciler.plan.cost import ZERO


def protected_resources(desired: DesiredState) -> set[tuple[str, str]]:
    """(kind, name) of every batch and qualification type declared with prevent_destroy."""
    batches = {("hit", b.name) for b in desired.batches if b.lifecycle.prevent_destroy}
    types = {("qualification_type", q.name) for q in desired.qualification_types if q.lifecycle.prevent_destroy}
    return batches | types


def enforce_prevent_destroy(changes: Iterable[Change], desired: DesiredState) -> list[Change]:
    """The changes, with a plan error on each destructive one whose resource is protected."""
    protected = protected_resources(desired)
    return [_refused(c) if c.destructive and not c.error and _resource(c) in protected else c for c in changes]


def _resource(change: Change) -> tuple[str, str]:
    value = change.after if change.after is not None else change.before
    name = getattr(value, "batch", None) if change.kind == "hit" else getattr(value, "name", None)
    return change.kind, str(name)


def _refused(change: Change) -> Change:
    kind, name = _resource(change)
    where = f"batch {name}" if kind == "hit" else f"qualification type {name}"
    way_out = "undo the change in the manifests, or remove prevent_destroy to allow it"
    if "question" in change.field_diffs:
        way_out += ", or add `question` to the batch's lifecycle.ignore_changes to keep the live HITs"
    message = f"lifecycle.prevent_destroy on {where} forbids this {change.action.value} ({change.reason}): {way_out}."
    return dataclasses.replace(change, error=message, cost=ZERO)

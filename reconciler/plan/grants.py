"""How declared grants compare with the scores workers hold.

Each qualification type declares its grants `authoritative` (the manifest is the whole list:
missing or changed scores are granted, extra ones revoked) or `additive` (missing or changed
scores are granted, nothing is ever revoked). `lifecycle.ignore_changes: [grants]` leaves a
type's grants alone entirely. A type that is created or replaced in the same
plan starts with no scores, so every declared grant is planned against nothing.
"""

from __future__ import annotations

from reconciler.model import DesiredState, Grant, LiveState
from reconciler.plan.addresses import grant_address
from reconciler.plan.changes import Action, Change

KIND = "grant"
FIELDS = ("qualification", "worker_id", "value")


def compare_grants(
    desired: DesiredState, live: LiveState, fresh: frozenset[str] = frozenset(), skipped: frozenset[str] = frozenset()
) -> list[Change]:
    """Grant and revoke changes. `fresh`: types this plan creates or replaces (no live scores yet);
    `skipped`: types the plan cannot manage (a plan error is already on them)."""
    modes = {
        q.name: q.grants_mode
        for q in desired.qualification_types
        if q.name not in skipped and "grants" not in q.lifecycle.ignore_changes
    }
    held = {(g.qualification, g.worker_id): g for g in live.grants if g.qualification not in fresh}
    wanted = {(g.qualification, g.worker_id): g for g in desired.grants if g.qualification in modes}
    changes = [c for key, g in wanted.items() if (c := _grant(g, held.get(key))) is not None]
    changes += [
        Change(grant_address(g.qualification, g.worker_id), Action.REVOKE, KIND, before=g,
               reason="the worker is not in the manifest and the grants are authoritative")
        for key, g in held.items()
        if key not in wanted and modes.get(g.qualification) == "authoritative"
    ]
    return changes


def _grant(wanted: Grant, held: Grant | None) -> Change | None:
    address = grant_address(wanted.qualification, wanted.worker_id)
    if held is None:
        return Change(address, Action.GRANT, KIND, after=wanted, reason="the worker does not hold it yet")
    if held.value == wanted.value:
        return None
    return Change(address, Action.GRANT, KIND, before=held, after=wanted, field_diffs=("value",),
                  reason=f"the worker's score changes from {held.value} to {wanted.value}")

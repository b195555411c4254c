"""diff: the desired state against the live state, as a Plan. Pure: no I/O, no clock, no boto3.

Each kind compares in its own module (qualification_types, grants, blocks, hits); this module
runs them in dependency order, applies `lifecycle.prevent_destroy` over the whole result, and
orders the changes: qualification types, grants, blocks, then HITs, each by address.
"""

from __future__ import annotations

from datetime import datetime

from reconciler.model import HIT, DesiredState, LiveState, utc
from reconciler.plan import blocks, grants, hits, qualification_types
from reconciler.plan.addresses import hit_address
from reconciler.plan.changes import Action, Change, Plan
from reconciler.plan.cost import plan_total
from reconciler.plan.fields import natural_key
from reconciler.plan.fingerprint import fingerprints
from reconciler.plan.lifecycle import enforce_prevent_destroy

KIND_ORDER = (qualification_types.KIND, grants.KIND, blocks.KIND, hits.KIND)
_ACTION_ORDER = {action: rank for rank, action in enumerate(Action)}


def diff(desired: DesiredState, live: LiveState, now: datetime, *, replace: frozenset[str] = frozenset()) -> Plan:
    """Every change that makes the account match the manifests at `now`, costed and ordered.

    `replace` holds HIT addresses to re-post as a new generation even where MTurk could change
    them in place, or where it cannot change them at all (fewer assignments, 9 to 10 or more)."""
    now = utc(now)
    type_changes = qualification_types.compare_qualification_types(desired, live)
    fresh = frozenset(
        c.after.name for c in type_changes if c.action in (Action.CREATE, Action.REPLACE) and c.after and not c.error
    )
    skipped = frozenset(c.after.name for c in type_changes if c.error and c.action is Action.CREATE and c.after)
    replaced = frozenset(c.after.name for c in type_changes if c.action is Action.REPLACE and c.after and not c.error)
    changes = [
        *type_changes,
        *grants.compare_grants(desired, live, fresh, skipped),
        *blocks.compare_blocks(desired, live),
        *hits.compare_hits(desired, live, now, replaced, frozenset(replace)),
    ]
    ordered = tuple(sorted(enforce_prevent_destroy(changes, desired), key=change_order))
    return Plan(
        changes=ordered,
        project=desired.project.name,
        target=desired.project.target,
        manifest_digest=desired.digest,
        fingerprints=fingerprints(live),
        created_at=now,
        balance=live.balance,
        budget=desired.project.budget,
        total_cost=plan_total(ordered),
    )


def change_order(change: Change) -> tuple:
    """Kind, then address (numbers in natural order), then generation, then action."""
    value = change.before if change.before is not None else change.after
    if isinstance(value, HIT):
        return (KIND_ORDER.index(change.kind), natural_key(hit_address(value.batch, value.key)), value.generation,
                _ACTION_ORDER[change.action])
    return (KIND_ORDER.index(change.kind), natural_key(change.address), 0, _ACTION_ORDER[change.action])

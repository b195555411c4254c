"""The registry of apply steps: for each (kind, action) of a Change, what runs, which stage it
belongs to, which MTurk calls it makes (for --explain) and how the read-back checks it.

Adding a kind means one module beside this one and its lines here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from reconciler.apply.steps import blocks, grants, hits, qualification_types
from reconciler.plan.changes import Action, Change

if TYPE_CHECKING:
    from reconciler.apply.context import StepContext
    from reconciler.apply.readback import LiveIndex

QUALIFICATION_TYPES = "qualification types"
GRANTS_AND_BLOCKS = "grants and blocks"
HIT_TYPES = "HIT types"
HIT_CREATES = "HIT creates"
HIT_UPDATES = "retypes, extensions, additional assignments"
HIT_RETIREMENTS = "expirations and replacements"

STAGE_ORDER = (QUALIFICATION_TYPES, GRANTS_AND_BLOCKS, HIT_TYPES, HIT_CREATES, HIT_UPDATES, HIT_RETIREMENTS)


@dataclass(frozen=True)
class Step:
    """How apply carries out one kind of change."""

    stage: str
    run: Callable[[StepContext, Change], str]
    calls: str
    verify: Callable[[Change, LiveIndex], str | None]
    needs_hit_type: bool = False


STEPS: dict[tuple[str, Action], Step] = {
    ("qualification_type", Action.CREATE): Step(
        QUALIFICATION_TYPES, qualification_types.create, "CreateQualificationType", qualification_types.verify_present
    ),
    ("qualification_type", Action.UPDATE): Step(
        QUALIFICATION_TYPES, qualification_types.update, "UpdateQualificationType", qualification_types.verify_present
    ),
    ("qualification_type", Action.REPLACE): Step(
        QUALIFICATION_TYPES,
        qualification_types.replace,
        "DeleteQualificationType + CreateQualificationType",
        qualification_types.verify_present,
    ),
    ("qualification_type", Action.DELETE): Step(
        QUALIFICATION_TYPES, qualification_types.delete, "DeleteQualificationType", qualification_types.verify_deleted
    ),
    ("grant", Action.GRANT): Step(GRANTS_AND_BLOCKS, grants.grant, "AssociateQualificationWithWorker", grants.verify_granted),
    ("grant", Action.REVOKE): Step(
        GRANTS_AND_BLOCKS, grants.revoke, "DisassociateQualificationFromWorker", grants.verify_revoked
    ),
    ("block", Action.BLOCK): Step(GRANTS_AND_BLOCKS, blocks.block, "CreateWorkerBlock", blocks.verify_blocked),
    ("block", Action.UNBLOCK): Step(GRANTS_AND_BLOCKS, blocks.unblock, "DeleteWorkerBlock", blocks.verify_unblocked),
    ("hit", Action.CREATE): Step(HIT_CREATES, hits.create, "CreateHITWithHITType", hits.verify_posted, True),
    ("hit", Action.RETYPE): Step(HIT_UPDATES, hits.retype, "UpdateHITTypeOfHIT", hits.verify_retyped, True),
    ("hit", Action.ADD_ASSIGNMENTS): Step(
        HIT_UPDATES, hits.add_assignments, "CreateAdditionalAssignmentsForHIT", hits.verify_assignments
    ),
    ("hit", Action.EXTEND): Step(HIT_UPDATES, hits.extend, "UpdateExpirationForHIT (later)", hits.verify_extended),
    ("hit", Action.EXPIRE): Step(HIT_RETIREMENTS, hits.expire, "UpdateExpirationForHIT (past)", hits.verify_expired),
    ("hit", Action.REPLACE): Step(
        HIT_RETIREMENTS,
        hits.replace,
        "UpdateExpirationForHIT (past) + CreateHITWithHITType",
        hits.verify_replaced,
        True,
    ),
}


def step_for(change: Change) -> Step | None:
    """The step that carries out `change`, or None when apply does not know how."""
    return STEPS.get((change.kind, change.action))

"""Grant steps: give a worker a score on a project qualification type, or take it away."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from reconciler.apply.calls import StepFailed, is_code
from reconciler.model import Grant
from reconciler.plan.changes import Change

if TYPE_CHECKING:
    from reconciler.apply.context import StepContext
    from reconciler.apply.readback import LiveIndex


def grant(ctx: StepContext, change: Change) -> str:
    """AssociateQualificationWithWorker: sets the score, new or changed (repeating it is harmless)."""
    after = _grant(change.after)
    ctx.caller.call(
        "AssociateQualificationWithWorker",
        QualificationTypeId=ctx.qualifications.resolve(after.qualification),
        WorkerId=after.worker_id,
        IntegerValue=after.value,
        SendNotification=False,
    )
    return after.worker_id


def revoke(ctx: StepContext, change: Change) -> str:
    """DisassociateQualificationFromWorker; "does not exist" means already revoked: done."""
    before = _grant(change.before)
    try:
        ctx.caller.call(
            "DisassociateQualificationFromWorker",
            QualificationTypeId=ctx.qualifications.resolve(before.qualification),
            WorkerId=before.worker_id,
        )
    except ClientError as exc:
        if not is_code(exc, "QualificationDoesNotExist"):
            raise
    return before.worker_id


def _grant(value: object) -> Grant:
    if not isinstance(value, Grant):
        raise StepFailed("MalformedPlan", "the plan's change has no grant where one is needed")
    return value


def verify_granted(change: Change, live: LiveIndex) -> str | None:
    after = _grant(change.after)
    value = live.grants.get((after.qualification, after.worker_id))
    return None if value == after.value else f"the worker's score is {value}, not {after.value}"


def verify_revoked(change: Change, live: LiveIndex) -> str | None:
    before = _grant(change.before)
    return None if (before.qualification, before.worker_id) not in live.grants else "the worker still holds it"

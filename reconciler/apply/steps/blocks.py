"""Worker block steps. The reason sent carries the project tag, which is how the live read
tells this project's blocks from the requester's others."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.apply.calls import StepFailed
from reconciler.identity import block_reason
from reconciler.model import WorkerBlock
from reconciler.plan.changes import Change

if TYPE_CHECKING:
    from reconciler.apply.context import StepContext
    from reconciler.apply.readback import LiveIndex


def block(ctx: StepContext, change: Change) -> str:
    after = _block(change.after)
    ctx.caller.call("CreateWorkerBlock", WorkerId=after.worker_id, Reason=block_reason(ctx.project, after.reason))
    return after.worker_id


def unblock(ctx: StepContext, change: Change) -> str:
    """DeleteWorkerBlock succeeds for a worker who is not blocked, so a repeat is harmless."""
    before = _block(change.before)
    ctx.caller.call("DeleteWorkerBlock", WorkerId=before.worker_id)
    return before.worker_id


def _block(value: object) -> WorkerBlock:
    if not isinstance(value, WorkerBlock):
        raise StepFailed("MalformedPlan", "the plan's change has no worker block where one is needed")
    return value


def verify_blocked(change: Change, live: LiveIndex) -> str | None:
    after = _block(change.after)
    return None if live.blocks.get(after.worker_id) == after.reason else "the worker is not blocked with that reason"


def verify_unblocked(change: Change, live: LiveIndex) -> str | None:
    return None if _block(change.before).worker_id not in live.blocks else "the worker is still blocked"

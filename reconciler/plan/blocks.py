"""How declared worker blocks compare with the blocks this project made.

Only blocks carrying the project's tag are read, so a block the requester made by hand is never
lifted. A changed reason is planned as a `block` with before and after: MTurk has no update call,
so apply blocks the worker again with the new reason.
"""

from __future__ import annotations

from reconciler.model import DesiredState, LiveState, WorkerBlock
from reconciler.plan.addresses import block_address
from reconciler.plan.changes import Action, Change

KIND = "block"
FIELDS = ("worker_id", "reason")


def compare_blocks(desired: DesiredState, live: LiveState) -> list[Change]:
    """Block the workers the manifests add, re-block on a new reason, unblock the ones removed."""
    held = {b.worker_id: b for b in live.blocks}
    wanted = {b.worker_id: b for b in desired.blocks}
    changes = [c for worker, b in wanted.items() if (c := _block(b, held.get(worker))) is not None]
    changes += [
        Change(block_address(worker), Action.UNBLOCK, KIND, before=b, reason="the block was removed from the manifests")
        for worker, b in held.items()
        if worker not in wanted
    ]
    return changes


def _block(wanted: WorkerBlock, held: WorkerBlock | None) -> Change | None:
    if held is None:
        return Change(block_address(wanted.worker_id), Action.BLOCK, KIND, after=wanted, reason="the worker is not blocked yet")
    if held.reason == wanted.reason:
        return None
    return Change(block_address(wanted.worker_id), Action.BLOCK, KIND, before=held, after=wanted,
                  field_diffs=("reason",), reason="the block's reason changed")

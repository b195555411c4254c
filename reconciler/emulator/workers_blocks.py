"""Worker blocks and messages to workers (NotifyWorkers)."""

from __future__ import annotations

import json

from .context import Context, listing_response, operation, page
from .errors import BLOCK_LIMIT, request_error
from .hit_types import check_length, check_range

MAX_BLOCKS = 100_000
SUBJECT_LIMIT = 200
MESSAGE_LIMIT = 4096
MAX_RECIPIENTS = 100


@operation("CreateWorkerBlock")
def create_worker_block(ctx: Context, params: dict) -> dict:
    """Block a worker from your HITs; blocking again replaces the reason (unconfirmed)."""
    worker_id = params["WorkerId"]
    updated = ctx.conn.execute("UPDATE worker_blocks SET reason = ? WHERE worker_id = ?",
                               (params["Reason"], worker_id)).rowcount
    if updated:
        return {}
    count = ctx.conn.execute("SELECT count(*) FROM worker_blocks").fetchone()[0]
    if count >= MAX_BLOCKS:
        raise request_error(f"You cannot block more than {MAX_BLOCKS} Workers.", BLOCK_LIMIT)
    ctx.conn.execute("INSERT INTO worker_blocks (worker_id, reason) VALUES (?, ?)",
                     (worker_id, params["Reason"]))
    return {}


@operation("DeleteWorkerBlock")
def delete_worker_block(ctx: Context, params: dict) -> dict:
    """Unblock a worker; unblocking a worker who is not blocked succeeds."""
    ctx.conn.execute("DELETE FROM worker_blocks WHERE worker_id = ?", (params["WorkerId"],))
    return {}


@operation("ListWorkerBlocks")
def list_worker_blocks(ctx: Context, params: dict) -> dict:
    """Every blocked worker and the reason, in the order they were first blocked."""
    result = page(ctx, "SELECT * FROM worker_blocks WHERE 1 = 1", (), params, "ListWorkerBlocks")
    blocks = [{"WorkerId": r["worker_id"], "Reason": r["reason"]} for r in result.rows]
    return listing_response("WorkerBlocks", blocks, result.next_token)


def is_blocked(ctx: Context, worker_id: str) -> bool:
    """Whether the requester blocked this worker."""
    return ctx.conn.execute("SELECT 1 FROM worker_blocks WHERE worker_id = ?",
                            (worker_id,)).fetchone() is not None


@operation("NotifyWorkers")
def notify_workers(ctx: Context, params: dict) -> dict:
    """Message up to 100 workers; only those whose work you approved or rejected receive it.

    Per-worker failures come back in the list, not as an error. Messages go to the outbox.
    """
    check_length("Subject", params["Subject"], SUBJECT_LIMIT)
    check_length("MessageText", params["MessageText"], MESSAGE_LIMIT)
    workers = params["WorkerIds"]
    check_range("WorkerIds", len(workers), 1, MAX_RECIPIENTS)
    failures = []
    for worker_id in dict.fromkeys(workers):
        worked = ctx.conn.execute(
            "SELECT 1 FROM assignments WHERE worker_id = ? AND status IN ('Approved', 'Rejected')"
            " LIMIT 1", (worker_id,),
        ).fetchone()
        if worked is None:
            failures.append({
                "NotifyWorkersFailureCode": "HardFailure",
                "NotifyWorkersFailureMessage": f"Cannot send notification because Worker "
                                               f"{worker_id} has not done work for you.",
                "WorkerId": worker_id,
            })
            continue
        message = {"Subject": params["Subject"], "MessageText": params["MessageText"]}
        ctx.conn.execute(
            "INSERT INTO outbox (kind, destination, payload, sent) VALUES ('worker', ?, ?, ?)",
            (worker_id, json.dumps(message), ctx.ts),
        )
    return {"NotifyWorkersFailureStatuses": failures}

"""Time-driven changes, applied lazily at the start of every call, and the HIT status rules.

Nothing runs in the background: before an operation reads or writes, `catch_up` abandons
assignments whose deadline passed, auto-approves submissions whose delay passed (paying for
them), and disposes of HITs 120 days after they expired. Each step is one indexed query that is
empty on most calls.
"""

from __future__ import annotations

import sqlite3

from .context import Context
from .money import assignment_fee_cents
from .notifications import emit_event
from .payments import debit

DISPOSAL_AFTER = 120 * 86_400


def hit_status(row: sqlite3.Row, now: float) -> str:
    """The HITStatus of a HIT row at `now`.

    Assignable: open and a slot is free. Unassignable: no free slot (or expired) while a worker
    is still working. Reviewable: expired or every slot submitted, nobody working. Reviewing: a
    Reviewable HIT the requester marked. Disposed: deleted.
    """
    if row["disposed"] is not None:
        return "Disposed"
    pending = row["n_pending"]
    expired = row["expiration"] <= now
    if not expired and available(row) > 0:
        return "Assignable"
    if pending > 0:
        return "Unassignable"
    return "Reviewing" if row["reviewing"] else "Reviewable"


def available(row: sqlite3.Row) -> int:
    """Slots nobody has taken yet (MTurk keeps showing them after expiry)."""
    taken = row["n_pending"] + row["n_submitted"] + row["n_completed"]
    return max(row["max_assignments"] - taken, 0)


def catch_up(ctx: Context) -> None:
    """Apply every deadline, auto-approval and disposal that is due at `ctx.now`."""
    _abandon_overdue(ctx)
    _auto_approve_due(ctx)
    _dispose_old(ctx)


def _abandon_overdue(ctx: Context) -> None:
    rows = ctx.conn.execute(
        "SELECT a.id, a.hit_id, h.hit_type_id FROM assignments a JOIN hits h ON h.id = a.hit_id"
        " WHERE a.status = 'Accepted' AND a.deadline <= ?", (ctx.ts,)
    ).fetchall()
    for row in rows:
        mark_abandoned(ctx, row["id"], row["hit_id"])
        emit_event(ctx, row["hit_type_id"], "AssignmentAbandoned", row["hit_id"], row["id"])


def mark_abandoned(ctx: Context, assignment_id: str, hit_id: str) -> None:
    """An accepted assignment gives its slot back because time ran out (or the worker left)."""
    ctx.conn.execute("UPDATE assignments SET status = 'Abandoned' WHERE id = ?", (assignment_id,))
    ctx.conn.execute("UPDATE hits SET n_pending = n_pending - 1 WHERE id = ?", (hit_id,))


def _auto_approve_due(ctx: Context) -> None:
    rows = ctx.conn.execute(
        "SELECT a.*, h.max_assignments, h.hit_type_id, t.masters FROM assignments a"
        " JOIN hits h ON h.id = a.hit_id JOIN hit_types t ON t.id = h.hit_type_id"
        " WHERE a.status = 'Submitted' AND a.auto_approval_time <= ?", (ctx.ts,)
    ).fetchall()
    for row in rows:
        approve(ctx, row, when=row["auto_approval_time"], enforce_funds=False)
        emit_event(ctx, row["hit_type_id"], "AssignmentApproved", row["hit_id"], row["id"])


def approve(ctx: Context, row: sqlite3.Row, *, when: float, enforce_funds: bool,
            feedback: str | None = None) -> None:
    """Approve a Submitted (or overridden Rejected) assignment and pay reward plus fee.

    `row` is an assignment joined with its HIT's max_assignments and its type's masters flag.
    The reward is the one in force when the worker accepted.
    """
    fee = assignment_fee_cents(row["reward_cents"], row["max_assignments"], bool(row["masters"]))
    debit(ctx, "assignment", row["id"], row["reward_cents"], fee, enforce=enforce_funds, when=when)
    was_submitted = row["status"] == "Submitted"
    ctx.conn.execute(
        "UPDATE assignments SET status = 'Approved', approval_time = ?, rejection_time = NULL,"
        " feedback = COALESCE(?, feedback) WHERE id = ?", (when, feedback, row["id"]),
    )
    if was_submitted:
        ctx.conn.execute(
            "UPDATE hits SET n_submitted = n_submitted - 1, n_completed = n_completed + 1"
            " WHERE id = ?", (row["hit_id"],),
        )


def _dispose_old(ctx: Context) -> None:
    cutoff = ctx.ts - DISPOSAL_AFTER
    rows = ctx.conn.execute(
        "SELECT id, hit_type_id, expiration FROM hits WHERE disposed IS NULL AND expiration <= ?",
        (cutoff,),
    ).fetchall()
    for row in rows:
        ctx.conn.execute("UPDATE hits SET disposed = ? WHERE id = ?",
                         (row["expiration"] + DISPOSAL_AFTER, row["id"]))
        emit_event(ctx, row["hit_type_id"], "HITDisposed", row["id"], None)

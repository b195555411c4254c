"""Assignments as the requester sees them: read, list, approve (paying), reject."""

from __future__ import annotations

import sqlite3

from .context import Context, listing_response, operation, page
from .errors import ASSIGNMENT_DOES_NOT_EXIST, INVALID_ASSIGNMENT_STATE, request_error
from .hit_types import check_length
from .hits import load_hit, render_hit
from .lifecycle import approve
from .notifications import emit_event

VISIBLE = ("Submitted", "Approved", "Rejected")
FEEDBACK_LIMIT = 1024
OVERRIDE_WINDOW = 30 * 86_400
UPLOAD_URL_LIFETIME = 60

ASSIGNMENT_SELECT = (
    "SELECT a.*, h.max_assignments, h.hit_type_id, h.disposed, t.masters FROM assignments a"
    " JOIN hits h ON h.id = a.hit_id JOIN hit_types t ON t.id = h.hit_type_id"
)


def render_assignment(row: sqlite3.Row) -> dict:
    """The Assignment structure of the API; optional times only when they apply."""
    assignment: dict = {
        "AssignmentId": row["id"],
        "WorkerId": row["worker_id"],
        "HITId": row["hit_id"],
        "AssignmentStatus": row["status"],
        "AcceptTime": row["accept_time"],
        "Deadline": row["deadline"],
        "Answer": row["answer"] or "",
    }
    optional = {"AutoApprovalTime": "auto_approval_time", "SubmitTime": "submit_time",
                "ApprovalTime": "approval_time", "RejectionTime": "rejection_time",
                "RequesterFeedback": "feedback"}
    for key, column in optional.items():  # AutoApprovalTime stays once submitted (model docs)
        if row[column] is not None:
            assignment[key] = row[column]
    return assignment


def load_assignment(ctx: Context, assignment_id: str) -> sqlite3.Row:
    """A submitted (or reviewed) assignment; work in progress is invisible to the requester."""
    row = ctx.conn.execute(f"{ASSIGNMENT_SELECT} WHERE a.id = ?", (assignment_id,)).fetchone()
    if row is None or row["status"] not in VISIBLE:
        raise request_error(f"Assignment {assignment_id} does not exist.",
                            ASSIGNMENT_DOES_NOT_EXIST)
    return row


def _state_error() -> Exception:
    return request_error("This operation can be called with a status of: Submitted",
                         INVALID_ASSIGNMENT_STATE)


@operation("GetAssignment")
def get_assignment(ctx: Context, params: dict) -> dict:
    """An assignment and its HIT."""
    row = load_assignment(ctx, params["AssignmentId"])
    return {"Assignment": render_assignment(row),
            "HIT": render_hit(load_hit(ctx, row["hit_id"]), ctx.ts)}


@operation("ListAssignmentsForHIT")
def list_assignments_for_hit(ctx: Context, params: dict) -> dict:
    """A HIT's submitted, approved and rejected assignments (optionally filtered by status)."""
    hit = load_hit(ctx, params["HITId"], allow_disposed=False)
    statuses = tuple(params.get("AssignmentStatuses") or VISIBLE)
    marks = ", ".join("?" for _ in statuses)
    result = page(ctx, f"SELECT * FROM assignments WHERE hit_id = ? AND status IN ({marks})",
                  (hit["id"], *statuses), params, "ListAssignmentsForHIT")
    return listing_response("Assignments", [render_assignment(r) for r in result.rows],
                            result.next_token)


@operation("ApproveAssignment")
def approve_assignment(ctx: Context, params: dict) -> dict:
    """Approve a Submitted assignment (or override a rejection within 30 days) and pay for it."""
    row = load_assignment(ctx, params["AssignmentId"])
    feedback = params.get("RequesterFeedback")
    check_length("RequesterFeedback", feedback, FEEDBACK_LIMIT)
    if row["status"] == "Rejected" and params.get("OverrideRejection"):
        if row["disposed"] is not None or ctx.ts - row["submit_time"] > OVERRIDE_WINDOW:
            raise request_error("This assignment's rejection can no longer be overridden: "
                                "it was submitted more than 30 days ago or its HIT was deleted.",
                                INVALID_ASSIGNMENT_STATE)
    elif row["status"] != "Submitted":
        raise _state_error()
    approve(ctx, row, when=ctx.ts, enforce_funds=True, feedback=feedback)
    emit_event(ctx, row["hit_type_id"], "AssignmentApproved", row["hit_id"], row["id"])
    return {}


@operation("RejectAssignment")
def reject_assignment(ctx: Context, params: dict) -> dict:
    """Reject a Submitted assignment: the worker is not paid and nothing is charged."""
    row = load_assignment(ctx, params["AssignmentId"])
    check_length("RequesterFeedback", params["RequesterFeedback"], FEEDBACK_LIMIT)
    if row["status"] != "Submitted":
        raise _state_error()
    ctx.conn.execute(
        "UPDATE assignments SET status = 'Rejected', rejection_time = ?, feedback = ?"
        " WHERE id = ?", (ctx.ts, params["RequesterFeedback"], row["id"]),
    )
    ctx.conn.execute("UPDATE hits SET n_submitted = n_submitted - 1,"
                     " n_completed = n_completed + 1 WHERE id = ?", (row["hit_id"],))
    emit_event(ctx, row["hit_type_id"], "AssignmentRejected", row["hit_id"], row["id"])
    return {}


@operation("GetFileUploadURL")
def get_file_upload_url(ctx: Context, params: dict) -> dict:
    """A temporary (60 s) URL for a file a worker uploaded; the emulator stores no files."""
    row = load_assignment(ctx, params["AssignmentId"])
    if row["disposed"] is not None:
        raise request_error(f"Assignment {row['id']} does not exist.", ASSIGNMENT_DOES_NOT_EXIST)
    expires = int(ctx.ts + UPLOAD_URL_LIFETIME)
    url = (f"https://mturk-file-uploads.local.invalid/{row['id']}/"
           f"{params['QuestionIdentifier']}?Expires={expires}")
    return {"FileUploadURL": url}

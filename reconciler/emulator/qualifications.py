"""Workers' qualifications: direct grants, revocation, scores, and qualification requests.

A grant is keyed by (type, worker); revoking keeps the record with status Revoked so that
`ListWorkersWithQualificationType(Status=Revoked)` shows it, and granting again overwrites it.
"""

from __future__ import annotations

import json
import sqlite3

from .context import Context, listing_response, operation, page
from .errors import (
    QUALIFICATION_DOES_NOT_EXIST,
    QUALIFICATION_REQUEST_DOES_NOT_EXIST,
    request_error,
)
from .qualification_types import load_own_type

DEFAULT_GRANT_VALUE = 1  # MTurk's default IntegerValue for a grant is unconfirmed


def render_qualification(row: sqlite3.Row) -> dict:
    """The Qualification structure of the API."""
    body: dict = {"QualificationTypeId": row["type_id"], "WorkerId": row["worker_id"],
                  "GrantTime": row["grant_time"], "Status": row["status"]}
    if row["integer_value"] is not None:
        body["IntegerValue"] = row["integer_value"]
    if row["locale"] is not None:
        body["LocaleValue"] = json.loads(row["locale"])
    return body


def grant(ctx: Context, type_id: str, worker_id: str, value: int) -> None:
    """Give a worker a score on a type (replacing any earlier grant or revocation)."""
    ctx.conn.execute(
        "INSERT INTO qualifications (type_id, worker_id, integer_value, grant_time, status)"
        " VALUES (?, ?, ?, ?, 'Granted') ON CONFLICT (type_id, worker_id) DO UPDATE SET"
        " integer_value = excluded.integer_value, grant_time = excluded.grant_time,"
        " status = 'Granted'", (type_id, worker_id, value, ctx.ts),
    )


def _does_not_exist() -> Exception:
    return request_error("You requested a Qualification that does not exist.",
                         QUALIFICATION_DOES_NOT_EXIST)


@operation("AssociateQualificationWithWorker")
def associate_qualification_with_worker(ctx: Context, params: dict) -> dict:
    """Grant a score on one of the caller's types directly, without a request."""
    row = load_own_type(ctx, params["QualificationTypeId"])
    grant(ctx, row["id"], params["WorkerId"], params.get("IntegerValue", DEFAULT_GRANT_VALUE))
    return {}


@operation("DisassociateQualificationFromWorker")
def disassociate_qualification_from_worker(ctx: Context, params: dict) -> dict:
    """Revoke a granted score; revoking what is not granted is QualificationDoesNotExist."""
    row = load_own_type(ctx, params["QualificationTypeId"])
    updated = ctx.conn.execute(
        "UPDATE qualifications SET status = 'Revoked' WHERE type_id = ? AND worker_id = ?"
        " AND status = 'Granted'", (row["id"], params["WorkerId"]),
    ).rowcount
    if not updated:
        raise _does_not_exist()
    return {}


@operation("GetQualificationScore")
def get_qualification_score(ctx: Context, params: dict) -> dict:
    """A worker's score on one of the caller's types (a revoked one shows Status Revoked)."""
    row = load_own_type(ctx, params["QualificationTypeId"])
    score = ctx.conn.execute(
        "SELECT * FROM qualifications WHERE type_id = ? AND worker_id = ?",
        (row["id"], params["WorkerId"]),
    ).fetchone()
    if score is None:
        raise _does_not_exist()
    return {"Qualification": render_qualification(score)}


@operation("ListWorkersWithQualificationType")
def list_workers_with_qualification_type(ctx: Context, params: dict) -> dict:
    """Workers holding a score on the type; both statuses unless Status filters one."""
    row = load_own_type(ctx, params["QualificationTypeId"])
    sql, args = "SELECT * FROM qualifications WHERE type_id = ?", (row["id"],)
    if params.get("Status") is not None:
        sql += " AND status = ?"
        args += (params["Status"],)
    result = page(ctx, sql, args, params, "ListWorkersWithQualificationType")
    return listing_response("Qualifications", [render_qualification(r) for r in result.rows],
                            result.next_token)


def render_request(row: sqlite3.Row) -> dict:
    """The QualificationRequest structure of the API."""
    body: dict = {"QualificationRequestId": row["id"], "QualificationTypeId": row["type_id"],
                  "WorkerId": row["worker_id"], "SubmitTime": row["submit_time"]}
    if row["test"] is not None:
        body["Test"] = row["test"]
    if row["answer"] is not None:
        body["Answer"] = row["answer"]
    return body


@operation("ListQualificationRequests")
def list_qualification_requests(ctx: Context, params: dict) -> dict:
    """Pending requests for the caller's types (optionally one type)."""
    sql = ("SELECT * FROM qual_requests WHERE status = 'Pending' AND type_id IN"
           " (SELECT id FROM qual_types WHERE realm = 'own' AND deleted IS NULL)")
    args: tuple = ()
    if params.get("QualificationTypeId") is not None:
        load_own_type(ctx, params["QualificationTypeId"])
        sql += " AND type_id = ?"
        args = (params["QualificationTypeId"],)
    result = page(ctx, sql, args, params, "ListQualificationRequests")
    return listing_response("QualificationRequests", [render_request(r) for r in result.rows],
                            result.next_token)


def _pending_request(ctx: Context, request_id: str) -> sqlite3.Row:
    row = ctx.conn.execute("SELECT * FROM qual_requests WHERE id = ? AND status = 'Pending'",
                           (request_id,)).fetchone()
    if row is None:
        raise request_error(f"QualificationRequest {request_id} does not exist or has already "
                            "been processed.", QUALIFICATION_REQUEST_DOES_NOT_EXIST)
    load_own_type(ctx, row["type_id"])
    return row


@operation("AcceptQualificationRequest")
def accept_qualification_request(ctx: Context, params: dict) -> dict:
    """Grant the requested qualification (IntegerValue, default 1)."""
    row = _pending_request(ctx, params["QualificationRequestId"])
    grant(ctx, row["type_id"], row["worker_id"], params.get("IntegerValue", DEFAULT_GRANT_VALUE))
    ctx.conn.execute("UPDATE qual_requests SET status = 'Accepted' WHERE id = ?", (row["id"],))
    return {}


@operation("RejectQualificationRequest")
def reject_qualification_request(ctx: Context, params: dict) -> dict:
    """Refuse a request; the reason is shown to the worker."""
    row = _pending_request(ctx, params["QualificationRequestId"])
    ctx.conn.execute("UPDATE qual_requests SET status = 'Rejected', reason = ? WHERE id = ?",
                     (params.get("Reason"), row["id"]))
    return {}

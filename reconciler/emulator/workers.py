"""The worker side MTurk's requester API lacks: accept, submit, return, abandon; requests.

These functions act on an Engine directly (no fault injection, no botocore) and raise
`MTurkError` (RequestError, code `AWS.MechanicalTurk.WorkerActionNotAllowed`) when a real
worker could not do the same thing. Every emulated worker holds the system qualifications in
`system_quals.WORKER_PROFILE` (US locale, 99 % approval, Masters…); scores on the requester's
own types come from grants.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any
from xml.sax.saxutils import escape

from .context import Context, new_id
from .errors import WORKER_ERROR, request_error
from .hits import load_hit
from .lifecycle import hit_status, mark_abandoned
from .notifications import emit_event
from .qualification_types import load_own_type
from .qualifications import grant
from .questions import QUESTION_FORM_ANSWERS, check_answers
from .system_quals import LOCALE_ID, WORKER_LOCALE, WORKER_PROFILE
from .workers_blocks import is_blocked

_WORKER_ID = re.compile(r"^A[A-Z0-9]{1,63}$")


def _refuse(message: str) -> Exception:
    return request_error(message, WORKER_ERROR)


def accept(engine: Any, hit_id: str, worker_id: str) -> str:
    """A worker accepts one slot of an Assignable HIT; returns the new assignment's ID."""
    if not _WORKER_ID.match(worker_id):
        raise _refuse(f"WorkerId {worker_id!r} is invalid.")
    with engine.session() as ctx:
        hit = load_hit(ctx, hit_id, allow_disposed=False)
        status = hit_status(hit, ctx.ts)
        if status != "Assignable":
            raise _refuse(f"HIT {hit_id} cannot be accepted: its status is {status}.")
        if is_blocked(ctx, worker_id):
            raise _refuse(f"Worker {worker_id} is blocked by this requester.")
        _check_not_taken(ctx, hit_id, worker_id)
        for requirement in json.loads(hit["requirements"]):
            if not meets(requirement, worker_value(ctx, requirement["QualificationTypeId"],
                                                   worker_id)):
                raise _refuse(f"Worker {worker_id} does not meet the qualification requirement "
                              f"on {requirement['QualificationTypeId']}.")
        assignment_id = new_id()
        ctx.conn.execute(
            "INSERT INTO assignments (id, hit_id, worker_id, status, reward_cents, accept_time,"
            " deadline) VALUES (?, ?, ?, 'Accepted', ?, ?, ?)",
            (assignment_id, hit_id, worker_id, hit["reward_cents"], ctx.ts,
             ctx.ts + hit["assignment_duration"]),
        )
        ctx.conn.execute("UPDATE hits SET n_pending = n_pending + 1 WHERE id = ?", (hit_id,))
        emit_event(ctx, hit["hit_type_id"], "AssignmentAccepted", hit_id, assignment_id)
        return assignment_id


def _check_not_taken(ctx: Context, hit_id: str, worker_id: str) -> None:
    taken = ctx.conn.execute(
        "SELECT status FROM assignments WHERE hit_id = ? AND worker_id = ?"
        " AND status NOT IN ('Returned', 'Abandoned')", (hit_id, worker_id),
    ).fetchone()
    if taken is not None:
        raise _refuse(f"Worker {worker_id} already has an assignment on HIT {hit_id} "
                      f"({taken['status']}).")


def worker_value(ctx: Context, type_id: str, worker_id: str) -> Any:
    """The worker's value on a qualification type: an int, a locale dict, or None (none held)."""
    if type_id == LOCALE_ID:
        return WORKER_LOCALE
    if type_id in WORKER_PROFILE:
        return WORKER_PROFILE[type_id]
    row = ctx.conn.execute(
        "SELECT integer_value FROM qualifications WHERE type_id = ? AND worker_id = ?"
        " AND status = 'Granted'", (type_id, worker_id),
    ).fetchone()
    return None if row is None else row["integer_value"]


def meets(requirement: dict, value: Any) -> bool:
    """Whether a worker's value satisfies one QualificationRequirement."""
    comparator = requirement["Comparator"]
    if comparator == "Exists":
        return value is not None
    if comparator == "DoesNotExist":
        return value is None
    if value is None:
        return False
    if isinstance(value, dict):
        matches = [_locale_matches(value, wanted) for wanted in requirement["LocaleValues"]]
        return any(matches) if comparator in ("EqualTo", "In") else not any(matches)
    integers = requirement.get("IntegerValues") or []
    tests = {
        "LessThan": lambda: value < integers[0],
        "LessThanOrEqualTo": lambda: value <= integers[0],
        "GreaterThan": lambda: value > integers[0],
        "GreaterThanOrEqualTo": lambda: value >= integers[0],
        "EqualTo": lambda: value == integers[0],
        "NotEqualTo": lambda: value != integers[0],
        "In": lambda: value in integers,
        "NotIn": lambda: value not in integers,
    }
    return tests[comparator]()


def _locale_matches(value: dict, wanted: dict) -> bool:
    if value["Country"] != wanted["Country"]:
        return False
    return "Subdivision" not in wanted or wanted["Subdivision"] == value.get("Subdivision")


def _in_progress(ctx: Context, assignment_id: str) -> sqlite3.Row:
    row = ctx.conn.execute(
        "SELECT a.*, h.hit_type_id, h.max_assignments, t.masters, t.auto_approval_delay"
        " FROM assignments a JOIN hits h ON h.id = a.hit_id"
        " JOIN hit_types t ON t.id = h.hit_type_id WHERE a.id = ?", (assignment_id,),
    ).fetchone()
    if row is None:
        raise _refuse(f"Assignment {assignment_id} does not exist.")
    if row["status"] != "Accepted":
        raise _refuse(f"Assignment {assignment_id} is not in progress (status {row['status']}).")
    return row


def generated_answer(fields: dict[str, str] | None = None) -> str:
    """A QuestionFormAnswers document with one FreeText answer per field."""
    fields = fields or {"answer": "emulated answer"}
    answers = "".join(
        f"<Answer><QuestionIdentifier>{escape(name)}</QuestionIdentifier>"
        f"<FreeText>{escape(text)}</FreeText></Answer>" for name, text in fields.items()
    )
    return f'<QuestionFormAnswers xmlns="{QUESTION_FORM_ANSWERS}">{answers}</QuestionFormAnswers>'


def submit(engine: Any, assignment_id: str, answer_xml: str | None = None) -> None:
    """The worker submits (before the deadline); auto-approval is due after the type's delay.

    A delay of 0 means approved on submission: the next call's catch-up approves it, dated at
    the submit time.
    """
    answer = answer_xml if answer_xml is not None else generated_answer()
    check_answers(answer)
    with engine.session() as ctx:
        row = _in_progress(ctx, assignment_id)
        due = ctx.ts + row["auto_approval_delay"]
        ctx.conn.execute(
            "UPDATE assignments SET status = 'Submitted', submit_time = ?, auto_approval_time = ?,"
            " answer = ? WHERE id = ?", (ctx.ts, due, answer, assignment_id),
        )
        ctx.conn.execute("UPDATE hits SET n_pending = n_pending - 1,"
                         " n_submitted = n_submitted + 1 WHERE id = ?", (row["hit_id"],))
        emit_event(ctx, row["hit_type_id"], "AssignmentSubmitted", row["hit_id"], assignment_id)
        if hit_status(load_hit(ctx, row["hit_id"]), ctx.ts) == "Reviewable":
            emit_event(ctx, row["hit_type_id"], "HITReviewable", row["hit_id"], None)


def return_assignment(engine: Any, assignment_id: str) -> None:
    """The worker gives the assignment back; the slot is free again if the HIT is open."""
    with engine.session() as ctx:
        row = _in_progress(ctx, assignment_id)
        ctx.conn.execute("UPDATE assignments SET status = 'Returned' WHERE id = ?",
                         (assignment_id,))
        ctx.conn.execute("UPDATE hits SET n_pending = n_pending - 1 WHERE id = ?",
                         (row["hit_id"],))
        emit_event(ctx, row["hit_type_id"], "AssignmentReturned", row["hit_id"], assignment_id)


def abandon(engine: Any, assignment_id: str) -> None:
    """The worker walks away: the assignment is abandoned now rather than at its deadline."""
    with engine.session() as ctx:
        row = _in_progress(ctx, assignment_id)
        mark_abandoned(ctx, assignment_id, row["hit_id"])
        emit_event(ctx, row["hit_type_id"], "AssignmentAbandoned", row["hit_id"], assignment_id)


def request_qualification(engine: Any, type_id: str, worker_id: str,
                          answer_xml: str | None = None) -> str:
    """A worker requests a qualification; AutoGranted types grant at once. Returns the request ID."""
    with engine.session() as ctx:
        qual_type = load_own_type(ctx, type_id)
        if qual_type["status"] != "Active":
            raise _refuse(f"QualificationType {type_id} is not Active.")
        _check_retry(ctx, qual_type, worker_id)
        request_id = new_id()
        status = "Accepted" if qual_type["auto_granted"] else "Pending"
        ctx.conn.execute(
            "INSERT INTO qual_requests (id, type_id, worker_id, test, answer, submit_time, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (request_id, type_id, worker_id, qual_type["test"], answer_xml, ctx.ts, status),
        )
        if qual_type["auto_granted"]:
            grant(ctx, type_id, worker_id, qual_type["auto_granted_value"])
        return request_id


def _check_retry(ctx: Context, qual_type: sqlite3.Row, worker_id: str) -> None:
    last = ctx.conn.execute(
        "SELECT status, submit_time FROM qual_requests WHERE type_id = ? AND worker_id = ?"
        " ORDER BY seq DESC LIMIT 1", (qual_type["id"], worker_id),
    ).fetchone()
    if last is None:
        return
    if last["status"] == "Pending":
        raise _refuse(f"Worker {worker_id} already has a pending request for this type.")
    if last["status"] == "Rejected":
        delay = qual_type["retry_delay"]
        if delay is None or ctx.ts < last["submit_time"] + delay:
            raise _refuse(f"Worker {worker_id} cannot request this qualification again yet.")

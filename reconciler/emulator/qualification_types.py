"""Qualification types: create (unique name), read, list (with system types), update, delete.

Deletion is asynchronous on MTurk: the type's HIT types are deleted and its name stays taken
until the HITs using it are gone. The emulator hides a deleted type at once (Get/List answer as
for an unknown type) and keeps its name reserved while any HIT that is not disposed uses it.
"""

from __future__ import annotations

import sqlite3

from .context import Context, listing_response, new_id, operation, page
from .errors import (
    INVALID_PARAMETER,
    NOT_OWNER,
    QUALIFICATION_TYPE_ALREADY_EXISTS,
    QUALIFICATION_TYPE_DOES_NOT_EXIST,
    request_error,
)
from .hit_types import check_length
from .questions import check_answer_key, check_test
from .system_quals import realm_of

DESCRIPTION_LIMIT = 2000
KEYWORDS_LIMIT = 1000
DUPLICATE_NAME = (
    "You have already created a QualificationType with this name. A QualificationType's name "
    "must be unique among all of the QualificationTypes created by the same user."
)


def render_type(row: sqlite3.Row) -> dict:
    """The QualificationType structure of the API."""
    own = row["realm"] == "own"
    body: dict = {
        "QualificationTypeId": row["id"],
        "CreationTime": row["created"],
        "Name": row["name"],
        "Description": row["description"],
        "Keywords": row["keywords"] or "",
        "QualificationTypeStatus": row["status"],
        "IsRequestable": own and row["status"] == "Active",
        "AutoGranted": bool(row["auto_granted"]),
    }
    optional = {"Test": "test", "TestDurationInSeconds": "test_duration",
                "AnswerKey": "answer_key", "RetryDelayInSeconds": "retry_delay"}
    for key, column in optional.items():
        if row[column] is not None:
            body[key] = row[column]
    if row["auto_granted"]:
        body["AutoGrantedValue"] = row["auto_granted_value"]
    return body


def load_type(ctx: Context, type_id: str) -> sqlite3.Row:
    """Any visible type (own or a system type of this endpoint)."""
    row = ctx.conn.execute(
        "SELECT * FROM qual_types WHERE id = ? AND deleted IS NULL AND realm IN "
        "('own', 'system', ?)", (type_id, realm_of(ctx.sandbox)),
    ).fetchone()
    if row is None:
        raise request_error(f"QualificationType {type_id} does not exist.",
                            QUALIFICATION_TYPE_DOES_NOT_EXIST)
    return row


def load_own_type(ctx: Context, type_id: str) -> sqlite3.Row:
    """A type the caller owns; system types are refused."""
    row = load_type(ctx, type_id)
    if row["realm"] != "own":
        raise request_error(f"You do not own the QualificationType {type_id}.", NOT_OWNER)
    return row


def _name_taken(ctx: Context, name: str) -> bool:
    row = ctx.conn.execute(
        "SELECT 1 FROM qual_types q WHERE q.realm = 'own' AND q.name = ? AND (q.deleted IS NULL"
        " OR EXISTS (SELECT 1 FROM hit_type_quals l JOIN hits h ON h.hit_type_id = l.hit_type_id"
        " WHERE l.qual_type_id = q.id AND h.disposed IS NULL))", (name,),
    ).fetchone()
    return row is not None


def _check_test_fields(test: str | None, duration: int | None, key: str | None,
                       auto_granted: bool) -> None:
    def fail(why: str) -> Exception:
        return request_error(why, INVALID_PARAMETER)

    if test is not None and duration is None:
        raise fail("TestDurationInSeconds is required when a Test is given.")
    if test is None and (duration is not None or key is not None):
        raise fail("TestDurationInSeconds and AnswerKey can only be given with a Test.")
    if duration is not None and duration <= 0:
        raise fail("TestDurationInSeconds must be positive.")
    if test is not None and auto_granted:
        raise fail("A QualificationType with a Test cannot be AutoGranted.")
    if test is not None:
        check_test(test)
    if key is not None:
        check_answer_key(key)


@operation("CreateQualificationType")
def create_qualification_type(ctx: Context, params: dict) -> dict:
    """Create a type whose Name no other type of this requester has."""
    check_length("Description", params["Description"], DESCRIPTION_LIMIT)
    check_length("Keywords", params.get("Keywords"), KEYWORDS_LIMIT)
    auto_granted = bool(params.get("AutoGranted", False))
    _check_test_fields(params.get("Test"), params.get("TestDurationInSeconds"),
                       params.get("AnswerKey"), auto_granted)
    if params.get("RetryDelayInSeconds") is not None and params["RetryDelayInSeconds"] < 0:
        raise request_error("RetryDelayInSeconds must not be negative.", INVALID_PARAMETER)
    if _name_taken(ctx, params["Name"]):
        raise request_error(DUPLICATE_NAME, QUALIFICATION_TYPE_ALREADY_EXISTS)
    type_id = new_id()
    ctx.conn.execute(
        "INSERT INTO qual_types (id, realm, name, description, keywords, status, retry_delay,"
        " test, answer_key, test_duration, auto_granted, auto_granted_value, created)"
        " VALUES (?, 'own', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (type_id, params["Name"], params["Description"], params.get("Keywords") or "",
         params["QualificationTypeStatus"], params.get("RetryDelayInSeconds"),
         params.get("Test"), params.get("AnswerKey"), params.get("TestDurationInSeconds"),
         int(auto_granted), params.get("AutoGrantedValue", 1), ctx.ts),
    )
    return {"QualificationType": render_type(load_type(ctx, type_id))}


@operation("GetQualificationType")
def get_qualification_type(ctx: Context, params: dict) -> dict:
    """One qualification type (own or system)."""
    return {"QualificationType": render_type(load_type(ctx, params["QualificationTypeId"]))}


@operation("ListQualificationTypes")
def list_qualification_types(ctx: Context, params: dict) -> dict:
    """Types matching the filters; system types first unless MustBeOwnedByCaller."""
    sql = "SELECT * FROM qual_types WHERE deleted IS NULL"
    args: tuple = ()
    if params.get("MustBeOwnedByCaller"):
        sql += " AND realm = 'own'"
    else:
        sql += " AND realm IN ('own', 'system', ?)"
        args += (realm_of(ctx.sandbox),)
    if params["MustBeRequestable"]:
        sql += " AND realm = 'own' AND status = 'Active'"
    query = params.get("Query")
    if query:
        like = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql += (" AND (lower(name) LIKE ? ESCAPE '\\' OR lower(description) LIKE ? ESCAPE '\\'"
                " OR lower(keywords) LIKE ? ESCAPE '\\')")
        args += (like, like, like)
    result = page(ctx, sql, args, params, "ListQualificationTypes")
    return listing_response("QualificationTypes", [render_type(r) for r in result.rows],
                            result.next_token)


@operation("UpdateQualificationType")
def update_qualification_type(ctx: Context, params: dict) -> dict:
    """Change what MTurk lets change: description, status, test, retry delay, auto-grant.

    A Test cannot be removed (the API cannot express it), must come with its duration, and
    excludes AutoGranted=true; RetryDelayInSeconds can be set or changed but never removed.
    """
    row = load_own_type(ctx, params["QualificationTypeId"])
    check_length("Description", params.get("Description"), DESCRIPTION_LIMIT)
    test = params.get("Test")
    auto_granted = bool(params.get("AutoGranted", row["auto_granted"]))
    _check_test_fields(test, params.get("TestDurationInSeconds"), params.get("AnswerKey"),
                       auto_granted)
    if auto_granted and row["test"] is not None:
        raise request_error("A QualificationType with a Test cannot be AutoGranted.",
                            INVALID_PARAMETER)
    if params.get("RetryDelayInSeconds") is not None and params["RetryDelayInSeconds"] < 0:
        raise request_error("RetryDelayInSeconds must not be negative.", INVALID_PARAMETER)
    changes = {
        "description": params.get("Description", row["description"]),
        "status": params.get("QualificationTypeStatus", row["status"]),
        "retry_delay": params.get("RetryDelayInSeconds", row["retry_delay"]),
        "auto_granted": int(auto_granted),
        "auto_granted_value": params.get("AutoGrantedValue", row["auto_granted_value"]),
    }
    if test is not None:  # a new test replaces test, duration and key together
        changes.update(test=test, test_duration=params["TestDurationInSeconds"],
                       answer_key=params.get("AnswerKey"))
    assignments = ", ".join(f"{column} = ?" for column in changes)
    ctx.conn.execute(f"UPDATE qual_types SET {assignments} WHERE id = ?",  # noqa: S608
                     (*changes.values(), row["id"]))
    return {"QualificationType": render_type(load_type(ctx, row["id"]))}


@operation("DeleteQualificationType")
def delete_qualification_type(ctx: Context, params: dict) -> dict:
    """Delete a type: its HIT types go, pending requests are rejected, grants stay."""
    row = load_own_type(ctx, params["QualificationTypeId"])
    ctx.conn.execute("UPDATE qual_types SET deleted = ? WHERE id = ?", (ctx.ts, row["id"]))
    ctx.conn.execute(
        "UPDATE hit_types SET deleted = 1 WHERE id IN"
        " (SELECT hit_type_id FROM hit_type_quals WHERE qual_type_id = ?)", (row["id"],),
    )
    ctx.conn.execute(
        "UPDATE qual_requests SET status = 'Rejected', reason = 'The QualificationType was"
        " deleted.' WHERE type_id = ? AND status = 'Pending'", (row["id"],),
    )
    return {}

"""HITs: create (all-in-one or from a type), read and list.

A HIT row keeps only HIT-level fields and counters; its type's properties are joined in, so
`UpdateHITTypeOfHIT` moves every type property at once. Lists are ordered by creation
(`seq`), one indexed query per page.
"""

from __future__ import annotations

import json
import sqlite3

from .context import Context, listing_response, new_id, operation, page
from .errors import HIT_ALREADY_EXISTS, HIT_DOES_NOT_EXIST, INVALID_PARAMETER, request_error
from .hit_types import MAX_DURATION, check_length, check_range, get_hit_type, resolve_hit_type
from .lifecycle import available, hit_status
from .money import format_cents
from .notifications import emit_event
from .payments import assignment_cost_cents, require_funds
from .questions import check_question
from .review_policies import check_policies
from .tokens import find_token, remember_token

MAX_ASSIGNMENTS = 1_000_000_000
ANNOTATION_LIMIT = 255

HIT_COLUMNS = (
    "h.*, t.group_id, t.title, t.description, t.reward_cents, t.assignment_duration,"
    " t.auto_approval_delay, t.keywords, t.requirements, t.masters"
)
HIT_SELECT = f"SELECT {HIT_COLUMNS} FROM hits h JOIN hit_types t ON t.id = h.hit_type_id"


def render_hit(row: sqlite3.Row, now: float) -> dict:
    """The HIT structure of the API (timestamps as epoch seconds)."""
    hit: dict = {
        "HITId": row["id"],
        "HITTypeId": row["hit_type_id"],
        "HITGroupId": row["group_id"],
        "CreationTime": row["created"],
        "Title": row["title"],
        "Description": row["description"],
        "Keywords": row["keywords"],
        "HITStatus": hit_status(row, now),
        "MaxAssignments": row["max_assignments"],
        "Reward": format_cents(row["reward_cents"]),
        "AutoApprovalDelayInSeconds": row["auto_approval_delay"],
        "Expiration": row["expiration"],
        "AssignmentDurationInSeconds": row["assignment_duration"],
        "QualificationRequirements": json.loads(row["requirements"]),
        "HITReviewStatus": "NotReviewed",
        "NumberOfAssignmentsPending": row["n_pending"],
        "NumberOfAssignmentsAvailable": available(row),
        "NumberOfAssignmentsCompleted": row["n_completed"],
    }
    if row["question"] is not None:
        hit["Question"] = row["question"]
    if row["layout_id"] is not None:
        hit["HITLayoutId"] = row["layout_id"]
    if row["annotation"] is not None:
        hit["RequesterAnnotation"] = row["annotation"]
    return hit


def load_hit(ctx: Context, hit_id: str, *, allow_disposed: bool = True) -> sqlite3.Row:
    """A HIT row joined with its type, or MTurk's "Hit X does not exist." error."""
    row = ctx.conn.execute(f"{HIT_SELECT} WHERE h.id = ?", (hit_id,)).fetchone()
    if row is None or (not allow_disposed and row["disposed"] is not None):
        raise request_error(f"Hit {hit_id} does not exist.", HIT_DOES_NOT_EXIST)
    return row


def _check_hit_fields(params: dict) -> None:
    check_range("LifetimeInSeconds", params["LifetimeInSeconds"], 30, MAX_DURATION)
    check_range("MaxAssignments", params.get("MaxAssignments"), 1, MAX_ASSIGNMENTS)
    check_length("RequesterAnnotation", params.get("RequesterAnnotation"), ANNOTATION_LIMIT)
    has_question = params.get("Question") is not None
    if has_question == (params.get("HITLayoutId") is not None):
        raise request_error("Exactly one of Question or HITLayoutId must be specified.",
                            INVALID_PARAMETER)
    check_policies(params)
    if has_question:
        check_question(params["Question"])
    elif params.get("HITLayoutParameters") is None:
        raise request_error("HITLayoutParameters are required with a HITLayoutId.",
                            INVALID_PARAMETER)


def create_hit(ctx: Context, hit_type: sqlite3.Row, params: dict) -> dict:
    """Create one HIT of `hit_type` from the HIT-level members of a create request."""
    _check_hit_fields(params)
    token = params.get("UniqueRequestToken")
    if token is not None:
        existing = find_token(ctx, "hit", token)
        if existing is not None:
            raise request_error(f'The HIT with ID "{existing}" already exists.',
                                HIT_ALREADY_EXISTS)
    max_assignments = params.get("MaxAssignments", 1)
    cost = assignment_cost_cents(hit_type["reward_cents"], max_assignments,
                                 bool(hit_type["masters"]))
    require_funds(ctx, cost * max_assignments)
    hit_id = new_id()
    layout_params = params.get("HITLayoutParameters")
    ctx.conn.execute(
        "INSERT INTO hits (id, hit_type_id, layout_id, layout_params, question, annotation,"
        " max_assignments, created, expiration, assignment_policy, hit_policy)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (hit_id, hit_type["id"], params.get("HITLayoutId"),
         json.dumps(layout_params) if layout_params is not None else None,
         params.get("Question"), params.get("RequesterAnnotation"), max_assignments,
         ctx.ts, ctx.ts + params["LifetimeInSeconds"],
         _policy(params.get("AssignmentReviewPolicy")), _policy(params.get("HITReviewPolicy"))),
    )
    if token is not None:
        remember_token(ctx, "hit", token, hit_id)
    emit_event(ctx, hit_type["id"], "HITCreated", hit_id, None)
    return {"HIT": render_hit(load_hit(ctx, hit_id), ctx.ts)}


def _policy(policy: dict | None) -> str | None:
    return json.dumps(policy) if policy is not None else None


@operation("CreateHITWithHITType")
def create_hit_with_hit_type(ctx: Context, params: dict) -> dict:
    """Create a HIT of an existing HIT type."""
    return create_hit(ctx, get_hit_type(ctx, params["HITTypeId"]), params)


@operation("CreateHIT")
def create_hit_all_in_one(ctx: Context, params: dict) -> dict:
    """Create a HIT, reusing the HIT type with the same values or creating one.

    A HIT-level error after the type was created rolls the whole transaction back.
    """
    return create_hit(ctx, resolve_hit_type(ctx, params), params)


@operation("GetHIT")
def get_hit(ctx: Context, params: dict) -> dict:
    """One HIT (a deleted HIT answers with status Disposed)."""
    return {"HIT": render_hit(load_hit(ctx, params["HITId"]), ctx.ts)}


@operation("ListHITs")
def list_hits(ctx: Context, params: dict) -> dict:
    """Every HIT of the account except disposed ones, in creation order."""
    result = page(ctx, f"{HIT_SELECT} WHERE h.disposed IS NULL", (), params, "ListHITs",
                  "h.seq")
    return listing_response("HITs", [render_hit(r, ctx.ts) for r in result.rows],
                            result.next_token)


@operation("ListReviewableHITs")
def list_reviewable_hits(ctx: Context, params: dict) -> dict:
    """HITs in status Reviewable (default) or Reviewing, optionally of one HIT type."""
    reviewing = int(params.get("Status", "Reviewable") == "Reviewing")
    sql = (f"{HIT_SELECT} WHERE h.disposed IS NULL AND h.n_pending = 0 AND h.reviewing = ?"
           " AND (h.expiration <= ? OR h.n_submitted + h.n_completed >= h.max_assignments)")
    args: tuple = (reviewing, ctx.ts)
    if params.get("HITTypeId") is not None:
        sql += " AND h.hit_type_id = ?"
        args += (params["HITTypeId"],)
    result = page(ctx, sql, args, params, "ListReviewableHITs", "h.seq")
    return listing_response("HITs", [render_hit(r, ctx.ts) for r in result.rows],
                            result.next_token)


@operation("ListHITsForQualificationType")
def list_hits_for_qualification_type(ctx: Context, params: dict) -> dict:
    """HITs whose type requires the qualification type, in creation order."""
    sql = (f"{HIT_SELECT} WHERE h.disposed IS NULL AND h.hit_type_id IN"
           " (SELECT hit_type_id FROM hit_type_quals WHERE qual_type_id = ?)")
    result = page(ctx, sql, (params["QualificationTypeId"],), params,
                  "ListHITsForQualificationType", "h.seq")
    return listing_response("HITs", [render_hit(r, ctx.ts) for r in result.rows],
                            result.next_token)


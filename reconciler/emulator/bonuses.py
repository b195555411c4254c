"""Bonuses: SendBonus (charged with MTurk's fee, deduplicated by token) and ListBonusPayments."""

from __future__ import annotations

from .assignments import load_assignment
from .context import Context, listing_response, operation, page
from .errors import HIT_ALREADY_EXISTS, INVALID_PARAMETER, request_error
from .hits import load_hit
from .money import bonus_fee_cents, format_cents, parse_cents
from .payments import debit
from .tokens import find_token, remember_token


@operation("SendBonus")
def send_bonus(ctx: Context, params: dict) -> dict:
    """Pay a worker a bonus for one of their assignments; bonus + 20 % (min $0.01) is debited."""
    assignment = load_assignment(ctx, params["AssignmentId"])
    worker_id = params["WorkerId"]
    if assignment["worker_id"] != worker_id:
        raise request_error(f"Worker {worker_id} did not work on assignment {assignment['id']}.",
                            INVALID_PARAMETER)
    amount = parse_cents(params["BonusAmount"])
    if amount <= 0:
        raise request_error("The bonus amount must be at least 0.01.", INVALID_PARAMETER)
    token = params.get("UniqueRequestToken")
    if token is not None and find_token(ctx, "bonus", token) is not None:
        raise request_error(f'The bonus with unique request token "{token}" has already been '
                            "paid.", HIT_ALREADY_EXISTS)
    fee = bonus_fee_cents(amount)
    debit(ctx, "bonus", assignment["id"], amount, fee)
    ctx.conn.execute(
        "INSERT INTO bonuses (worker_id, assignment_id, hit_id, amount_cents, fee_cents, reason,"
        " grant_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (worker_id, assignment["id"], assignment["hit_id"], amount, fee, params["Reason"],
         ctx.ts),
    )
    if token is not None:
        remember_token(ctx, "bonus", token, assignment["id"])
    return {}


@operation("ListBonusPayments")
def list_bonus_payments(ctx: Context, params: dict) -> dict:
    """Bonuses paid for a HIT or for one assignment, oldest first."""
    hit_id = params.get("HITId")
    assignment_id = params.get("AssignmentId")
    if (hit_id is None) == (assignment_id is None):
        raise request_error("Specify exactly one of HITId or AssignmentId.", INVALID_PARAMETER)
    if hit_id is not None:
        load_hit(ctx, hit_id)
        sql, args = "SELECT * FROM bonuses WHERE hit_id = ?", (hit_id,)
    else:
        load_assignment(ctx, assignment_id)
        sql, args = "SELECT * FROM bonuses WHERE assignment_id = ?", (assignment_id,)
    result = page(ctx, sql, args, params, "ListBonusPayments")
    payments = [{"WorkerId": r["worker_id"], "BonusAmount": format_cents(r["amount_cents"]),
                 "AssignmentId": r["assignment_id"], "Reason": r["reason"],
                 "GrantTime": r["grant_time"]} for r in result.rows]
    return listing_response("BonusPayments", payments, result.next_token)

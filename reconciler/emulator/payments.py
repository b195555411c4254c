"""The account balance: starts at $10,000.00, debited by rewards, bonuses and MTurk's fees."""

from __future__ import annotations

import sqlite3

from .context import Context, operation
from .errors import INSUFFICIENT_FUNDS, request_error
from .money import assignment_fee_cents, format_cents
from .store import get_meta, set_meta

INSUFFICIENT_FUNDS_MESSAGE = (
    "This Requester has insufficient funds in their account to complete this transaction. "
    "Please visit https://requester.mturk.com/account to purchase more funds."
)


def balance_cents(conn: sqlite3.Connection) -> int:
    """The available balance in cents."""
    return int(get_meta(conn, "balance_cents", "0") or 0)


def require_funds(ctx: Context, cents: int) -> None:
    """RequestError (insufficient funds) unless the balance covers `cents`."""
    if cents > balance_cents(ctx.conn):
        raise request_error(INSUFFICIENT_FUNDS_MESSAGE, INSUFFICIENT_FUNDS)


def debit(ctx: Context, what: str, ref: str, amount_cents: int, fee_cents: int,
          *, enforce: bool = True, when: float | None = None) -> None:
    """Take amount + fee from the balance and record it in the ledger.

    `enforce=False` is for automatic approval, which MTurk performs whatever the balance; the
    balance may then go below zero (real MTurk would bill the account).
    """
    total = amount_cents + fee_cents
    if enforce:
        require_funds(ctx, total)
    set_meta(ctx.conn, "balance_cents", str(balance_cents(ctx.conn) - total))
    ctx.conn.execute(
        "INSERT INTO ledger (what, ref, amount_cents, fee_cents, time) VALUES (?, ?, ?, ?, ?)",
        (what, ref, amount_cents, fee_cents, ctx.ts if when is None else when),
    )


def assignment_cost_cents(reward_cents: int, max_assignments: int, masters: bool) -> int:
    """What one approved assignment costs: reward plus fee."""
    return reward_cents + assignment_fee_cents(reward_cents, max_assignments, masters)


def format_balance(cents: int) -> str:
    """A balance as a CurrencyAmount string (a minus sign only if auto-approval overdrew it)."""
    if cents < 0:
        return "-" + format_cents(-cents)
    return format_cents(cents)


@operation("GetAccountBalance")
def get_account_balance(ctx: Context, params: dict) -> dict:
    """The available balance; OnHoldBalance is a legacy field, always 0.00 here."""
    return {"AvailableBalance": format_balance(balance_cents(ctx.conn)), "OnHoldBalance": "0.00"}

"""What every operation receives (one transaction, one instant) and the registry of operations."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import INVALID_NEXT_TOKEN, request_error

ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ID_LENGTH = 30  # real HIT, HIT type, assignment and qualification type IDs have 30 characters
DEFAULT_PAGE_SIZE = 10  # MTurk's default page size is unconfirmed; legacy PageSize defaulted to 10


@dataclass
class Context:
    """One operation's view: the open transaction, the instant it happens at, the realm."""

    conn: sqlite3.Connection
    now: datetime
    sandbox: bool

    @property
    def ts(self) -> float:
        """`now` as epoch seconds (how the store keeps time)."""
        return self.now.timestamp()


Handler = Callable[[Context, dict], dict]
OPERATIONS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register the handler of one MTurk operation under its botocore name."""

    def register(handler: Handler) -> Handler:
        OPERATIONS[name] = handler
        return handler

    return register


def new_id(length: int = ID_LENGTH) -> str:
    """A fresh upper-case alphanumeric ID shaped like MTurk's."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(length))


def new_worker_id() -> str:
    """A fresh worker ID shaped like MTurk's (`A` + 13 characters)."""
    return "A" + new_id(13)


@dataclass(frozen=True)
class Page:
    """One page of rows and the token of the next page (None on the last page)."""

    rows: list[sqlite3.Row]
    next_token: str | None


def page(ctx: Context, sql: str, args: tuple, params: dict, listing: str,
         key: str = "seq") -> Page:
    """Run `sql` (which must end in a WHERE clause; `key` is its seq column) for one page.

    The token remembers the last `seq` returned, not an offset, so rows inserted or removed
    between pages neither repeat nor get skipped.
    """
    after = decode_token(params.get("NextToken"), listing)
    size = params.get("MaxResults") or DEFAULT_PAGE_SIZE
    rows = ctx.conn.execute(f"{sql} AND {key} > ? ORDER BY {key} LIMIT ?", (*args, after, size + 1))
    rows = rows.fetchall()
    if len(rows) > size:
        rows = rows[:size]
        return Page(rows, encode_token(listing, rows[-1]["seq"]))
    return Page(rows, None)


def encode_token(listing: str, last_seq: int) -> str:
    """An opaque NextToken naming the listing and the last seq seen."""
    raw = json.dumps({"l": listing, "s": last_seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str | None, listing: str) -> int:
    """The last seq a NextToken remembers (0 without a token); a RequestError for a bad one."""
    if token is None:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        data: Any = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data.get("l") == listing and isinstance(data.get("s"), int):
            return int(data["s"])
    except (ValueError, binascii.Error, AttributeError, UnicodeDecodeError):
        pass
    raise request_error("The pagination token is invalid or does not belong to this request.",
                        INVALID_NEXT_TOKEN)


def listing_response(key: str, items: list[dict], next_token: str | None) -> dict:
    """The common shape of a paginated answer: NumResults, the items, NextToken when more exist."""
    body: dict = {"NumResults": len(items), key: items}
    if next_token is not None:
        body["NextToken"] = next_token
    return body

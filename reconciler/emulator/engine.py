"""The emulated MTurk Requester service: validate a request, run its operation, commit.

`Engine.call(operation, params)` takes the deserialised JSON body of any of the 39 operations
and returns the JSON-ready response, or raises `MTurkError`. Both transports (in-process
botocore handler, HTTP server) and the worker functions go through one Engine.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import (  # noqa: F401 - importing the modules registers their operations
    assignments,
    bonuses,
    hit_changes,
    hit_types,
    hits,
    notifications,
    qualification_types,
    qualifications,
    review_policies,
    workers_blocks,
)
from .clock import Clock, ManualClock, checked_offset
from .context import OPERATIONS, Context
from .errors import MTurkError, service_fault
from .hits import HIT_SELECT, render_hit
from .lifecycle import catch_up
from .money import to_decimal
from .payments import balance_cents
from .store import Store, get_meta, set_meta
from .system_quals import seed_system_types
from .validation import validate_request

log = logging.getLogger(__name__)


class Engine:
    """One emulated MTurk account, stored in SQLite at `path` (`:memory:` for tests)."""

    def __init__(self, path: str | Path = ":memory:", *, clock: Clock | None = None,
                 faults: object | None = None, sandbox: bool = False):
        self.path = str(path)
        self.store = Store(self.path)
        self.clock = clock if clock is not None else Clock()
        self.faults: Any = faults
        self.sandbox = sandbox
        # A real-time clock keeps its offset in the state file, so `advance` is shared by every
        # process using the file; a ManualClock belongs to its test alone.
        self._persist_clock = not isinstance(self.clock, ManualClock)
        if self._persist_clock:
            self.clock.on_advance(self._save_offset)
        with self.session(catch_up_first=False) as ctx:
            seed_system_types(ctx)

    def call(self, operation: str, params: dict | None) -> dict:
        """Answer one API request; the fault injector (if any) wraps the committed operation."""
        request = params if params is not None else {}
        if self.faults is not None:
            return self.faults.run(operation, lambda: self._execute(operation, request))
        return self._execute(operation, request)

    def _execute(self, operation: str, params: dict) -> dict:
        validate_request(operation, params)
        # A JSON null is an absent member (as AWS services read it): `"RetryDelayInSeconds":
        # null` must not remove a retry delay that UpdateQualificationType may never remove.
        params = {name: value for name, value in params.items() if value is not None}
        handler = OPERATIONS.get(operation)
        if handler is None:
            raise service_fault(f"Operation {operation} is not available.")
        try:
            with self.session() as ctx:
                return handler(ctx, params)
        except MTurkError:
            raise
        except Exception as error:  # a bug in the emulator: answer like a 500 from MTurk
            log.exception("emulator operation %s failed", operation)
            raise service_fault(f"Internal error in {operation}: {error!r}") from error

    @contextmanager
    def session(self, *, catch_up_first: bool = True) -> Iterator[Context]:
        """One transaction at the clock's current instant, with due time-driven changes applied."""
        with self.store.transaction() as conn:
            if self._persist_clock:
                self.clock.sync_offset(float(get_meta(conn, "clock_offset", "0") or 0))
            # MTurk's timestamps are whole seconds (observed `1.598811799E9`); so are the
            # emulator's, so an ExpireAt computed from a returned Expiration (boto3 sends whole
            # seconds) measures the same increment here as there.
            ctx = Context(conn, self.clock.now().replace(microsecond=0), self.sandbox)
            if catch_up_first:
                catch_up(ctx)
            yield ctx

    def _save_offset(self, seconds: float) -> None:
        with self.store.transaction() as conn:
            offset = checked_offset(float(get_meta(conn, "clock_offset", "0") or 0) + seconds)
            set_meta(conn, "clock_offset", repr(offset))
            self.clock.sync_offset(offset)

    def advance(self, seconds: float) -> None:
        """Move the emulated time forward (persisted for a real-time clock)."""
        self.clock.advance(seconds)

    def balance(self) -> Decimal:
        """The account's available balance."""
        with self.session() as ctx:
            return to_decimal(balance_cents(ctx.conn))

    def list_hits(self, *, include_disposed: bool = False) -> list[dict]:
        """Every HIT as the API renders it, in creation order (one query, no paging)."""
        where = "" if include_disposed else " WHERE h.disposed IS NULL"
        with self.session() as ctx:
            rows = ctx.conn.execute(f"{HIT_SELECT}{where} ORDER BY h.seq").fetchall()
            return [render_hit(row, ctx.ts) for row in rows]

    def outbox(self) -> list[dict]:
        """Notifications the service would have delivered (events and test events), oldest first."""
        with self.session() as ctx:
            rows = ctx.conn.execute("SELECT * FROM outbox ORDER BY seq").fetchall()
            return [{"kind": r["kind"], "destination": r["destination"],
                     "message": json.loads(r["payload"]), "sent": r["sent"]} for r in rows]

    def reset(self) -> None:
        """Forget everything: a fresh account with $10,000.00 and the clock back to real time."""
        self.store.reset()
        if self._persist_clock:
            self.clock.sync_offset(0.0)
        with self.session(catch_up_first=False) as ctx:
            seed_system_types(ctx)

    def close(self) -> None:
        """Close the state file."""
        self.store.close()

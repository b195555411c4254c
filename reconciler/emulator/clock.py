"""The emulator's only source of time: real UTC time plus an offset that `advance` moves forward.

The engine persists the offset of its own `Clock` in the state file, so
`reconciler emulator advance 3d` in one process is seen by every later process (and by a running
server) that opens the same file. `ManualClock` starts at a fixed instant, for tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

OffsetListener = Callable[[float], None]
# Far beyond any MTurk lifetime, and far enough from datetime's year 9999 that every date the
# engine derives from "now" (expiries, disposal, auto-approval) stays representable.
MAX_OFFSET_DAYS = 36_500


def checked_offset(offset_seconds: float) -> float:
    """`offset_seconds` if the clock may run that far ahead, else a ValueError sentence."""
    if not offset_seconds <= MAX_OFFSET_DAYS * 86400:
        raise ValueError(
            f"The emulated time may run at most {MAX_OFFSET_DAYS:,} days (100 years) ahead of real time; "
            "advance by less, or run `reconciler emulator reset` to start over."
        )
    return offset_seconds


class Clock:
    """Real time shifted by `offset` seconds; `advance` adds to the offset and tells the store."""

    def __init__(self, offset_seconds: float = 0.0):
        self._offset = float(offset_seconds)
        self._lock = threading.Lock()
        self._listener: OffsetListener | None = None

    @property
    def offset(self) -> float:
        """Seconds this clock runs ahead of real time."""
        return self._offset

    def base(self) -> datetime:
        """The unshifted time: the real UTC time."""
        return datetime.now(UTC)

    def now(self) -> datetime:
        """The emulated current time (aware UTC)."""
        return self.base() + timedelta(seconds=self._offset)

    def advance(self, seconds: float) -> datetime:
        """Move time forward (never backwards) and return the new now.

        With a listener (the engine's store), the listener adds `seconds` to the persisted
        offset and syncs this clock, so advances from several processes add up.
        """
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        listener = self._listener
        if listener is not None:
            listener(float(seconds))
        else:
            with self._lock:
                self._offset = checked_offset(self._offset + float(seconds))
        return self.now()

    def sync_offset(self, offset_seconds: float) -> None:
        """Adopt the offset read back from the store (another process may have advanced it)."""
        with self._lock:
            self._offset = float(offset_seconds)

    def on_advance(self, listener: OffsetListener | None) -> None:
        """Register the callback that persists each `advance` (it receives the seconds added)."""
        self._listener = listener


class ManualClock(Clock):
    """A clock frozen at `start` that moves only through `advance` (tests)."""

    def __init__(self, start: datetime | None = None):
        super().__init__()
        start = start or datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._start = start.astimezone(UTC)

    def base(self) -> datetime:
        return self._start


def to_epoch(moment: datetime) -> float:
    """Epoch seconds as MTurk puts them on the wire (a JSON number)."""
    return moment.timestamp()


def from_epoch(seconds: float) -> datetime:
    """The aware UTC datetime of epoch seconds."""
    return datetime.fromtimestamp(seconds, UTC)

"""The small value languages of the manifests: durations, money and timestamps."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal

from reconciler.model import money

_DURATION = re.compile(r"^([0-9]+)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def is_duration(value: object) -> bool:
    """True when `value` is a duration string such as 90s, 10m or 3d."""
    return isinstance(value, str) and _DURATION.match(value) is not None


def duration_seconds(text: str) -> int:
    """Whole seconds of a duration string (90s, 10m, 3h, 3d)."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"not a duration: {text!r}")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def format_duration(seconds: int) -> str:
    """The shortest exact duration string for `seconds` (2592000 -> 30d)."""
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNIT_SECONDS[unit] == 0:
            return f"{seconds // _UNIT_SECONDS[unit]}{unit}"
    return f"{seconds}s"


def dollars(text: str) -> Decimal:
    """A schema-checked dollar string ("0.05") as cents-precise Decimal."""
    return money(Decimal(text))


def parse_timestamp(text: str) -> datetime:
    """An ISO-8601 time with a zone (schema-checked) as an aware UTC datetime."""
    value = datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
    if value.tzinfo is None:
        raise ValueError("no time zone")
    return value.astimezone(timezone.utc)

"""Parse the short durations and rates the emulator's commands take: `50ms`, `90m`, `1d12h`, `20/s`."""

from __future__ import annotations

import re

_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")
_RATE = re.compile(r"(\d+(?:\.\d+)?)(?:/(s|sec|m|min|h))?")
_RATE_UNIT_SECONDS = {None: 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Seconds in a duration such as `45s`, `90m`, `3d` or `1d12h`; `0` alone is allowed.

    A number without a unit is refused (is `50` seconds or milliseconds?), so is a negative one.
    """
    cleaned = text.strip().lower()
    if cleaned in {"0", "0.0"}:
        return 0.0
    parts = _PART.findall(cleaned)
    if not parts or "".join(number + unit for number, unit in parts) != cleaned:
        raise ValueError(
            f"'{text}' is not a duration; write a number and a unit (ms, s, m, h, d, w), e.g. 90m or 1d12h."
        )
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def parse_rate(text: str) -> float:
    """Requests per second in a rate such as `20/s`, `600/m` or `20` (per second); it must be positive."""
    match = _RATE.fullmatch(text.strip().lower())
    if not match:
        raise ValueError(f"'{text}' is not a rate; write requests per second, e.g. 20/s (or 600/m).")
    per_second = float(match.group(1)) / _RATE_UNIT_SECONDS[match.group(2)]
    if per_second <= 0:
        raise ValueError(f"The rate '{text}' must be more than zero.")
    return per_second

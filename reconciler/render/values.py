"""Field values as a reviewer reads them: found by dotted path, shown as short JSON."""

from __future__ import annotations

import json
from typing import Any

MISSING = object()


def lookup(data: Any, path: str) -> Any:
    """The value at a dotted path of JSON-ready data, or MISSING."""
    value = data
    for name in path.split("."):
        if not isinstance(value, dict) or name not in value:
            return MISSING
        value = value[name]
    return value


def show(value: Any, width: int = 60) -> str:
    """A value as compact JSON, cut to `width` characters with the full length said when longer."""
    if value is MISSING:
        return "(none)"
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if len(text) <= width:
        return text
    return f"{text[: width - 1]}… ({len(text):,} characters)"


def change_of(change: dict[str, Any], path: str, width: int = 60) -> tuple[str, str]:
    """(before, after) of one changed field, as shown: excerpts around the first difference of
    long texts when the document has them, short JSON otherwise."""
    excerpt = change.get("excerpts", {}).get(path)
    if excerpt:
        return show(excerpt[0], 200), show(excerpt[1], 200)  # excerpts are short already
    return show(lookup(change["before"], path), width), show(lookup(change["after"], path), width)


def flat_fields(data: Any, names: list[str], prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted path, value) of the shown leaves of an object, skipping empty values."""
    found: list[tuple[str, Any]] = []
    if not isinstance(data, dict):
        return found
    for name in names:
        value = data.get(name)
        path = f"{prefix}{name}"
        if isinstance(value, dict):  # nested keys sorted: a saved plan's JSON has them sorted too
            found.extend(flat_fields(value, sorted(value), f"{path}."))
        elif value not in (None, [], ""):
            found.append((path, value))
    return found

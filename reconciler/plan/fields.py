"""Changed-field paths between two model values, as dotted names people can read.

deepdiff finds what differs between the `to_data` forms; its paths become `hit_type.reward`,
`max_assignments`, `keywords`. A list counts as one field: MTurk sets keywords and requirements
as a whole, and list positions mean nothing to a reviewer.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from deepdiff import DeepDiff

from reconciler.model import to_data


def dotted(path: Iterable[Any]) -> str:
    """`['hit_type', 'requirements', 0, 'comparator']` → `hit_type.requirements`."""
    names: list[str] = []
    for part in path:
        if not isinstance(part, str):
            break
        names.append(part)
    return ".".join(names)


def changed_fields(before: object, after: object, *, prefix: str = "") -> tuple[str, ...]:
    """Sorted dotted paths of the fields that differ between two model values (or their data)."""
    report = DeepDiff(to_data(before), to_data(after), view="tree")
    paths = {dotted(item.path(output_format="list")) for items in report.values() for item in items}
    # An empty path means the whole value changed (e.g. None → a value): name it by the prefix.
    return tuple(sorted(f"{prefix}.{p}" if prefix and p else (p or prefix or "value") for p in paths))


def leaf_paths(data: object, prefix: str = "") -> list[str]:
    """Dotted paths of every leaf of JSON-ready data (lists are leaves), in field order."""
    if not isinstance(data, dict):
        return [prefix] if prefix else []
    paths: list[str] = []
    for name, value in data.items():
        paths.extend(leaf_paths(value, f"{prefix}.{name}" if prefix else str(name)))
    return paths


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders `hit[2]` before `hit[10]`; ties broken by the text itself."""
    return tuple((0, int(part), part) if part.isdigit() else (1, 0, part) for part in _DIGITS.split(text) if part)

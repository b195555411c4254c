"""The plan for a terminal, Terraform-like: glyphs, one group per batch, a summary line.

Built only from the canonical plan document. Many changes of one action in one group (a batch
of 5,000 new HITs) are one line with a few examples unless `verbose`; plan errors come first,
destructive changes are marked. Colour (ANSI) only when the caller asks for it.
"""

from __future__ import annotations

from typing import Any

from reconciler.render.values import MISSING, change_of, flat_fields, show
from reconciler.render.wording import (
    LEGEND,
    NO_CHANGES,
    OUTCOMES,
    PHRASES,
    count,
    dollars,
    plural,
    summary_sentence,
    target_sentence,
    warning_sentences,
)

GROUP_AT = 3  # more changes of one action in one group than this are shown as one line
EXAMPLES = 3
INDENT = "      "
_COLOURS = {"+": "32", "~": "33", "-": "31", "±": "35", "!": "1;31", "bold": "1", "dim": "2"}


class Paint:
    """ANSI colour when enabled, plain text otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        code = _COLOURS.get(style)
        return f"\033[{code}m{text}\033[0m" if self.enabled and code else text


def render_text(doc: dict[str, Any], *, color: bool = False, verbose: bool = False) -> str:
    """The plan document as terminal text; the first line names the target."""
    paint = Paint(color)
    lines = [paint("bold", target_sentence(doc))]
    if not doc["changes"]:
        return "\n".join([*lines, "", NO_CHANGES]) + "\n"
    lines += _legend(doc)
    lines += _errors(doc, verbose, paint)
    by_group: dict[str, list[dict[str, Any]]] = {}
    for change in doc["changes"]:
        if not change["error"]:
            by_group.setdefault(change["group"], []).append(change)
    for group in doc["summary"]["groups"]:
        lines += _group(doc, group, by_group.get(group["group"], []), verbose, paint)
    lines += ["", paint("bold", summary_sentence(doc))]
    lines += [paint("!", f"! {w}") for w in warning_sentences(doc)]
    return "\n".join(lines) + "\n"


def _legend(doc: dict[str, Any]) -> list[str]:
    used = {change["glyph"] for change in doc["changes"]}
    shown = [f"{glyph} {meaning}" for glyph, meaning in LEGEND.items() if glyph in used]
    return ["", "Symbols: " + ", ".join(shown)]


def _errors(doc: dict[str, Any], verbose: bool, paint: Paint) -> list[str]:
    """Plan errors first; many rows of one group failing the same way are one entry with examples."""
    errors = [c for c in doc["changes"] if c["error"]]
    if not errors:
        return []
    lines = ["", paint("!", f"Plan errors ({count(len(errors))}): apply is refused until they are fixed.")]
    alike: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for change in errors:
        alike.setdefault((change["group"], change["action"], change["error"]), []).append(change)
    for (group, action, message), listed in alike.items():
        doing = action.replace("_", " ")
        if len(listed) > GROUP_AT and not verbose:
            names = [c["address"].removeprefix(group + ".") for c in listed[:EXAMPLES]]
            lines.append(paint("!", f"  ! {count(len(listed))} in {_title(doc, group)} cannot {doing}: "
                                    f"{', '.join(names)} and {count(len(listed) - len(names))} more"))
            lines.append(f"{INDENT}{message}")
            continue
        for change in listed:
            lines.append(paint("!", f"  ! {change['address']} cannot {doing}"))
            lines.append(f"{INDENT}{message}")
    return lines


def _title(doc: dict[str, Any], group: str) -> str:
    return next((g["title"] for g in doc["summary"]["groups"] if g["group"] == group), group)


def _group(
    doc: dict[str, Any], group: dict[str, Any], changes: list[dict[str, Any]], verbose: bool, paint: Paint
) -> list[str]:
    heading = f"{group['title']}:"
    if group["errors"]:
        heading += f" ({plural(group['errors'], 'error')} above)"
    lines = ["", paint("bold", heading)]
    by_action: dict[str, list[dict[str, Any]]] = {}
    for change in changes:
        by_action.setdefault(change["action"], []).append(change)
    for entry in group["actions"]:
        listed = by_action.get(entry["action"], [])
        if len(listed) > GROUP_AT and not verbose:
            lines += _grouped(doc, group, entry, listed, paint)
        else:
            for change in listed:
                lines += _change(doc, change, paint)
    return lines


def _grouped(
    doc: dict[str, Any], group: dict[str, Any], entry: dict[str, Any], listed: list[dict[str, Any]], paint: Paint
) -> list[str]:
    """One line for many changes of one action: count, cost, a few examples, and how to see all."""
    glyph = entry["glyph"]
    head = f"  {glyph} {count(entry['count'])} {PHRASES.get(entry['action'], entry['action'])}"
    if entry["cost"] != "0.00":
        head += f", cost {dollars(entry['cost'])}"
    if listed[0]["destructive"]:
        head += " (destructive)"
    prefix = group["group"] + "."
    names = [c["address"].removeprefix(prefix) for c in listed[:EXAMPLES]]
    more = len(listed) - len(names)
    lines = [paint(glyph, head), f"{INDENT}{', '.join(names)} and {count(more)} more (--verbose lists every one)"]
    first = listed[0]
    lines.append(paint("dim", f"{INDENT}# for example {first['address']}: {first['reason']}"))
    if first["field_diffs"] or first["before"] is None:  # a new HIT: show what the example will look like
        lines += [f"{INDENT}  {line}" for line in _field_lines(doc, first)]
    return lines


def _change(doc: dict[str, Any], change: dict[str, Any], paint: Paint) -> list[str]:
    glyph = change["glyph"]
    head = f"  {glyph} {change['address']} {OUTCOMES.get(change['action'], change['action'])}"
    if change["cost"] != "0.00":
        head += f", cost {dollars(change['cost'])}"
    if change["destructive"]:
        head += " (destructive)"
    lines = [paint(glyph, head)]
    if change["reason"]:
        lines.append(paint("dim", f"{INDENT}# {change['reason']}"))
    lines += [f"{INDENT}{line}" for line in _field_lines(doc, change)]
    return lines


def _field_lines(doc: dict[str, Any], change: dict[str, Any]) -> list[str]:
    """`path: old -> new` per changed field of an in-place change; every shown field of a new one."""
    before, after = change["before"], change["after"]
    if before is not None and after is not None:
        lines = [f"{path}: {' -> '.join(change_of(change, path))}" for path in change["field_diffs"]]
        if change["unchanged_fields"]:
            lines.append(f"({plural(change['unchanged_fields'], 'unchanged field')} hidden)")
        return lines
    if after is not None:
        names = doc.get("display_fields", {}).get(change["kind"], list(after))
        summaries = change.get("summaries", {})
        return [f"{path}: {summaries[path]}" if path in summaries else f"{path}: {show(value)}"
                for path, value in flat_fields(after, names) if value is not MISSING]
    return []

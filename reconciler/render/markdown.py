"""The plan as pull-request comments: a summary table, plan errors and destructive changes first,
then one collapsible `<details>` per batch listing every change.

GitHub refuses a comment over 65,536 characters, so a long plan is split into several comments,
each saying "part k of n"; a section too long for one comment continues in the next. Nothing is
ever cut off. Built only from the canonical plan document.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from reconciler.render.values import change_of
from reconciler.render.wording import (
    NO_CHANGES,
    count,
    dollars,
    plural,
    summary_sentence,
    warning_sentences,
)

LIMIT = 65_000
LISTED_ALIKE = 20  # above this, alike errors or destructive changes of a group are summarised (all are listed below)
VALUE_WIDTH = 40


@dataclass(frozen=True)
class Section:
    """A block of the comment; its lines may be spread over several comments if it is too long."""

    head: str
    lines: list[str] = field(default_factory=list)
    tail: str = ""
    continued: str = ""  # the head of its continuation in a later comment

    def text(self, lines: list[str] | None = None, head: str | None = None) -> str:
        chosen = self.lines if lines is None else lines
        return (self.head if head is None else head) + "".join(f"{line}\n" for line in chosen) + self.tail


def render_markdown(doc: dict[str, Any], *, limit: int = LIMIT) -> list[str]:
    """The plan as one or more Markdown comment bodies, each at most `limit` characters."""
    sections = [_overview(doc), *_errors(doc), *_destructive(doc)]
    changes_by_group: dict[str, list[dict[str, Any]]] = {}
    for change in doc["changes"]:
        changes_by_group.setdefault(change["group"], []).append(change)
    sections += [_details(group, changes_by_group.get(group["group"], [])) for group in doc["summary"]["groups"]]
    return _split(sections, doc, limit)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _code(text: str) -> str:
    return f"<code>{_esc(text)}</code>"


def _overview(doc: dict[str, Any]) -> Section:
    summary = doc["summary"]
    head = f"## Reconciler plan for {_code(doc['project'])} on {_code(doc['target'])}\n\n"
    if doc.get("endpoint"):
        head += f"Endpoint: {_code(doc['endpoint'])}\n\n"
    if not doc["changes"]:
        return Section(head + f"{NO_CHANGES}\n")
    head += f"**{_esc(summary_sentence(doc))}**\n\n"
    rows = ["| | Action | Count | Cost |", "| :-: | --- | ---: | ---: |"]
    rows += [f"| `{a['glyph']}` | {a['action']} | {count(a['count'])} | {dollars(a['cost'])} |" for a in summary["actions"]]
    if summary["errors"]:
        rows.append(f"| `!` | plan errors | {count(summary['errors'])} | |")
    rows.append(f"| | **Total** | **{count(summary['changes'])}** | **{dollars(doc['total_cost'])}** |")
    warnings = "".join(f"> **Warning:** {_esc(w)}\n" for w in warning_sentences(doc))
    return Section(head + "\n".join(rows) + "\n" + (f"\n{warnings}" if warnings else ""))


def _errors(doc: dict[str, Any]) -> list[Section]:
    """Every plan error with its message; many rows of a group failing alike are one entry
    (each of them is still listed, marked `!`, in its group below)."""
    errors = [c for c in doc["changes"] if c["error"]]
    if not errors:
        return []
    alike: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for change in errors:
        alike.setdefault((change["group"], change["action"], change["error"]), []).append(change)
    titles = {g["group"]: g["title"] for g in doc["summary"]["groups"]}
    lines = []
    for (group, action, message), listed in alike.items():
        if len(listed) == 1:
            lines.append(f"- `!` {_code(listed[0]['address'])} ({action}): {_esc(message)}")
            continue
        shown = listed if len(listed) <= LISTED_ALIKE else listed[:3]
        names = ", ".join(_code(c["address"]) for c in shown)
        rest = "" if shown is listed else f" and {count(len(listed) - len(shown))} more, every one listed below"
        lines.append(f"- `!` {count(len(listed))} in {_esc(titles.get(group, group))} ({action}): {names}{rest}. "
                     f"{_esc(message)}")
    return [Section(f"### Plan errors ({count(len(errors))}): apply is refused until they are fixed\n\n", lines, "",
                    "### Plan errors (continued)\n\n")]


def _destructive(doc: dict[str, Any]) -> list[Section]:
    """Every destructive change, or per group and action a count with examples when there are many."""
    if not doc["summary"]["destructive"]:
        return []
    listed: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for change in doc["changes"]:
        if change["destructive"] and not change["error"]:
            listed.setdefault((change["group"], change["action"]), []).append(change)
    titles = {g["group"]: g["title"] for g in doc["summary"]["groups"]}
    lines: list[str] = []
    for (group, action), changes in listed.items():
        if len(changes) <= LISTED_ALIKE:
            lines += [f"- `{c['glyph']}` {_code(c['address'])} {action}: {_esc(c['reason'])}" for c in changes]
            continue
        examples = ", ".join(_code(c["address"]) for c in changes[:3])
        lines.append(
            f"- `{changes[0]['glyph']}` {count(len(changes))} in {_esc(titles.get(group, group))} to {action}, "
            f"for example {examples} ({_esc(changes[0]['reason'])}); every one is listed below"
        )
    title = f"### Destructive changes ({count(doc['summary']['destructive'])})\n\n"
    return [Section(title, lines, "", "### Destructive changes (continued)\n\n")]


def _details(group: dict[str, Any], changes: list[dict[str, Any]]) -> Section:
    """One collapsible block per group, one diff line per change."""
    parts = [f"{count(a['count'])} to {a['action'].replace('_', ' ')}" for a in group["actions"]]
    if group["errors"]:
        parts.append(plural(group["errors"], "error"))
    if group["cost"] != "0.00":
        parts.append(dollars(group["cost"]))
    lines = [_line(c) for c in changes]
    fence = "`" * max(3, 1 + max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0))
    title = f"<b>{_esc(group['title'])}</b>: {_esc(', '.join(parts))}"
    return Section(
        f"<details><summary>{title}</summary>\n\n{_new_hit_example(changes)}{fence}diff\n",
        lines,
        f"{fence}\n\n</details>\n",
        f"<details><summary>{title} (continued)</summary>\n\n{fence}diff\n",
    )


def _new_hit_example(changes: list[dict[str, Any]]) -> str:
    """What the group's new HITs look like (the first one), so a reviewer sees title, pay and question."""
    first = next((c for c in changes if c["kind"] == "hit" and c["before"] is None and c["after"]), None)
    if first is None:
        return ""
    hit, summaries = first["after"], first.get("summaries", {})
    hit_type = hit["hit_type"]
    lines = [
        f"New HITs, for example {_code(first['address'])}: **{_esc(hit_type['title'])}**, "
        f"reward {dollars(hit_type['reward'])}, {hit['max_assignments']} assignment(s) each, "
        f"expiring {_esc(hit['expires_at'])}",
    ]
    if "question" in summaries:
        lines.append(f"- question: {_esc(summaries['question'])}")
    if "hit_type.requirements" in summaries:
        lines.append(f"- requirements: {_esc(summaries['hit_type.requirements'])}")
    return "\n".join(lines) + "\n\n"


def _line(change: dict[str, Any]) -> str:
    glyph = "!" if change["error"] else change["glyph"]
    text = f"{glyph} {change['address']}  {change['action']}"
    if change["before"] is not None and change["after"] is not None and change["field_diffs"]:
        text += ": " + "; ".join(f"{p} {' → '.join(change_of(change, p, VALUE_WIDTH))}" for p in change["field_diffs"])
    if change["cost"] != "0.00":
        text += f"  ({dollars(change['cost'])})"
    if change["destructive"]:
        text += "  [destructive]"
    if change["error"]:
        text += "  [plan error, see above]"
    return text


def _split(sections: list[Section], doc: dict[str, Any], limit: int) -> list[str]:
    """Pack the sections into as few comments as fit in `limit` characters each."""
    whole = "\n".join(s.text() for s in sections)
    if len(whole) <= limit:
        return [whole]
    budget = limit - len(_part_header(doc, 99_999, 99_999)) - len(_part_footer(99_999, 99_999))
    parts: list[str] = []
    current = ""
    for section in sections:
        current = _place(section, current, parts, budget)
    parts.append(current)
    total = len(parts)
    return [
        _part_header(doc, k, total) + part + (_part_footer(k, total) if k < total else "")
        for k, part in enumerate(parts, start=1)
    ]


def _place(section: Section, current: str, parts: list[str], budget: int) -> str:
    """Add a section to the comment being filled; a section too long for one comment fills it
    line by line and continues in the next. Finished comments go to `parts`."""
    text = section.text()
    if len(current) + 1 + len(text) <= budget:
        return f"{current}\n{text}" if current else text
    if len(text) <= budget:  # it fits a comment of its own: keep it whole
        parts.append(current)
        return text
    head = section.head
    room = budget - max(len(section.head), len(section.continued)) - len(section.tail) - 1
    chunk: list[str] = []
    size = 0
    for line in (part for line in section.lines for part in _fragments(line, room)):
        used = len(current) + 1 + len(head) + size + len(line) + 1 + len(section.tail)
        if used > budget and (chunk or current):
            if chunk:
                current = _joined(current, section.text(chunk, head))
            parts.append(current)
            current, head, chunk, size = "", section.continued or section.head, [], 0
        chunk.append(line)
        size += len(line) + 1
    return _joined(current, section.text(chunk, head))


def _joined(current: str, text: str) -> str:
    return f"{current}\n{text}" if current else text


def _fragments(line: str, room: int) -> list[str]:
    """A line longer than a whole comment, in consecutive fragments (kept whole, never dropped)."""
    return [line[i : i + room] for i in range(0, len(line), room)] or [""]


def _part_header(doc: dict[str, Any], k: int, n: int) -> str:
    return f"**Reconciler plan for {_code(doc['project'])} on {_code(doc['target'])}: part {k} of {n}**\n\n"


def _part_footer(k: int, n: int) -> str:
    return f"\n_Continued in part {k + 1} of {n}._\n"

"""The canonical plan document: the one dict that saved plans, `--format json` and every
renderer are made from, so text, Markdown and JSON can never disagree.

It holds every field of the Plan and its Changes, plus what the renderers need precomputed so
they only format: per change its glyph, its group and how many unchanged fields it hides; for
the plan the counts and costs per action and per group, and whether it passes the budget or
the balance. Loading a plan reads the Plan's own fields and ignores the derived ones.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Iterable
from xml.sax.saxutils import unescape

from reconciler.model import to_data
from reconciler.plan import blocks, grants, hits, qualification_types
from reconciler.plan.addresses import batch_address
from reconciler.plan.changes import Action, Change, Plan
from reconciler.plan.cost import ZERO, spend_check
from reconciler.plan.fields import leaf_paths
from reconciler.plan.normalise import normalise_question

# The fields worth showing per kind (the rest are MTurk's IDs and counters, or manifest settings).
DISPLAY_FIELDS: dict[str, tuple[str, ...]] = {
    qualification_types.KIND: qualification_types.FIELDS,
    grants.KIND: grants.FIELDS,
    blocks.KIND: blocks.FIELDS,
    hits.KIND: hits.FIELDS,
}
XML_FIELDS = ("question", "test", "answer_key")
EXCERPT_FROM = 60  # texts longer than this get excerpts
EXCERPT_CONTEXT = 20  # characters kept before the first difference
EXCERPT_LENGTH = 60
_GROUP_TITLES = {qualification_types.KIND: "Qualification types", grants.KIND: "Grants", blocks.KIND: "Worker blocks"}
_GROUP_IDS = {qualification_types.KIND: "qualification_types", grants.KIND: "grants", blocks.KIND: "blocks"}


def time_text(moment: datetime | None) -> str | None:
    """An aware datetime as ISO-8601 UTC with 'Z' (sub-seconds kept), or None."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def plan_document(plan: Plan) -> dict[str, Any]:
    """The canonical JSON-ready document of a plan (what `plan_to_json` writes)."""
    check = spend_check(plan)
    return {
        "format_version": plan.format_version,
        "tool_version": plan.tool_version,
        "plan_id": plan.plan_id,
        "created_at": time_text(plan.created_at),
        "project": plan.project,
        "target": plan.target,
        "endpoint": plan.endpoint,
        "manifest_digest": plan.manifest_digest,
        "fingerprints": dict(plan.fingerprints),
        "balance": to_data(plan.balance),
        "budget": to_data(plan.budget),
        "total_cost": to_data(plan.total_cost),
        "replace": list(plan.replace),
        "changes": [change_document(c) for c in plan.changes],
        "summary": {
            "changes": sum(1 for c in plan.changes if not c.error),
            "errors": sum(1 for c in plan.changes if c.error),
            "destructive": sum(1 for c in plan.changes if c.destructive and not c.error),
            "actions": _action_counts(plan.changes),
            "groups": _groups(plan.changes),
            "over_budget": check.over_budget,
            "over_balance": check.over_balance,
            "spend_problem": check.message,
        },
        "display_fields": {kind: list(fields) for kind, fields in DISPLAY_FIELDS.items()},
    }


def change_document(change: Change) -> dict[str, Any]:
    """One change: its own fields plus `glyph`, `group` and `unchanged_fields` for display."""
    return {
        "address": change.address,
        "action": change.action.value,
        "kind": change.kind,
        "before": to_data(change.before),
        "after": to_data(change.after),
        "field_diffs": list(change.field_diffs),
        "destructive": change.destructive,
        "reason": change.reason,
        "cost": to_data(change.cost),
        "error": change.error,
        "glyph": change.action.glyph,
        "group": group_of(change)[0],
        "unchanged_fields": unchanged_fields(change),
        "excerpts": excerpts(change),
        "summaries": summaries(change),
    }


def group_of(change: Change) -> tuple[str, str]:
    """(id, title) of the group a change is shown in: its batch for HITs, else its kind."""
    if change.kind == hits.KIND:
        value = change.after if change.after is not None else change.before
        batch = str(getattr(value, "batch", ""))
        return batch_address(batch), f"Batch {batch}"
    return _GROUP_IDS.get(change.kind, change.kind), _GROUP_TITLES.get(change.kind, change.kind)


def unchanged_fields(change: Change) -> int:
    """How many shown fields an in-place change leaves as they are (0 for creates and removals)."""
    if change.before is None or change.after is None:
        return 0
    data = to_data(change.after)
    if not isinstance(data, dict):
        return 0
    shown = {name: data[name] for name in DISPLAY_FIELDS.get(change.kind, tuple(data)) if name in data}
    changed = set(change.field_diffs)
    return sum(1 for path in leaf_paths(shown) if path not in changed)


def excerpts(change: Change) -> dict[str, list[str]]:
    """For each changed long text (a question, a test), both sides around their first difference,
    so a reviewer sees what changed rather than two identical openings."""
    if change.before is None or change.after is None:
        return {}
    found = {}
    for path in change.field_diffs:
        old, new = getattr(change.before, path, None), getattr(change.after, path, None)
        if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > EXCERPT_FROM:
            if path in XML_FIELDS:
                old, new = normalise_question(old), normalise_question(new)
            found[path] = _around_difference(old, new)
    return found


def summaries(change: Change) -> dict[str, str]:
    """A one-line account of a new HIT's question, for reviewers: the URL of an ExternalQuestion
    (the part that matters, which a truncated XML string would hide), else the format and size."""
    question = getattr(change.after, "question", None) if change.before is None else None
    if not isinstance(question, str):
        return {}
    found = {"question": question_summary(question)}
    hit_type = getattr(change.after, "hit_type", None)
    if hit_type is not None and hit_type.requirements:
        found["hit_type.requirements"] = "; ".join(requirement_summary(r) for r in hit_type.requirements)
    return found


_COMPARATORS = {"LessThan": "<", "LessThanOrEqualTo": "<=", "GreaterThan": ">", "GreaterThanOrEqualTo": ">=",
                "EqualTo": "=", "NotEqualTo": "!=", "In": "in", "NotIn": "not in",
                "Exists": "exists", "DoesNotExist": "does not exist"}


def requirement_summary(requirement: Any) -> str:
    """`english >= 80`, `Locale in US, CA`, `Masters exists`, plus what is guarded when not Accept."""
    values = [str(v) for v in requirement.integer_values] + [
        f"{loc.country}-{loc.subdivision}" if loc.subdivision else loc.country for loc in requirement.locale_values
    ]
    text = f"{requirement.qualification} {_COMPARATORS.get(requirement.comparator, requirement.comparator)}"
    text += f" {', '.join(values)}" if values else ""
    if requirement.actions_guarded != "Accept":
        text += f" (guards {requirement.actions_guarded})"
    return text


def question_summary(xml: str) -> str:
    """`ExternalQuestion <url> (frame height N)` or `HTMLQuestion, N bytes (frame height N)`."""
    root = re.search(r"<(ExternalQuestion|HTMLQuestion|QuestionForm)\b", xml)
    kind = root.group(1) if root else "Question"
    frame = re.search(r"<FrameHeight>\s*(\d+)\s*</FrameHeight>", xml)
    tail = f" (frame height {frame.group(1)})" if frame else ""
    url = re.search(r"<ExternalURL>\s*(.*?)\s*</ExternalURL>", xml, re.S)
    if kind == "ExternalQuestion" and url:
        return f"ExternalQuestion {unescape(url.group(1))}{tail}"
    return f"{kind}, {len(xml.encode('utf-8')):,} bytes{tail}"


def _around_difference(old: str, new: str) -> list[str]:
    same = 0
    while same < min(len(old), len(new)) and old[same] == new[same]:
        same += 1
    start = max(0, same - EXCERPT_CONTEXT)
    return [_excerpt(old, start), _excerpt(new, start)]


def _excerpt(text: str, start: int) -> str:
    end = start + EXCERPT_LENGTH
    return f"{'…' if start else ''}{text[start:end]}{'…' if end < len(text) else ''}"


def _action_counts(changes: Iterable[Change]) -> list[dict[str, Any]]:
    """Count and cost per action of the changes that can be made, in Action order, non-zero only."""
    counts: dict[Action, int] = {}
    costs: dict[Action, Decimal] = {}
    for change in changes:
        if change.error:
            continue
        counts[change.action] = counts.get(change.action, 0) + 1
        costs[change.action] = costs.get(change.action, ZERO) + change.cost
    return [
        {"action": a.value, "glyph": a.glyph, "count": counts[a], "cost": to_data(costs[a])}
        for a in Action
        if a in counts
    ]


def _groups(changes: tuple[Change, ...]) -> list[dict[str, Any]]:
    """Per group, in plan order: its title, action counts and costs, errors and destructive changes."""
    members: dict[str, list[Change]] = {}
    titles: dict[str, str] = {}
    for change in changes:
        group, title = group_of(change)
        members.setdefault(group, []).append(change)
        titles[group] = title
    return [
        {
            "group": group,
            "title": titles[group],
            "changes": sum(1 for c in listed if not c.error),
            "errors": sum(1 for c in listed if c.error),
            "destructive": sum(1 for c in listed if c.destructive and not c.error),
            "cost": to_data(sum((c.cost for c in listed if not c.error), start=ZERO)),
            "actions": _action_counts(listed),
        }
        for group, listed in members.items()
    ]

"""Saved plans: the canonical JSON of a plan, and a Plan back from it, without loss.

The JSON is `plan_document` dumped with sorted keys and fixed indentation, so the same plan
always gives the same bytes. Loading decodes each change's before/after by the change's `kind`
(a union annotation alone would pick the wrong class) and turns any malformed input into one
PlanFileError sentence.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from reconciler.errors import PlanFileError
from reconciler.model import from_data
from reconciler.plan.changes import FORMAT_VERSION, KINDS, Action, Change, Plan
from reconciler.plan.document import plan_document

__all__ = ["canonical_json", "plan_document", "plan_from_document", "plan_from_json", "plan_to_json"]


def canonical_json(doc: dict[str, Any]) -> str:
    """The one textual form of a plan document: sorted keys, two-space indent, UTF-8, final newline."""
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def plan_to_json(plan: Plan) -> str:
    """The plan as canonical JSON (what `plan --out` writes and `--format json` prints)."""
    return canonical_json(plan_document(plan))


def plan_from_json(text: str, *, source: str = "the plan file") -> Plan:
    """The Plan a saved plan holds. Raises PlanFileError with one sentence on bad input."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}).") from None
    return plan_from_document(doc, source=source)


def plan_from_document(doc: object, *, source: str = "the plan file") -> Plan:
    """The Plan of a plan document (see plan_document); derived display fields are ignored."""
    if not isinstance(doc, dict):
        raise PlanFileError(f"{source} is not a reconciler plan (it is not a JSON object).")
    version = doc.get("format_version")
    if version != FORMAT_VERSION:
        raise PlanFileError(
            f"{source} has plan format {version!r}, but this reconciler reads format {FORMAT_VERSION}: make the plan again."
        )
    try:
        return _plan(doc)
    except PlanFileError:
        raise
    except KeyError as exc:
        raise PlanFileError(f"{source} is not a complete reconciler plan: the field {exc.args[0]!r} is missing.") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise PlanFileError(f"{source} is not a valid reconciler plan: {exc}.") from None


def _plan(doc: dict[str, Any]) -> Plan:
    changes = doc["changes"]
    fingerprints = doc.get("fingerprints") or {}
    if not isinstance(changes, list) or not isinstance(fingerprints, dict):
        raise TypeError("'changes' must be a list and 'fingerprints' an object")
    return Plan(
        changes=tuple(_change(item) for item in changes),
        project=_text(doc["project"]),
        target=_text(doc.get("target", "local")),
        endpoint=_optional_text(doc.get("endpoint")),
        manifest_digest=_text(doc.get("manifest_digest", "")),
        fingerprints={_text(k): _text(v) for k, v in fingerprints.items()},
        plan_id=_text(doc.get("plan_id", "")),
        created_at=_time(doc.get("created_at")),
        tool_version=_text(doc.get("tool_version", "")),
        balance=_money(doc.get("balance")),
        budget=_money(doc.get("budget")),
        total_cost=_amount(doc["total_cost"]),
        replace=tuple(_text(r) for r in _list(doc.get("replace", []))),
        format_version=FORMAT_VERSION,
    )


def _change(item: object) -> Change:
    if not isinstance(item, dict):
        raise TypeError("every change must be an object")
    kind = _text(item["kind"])
    model = KINDS.get(kind)
    if model is None:
        raise ValueError(f"unknown change kind {kind!r}")
    address, error = _text(item["address"]), item.get("error")
    return Change(
        address=address,
        action=Action(item["action"]),
        kind=kind,
        before=_value(model, item.get("before"), f"the 'before' of {address}"),
        after=_value(model, item.get("after"), f"the 'after' of {address}"),
        field_diffs=tuple(_text(f) for f in item.get("field_diffs", ())),
        destructive=bool(item.get("destructive", False)),
        reason=_text(item.get("reason", "")),
        cost=_amount(item.get("cost", "0.00")),
        error=None if error is None else _text(error),
    )


def _value(model: type, data: object, where: str) -> Any:
    """A change's before/after as its kind's model class (None stays None)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError(f"{where} is not an object")
    try:
        return from_data(model, data)
    except (TypeError, KeyError) as exc:
        raise ValueError(f"{where} is not a complete {model.__name__} ({exc})") from None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _money(value: object) -> Decimal | None:
    return None if value is None else _amount(value)


def _amount(value: object) -> Decimal:
    """A finite decimal amount written as text (a NaN would make every budget comparison fail)."""
    return from_data(Decimal, _text(value))


def _time(value: object) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(_text(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"the time {value!r} has no time zone")
    return moment


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, not {type(value).__name__}")
    return value

"""HIT types: CreateHITType, idempotent by value.

MTurk answers CreateHITType with the existing HITTypeId when the values match an existing type.
Which spellings count as "the same" is unconfirmed; the emulator compares a canonical form:
the reward in cents ("0.5" ≡ "0.50"), the keyword *set* (order, spacing and repeats ignored),
the requirements in any order with `RequiredToPreview: true` ≡ `ActionsGuarded:
PreviewAndAccept` and neither ≡ `Accept`. The first spelling of keywords is what GetHIT echoes.
"""

from __future__ import annotations

import json
import sqlite3

from .context import Context, new_id, operation
from .errors import (
    HIT_TYPE_DOES_NOT_EXIST,
    INVALID_PARAMETER,
    QUALIFICATION_TYPE_DOES_NOT_EXIST,
    parameter_error,
    range_error,
    request_error,
)
from .money import parse_cents
from .system_quals import LOCALE_ID, is_masters, system_type_ids

MAX_DURATION = 31_536_000  # one year
DEFAULT_AUTO_APPROVAL_DELAY = 2_592_000  # 30 days, also the maximum
MAX_REQUIREMENTS = 10
TEXT_LIMITS = {"Title": 128, "Description": 2000, "Keywords": 1000}
SINGLE_VALUE = {"LessThan", "LessThanOrEqualTo", "GreaterThan", "GreaterThanOrEqualTo"}
EQUALITY = {"EqualTo", "NotEqualTo"}
SET_MEMBERSHIP = {"In", "NotIn"}
PRESENCE = {"Exists", "DoesNotExist"}


def check_length(name: str, value: str | None, limit: int) -> None:
    """ParameterValidationError when a text field is longer than MTurk accepts."""
    if value is not None and len(value) > limit:
        raise parameter_error(
            f"Value '{value[:40]}...' at '{name}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {limit}"
        )


def check_range(name: str, value: int | None, low: int, high: int) -> None:
    """ParameterValidationError in MTurk's words when a number is outside [low, high]."""
    if value is not None and not low <= value <= high:
        raise range_error(name, value, low, high)


def normalise_requirement(ctx: Context, req: dict) -> dict:
    """Check one QualificationRequirement and return it as the service echoes it."""
    type_id = req["QualificationTypeId"]
    comparator = req["Comparator"]
    integers = req.get("IntegerValues") or []
    locales = req.get("LocaleValues") or []
    _check_type_exists(ctx, type_id)
    _check_values(type_id, comparator, integers, locales)
    if "ActionsGuarded" in req and "RequiredToPreview" in req:
        raise request_error("A QualificationRequirement cannot set both ActionsGuarded and "
                            "RequiredToPreview.", INVALID_PARAMETER)
    guarded = req.get("ActionsGuarded") or (
        "PreviewAndAccept" if req.get("RequiredToPreview") else "Accept"
    )
    echoed: dict = {"QualificationTypeId": type_id, "Comparator": comparator}
    if integers:
        echoed["IntegerValues"] = list(integers)
    if locales:
        echoed["LocaleValues"] = [_locale(value) for value in locales]
    echoed["RequiredToPreview"] = guarded != "Accept"
    echoed["ActionsGuarded"] = guarded
    return echoed


def _locale(value: dict) -> dict:
    locale = {"Country": value["Country"].upper()}
    if value.get("Subdivision"):
        locale["Subdivision"] = value["Subdivision"].upper()
    return locale


def _check_type_exists(ctx: Context, type_id: str) -> None:
    if type_id in system_type_ids(ctx.sandbox):
        return
    row = ctx.conn.execute(
        "SELECT 1 FROM qual_types WHERE id = ? AND realm = 'own' AND deleted IS NULL", (type_id,)
    ).fetchone()
    if row is None:
        raise request_error(f"QualificationType {type_id} does not exist.",
                            QUALIFICATION_TYPE_DOES_NOT_EXIST)


def _check_values(type_id: str, comparator: str, integers: list, locales: list) -> None:
    def fail(why: str) -> None:
        raise request_error(f"The QualificationRequirement for {type_id} with comparator "
                            f"{comparator} is invalid: {why}.", INVALID_PARAMETER)

    if locales and type_id != LOCALE_ID:
        fail("LocaleValues are only allowed with the Worker_Locale qualification")
    if integers and type_id == LOCALE_ID:
        fail("IntegerValues are not allowed with the Worker_Locale qualification")
    if integers and locales:
        fail("give IntegerValues or LocaleValues, not both")
    count = len(integers) + len(locales)
    if comparator in PRESENCE and count:
        fail("Exists and DoesNotExist take no values")
    if comparator in SINGLE_VALUE and (len(integers) != 1 or locales):
        fail("exactly one IntegerValue is required")
    if comparator in EQUALITY and count != 1:
        fail("exactly one IntegerValue or one LocaleValue is required")
    if comparator in SET_MEMBERSHIP and (count == 0 or len(integers) > 15 or len(locales) > 30):
        fail("In and NotIn take 1 to 15 IntegerValues or 1 to 30 LocaleValues")


def keyword_set(keywords: str | None) -> list[str]:
    """Keywords as a sorted set of trimmed, lower-cased words (the canonical comparison form)."""
    words = {word.strip().lower() for word in (keywords or "").split(",")}
    return sorted(word for word in words if word)


def canonical_form(props: dict) -> str:
    """The JSON text two HIT types share exactly when MTurk treats them as identical."""
    requirements = sorted(json.dumps(_canonical_requirement(r), sort_keys=True)
                          for r in props["requirements"])
    return json.dumps([props["title"], props["description"], props["reward_cents"],
                       props["assignment_duration"], props["auto_approval_delay"],
                       keyword_set(props["keywords"]), requirements], separators=(",", ":"))


def _canonical_requirement(req: dict) -> dict:
    canon = dict(req)
    canon.pop("RequiredToPreview", None)
    canon["IntegerValues"] = sorted(req.get("IntegerValues") or [])
    canon["LocaleValues"] = sorted((loc["Country"], loc.get("Subdivision", ""))
                                   for loc in req.get("LocaleValues") or [])
    return canon


def type_properties(ctx: Context, params: dict) -> dict:
    """Validate the HIT-type members of a CreateHITType/CreateHIT request; return them stored."""
    for name, limit in TEXT_LIMITS.items():
        check_length(name, params.get(name), limit)
    check_range("AssignmentDurationInSeconds", params["AssignmentDurationInSeconds"], 30,
                MAX_DURATION)
    delay = params.get("AutoApprovalDelayInSeconds", DEFAULT_AUTO_APPROVAL_DELAY)
    check_range("AutoApprovalDelayInSeconds", delay, 0, DEFAULT_AUTO_APPROVAL_DELAY)
    requirements = params.get("QualificationRequirements") or []
    if len(requirements) > MAX_REQUIREMENTS:
        raise range_error("QualificationRequirements", len(requirements), 0, MAX_REQUIREMENTS)
    return {
        "title": params["Title"],
        "description": params["Description"],
        "reward_cents": parse_cents(params["Reward"]),
        "assignment_duration": params["AssignmentDurationInSeconds"],
        "auto_approval_delay": delay,
        "keywords": params.get("Keywords") or "",
        "requirements": [normalise_requirement(ctx, req) for req in requirements],
    }


def resolve_hit_type(ctx: Context, params: dict) -> sqlite3.Row:
    """The HIT type with these properties: the existing one, or a new one."""
    props = type_properties(ctx, params)
    canon = canonical_form(props)
    row = ctx.conn.execute("SELECT * FROM hit_types WHERE canon = ? AND deleted = 0",
                           (canon,)).fetchone()
    if row is not None:
        return row
    type_id = new_id()
    masters = any(is_masters(r["QualificationTypeId"]) for r in props["requirements"])
    ctx.conn.execute(
        "INSERT INTO hit_types (id, group_id, canon, title, description, reward_cents,"
        " assignment_duration, auto_approval_delay, keywords, requirements, masters, created)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (type_id, new_id(), canon, props["title"], props["description"], props["reward_cents"],
         props["assignment_duration"], props["auto_approval_delay"], props["keywords"],
         json.dumps(props["requirements"]), int(masters), ctx.ts),
    )
    ctx.conn.executemany(
        "INSERT OR IGNORE INTO hit_type_quals (hit_type_id, qual_type_id) VALUES (?, ?)",
        [(type_id, r["QualificationTypeId"]) for r in props["requirements"]],
    )
    return get_hit_type(ctx, type_id)


def get_hit_type(ctx: Context, type_id: str) -> sqlite3.Row:
    """A usable HIT type, or the RequestError MTurk gives for an unknown one."""
    row = ctx.conn.execute("SELECT * FROM hit_types WHERE id = ? AND deleted = 0",
                           (type_id,)).fetchone()
    if row is None:
        raise request_error(f"Hit type {type_id} does not exist.", HIT_TYPE_DOES_NOT_EXIST)
    return row


@operation("CreateHITType")
def create_hit_type(ctx: Context, params: dict) -> dict:
    """Return the ID of the HIT type with these values, creating it only if none matches."""
    return {"HITTypeId": resolve_hit_type(ctx, params)["id"]}

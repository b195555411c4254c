"""Saved plans: canonical JSON, lossless round trip, one clear sentence on bad input."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from decimal import Decimal

import pytest

from plan_cases import NOW, english, english_live, listed, row
from reconciler.errors import PlanFileError
from reconciler.model import Grant, Lifecycle, Locale, Requirement, WorkerBlock
from reconciler.plan.changes import Action, Change, Plan
from reconciler.plan.serialize import plan_document, plan_from_json, plan_to_json

LOCALES = Requirement("Locale", "In", system=True, locale_values=(Locale("US"), Locale("CA", "QC")))


def every_action_plan() -> Plan:
    """One change of every Action, with real before/after values and plan metadata filled in."""
    hit = listed("1", hit_type=dataclasses.replace(listed("1").hit_type, requirements=(LOCALES,)))
    grown = dataclasses.replace(hit, max_assignments=5)
    guarded = english(lifecycle=Lifecycle(prevent_destroy=True, ignore_changes=("description",)), retry_delay=60)
    changes = (
        Change("qualification_type.english", Action.CREATE, "qualification_type", after=guarded, reason="new"),
        Change("qualification_type.english", Action.UPDATE, "qualification_type", before=english_live(),
               after=english_live(description="New"), field_diffs=("description",), reason="changed"),
        Change("qualification_type.english", Action.REPLACE, "qualification_type", before=english_live(),
               after=english(keywords=("x",)), field_diffs=("keywords",), destructive=True, reason="keywords"),
        Change("qualification_type.old", Action.DELETE, "qualification_type", before=english_live(name="old"), destructive=True),
        Change("qualification_type.english.grant[A1]", Action.GRANT, "grant", after=Grant("english", "A1", 90)),
        Change("qualification_type.english.grant[A2]", Action.REVOKE, "grant", before=Grant("english", "A2", 10)),
        Change("block[A3]", Action.BLOCK, "block", after=WorkerBlock("A3", "spam")),
        Change("block[A4]", Action.UNBLOCK, "block", before=WorkerBlock("A4", "spam")),
        Change("batch.tweets.hit[2]", Action.CREATE, "hit", after=row("2"), cost=Decimal("0.18")),
        Change("batch.tweets.hit[1]", Action.RETYPE, "hit", before=hit, after=dataclasses.replace(hit, hit_type_id=None),
               field_diffs=("hit_type.requirements",), cost=Decimal("0.00")),
        Change("batch.tweets.hit[1]", Action.ADD_ASSIGNMENTS, "hit", before=hit, after=grown, field_diffs=("max_assignments",),
               cost=Decimal("0.12"), error="MTurk cannot do this."),
        Change("batch.tweets.hit[1]", Action.EXTEND, "hit", before=hit,
               after=dataclasses.replace(hit, expires_at=hit.expires_at + timedelta(days=1)), field_diffs=("expires_at",)),
        Change("batch.tweets.hit[3]#0", Action.EXPIRE, "hit", before=listed("3"), reason="older generation"),
        Change("batch.tweets.hit[4]", Action.REPLACE, "hit", before=listed("4"), after=row("4", generation=1),
               field_diffs=("question",), destructive=True, cost=Decimal("0.18")),
    )
    return Plan(
        changes=changes,
        project="acme",
        target="sandbox",
        endpoint="https://mturk-requester-sandbox.us-east-1.amazonaws.com",
        manifest_digest="sha256:abc",
        fingerprints={"batch.tweets.hit[1]": "0123456789abcdef", "account": "fedcba9876543210"},
        plan_id="5f0c",
        created_at=NOW + timedelta(microseconds=250),
        tool_version="0.1.0",
        balance=Decimal("10000.00"),
        budget=Decimal("250.00"),
        total_cost=Decimal("0.36"),
    )


def test_every_action_survives_the_round_trip() -> None:
    plan = every_action_plan()
    assert {c.action for c in plan.changes} == set(Action)
    assert plan_from_json(plan_to_json(plan)) == plan


def test_an_empty_plan_survives_the_round_trip() -> None:
    plan = Plan(changes=(), project="acme", plan_id="1", fingerprints={"account": "0" * 16}, created_at=NOW)
    assert plan_from_json(plan_to_json(plan)) == plan


def test_the_json_is_canonical() -> None:
    text = plan_to_json(every_action_plan())
    assert text == plan_to_json(every_action_plan())
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    doc = json.loads(text)
    assert doc["format_version"] == 1
    assert set(doc["changes"][0]) >= {"address", "action", "kind", "before", "after", "field_diffs", "destructive",
                                      "reason", "cost", "error"}


def test_the_document_holds_what_renderers_need() -> None:
    doc = plan_document(every_action_plan())
    summary = doc["summary"]
    assert (summary["changes"], summary["errors"], summary["destructive"]) == (13, 1, 3)
    assert [a["action"] for a in summary["actions"]][:3] == ["create", "update", "retype"]
    assert [g["group"] for g in summary["groups"]] == ["qualification_types", "grants", "blocks", "batch.tweets"]
    retype = doc["changes"][9]
    assert (retype["glyph"], retype["group"], retype["unchanged_fields"]) == ("~", "batch.tweets", 12)
    assert summary["over_budget"] is False and summary["spend_problem"] is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "the plan file is not valid JSON (line 1, column 2)."),
        ("[1, 2]", "the plan file is not a reconciler plan (it is not a JSON object)."),
        ('{"format_version": 99}', "the plan file has plan format 99, but this reconciler reads format 1: make the plan again."),
        ('{"format_version": 1, "project": "acme"}', "the plan file is not a complete reconciler plan: the field 'changes' is missing."),
    ],
)
def test_bad_input_is_one_sentence(text: str, says: str) -> None:
    with pytest.raises(PlanFileError) as raised:
        plan_from_json(text)
    assert str(raised.value) == says


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("changes", 0, "kind"), "hit_type"),
        (("changes", 0, "action"), "destroy"),
        (("changes", 8, "cost"), "a lot"),
        (("changes", 8, "after"), {"batch": "tweets"}),
        (("total_cost",), 12),
        (("created_at",), "yesterday"),
    ],
)
def test_malformed_fields_are_a_plan_file_error(path: tuple, value: object) -> None:
    doc = json.loads(plan_to_json(every_action_plan()))
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(PlanFileError, match=r"^the plan file is not a valid reconciler plan: .+\.$"):
        plan_from_json(json.dumps(doc))

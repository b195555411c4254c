"""diff on qualification types, grants and worker blocks, and the order of a whole plan."""

from __future__ import annotations


import pytest

from plan_cases import NOW, PROJECT, Case, assert_case, batch, desired, english, english_live, listed, live, row
from reconciler.identity import qualification_tag
from reconciler.model import DesiredState, Grant, Lifecycle, WorkerBlock
from reconciler.plan.changes import Action
from reconciler.plan.diff import diff

QT = "qualification_type.english"
TEST_XML = "<QuestionForm><Question><QuestionIdentifier>q1</QuestionIdentifier></Question></QuestionForm>"


def grant(worker: str, value: int = 90, qualification: str = "english") -> Grant:
    return Grant(qualification, worker, value)


def grant_address(worker: str) -> str:
    return f"{QT}.grant[{worker}]"


def types(*declared, grants=(), blocks=()) -> DesiredState:
    return desired(types=tuple(declared), grants=tuple(grants), blocks=tuple(blocks))


CASES = [
    Case("create a new qualification type", types(english()), live(), ((QT, Action.CREATE),)),
    Case("nothing when the type matches", types(english()), live(types=(english_live(),)), ()),
    Case(
        "nothing when live keywords carry the project tag",
        types(english()),
        live(types=(english_live(keywords=("english", qualification_tag(PROJECT))),)),
        (),
    ),
    Case("update a description in place", types(english(description="New")), live(types=(english_live(),)), ((QT, Action.UPDATE),)),
    Case(
        "update status, retry delay and auto-grant in place",
        types(english(status="Inactive", retry_delay=3600, auto_granted=True, auto_granted_value=50)),
        live(types=(english_live(),)),
        ((QT, Action.UPDATE),),
    ),
    Case(
        "error removing a retry delay",
        types(english()),
        live(types=(english_live(retry_delay=3600),)),
        ((QT, Action.UPDATE),),
        errors=(QT,),
        says="retry delay",
    ),
    Case(
        "error removing a test",
        types(english()),
        live(types=(english_live(test=TEST_XML, test_duration=600),)),
        ((QT, Action.UPDATE),),
        errors=(QT,),
        says="test once set",
    ),
    Case(
        "nothing when a test differs only in layout",
        types(english(test=TEST_XML, test_duration=600)),
        live(types=(english_live(test=TEST_XML.replace("><", ">\n  <"), test_duration=600),)),
        (),
    ),
    Case(
        "error when keywords change under the same MTurk name, which a replacement cannot reuse for 48 h",
        types(english(keywords=("english", "language"))),
        live(types=(english_live(),)),
        ((QT, Action.REPLACE),),
        errors=(QT,),
        destructive=(QT,),
    ),
    Case(
        "replace when keywords change together with the MTurk name, warning that scores are lost",
        types(english(keywords=("english", "language"), qualification_name="ACME English v2")),
        live(types=(english_live(),)),
        ((QT, Action.REPLACE),),
        destructive=(QT,),
    ),
    Case(
        "replace when the MTurk name changes",
        types(english(qualification_name="ACME English v2")),
        live(types=(english_live(),)),
        ((QT, Action.REPLACE),),
        destructive=(QT,),
    ),
    Case(
        "delete an owned type removed from the manifests",
        types(),
        live(types=(english_live(),)),
        ((QT, Action.DELETE),),
        destructive=(QT,),
    ),
    Case("never touch a type without the project tag", types(), live(types=(english_live(owned=False),)), ()),
    Case(
        "error when the name belongs to a type without the project tag",
        types(english(), grants=(grant("A1"),)),
        live(types=(english_live(owned=False),)),
        ((QT, Action.CREATE),),
        errors=(QT,),
        says="another qualification_name",
    ),
    Case(
        "prevent_destroy refuses a qualification type replace",
        types(english(keywords=("new",), qualification_name="ACME English v2", lifecycle=Lifecycle(prevent_destroy=True))),
        live(types=(english_live(),)),
        ((QT, Action.REPLACE),),
        errors=(QT,),
        destructive=(QT,),
        says="prevent_destroy on qualification type english",
    ),
    Case(
        "ignore_changes on a type keeps its live description",
        types(english(description="New", lifecycle=Lifecycle(ignore_changes=("description",)))),
        live(types=(english_live(),)),
        (),
    ),
    Case(
        "ignore_changes test covers its answer key and duration",
        types(english(test=TEST_XML, answer_key="<AnswerKey/>", test_duration=900,
                      lifecycle=Lifecycle(ignore_changes=("test",)))),
        live(types=(english_live(test=TEST_XML, test_duration=600),)),
        (),
    ),
    Case(
        "error when a type with a test would be auto-granted",
        types(english(test=TEST_XML, test_duration=600, auto_granted=True, auto_granted_value=1)),
        live(types=(english_live(test=TEST_XML, test_duration=600),)),
        ((QT, Action.UPDATE),),
        errors=(QT,),
        says="does not auto-grant",
    ),
    Case(
        "ignore_changes grants leaves every grant alone",
        types(english(grants_mode="authoritative", lifecycle=Lifecycle(ignore_changes=("grants",))), grants=(grant("A1"),)),
        live(types=(english_live(),), grants=(grant("A3"),)),
        (),
    ),
    Case(
        "authoritative grants: grant missing, change value, revoke extra",
        types(english(grants_mode="authoritative"), grants=(grant("A1"), grant("A2", 70))),
        live(types=(english_live(),), grants=(grant("A2", 60), grant("A3"))),
        ((grant_address("A1"), Action.GRANT), (grant_address("A2"), Action.GRANT), (grant_address("A3"), Action.REVOKE)),
    ),
    Case(
        "additive grants never revoke",
        types(english(), grants=(grant("A1"),)),
        live(types=(english_live(),), grants=(grant("A1"), grant("A3"))),
        (),
    ),
    Case(
        "a new type gets every declared grant",
        types(english(), grants=(grant("A1"), grant("A2"))),
        live(),
        ((QT, Action.CREATE), (grant_address("A1"), Action.GRANT), (grant_address("A2"), Action.GRANT)),
    ),
    Case(
        "a replaced type gets every declared grant again",
        types(english(qualification_name="ACME English v2"), grants=(grant("A1"),)),
        live(types=(english_live(),), grants=(grant("A1"),)),
        ((QT, Action.REPLACE), (grant_address("A1"), Action.GRANT)),
        destructive=(QT,),
    ),
    Case(
        "block added, reason changed, block removed",
        types(blocks=(WorkerBlock("A1", "spam"), WorkerBlock("A2", "copied answers"))),
        live(blocks=(WorkerBlock("A2", "spam"), WorkerBlock("A3", "spam"))),
        (("block[A1]", Action.BLOCK), ("block[A2]", Action.BLOCK), ("block[A3]", Action.UNBLOCK)),
    ),
    Case("nothing when blocks match", types(blocks=(WorkerBlock("A1", "spam"),)), live(blocks=(WorkerBlock("A1", "spam"),)), ()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_diff_rule(case: Case) -> None:
    plan = diff(case.desired, case.live, NOW)
    assert_case(plan, case)
    assert all(c.reason or c.error for c in plan.changes)


def test_update_names_its_fields_and_keeps_the_live_id() -> None:
    (change,) = diff(types(english(description="New", status="Inactive")), live(types=(english_live(),)), NOW).changes
    assert change.field_diffs == ("description", "status")
    assert change.after.qualification_type_id == "QTENGLISH"
    assert change.after.description == "New"


def test_replace_warns_that_scores_are_lost() -> None:
    (change,) = diff(types(english(keywords=("new",))), live(types=(english_live(),)), NOW).changes
    assert "every worker's score on it is lost" in change.reason
    assert change.field_diffs == ("keywords",)
    assert change.after.qualification_type_id is None


def test_changed_grant_holds_before_and_after() -> None:
    plan = diff(types(english(), grants=(grant("A1", 70),)), live(types=(english_live(),), grants=(grant("A1", 60),)), NOW)
    (change,) = plan.changes
    assert (change.before.value, change.after.value, change.field_diffs) == (60, 70, ("value",))


def test_plan_orders_qualification_types_grants_blocks_then_hits() -> None:
    state = desired(
        batches=(batch(keys=("1",)),),
        hits=(row("1"),),
        types=(english(),),
        grants=(grant("A1"),),
        blocks=(WorkerBlock("A9", "spam"),),
    )
    plan = diff(state, live(hits=(listed("7", batch="old"),)), NOW)
    assert [c.kind for c in plan.changes] == ["qualification_type", "grant", "block", "hit", "hit"]
    assert [c.address for c in plan.changes][-2:] == ["batch.old.hit[7]", "batch.tweets.hit[1]"]

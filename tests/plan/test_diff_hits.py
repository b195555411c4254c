"""diff on batches and HITs, one case per rule: DESIGN.md's table, MTurk's limits, lifecycle."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest

from plan_cases import (
    EXPIRES,
    NOW,
    SENTIMENT,
    Case,
    assert_case,
    batch,
    desired,
    english,
    in_sync,
    listed,
    live,
    one_batch,
    protected,
    question,
    row,
)
from reconciler.model import Lifecycle, Requirement
from reconciler.plan.changes import Action
from reconciler.plan.diff import diff

A, B, C = "batch.tweets.hit[1]", "batch.tweets.hit[2]", "batch.tweets.hit[3]"
DEARER = dataclasses.replace(SENTIMENT, reward=Decimal("0.07"))
PAST = NOW - timedelta(days=1)
LAYOUT_ONLY = '<?xml version="1.0" encoding="UTF-8"?>\n' + question("1").replace("><FrameHeight>", ">\n  <FrameHeight>")


CASES = [
    Case("create rows without a HIT", one_batch(row("1"), row("2")), in_sync(), ((A, Action.CREATE), (B, Action.CREATE))),
    Case("nothing when the account matches", one_batch(row("1"), row("2")), in_sync(listed("1"), listed("2")), ()),
    Case("nothing when only question layout differs", one_batch(row("1")), in_sync(listed("1", question=LAYOUT_ONLY)), ()),
    Case(
        "retype when HIT type properties change",
        one_batch(row("1", hit_type=DEARER), row("2", hit_type=DEARER)),
        in_sync(listed("1"), listed("2")),
        ((A, Action.RETYPE), (B, Action.RETYPE)),
    ),
    Case("add assignments when more", one_batch(row("1", max_assignments=5)), in_sync(listed("1")), ((A, Action.ADD_ASSIGNMENTS),)),
    Case(
        "add assignments from ten up",
        one_batch(row("1", max_assignments=12)),
        in_sync(listed("1", max_assignments=10)),
        ((A, Action.ADD_ASSIGNMENTS),),
    ),
    Case(
        "error when assignments cross nine to ten",
        one_batch(row("1", max_assignments=10)),
        in_sync(listed("1", max_assignments=9)),
        ((A, Action.ADD_ASSIGNMENTS),),
        errors=(A,),
        says="second batch over the same rows (split), or re-post the row as a new HIT with 10 assignments with `--replace",
    ),
    Case(
        "error when assignments fall",
        one_batch(row("1", max_assignments=2)),
        in_sync(listed("1")),
        ((A, Action.REPLACE),),
        errors=(A,),
        destructive=(A,),
        says="`--replace ADDRESS` (the row's address, or `batch.tweets` for every row of the batch",
    ),
    Case(
        "replace when the question changes",
        one_batch(row("1", question=question("1", "A new wording"))),
        in_sync(listed("1")),
        ((A, Action.REPLACE),),
        destructive=(A,),
    ),
    Case(
        "extend when expires_at moves later",
        one_batch(row("1", expires_at=EXPIRES + timedelta(days=1))),
        in_sync(listed("1")),
        ((A, Action.EXTEND),),
    ),
    Case(
        "nothing when expiry drifts by under a minute",
        one_batch(row("1"), row("2")),
        in_sync(listed("1", expires_at=EXPIRES + timedelta(seconds=40)), listed("2", expires_at=EXPIRES - timedelta(seconds=40))),
        (),
    ),
    Case(
        "error when expiry moves earlier but stays future",
        one_batch(row("1", expires_at=EXPIRES - timedelta(days=1))),
        in_sync(listed("1")),
        ((A, Action.EXTEND),),
        errors=(A,),
        says="`state: expired`",
    ),
    Case(
        "error when an extension passes one year",
        one_batch(row("1", expires_at=EXPIRES + timedelta(days=400))),
        in_sync(listed("1")),
        ((A, Action.EXTEND),),
        errors=(A,),
        says="one year at a time",
    ),
    Case("expire a removed row", one_batch(row("1")), in_sync(listed("1"), listed("2")), ((B, Action.EXPIRE),)),
    Case("expire the HITs of a removed batch", desired(types=(english(),)), in_sync(listed("1")), ((A, Action.EXPIRE),)),
    Case(
        "expire a batch set to state expired, create nothing",
        one_batch(row("1"), row("2"), state="expired"),
        in_sync(listed("1")),
        ((A, Action.EXPIRE),),
    ),
    Case(
        "nothing for a removed row whose HIT already expired",
        one_batch(row("1")),
        in_sync(listed("1"), listed("2", expires_at=PAST)),
        (),
    ),
    Case(
        "expired batch with its HITs gone creates nothing",
        one_batch(row("1", expires_at=PAST), row("2", expires_at=PAST), expires_at=PAST),
        in_sync(),
        (),
    ),
    Case(
        "expired batch with its HITs still listed needs nothing",
        one_batch(row("1", expires_at=PAST), row("2", expires_at=PAST), expires_at=PAST),
        in_sync(listed("1", expires_at=PAST), listed("2", expires_at=PAST, question="changed since")),
        (),
    ),
    Case(
        "expired batch ends a HIT still open past it",
        one_batch(row("1", expires_at=PAST), expires_at=PAST),
        in_sync(listed("1", expires_at=NOW + timedelta(hours=1))),
        ((A, Action.EXPIRE),),
    ),
    Case(
        "expire an older generation that is still live",
        one_batch(row("1")),
        in_sync(listed("1", 0), listed("1", 1)),
        ((A + "#0", Action.EXPIRE),),
    ),
    Case(
        "nothing for an older generation already expired",
        one_batch(row("1")),
        in_sync(listed("1", 0, expires_at=PAST), listed("1", 1)),
        (),
    ),
    Case(
        "retype away from a foreign requirement",
        one_batch(row("1")),
        in_sync(
            listed(
                "1",
                hit_type=dataclasses.replace(
                    SENTIMENT,
                    requirements=(*SENTIMENT.requirements, Requirement("3XFOREIGN", "Exists", foreign=True)),
                ),
            )
        ),
        ((A, Action.RETYPE),),
    ),
    Case(
        "prevent_destroy refuses a replace and keeps the rest of the plan",
        protected(row("1", question=question("1", "New")), row("2", max_assignments=5), row("3")),
        in_sync(listed("1"), listed("2")),
        ((A, Action.REPLACE), (B, Action.ADD_ASSIGNMENTS), (C, Action.CREATE)),
        errors=(A,),
        destructive=(A,),
        says="ignore_changes",
    ),
    Case(
        "ignore_changes question keeps live HITs, new rows get the new template",
        one_batch(row("1", question=question("1", "New")), row("3", question=question("3", "New")),
                  lifecycle=Lifecycle(ignore_changes=("question",))),
        in_sync(listed("1")),
        ((C, Action.CREATE),),
    ),
    Case(
        "error creating a HIT that would live under 30 s",
        one_batch(row("1", expires_at=NOW + timedelta(seconds=20)), expires_at=NOW + timedelta(seconds=20)),
        in_sync(),
        ((A, Action.CREATE),),
        errors=(A,),
        says="at least 30 s",
    ),
    Case(
        "error creating a HIT that would live over a year",
        one_batch(row("1", expires_at=NOW + timedelta(days=400)), expires_at=NOW + timedelta(days=400)),
        in_sync(),
        ((A, Action.CREATE),),
        errors=(A,),
        says="longer than a year",
    ),
    Case(
        "several in-place changes of one row, in action order",
        one_batch(row("1", hit_type=DEARER, max_assignments=5, expires_at=EXPIRES + timedelta(days=1))),
        in_sync(listed("1")),
        ((A, Action.RETYPE), (A, Action.ADD_ASSIGNMENTS), (A, Action.EXTEND)),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_diff_rule(case: Case) -> None:
    plan = diff(case.desired, case.live, NOW)
    assert_case(plan, case)
    assert all(c.reason for c in plan.changes)


def test_create_is_generation_zero_of_the_row_and_costed() -> None:
    (change,) = diff(one_batch(row("1")), in_sync(), NOW).changes
    assert change.after == row("1") and change.before is None
    assert change.cost == Decimal("0.18")  # 3 × ($0.05 + the $0.01 minimum fee)


def test_replace_posts_the_next_generation_with_the_new_question() -> None:
    new = row("1", question=question("1", "New"))
    (change,) = diff(one_batch(new), in_sync(listed("1", 4)), NOW).changes
    assert change.before == listed("1", 4)
    assert change.after == dataclasses.replace(new, generation=5)
    assert change.field_diffs == ("question",)
    assert change.cost == Decimal("0.18")
    assert "question changed" in change.reason


def test_retype_keeps_the_live_hit_and_names_the_changed_fields() -> None:
    (change,) = diff(one_batch(row("1", hit_type=DEARER)), in_sync(listed("1")), NOW).changes
    assert change.before.hit_id == change.after.hit_id == listed("1").hit_id
    assert change.after.hit_type == DEARER
    assert change.field_diffs == ("hit_type.reward",)
    assert change.cost == Decimal("0.06")  # 3 unfinished assignments × ($0.08 − $0.06)


def test_foreign_requirement_retype_names_requirements_and_says_why() -> None:
    foreign = dataclasses.replace(SENTIMENT, requirements=(Requirement("3XFOREIGN", "Exists", foreign=True),))
    (change,) = diff(one_batch(row("1")), in_sync(listed("1", hit_type=foreign)), NOW).changes
    assert change.field_diffs == ("hit_type.requirements",)
    assert "do not declare" in change.reason


def test_add_assignments_sets_the_new_total() -> None:
    (change,) = diff(one_batch(row("1", max_assignments=5)), in_sync(listed("1")), NOW).changes
    assert (change.before.max_assignments, change.after.max_assignments) == (3, 5)
    assert change.field_diffs == ("max_assignments",) and change.cost == Decimal("0.12")


def test_added_assignments_are_priced_at_the_type_they_will_have() -> None:
    plan = diff(one_batch(row("1", max_assignments=5, hit_type=DEARER)), in_sync(listed("1")), NOW)
    assert [(c.action, c.cost) for c in plan.changes] == [
        (Action.RETYPE, Decimal("0.06")),  # 3 unfinished assignments × $0.02 more
        (Action.ADD_ASSIGNMENTS, Decimal("0.16")),  # 2 new assignments × ($0.07 + $0.01)
    ]


def test_error_changes_cost_nothing_and_the_total_skips_them() -> None:
    plan = diff(protected(row("1", question=question("1", "New")), row("3")), in_sync(listed("1")), NOW)
    assert [c.cost for c in plan.changes] == [Decimal("0.00"), Decimal("0.18")]
    assert plan.total_cost == Decimal("0.18")


def test_replaced_qualification_type_retypes_the_hits_that_require_it() -> None:
    renamed = english(keywords=("english", "language"), qualification_name="ACME English v2")
    state = desired(batches=(batch(keys=("1",)),), hits=(row("1"),), types=(renamed,))
    plan = diff(state, in_sync(listed("1")), NOW)
    assert [(c.address, c.action) for c in plan.changes] == [
        ("qualification_type.english", Action.REPLACE),
        (A, Action.RETYPE),
    ]
    assert "english is replaced" in plan.changes[1].reason


def test_a_refused_qualification_type_replace_retypes_nothing() -> None:
    same_name = english(keywords=("english", "language"))
    state = desired(batches=(batch(keys=("1",)),), hits=(row("1"),), types=(same_name,))
    plan = diff(state, in_sync(listed("1")), NOW)
    assert [(c.address, c.action, bool(c.error)) for c in plan.changes] == [
        ("qualification_type.english", Action.REPLACE, True),
    ]


def test_addresses_sort_naturally_and_older_generations_first() -> None:
    rows = [row(str(n)) for n in (10, 9, 1)]
    plan = diff(one_batch(*rows), in_sync(listed("9", 0), listed("9", 1)), NOW)
    assert [c.address for c in plan.changes] == [
        "batch.tweets.hit[1]",
        "batch.tweets.hit[9]#0",
        "batch.tweets.hit[10]",
    ]


def test_plan_carries_what_it_was_made_against() -> None:
    state = desired(batches=(batch(keys=("1",)),), hits=(row("1"),), types=(english(),), budget="250")
    plan = diff(state, live(hits=(listed("2"),), types=(english(qualification_type_id="QT1"),)), NOW)
    assert (plan.project, plan.manifest_digest, plan.created_at) == ("acme", "sha256:manifests", NOW)
    assert (plan.balance, plan.budget, plan.total_cost) == (Decimal("10000.00"), Decimal("250.00"), Decimal("0.18"))
    assert set(plan.fingerprints) == {"qualification_type.english", B, "account"}


def test_diff_is_pure_and_deterministic() -> None:
    state, account = one_batch(row("2"), row("1", hit_type=DEARER)), in_sync(listed("1"), listed("3"))
    assert diff(state, account, NOW) == diff(state, account, NOW)


def test_replace_flag_reposts_a_row_whose_assignments_fall() -> None:
    (change,) = diff(one_batch(row("1", max_assignments=2)), in_sync(listed("1")), NOW, replace=frozenset({A})).changes
    assert change.action is Action.REPLACE and change.error is None and change.destructive
    assert change.after.max_assignments == 2 and change.after.generation == 1
    assert "--replace" in change.reason


def test_replace_flag_reposts_a_row_crossing_nine_to_ten() -> None:
    changes = diff(one_batch(row("1", max_assignments=10)), in_sync(listed("1", max_assignments=9)), NOW,
                   replace=frozenset({A})).changes
    assert [(c.address, c.action, c.error) for c in changes] == [(A, Action.REPLACE, None)]


def test_replace_flag_reposts_an_unchanged_row_and_leaves_the_others() -> None:
    changes = diff(one_batch(row("1"), row("2")), in_sync(listed("1"), listed("2")), NOW,
                   replace=frozenset({B})).changes
    assert [(c.address, c.action) for c in changes] == [(B, Action.REPLACE)]


def test_replace_flag_with_a_batch_reposts_every_row_of_that_batch_only() -> None:
    changes = diff(one_batch(row("1", max_assignments=2), row("2", max_assignments=2)),
                   in_sync(listed("1"), listed("2")), NOW, replace=frozenset({"batch.tweets"})).changes
    assert [(c.address, c.action, c.error) for c in changes] == [(A, Action.REPLACE, None), (B, Action.REPLACE, None)]
    assert diff(one_batch(row("1")), in_sync(listed("1")), NOW, replace=frozenset({"batch.tweet"})).changes == ()

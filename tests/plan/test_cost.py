"""MTurk's fee model and the plan's spending limits."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from plan_cases import SENTIMENT, listed, row
from reconciler.errors import BudgetExceeded
from reconciler.model import Requirement
from reconciler.plan.changes import Action, Change, Plan
from reconciler.plan.cost import (
    add_assignments_cost,
    assignment_fee,
    change_cost,
    hit_cost,
    plan_total,
    refuse_overspend,
    retype_cost,
    spend_check,
)

MASTERS = Requirement("Masters", "Exists", system=True)


@pytest.mark.parametrize(
    ("reward", "assignments", "masters", "fee"),
    [
        ("0.05", 3, False, "0.01"),  # 20% is $0.01
        ("0.01", 1, False, "0.01"),  # $0.002 rounds to $0.00: the $0.01 minimum applies
        ("0.00", 1, False, "0.01"),  # the minimum holds for an unpaid HIT too
        ("0.52", 1, False, "0.10"),  # $0.104 rounds down
        ("0.42", 1, True, "0.11"),  # 25% is $0.105: half up, not to even
        ("0.50", 9, False, "0.10"),  # under 10 assignments: 20%
        ("0.50", 10, False, "0.20"),  # 10 or more: 40%
        ("1.00", 10, True, "0.45"),  # 10 or more with Masters: 45%
    ],
)
def test_assignment_fee(reward: str, assignments: int, masters: bool, fee: str) -> None:
    assert assignment_fee(Decimal(reward), assignments, masters) == Decimal(fee)


def test_create_costs_every_assignment_with_its_fee() -> None:
    assert hit_cost(row("1")) == Decimal("0.18")
    assert hit_cost(row("1", max_assignments=10, hit_type=dataclasses.replace(SENTIMENT, reward=Decimal("0.50")))) == Decimal("7.00")
    masters = dataclasses.replace(SENTIMENT, reward=Decimal("1.00"), requirements=(MASTERS,))
    assert hit_cost(row("1", hit_type=masters)) == Decimal("3.75")


def test_added_assignments_pay_the_fee_tier_of_the_new_total() -> None:
    paid = dataclasses.replace(SENTIMENT, reward=Decimal("0.50"))
    before, after = listed("1", hit_type=paid, max_assignments=10), listed("1", hit_type=paid, max_assignments=12)
    assert add_assignments_cost(before, after) == Decimal("1.40")  # 2 × ($0.50 + 40%)


def test_retype_costs_the_rise_on_unfinished_assignments_and_never_less_than_zero() -> None:
    dearer = dataclasses.replace(SENTIMENT, reward=Decimal("0.10"))
    before = listed("1")  # 2 available + 1 pending
    assert retype_cost(before, dataclasses.replace(before, hit_type=dearer)) == Decimal("0.18")  # 3 × ($0.12 − $0.06)
    cheaper = dataclasses.replace(SENTIMENT, reward=Decimal("0.01"))
    assert retype_cost(before, dataclasses.replace(before, hit_type=cheaper)) == Decimal("0.00")


def test_changes_that_post_no_work_cost_nothing() -> None:
    for action in (Action.EXTEND, Action.EXPIRE, Action.GRANT, Action.BLOCK, Action.UPDATE, Action.DELETE):
        assert change_cost(action, listed("1"), listed("1")) == Decimal("0.00")
    assert change_cost(Action.REPLACE, listed("1"), row("1", generation=1)) == Decimal("0.18")


def _plan(total: str, budget: str | None, balance: str | None) -> Plan:
    return Plan(
        changes=(Change("batch.b.hit[1]", Action.CREATE, "hit", after=row("1"), cost=Decimal(total)),),
        project="acme",
        total_cost=Decimal(total),
        budget=Decimal(budget) if budget else None,
        balance=Decimal(balance) if balance else None,
    )


def test_plan_total_skips_changes_with_errors() -> None:
    changes = (Change("a", Action.CREATE, "hit", cost=Decimal("1.25")), Change("b", Action.CREATE, "hit", cost=Decimal("2"), error="no"))
    assert plan_total(changes) == Decimal("1.25")


def test_spend_check_names_every_limit_passed() -> None:
    assert spend_check(_plan("10.00", "20.00", "100.00")).message is None
    check = spend_check(_plan("300.00", "250.00", "100.00"))
    assert (check.over_budget, check.over_balance) == (True, True)
    assert check.message == "The plan costs $300.00, more than the project's budget of $250.00 and the $100.00 available in the account."
    assert spend_check(_plan("300.00", None, None)).message is None


def test_refuse_overspend_raises_one_sentence() -> None:
    with pytest.raises(BudgetExceeded, match=r"^The plan costs \$1,200\.00, more than the project's budget of \$1,000\.00; nothing was changed\.$"):
        refuse_overspend(_plan("1200.00", "1000.00", "5000.00"))
    refuse_overspend(_plan("999.99", "1000.00", "5000.00"))

"""What a plan will cost, with MTurk's fee model, in Decimal dollars.

MTurk charges the reward plus a fee per approved assignment: 20% of the reward, 20% more when the
HIT has 10 or more assignments, 5% more with a Masters requirement, at least $0.01, rounded half
up to the cent. A plan's cost is the most its changes can commit: every new assignment paid and
approved. Changes that post no new work (extend, expire, grants, blocks, qualification types)
cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from reconciler.errors import BudgetExceeded
from reconciler.model import CENT, HIT, HITType, money
from reconciler.plan.changes import Action, Change, Plan

BASE_FEE_RATE = Decimal("0.20")
LARGE_HIT_FEE_RATE = Decimal("0.20")
MASTERS_FEE_RATE = Decimal("0.05")
LARGE_HIT_ASSIGNMENTS = 10
MINIMUM_FEE = CENT
ZERO = money(0)


def fee_rate(max_assignments: int, masters: bool) -> Decimal:
    """MTurk's commission as a fraction of the reward."""
    rate = BASE_FEE_RATE
    if max_assignments >= LARGE_HIT_ASSIGNMENTS:
        rate += LARGE_HIT_FEE_RATE
    if masters:
        rate += MASTERS_FEE_RATE
    return rate


def assignment_fee(reward: Decimal, max_assignments: int, masters: bool = False) -> Decimal:
    """MTurk's fee on one assignment: the rate applied to the reward, half-up to the cent, at least $0.01."""
    return max(MINIMUM_FEE, money(reward * fee_rate(max_assignments, masters)))


def assignment_price(hit_type: HITType, max_assignments: int) -> Decimal:
    """What one approved assignment of a HIT with this type and size costs: reward plus fee."""
    return hit_type.reward + assignment_fee(hit_type.reward, max_assignments, hit_type.uses_masters)


def hit_cost(hit: HIT) -> Decimal:
    """The cost of posting `hit`: every assignment at reward plus fee."""
    return money(hit.max_assignments * assignment_price(hit.hit_type, hit.max_assignments))


def add_assignments_cost(before: HIT, after: HIT) -> Decimal:
    """The added assignments, each priced at the fee tier of the HIT's new total."""
    added = max(0, after.max_assignments - before.max_assignments)
    return money(added * assignment_price(after.hit_type, after.max_assignments))


def retype_cost(before: HIT, after: HIT) -> Decimal:
    """The extra that the HIT's unfinished assignments cost under the new type; never negative.

    A cheaper type frees money rather than committing it, and a plan's cost is a cap on spending,
    so a fall counts as zero. Pending assignments are included: whether a worker who accepted
    before the retype is paid the old or the new reward is not documented.
    """
    remaining = before.assignments_available + before.assignments_pending
    old = assignment_price(before.hit_type, before.max_assignments)
    new = assignment_price(after.hit_type, after.max_assignments)
    return money(max(Decimal(0), new - old) * remaining)


def change_cost(action: Action, before: object, after: object) -> Decimal:
    """The money one change commits, by its action."""
    if action in (Action.CREATE, Action.REPLACE) and isinstance(after, HIT):
        return hit_cost(after)
    if action is Action.ADD_ASSIGNMENTS and isinstance(before, HIT) and isinstance(after, HIT):
        return add_assignments_cost(before, after)
    if action is Action.RETYPE and isinstance(before, HIT) and isinstance(after, HIT):
        return retype_cost(before, after)
    return ZERO


def plan_total(changes: Iterable[Change]) -> Decimal:
    """The sum of the changes' costs (a change with a plan error costs nothing: it cannot happen)."""
    return money(sum((c.cost for c in changes if not c.error), start=ZERO))


@dataclass(frozen=True)
class SpendCheck:
    """Whether a plan's cost passes the project's budget or the account's available balance."""

    total: Decimal
    budget: Decimal | None
    balance: Decimal | None

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.total > self.budget

    @property
    def over_balance(self) -> bool:
        return self.balance is not None and self.total > self.balance

    @property
    def message(self) -> str | None:
        """One sentence naming every limit the plan passes, or None when it passes none."""
        limits = []
        if self.over_budget:
            limits.append(f"the project's budget of ${self.budget:,.2f}")
        if self.over_balance:
            limits.append(f"the ${self.balance:,.2f} available in the account")
        if not limits:
            return None
        return f"The plan costs ${self.total:,.2f}, more than {' and '.join(limits)}."


def spend_check(plan: Plan) -> SpendCheck:
    """The plan's total against its budget and balance (both optional)."""
    return SpendCheck(plan.total_cost, plan.budget, plan.balance)


def refuse_overspend(plan: Plan) -> None:
    """Raise BudgetExceeded (one sentence) when the plan passes the budget or the balance."""
    message = spend_check(plan).message
    if message:
        raise BudgetExceeded(message[:-1] + "; nothing was changed.")

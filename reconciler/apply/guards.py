"""The checks before apply's first call: plan errors, money, and who approved it."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Callable

from reconciler.errors import ApprovalRefused, BudgetExceeded, ReconcilerError
from reconciler.plan.changes import Plan

Ask = Callable[[str], str]


def refuse_plan_errors(plan: Plan) -> None:
    """A plan with errors is not applied at all, not even its valid part."""
    if plan.errors:
        first = plan.errors[0]
        raise ReconcilerError(
            f"The plan has {len(plan.errors)} error(s), e.g. {first.address}: {first.error}; fix the manifests "
            "and plan again. Nothing was changed."
        )


def check_money(plan: Plan, budget: Decimal | None, balance: Decimal | None) -> None:
    """Refuse a plan whose estimated cost is over the project budget or the available balance."""
    cost = plan.total_cost
    if budget is not None and cost > budget:
        raise BudgetExceeded(
            f"The plan's estimated cost ${cost:,} is over the project budget ${budget:,}; raise `budget` in the "
            "Project manifest or apply less (--target-resource). Nothing was changed."
        )
    if balance is not None and cost > balance:
        raise BudgetExceeded(
            f"The plan's estimated cost ${cost:,} is over the account's available balance ${balance:,}; add "
            "funds or apply less. Nothing was changed."
        )


def approve(plan: Plan, *, auto_approve: bool, saved: bool, interactive: bool, ask: Ask) -> None:
    """Make sure a person (or --auto-approve) approved this apply, or raise ApprovalRefused.

    production: --auto-approve, or the project name typed on a terminal (a saved plan too);
    other targets: a saved plan is already approved; otherwise --auto-approve or a typed `yes`.
    """
    if auto_approve:
        return
    production = plan.target == "production"
    if saved and not production:
        return
    if not interactive:
        raise ApprovalRefused(
            "Not applying: there is no terminal to confirm on; pass --auto-approve (CI) or apply a saved plan."
            if not production
            else "Not applying to production: there is no terminal to type the project name on; pass --auto-approve."
        )
    if production:
        answer = _answer(ask, f"Type the project name ({plan.project}) to apply these changes to production: ")
        if answer.strip() != plan.project:
            raise ApprovalRefused("Apply cancelled: the project name was not typed. Nothing was changed.")
        return
    answer = _answer(ask, f"Apply these changes to target {plan.target}? Only 'yes' will be accepted: ")
    if answer.strip() != "yes":
        raise ApprovalRefused("Apply cancelled. Nothing was changed.")


def _answer(ask: Ask, question: str) -> str:
    """The typed answer; end of input (Ctrl-D) is no answer, which approves nothing."""
    try:
        return ask(question)
    except EOFError:
        print(file=sys.stderr)  # end the prompt's line before the refusal is printed
        return ""

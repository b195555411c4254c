"""The words every renderer shares: action phrases, money, the target and summary sentences.

All of it reads the canonical plan document (reconciler.plan.document); nothing is computed
here that the document does not already hold.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

NO_CHANGES = "No changes. The account matches the manifests."

# "Plan: 20 to create, …" — what each action does, said of a count.
PHRASES = {
    "create": "to create",
    "update": "to update",
    "retype": "to retype",
    "add_assignments": "to add assignments to",
    "extend": "to extend",
    "expire": "to expire",
    "replace": "to replace",
    "delete": "to delete",
    "grant": "to grant",
    "revoke": "to revoke",
    "block": "to block",
    "unblock": "to unblock",
}

# "batch.x.hit[1] will be created" — what happens to one thing.
OUTCOMES = {
    "create": "will be created",
    "update": "will be updated in place",
    "retype": "will be retyped",
    "add_assignments": "will get more assignments",
    "extend": "will be extended",
    "expire": "will be expired",
    "replace": "will be replaced",
    "delete": "will be deleted",
    "grant": "will be granted",
    "revoke": "will be revoked",
    "block": "will be blocked",
    "unblock": "will be unblocked",
}

LEGEND = {"+": "create", "~": "change in place", "-": "expire, revoke or delete", "±": "replace (destructive)"}


def dollars(amount: str | None) -> str:
    """'10000.00' → '$10,000.00'."""
    return f"${Decimal(amount or '0'):,.2f}"


def count(number: int) -> str:
    return f"{number:,}"


def plural(number: int, word: str) -> str:
    return f"{count(number)} {word}{'' if number == 1 else 's'}"


def target_sentence(doc: dict[str, Any]) -> str:
    """The first line of every plan: which account it is about."""
    where = f" at {doc['endpoint']}" if doc.get("endpoint") else ""
    return f"Target: {doc['target']}{where} (project {doc['project']})"


def cost_sentence(doc: dict[str, Any]) -> str:
    if doc.get("balance") is None:
        return f"Cost: {dollars(doc['total_cost'])}."
    return f"Cost: {dollars(doc['total_cost'])} of {dollars(doc['balance'])} available."


def summary_sentence(doc: dict[str, Any]) -> str:
    """`Plan: 20 to create, 3 to retype, 2 to expire. Cost: $12.40 of $10,000.00 available.`"""
    summary = doc["summary"]
    if not doc["changes"]:
        return NO_CHANGES
    parts = [f"{count(a['count'])} {PHRASES.get(a['action'], a['action'])}" for a in summary["actions"]]
    sentence = f"Plan: {', '.join(parts)}." if parts else "Plan: nothing that can be done yet."
    if summary["errors"]:
        sentence += f" {plural(summary['errors'], 'error')}."
    return f"{sentence} {cost_sentence(doc)}"


def warning_sentences(doc: dict[str, Any]) -> list[str]:
    """What a reviewer must not miss: spending past a limit, destruction, errors."""
    summary = doc["summary"]
    warnings = []
    if summary.get("spend_problem"):
        warnings.append(summary["spend_problem"])
    if summary["destructive"]:
        warnings.append(f"{plural(summary['destructive'], 'destructive change')} (marked ±, or - for deletions).")
    if summary["errors"]:
        warnings.append("Apply is refused until every plan error is fixed.")
    return warnings

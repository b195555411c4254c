"""Small hand-built plans for the renderer tests, and their canonical documents."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from reconciler.model import HIT, Grant, HITType, QualificationType, WorkerBlock
from reconciler.plan.changes import Action, Change, Plan
from reconciler.plan.serialize import plan_to_json

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
TYPE = HITType("Rate a sentence", "Pick positive, neutral or negative.", Decimal("0.05"), 600, keywords=("text",))
DEARER = dataclasses.replace(TYPE, reward=Decimal("0.07"))


def hit(key: str, batch: str = "tweets", **changes: object) -> HIT:
    value = HIT(batch, key, TYPE, f"<HTMLQuestion><HTMLContent><![CDATA[row {key}]]></HTMLContent></HTMLQuestion>", 3,
                NOW + timedelta(days=7))
    return dataclasses.replace(value, **changes)


def live(key: str, batch: str = "tweets", **changes: object) -> HIT:
    return hit(key, batch, hit_id=f"H{key}", status="Assignable", assignments_available=3, **changes)


def create(key: str, batch: str = "tweets", cost: str = "0.18") -> Change:
    return Change(f"batch.{batch}.hit[{key}]", Action.CREATE, "hit", after=hit(key, batch), reason="the row has no HIT yet",
                  cost=Decimal(cost))


def retype(key: str, cost: str = "0.06") -> Change:
    before = live(key)
    return Change(f"batch.tweets.hit[{key}]", Action.RETYPE, "hit", before=before,
                  after=dataclasses.replace(before, hit_type=DEARER, hit_type_id=None), field_diffs=("hit_type.reward",),
                  reason="its HIT type changed", cost=Decimal(cost))


def expire(key: str, batch: str = "old") -> Change:
    return Change(f"batch.{batch}.hit[{key}]", Action.EXPIRE, "hit", before=live(key, batch), reason="its batch was removed")


def replace(key: str) -> Change:
    return Change(f"batch.tweets.hit[{key}]", Action.REPLACE, "hit", before=live(key), after=hit(key, generation=1),
                  field_diffs=("question",), destructive=True, reason="its question changed", cost=Decimal("0.18"))


def refused(key: str) -> Change:
    before = live(key, max_assignments=9)
    return Change(f"batch.tweets.hit[{key}]", Action.ADD_ASSIGNMENTS, "hit", before=before,
                  after=dataclasses.replace(before, max_assignments=10), field_diffs=("max_assignments",),
                  reason="its assignments rise from 9 to 10", error="MTurk cannot raise a HIT from 9 to 10 assignments.")


def account_changes() -> tuple[Change, ...]:
    qt = QualificationType("english", "ACME English", "Short test")
    return (
        Change("qualification_type.english", Action.CREATE, "qualification_type", after=qt, reason="it does not exist yet"),
        Change("qualification_type.english.grant[A1]", Action.GRANT, "grant", after=Grant("english", "A1", 90), reason="new"),
        Change("block[A2]", Action.UNBLOCK, "block", before=WorkerBlock("A2", "spam"), reason="removed"),
    )


def plan_of(*changes: Change, balance: str | None = "10000.00", budget: str | None = None, **fields: object) -> Plan:
    total = sum((c.cost for c in changes if not c.error), start=Decimal("0.00"))
    return Plan(changes=tuple(changes), project="acme", target="sandbox", total_cost=total,
                balance=Decimal(balance) if balance else None, budget=Decimal(budget) if budget else None, **fields)


def document(plan: Plan) -> dict:
    """The document exactly as a saved plan holds it (renderers must work from that alone)."""
    return json.loads(plan_to_json(plan))

"""Fixtures for apply: hand-built plans executed against the emulator through a real boto3 client."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal


from reconciler.apply.command import Session, execute
from reconciler.model import HIT, DesiredState, HITType, LiveState, Locale, Project, QualificationType, Requirement
from reconciler.plan.changes import Action, Change, Plan

PROJECT = "acme"
QUESTION = (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
    "<HTMLContent><![CDATA[<html><body><p>{text}</p></body></html>]]></HTMLContent>"
    "<FrameHeight>450</FrameHeight></HTMLQuestion>"
)
SENTIMENT = HITType(
    title="Rate the sentiment of a sentence",
    description="Read one sentence and pick positive, neutral or negative.",
    reward=Decimal("0.05"),
    assignment_duration=600,
    auto_approval_delay=259_200,
    keywords=("sentiment", "text"),
    requirements=(Requirement("Locale", "In", system=True, locale_values=(Locale("US"), Locale("CA"))),),
)


def expiry(days: int = 30) -> datetime:
    return (datetime.now(timezone.utc) + timedelta(days=days)).replace(microsecond=0)


def row_hit(key: str, *, batch: str = "tweets", generation: int = 0, assignments: int = 1,
            hit_type: HITType = SENTIMENT, expires_at: datetime | None = None, question: str | None = None) -> HIT:
    return HIT(batch=batch, key=key, hit_type=hit_type, question=question or QUESTION.format(text=key),
               max_assignments=assignments, expires_at=expires_at or EXPIRES, generation=generation)


EXPIRES = expiry()


def create(hit: HIT) -> Change:
    return Change(f"batch.{hit.batch}.hit[{hit.key}]", Action.CREATE, "hit", after=hit, cost=Decimal("0.06"))


def change(action: Action, before: object, after: object, kind: str = "hit", address: str | None = None) -> Change:
    address = address or f"batch.{before.batch}.hit[{before.key}]"  # type: ignore[union-attr]
    return Change(address, action, kind, before=before, after=after)  # type: ignore[arg-type]


def plan_of(*changes: Change) -> Plan:
    return Plan(changes=tuple(changes), project=PROJECT, total_cost=sum((c.cost for c in changes), Decimal("0.00")))


def desired_of(qualification_types: tuple[QualificationType, ...] = (), hit_types: tuple = ()) -> DesiredState:
    return DesiredState(project=Project(PROJECT), qualification_types=qualification_types,
                        hit_types=hit_types or (("sentiment", SENTIMENT),))


class Run:
    """One execute() of a plan: its exit code and printed output."""

    def __init__(self, conn, plan: Plan, desired: DesiredState | None = None, parallelism: int = 8):
        self.out = io.StringIO()
        self.code = execute(plan, desired or desired_of(), LiveState(), conn, parallelism, Session(out=self.out, interactive=False))
        self.text = self.out.getvalue()


def hits_of(conn) -> list[dict]:
    return conn.engine.list_hits()



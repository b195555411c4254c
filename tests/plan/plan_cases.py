"""Hand-built desired and live states for the pure planning tests (no emulator, no I/O)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from reconciler.model import (
    HIT,
    Batch,
    DesiredState,
    Grant,
    HITType,
    Lifecycle,
    LiveState,
    Project,
    QualificationType,
    Requirement,
    WorkerBlock,
)
from reconciler.plan.changes import Action, Plan

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
EXPIRES = NOW + timedelta(days=7)
PROJECT = "acme"
BATCH = "tweets"

SENTIMENT = HITType(
    title="Rate the sentiment of a sentence",
    description="Read one sentence and pick positive, neutral or negative.",
    reward=Decimal("0.05"),
    assignment_duration=600,
    auto_approval_delay=259_200,
    keywords=("sentiment", "text"),
    requirements=(Requirement("english", "GreaterThanOrEqualTo", integer_values=(80,)),),
)


def question(key: str, text: str = "How does this sentence feel?") -> str:
    """An HTMLQuestion for a row, as the spec layer would render it."""
    return (
        '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
        f"<HTMLContent><![CDATA[<p>{text}</p>\n<p>row {key}</p>]]></HTMLContent>"
        "<FrameHeight>450</FrameHeight></HTMLQuestion>"
    )


def row(key: str, batch: str = BATCH, **changes: object) -> HIT:
    """A desired HIT (generation 0) for a batch row."""
    hit = HIT(batch, key, SENTIMENT, question(key), 3, EXPIRES)
    return dataclasses.replace(hit, **changes)


def listed(key: str, generation: int = 0, batch: str = BATCH, **changes: object) -> HIT:
    """A live HIT as the live layer reads it: the row's values plus MTurk's own fields."""
    hit = dataclasses.replace(
        row(key, batch),
        generation=generation,
        hit_id=f"HIT{batch.upper()}{key}G{generation}".replace("-", ""),
        hit_type_id="TYPE1",
        status="Assignable",
        created_at=NOW - timedelta(days=1),
        assignments_available=2,
        assignments_pending=1,
    )
    return dataclasses.replace(hit, **changes)


def batch(name: str = BATCH, keys: tuple[str, ...] = ("1", "2"), **changes: object) -> Batch:
    declared = Batch(name, "sentiment", SENTIMENT, 3, EXPIRES, keys=keys)
    return dataclasses.replace(declared, **changes)


def english(**changes: object) -> QualificationType:
    qt = QualificationType("english", "ACME English check", "Short English comprehension test", keywords=("english",))
    return dataclasses.replace(qt, **changes)


def english_live(**changes: object) -> QualificationType:
    return dataclasses.replace(english(qualification_type_id="QTENGLISH"), **changes)


def desired(
    batches: tuple[Batch, ...] = (),
    hits: tuple[HIT, ...] = (),
    types: tuple[QualificationType, ...] = (),
    grants: tuple[Grant, ...] = (),
    blocks: tuple[WorkerBlock, ...] = (),
    budget: str | None = None,
) -> DesiredState:
    return DesiredState(
        project=Project(PROJECT, budget=Decimal(budget) if budget else None),
        qualification_types=types,
        hit_types=(("sentiment", SENTIMENT),),
        batches=batches,
        hits=hits,
        grants=grants,
        blocks=blocks,
        digest="sha256:manifests",
    )


def live(
    hits: tuple[HIT, ...] = (),
    types: tuple[QualificationType, ...] = (),
    grants: tuple[Grant, ...] = (),
    blocks: tuple[WorkerBlock, ...] = (),
    balance: str | None = "10000.00",
) -> LiveState:
    return LiveState(types, hits, grants, blocks, Decimal(balance) if balance else None)


def one_batch(*hits: HIT, **batch_changes: object) -> DesiredState:
    """The desired state of one batch holding exactly these rows."""
    keys = tuple(h.key for h in hits)
    return desired(batches=(batch(keys=keys, **batch_changes),), hits=hits, types=(english(),))


def protected(*hits: HIT) -> DesiredState:
    return one_batch(*hits, lifecycle=Lifecycle(prevent_destroy=True))


def in_sync(*hits: HIT) -> LiveState:
    return live(hits=hits, types=(english_live(),))


@dataclass(frozen=True)
class Case:
    """One row of a table-driven diff test: the states, and the changes the plan must hold."""

    id: str
    desired: DesiredState
    live: LiveState
    expect: tuple[tuple[str, Action], ...]
    errors: tuple[str, ...] = ()
    destructive: tuple[str, ...] = ()
    says: str = ""  # words the (first) plan error must contain


def assert_case(plan: Plan, case: Case) -> None:
    """The plan's changes, plan errors and destructive changes are exactly the case's."""
    assert [(c.address, c.action) for c in plan.changes] == list(case.expect)
    assert sorted(c.address for c in plan.changes if c.error) == sorted(case.errors)
    assert sorted(c.address for c in plan.changes if c.destructive) == sorted(case.destructive)
    if case.says:
        assert case.says in plan.errors[0].error

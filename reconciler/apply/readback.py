"""After apply: read the account once more and check that each change done took effect.

One read_live (the same ListHITs pages planning reads, so ⌈N/100⌉ calls), then each done
change is compared with the plan's intended after-value by its step's own rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from reconciler.apply.report import Outcome, ReadbackIssue, Status
from reconciler.apply.steps import step_for
from reconciler.model import HIT, LiveState, QualificationType
from reconciler.plan.changes import Change


@dataclass
class LiveIndex:
    """The live state indexed the ways the read-back rules look things up."""

    read_at: datetime
    hits_by_id: dict[str, HIT] = field(default_factory=dict)
    hits_by_row: dict[tuple[str, str, int], HIT] = field(default_factory=dict)
    qualification_types: dict[str, QualificationType] = field(default_factory=dict)  # by MTurk name
    grants: dict[tuple[str, str], int] = field(default_factory=dict)
    blocks: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, live: LiveState, read_at: datetime) -> LiveIndex:
        index = cls(read_at)
        for hit in live.hits:
            if hit.hit_id:
                index.hits_by_id[hit.hit_id] = hit
            index.hits_by_row[(hit.batch, hit.key, hit.generation)] = hit
        index.qualification_types = {qt.qualification_name: qt for qt in live.qualification_types}
        index.grants = {(g.qualification, g.worker_id): g.value for g in live.grants}
        index.blocks = {b.worker_id: b.reason for b in live.blocks}
        return index

    def hit_by_id(self, hit_id: str | None) -> HIT | None:
        return self.hits_by_id.get(hit_id or "")

    def hit_of(self, batch: str, key: str, generation: int) -> HIT | None:
        return self.hits_by_row.get((batch, key, generation))


def check_applied(changes: Iterable[Change], outcomes: Iterable[Outcome], live: LiveIndex) -> list[ReadbackIssue]:
    """The done changes whose effect is not in `live`, with what is wrong."""
    done = {(o.address, o.action) for o in outcomes if o.status is Status.DONE}
    issues = []
    for change in changes:
        step = step_for(change)
        if step is None or (change.address, change.action.value) not in done:
            continue
        problem = step.verify(change, live)
        if problem:
            issues.append(ReadbackIssue(change.address, change.action.value, problem))
    return issues

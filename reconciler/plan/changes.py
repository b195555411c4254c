"""The Plan: a frozen, ordered list of Changes plus what it was made against.

A Plan is data. It serialises to canonical JSON and back without loss (saved plans); renderers
only format it; apply executes it and never re-decides. `reason` is for people: apply never reads it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from reconciler.model import HIT, Grant, QualificationType, WorkerBlock

FORMAT_VERSION = 1


class Action(enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    RETYPE = "retype"
    ADD_ASSIGNMENTS = "add_assignments"
    EXTEND = "extend"
    EXPIRE = "expire"
    REPLACE = "replace"
    DELETE = "delete"
    GRANT = "grant"
    REVOKE = "revoke"
    BLOCK = "block"
    UNBLOCK = "unblock"

    @property
    def glyph(self) -> str:
        return _GLYPHS[self]


_GLYPHS = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.RETYPE: "~",
    Action.ADD_ASSIGNMENTS: "~",
    Action.EXTEND: "~",
    Action.EXPIRE: "-",
    Action.REPLACE: "±",
    Action.DELETE: "-",
    Action.GRANT: "+",
    Action.REVOKE: "-",
    Action.BLOCK: "+",
    Action.UNBLOCK: "-",
}

# The model class of a change's before/after values, by the change's `kind`.
KINDS: dict[str, type] = {
    "hit": HIT,
    "qualification_type": QualificationType,
    "grant": Grant,
    "block": WorkerBlock,
}


@dataclass(frozen=True)
class Change:
    """One thing apply will do (or, with `error` set, a thing the plan cannot do)."""

    address: str
    action: Action
    kind: str
    before: HIT | QualificationType | Grant | WorkerBlock | None = None
    after: HIT | QualificationType | Grant | WorkerBlock | None = None
    field_diffs: tuple[str, ...] = ()
    destructive: bool = False
    reason: str = ""
    cost: Decimal = Decimal("0.00")
    error: str | None = None


@dataclass(frozen=True)
class Plan:
    """The reviewed unit of work. `fingerprints` maps the address of every live object the plan
    read to a digest of its normalised value; apply re-reads and compares them (stale plans).
    `replace` keeps the --replace selectors it was made with, so apply can make it again and
    compare (a saved plan's changes must be what the manifests and the account give)."""

    changes: tuple[Change, ...]
    project: str
    target: str = "local"
    endpoint: str | None = None
    manifest_digest: str = ""
    fingerprints: dict[str, str] = field(default_factory=dict)
    plan_id: str = ""
    created_at: datetime | None = None
    tool_version: str = ""
    balance: Decimal | None = None
    budget: Decimal | None = None
    total_cost: Decimal = Decimal("0.00")
    replace: tuple[str, ...] = ()
    format_version: int = FORMAT_VERSION

    @property
    def errors(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.error)

    @property
    def is_empty(self) -> bool:
        return not self.changes

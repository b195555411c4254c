"""Apply's stages: a Plan's changes in the order MTurk needs them, built once, walked twice.

qualification types → grants and blocks → HIT types → HIT creates → retypes, extensions and
additional assignments → expirations and replacements. Qualification types come first because
grants and requirements name them; HIT types are resolved once each before any HIT needs one;
expirations come last so a row is never left without work while its replacement is pending.
The evaluator executes the stages; the explainer describes the same list without a call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from reconciler.apply.steps import HIT_TYPES, STAGE_ORDER, step_for
from reconciler.errors import ReconcilerError
from reconciler.model import HIT, HITType
from reconciler.plan.changes import Change, Plan


@dataclass(frozen=True)
class Stage:
    """One step of the walk: changes of one phase, or (the HIT type stage) types to resolve."""

    name: str
    changes: tuple[Change, ...] = ()
    hit_types: tuple[tuple[str, HITType], ...] = ()  # (label, type)

    @property
    def size(self) -> int:
        return len(self.changes) + len(self.hit_types)


def build_stages(plan: Plan, hit_type_names: Iterable[tuple[str, HITType]] = ()) -> tuple[Stage, ...]:
    """The non-empty stages that carry out `plan`, in order. Refuses a change apply cannot do."""
    unknown = sorted({f"{c.kind} {c.action.value}" for c in plan.changes if step_for(c) is None})
    if unknown:
        raise ReconcilerError(f"This version of apply cannot carry out: {', '.join(unknown)}; nothing was changed.")
    grouped: dict[str, list[Change]] = {name: [] for name in STAGE_ORDER}
    for change in plan.changes:
        if not change.error:
            grouped[step_for(change).stage].append(change)  # type: ignore[union-attr]
    grouped_types = _hit_types(plan.changes, dict((t, n) for n, t in hit_type_names))
    stages = []
    for name in STAGE_ORDER:
        if name == HIT_TYPES and grouped_types:
            stages.append(Stage(name, hit_types=grouped_types))
        elif grouped[name]:
            stages.append(Stage(name, changes=tuple(grouped[name])))
    return tuple(stages)


def _hit_types(changes: Iterable[Change], names: dict[HITType, str]) -> tuple[tuple[str, HITType], ...]:
    """Each distinct HIT type a create, retype or replacement needs, once, in plan order."""
    seen: dict[HITType, str] = {}
    for change in changes:
        step = step_for(change)
        if change.error or step is None or not step.needs_hit_type or not isinstance(change.after, HIT):
            continue
        hit_type = change.after.hit_type
        if hit_type not in seen:
            seen[hit_type] = f"hit_type.{names[hit_type]}" if hit_type in names else f"hit_type[{hit_type.title!r}]"
    return tuple((label, hit_type) for hit_type, label in seen.items())

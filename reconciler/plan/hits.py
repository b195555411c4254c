"""How batch rows compare with the HITs the project owns.

One row, one current HIT (its newest generation). MTurk lets a live HIT change in few ways, and
each rule below is one of them: a HIT type change is a retype (UpdateHITTypeOfHIT); assignments
only grow, and never from under 10 to 10 or more; the expiry moves later by 60 s to a year per
call, or ends now; the question cannot change at all, so a new question (or fewer assignments)
replaces the HIT with the next generation. A batch past its `expires_at` posts nothing: its rows
without a HIT are finished, not missing (MTurk disposes of HITs 120 days after they end).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from functools import lru_cache

from reconciler.model import HIT, Batch, DesiredState, HITType, Lifecycle, LiveState
from reconciler.plan.addresses import hit_address
from reconciler.plan.changes import Action, Change
from reconciler.plan.cost import ZERO, change_cost
from reconciler.plan.fields import changed_fields
from reconciler.plan.normalise import normalise_question

KIND = "hit"
# The fields of a HIT the manifests decide; the rest (IDs, status, counts) are MTurk's.
FIELDS = ("batch", "key", "generation", "hit_type", "question", "max_assignments", "expires_at")
MIN_LIFETIME = 30  # seconds, MTurk's shortest LifetimeInSeconds
MAX_LIFETIME = 31_536_000  # one year: the longest lifetime, and the longest extension per call
EXPIRY_TOLERANCE = 60  # MTurk's smallest extension; a create's expiry drifts by seconds
LARGE_HIT = 10  # MaxAssignments from which MTurk charges more and refuses to grow into
# `lifecycle.ignore_changes` names, as a batch writes them, for the HIT fields they cover.
IGNORABLE = {"question": "question", "assignments": "max_assignments", "max_assignments": "max_assignments",
             "hit_type": "hit_type", "expires_at": "expires_at"}


def compare_hits(
    desired: DesiredState,
    live: LiveState,
    now: datetime,
    replaced_qualifications: frozenset[str] = frozenset(),
    forced: frozenset[str] = frozenset(),
) -> list[Change]:
    """Every HIT change: per row, its older live generations and its current HIT against the row."""
    batches = {b.name: b for b in desired.batches}
    wanted = {h.row: h for h in desired.hits}
    listed: dict[tuple[str, str], list[HIT]] = {}
    for hit in sorted(live.hits, key=lambda h: h.generation):
        listed.setdefault(hit.row, []).append(hit)
    changes: list[Change] = []
    for row in set(wanted) | set(listed):
        generations = listed.get(row, [])
        changes.extend(_expire_older(generations[:-1], now))
        current = generations[-1] if generations else None
        changes.extend(
            _compare_row(wanted.get(row), current, batches.get(row[0]), now, replaced_qualifications, forced)
        )
    return changes


def is_open(hit: HIT, now: datetime) -> bool:
    """Whether the HIT has not expired yet (its expiry is what ends it; the status lags)."""
    return hit.expires_at > now


def _expire_older(older: list[HIT], now: datetime) -> list[Change]:
    return [
        _expire(hit, "an older generation of this row is still live", generation=hit.generation)
        for hit in older
        if is_open(hit, now)
    ]


def _expire(hit: HIT, reason: str, generation: int | None = None) -> Change:
    return Change(hit_address(hit.batch, hit.key, generation), Action.EXPIRE, KIND, before=hit, reason=reason)


def _retired_reason(wanted: HIT | None, batch: Batch | None) -> str | None:
    """Why a row should have no open HIT at all, or None when it is wanted."""
    if batch is None and wanted is None:
        return "its batch was removed from the manifests"
    if batch is not None and batch.state == "expired":
        return "its batch is set to `state: expired`"
    if wanted is None:
        return "its row was removed from the batch"
    return None


def _compare_row(
    wanted: HIT | None,
    current: HIT | None,
    batch: Batch | None,
    now: datetime,
    replaced: frozenset[str],
    forced: frozenset[str] = frozenset(),
) -> list[Change]:
    retired = _retired_reason(wanted, batch)
    if retired is not None or wanted is None:
        return [_expire(current, retired or "")] if current is not None and is_open(current, now) else []
    if wanted.expires_at <= now:
        return _close_finished(wanted, current, now)
    if current is None:
        return [_create(wanted, now)]
    lifecycle = batch.lifecycle if batch is not None else Lifecycle()
    ignored = {IGNORABLE[name] for name in lifecycle.ignore_changes if name in IGNORABLE}
    replacement = _replacement(wanted, current, ignored, now, selected(hit_address(wanted.batch, wanted.key), forced))
    if replacement is not None:
        return [replacement]
    found = (
        _retype(wanted, current, ignored, replaced),
        _add_assignments(wanted, current, ignored),
        _extend(wanted, current, ignored),
    )
    return [change for change in found if change is not None]


def _close_finished(wanted: HIT, current: HIT | None, now: datetime) -> list[Change]:
    """The batch's window has passed: end a HIT still open past it, post nothing new."""
    if current is None or not is_open(current, now):
        return []
    if (current.expires_at - wanted.expires_at).total_seconds() < EXPIRY_TOLERANCE:
        return []  # it ends on its own within a minute of the declared time
    return [_expire(current, f"its batch's expires_at ({_when(wanted.expires_at)}) has passed")]


def _create(wanted: HIT, now: datetime) -> Change:
    change = Change(
        hit_address(wanted.batch, wanted.key), Action.CREATE, KIND, after=wanted,
        reason="the row has no HIT yet", cost=change_cost(Action.CREATE, None, wanted),
    )
    return _with_lifetime_check(change, wanted, now)


def _with_lifetime_check(change: Change, new: HIT, now: datetime) -> Change:
    """A HIT to post must live between 30 s and one year from now, or the create is a plan error."""
    lifetime = (new.expires_at - now).total_seconds()
    if lifetime < MIN_LIFETIME:
        return _error(change, (
            f"the batch expires at {_when(new.expires_at)}, {int(lifetime)} s from now, but MTurk needs a new HIT "
            f"to stay up at least {MIN_LIFETIME} s: move expires_at later, or set `state: expired` on the batch."
        ))
    if lifetime > MAX_LIFETIME:
        return _error(change, (
            f"the batch expires at {_when(new.expires_at)}, more than a year from now, and MTurk does not post a HIT "
            f"for longer than a year: move expires_at to {_when(now + timedelta(seconds=MAX_LIFETIME))} or earlier."
        ))
    return change


def _error(change: Change, message: str) -> Change:
    """A change the plan cannot make: it keeps its place and says why; it costs nothing."""
    return dataclasses.replace(change, error=message, cost=ZERO)


def selected(address: str, selectors: frozenset[str] | tuple[str, ...]) -> bool:
    """Whether a --replace selector names this HIT: its own address, or its batch (`batch.NAME`)."""
    return any(address == s or address.startswith(s + ".") for s in selectors)


def _replacement(wanted: HIT, current: HIT, ignored: set[str], now: datetime, forced: bool = False) -> Change | None:
    """Replace the HIT when its question changed, or when asked to (`--replace`): MTurk cannot change a
    question. Fewer assignments cannot be done in place either, but only an explicit --replace
    re-posts for that reason: otherwise it is a plan error that says how."""
    reasons = []
    if "question" not in ignored and not same_question(wanted.question, current.question):
        reasons.append("its question changed")
    fewer = "max_assignments" not in ignored and wanted.max_assignments < current.max_assignments
    if fewer:
        reasons.append(f"its assignments fall from {current.max_assignments} to {wanted.max_assignments}")
    if not reasons and not forced:
        return None
    after = dataclasses.replace(wanted, generation=current.generation + 1)
    diffs = [f for f in ("question", "max_assignments") if f not in ignored and _differs(f, wanted, current)]
    diffs += hit_type_changes(current.hit_type, wanted.hit_type)
    if abs((wanted.expires_at - current.expires_at).total_seconds()) >= EXPIRY_TOLERANCE:
        diffs.append("expires_at")
    address = hit_address(wanted.batch, wanted.key)
    change = Change(
        address, Action.REPLACE, KIND, before=current, after=after,
        field_diffs=tuple(sorted(diffs)), destructive=True,
        reason=f"{_replace_cause(reasons, forced)}: it is expired and generation {after.generation} is posted in its place",
        cost=change_cost(Action.REPLACE, current, after),
    )
    if fewer and not forced:
        return _error(change, (
            f"MTurk cannot lower a HIT's assignments ({current.max_assignments} to {wanted.max_assignments}): keep "
            f"assignments at {current.max_assignments} or more, or re-post the row as a new HIT with "
            f"`--replace ADDRESS` (the row's address, or `batch.{wanted.batch}` for every row of the batch; the "
            f"current HIT is expired and work already submitted is kept), or move the row to a new batch (split)."
        ))
    return _with_lifetime_check(change, after, now)


def _replace_cause(changed: list[str], forced: bool) -> str:
    """Why a HIT is re-posted: what MTurk cannot change in place, and/or the --replace asking for it."""
    cause = f"{' and '.join(changed)}, which MTurk cannot change on a live HIT" if changed else ""
    if not forced:
        return cause
    return f"{cause}; --replace asks for a new HIT" if cause else "--replace asks for a new HIT"


def same_question(one: str, other: str) -> bool:
    """Whether two questions are the same once layout is ignored (equal strings need no work)."""
    return one == other or normalise_question(one) == normalise_question(other)


def _differs(field: str, wanted: HIT, current: HIT) -> bool:
    if field == "question":
        return not same_question(wanted.question, current.question)
    return getattr(wanted, field) != getattr(current, field)


@lru_cache(maxsize=4096)
def hit_type_changes(old: HITType, new: HITType) -> tuple[str, ...]:
    """The changed fields between two HIT types, as `hit_type.<field>` (cached: batches share types)."""
    return () if old == new else changed_fields(old, new, prefix="hit_type")


def _retype(wanted: HIT, current: HIT, ignored: set[str], replaced: frozenset[str]) -> Change | None:
    if "hit_type" in ignored:
        return None
    diffs = hit_type_changes(current.hit_type, wanted.hit_type)
    if diffs:
        reason = "its HIT type changed"
        if any(r.foreign for r in current.hit_type.requirements):
            reason += " (it requires a qualification type the manifests do not declare)"
    else:
        stale = sorted(r.qualification for r in wanted.hit_type.requirements if not r.system and r.qualification in replaced)
        if not stale:
            return None
        diffs = ("hit_type.requirements",)
        reason = f"qualification type {', '.join(stale)} is replaced, so the HIT must require the new one"
    after = dataclasses.replace(current, hit_type=wanted.hit_type, hit_type_id=None)
    return Change(
        hit_address(current.batch, current.key), Action.RETYPE, KIND, before=current, after=after,
        field_diffs=diffs, reason=reason, cost=change_cost(Action.RETYPE, current, after),
    )


def _add_assignments(wanted: HIT, current: HIT, ignored: set[str]) -> Change | None:
    if "max_assignments" in ignored or wanted.max_assignments <= current.max_assignments:
        return None
    after = dataclasses.replace(current, max_assignments=wanted.max_assignments)
    # Priced at the type the HIT will have: a retype in the same plan applies to new slots too.
    priced = after if "hit_type" in ignored else dataclasses.replace(after, hit_type=wanted.hit_type)
    change = Change(
        hit_address(current.batch, current.key), Action.ADD_ASSIGNMENTS, KIND, before=current, after=after,
        field_diffs=("max_assignments",),
        reason=f"its assignments rise from {current.max_assignments} to {wanted.max_assignments}",
        cost=change_cost(Action.ADD_ASSIGNMENTS, current, priced),
    )
    if current.max_assignments < LARGE_HIT <= wanted.max_assignments:
        return _error(change, (
            f"MTurk cannot raise a HIT from {current.max_assignments} to {wanted.max_assignments} assignments "
            f"(fewer than {LARGE_HIT} to {LARGE_HIT} or more): keep assignments at {LARGE_HIT - 1} or fewer and "
            f"post the rest as a second batch over the same rows (split), or re-post the row as a new HIT with "
            f"{wanted.max_assignments} assignments with `--replace ADDRESS` (the row's address, or "
            f"`batch.{wanted.batch}` for every row of the batch)."
        ))
    return change


def _extend(wanted: HIT, current: HIT, ignored: set[str]) -> Change | None:
    """Move the expiry later (60 s to a year at a time). Within a minute counts as equal."""
    delta = (wanted.expires_at - current.expires_at).total_seconds()
    if "expires_at" in ignored or abs(delta) < EXPIRY_TOLERANCE:
        return None
    after = dataclasses.replace(current, expires_at=wanted.expires_at)
    change = Change(
        hit_address(current.batch, current.key), Action.EXTEND, KIND, before=current, after=after,
        field_diffs=("expires_at",),
        reason=f"its expiry moves from {_when(current.expires_at)} to {_when(wanted.expires_at)}",
    )
    if delta < 0:
        return _error(change, (
            f"MTurk cannot move a HIT's expiry earlier to another future time (it expires at "
            f"{_when(current.expires_at)}; the manifest says {_when(wanted.expires_at)}): keep expires_at at "
            f"{_when(current.expires_at)} or later, or end the batch now with `state: expired` or an expires_at "
            f"in the past."
        ))
    if delta > MAX_LIFETIME:
        return _error(change, (
            f"MTurk extends a HIT by at most one year at a time: move expires_at to "
            f"{_when(current.expires_at + timedelta(seconds=MAX_LIFETIME))} or earlier, apply, then extend again."
        ))
    return change


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

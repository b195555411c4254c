"""What every apply step shares: the caller, the project, and the IDs resolved so far.

Steps run on many threads at once; the two caches here are the only shared mutable state, and
each guards itself. A HIT type is created once per distinct set of properties however many
HITs need it; a qualification requirement's logical name becomes an ID once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable, Mapping

from botocore.exceptions import ClientError

from reconciler.apply.calls import Caller, Interrupted, StepFailed, StillThrottled, error_code, error_message
from reconciler.identity import qualification_tag
from reconciler.model import HITType, QualificationType, Requirement


class UnresolvedQualification(Exception):
    """A requirement or grant names a qualification type whose ID cannot be found."""


class QualificationIds:
    """Logical qualification names → QualificationTypeIds, for requirements and grants.

    Looked up in order: IDs created or adopted during this apply, IDs the live read or the
    plan's before-values carry, then one ListQualificationTypes query by the type's MTurk name
    (owned by the caller and carrying the project tag). System names go through the target's table.
    """

    def __init__(
        self,
        caller: Caller,
        project: str,
        system_ids: Mapping[str, str],
        declared: Iterable[QualificationType] = (),
        known: Iterable[QualificationType] = (),
    ):
        self._caller = caller
        self._tag = qualification_tag(project)
        self._system = dict(system_ids)
        self._names = {qt.name: qt.qualification_name for qt in declared}
        self._ids: dict[str, str] = {}
        self._lock = threading.Lock()
        for qt in known:
            if qt.qualification_type_id and qt.owned:
                self._ids.setdefault(qt.name, qt.qualification_type_id)
                self._names.setdefault(qt.name, qt.qualification_name)

    def register(self, name: str, qualification_type_id: str, qualification_name: str | None = None) -> None:
        """Record the ID a type got (or kept) in this apply; it wins over anything read before."""
        with self._lock:
            self._ids[name] = qualification_type_id
            if qualification_name:
                self._names[name] = qualification_name

    def forget(self, name: str) -> None:
        """Drop a type's ID (it was deleted, e.g. the first half of a replacement)."""
        with self._lock:
            self._ids.pop(name, None)

    def resolve(self, name: str) -> str:
        """The QualificationTypeId of a project type's logical name."""
        with self._lock:
            if name in self._ids:
                return self._ids[name]
            mturk_name = self._names.get(name, name)
        found = self.find_by_name(mturk_name)
        if found is None:
            raise UnresolvedQualification(f"no qualification type named {mturk_name!r} with this project's tag exists")
        self.register(name, found)
        return found

    def find_by_name(self, mturk_name: str) -> str | None:
        """The ID of the caller's type called exactly `mturk_name` that carries the project tag."""
        response = self._caller.call(
            "ListQualificationTypes", Query=mturk_name, MustBeRequestable=False, MustBeOwnedByCaller=True, MaxResults=100
        )
        for item in response.get("QualificationTypes", []):
            keywords = {k.strip() for k in (item.get("Keywords") or "").split(",")}
            if item.get("Name") == mturk_name and self._tag in keywords:
                return str(item["QualificationTypeId"])
        return None

    def requirement_id(self, requirement: Requirement) -> str:
        """The QualificationTypeId a requirement sends: system table, raw foreign ID, or project type."""
        if requirement.system:
            return self._system[requirement.qualification]
        if requirement.foreign:
            return requirement.qualification
        return self.resolve(requirement.qualification)


class HITTypeIds:
    """HITType → HITTypeId, calling CreateHITType once per distinct type even under contention.

    A type that MTurk refused stays refused for the run: every HIT that needs it fails with that
    reason instead of asking again. Being throttled or interrupted is not remembered.
    """

    def __init__(self, create: Callable[[HITType], str]):
        self._create = create
        self._ids: dict[HITType, str] = {}
        self._refused: dict[HITType, str] = {}
        self._locks: dict[HITType, threading.Lock] = {}
        self._guard = threading.Lock()

    def resolve(self, hit_type: HITType) -> str:
        with self._guard:
            lock = self._locks.setdefault(hit_type, threading.Lock())
        with lock:
            with self._guard:
                if hit_type in self._ids:
                    return self._ids[hit_type]
                if hit_type in self._refused:
                    raise StepFailed("HITTypeNotCreated", f"its HIT type could not be created: {self._refused[hit_type]}")
            try:
                type_id = self._create(hit_type)
            except (Interrupted, StillThrottled):
                raise
            except Exception as exc:
                with self._guard:
                    self._refused[hit_type] = _reason(exc)
                raise
            with self._guard:
                self._ids[hit_type] = type_id
            return type_id


def _reason(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return f"{error_code(exc)}: {error_message(exc)}"
    return str(exc)


@dataclass
class StepContext:
    """Everything a step needs besides its change."""

    caller: Caller
    project: str
    qualifications: QualificationIds
    hit_types: HITTypeIds = field(init=False)
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)

    def __post_init__(self) -> None:
        from reconciler.apply.steps.hit_types import create_hit_type

        self.hit_types = HITTypeIds(lambda hit_type: create_hit_type(self, hit_type))

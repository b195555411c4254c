"""The typed model shared by the desired state (from manifests) and the live state (from MTurk).

Everything here is a frozen dataclass of plain values: money is `Decimal`, time is an aware UTC
`datetime`, durations are whole seconds, collections are tuples. Values are normalised when an
object is built (keyword order, reward precision, requirement order), so two objects that mean
the same MTurk state compare equal whichever layer made them. `to_data`/`from_data` turn any of
them into JSON-ready data and back, losslessly (saved plans depend on it).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

CENT = Decimal("0.01")

# Friendly names a manifest may use for MTurk's system qualification types.
SYSTEM_QUALIFICATIONS = ("Masters", "Locale", "PercentAssignmentsApproved", "NumberHITsApproved", "Adult")

# MTurk's ActionsGuarded values, least to most restrictive.
ACTIONS_GUARDED = ("Accept", "PreviewAndAccept", "DiscoverPreviewAndAccept")


def money(value: Decimal | str | int) -> Decimal:
    """A Decimal rounded half-up to the cent: the only shape money takes in the model."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def utc(value: datetime) -> datetime:
    """The same instant as an aware UTC datetime, without sub-second noise (MTurk keeps seconds)."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value.isoformat()} has no time zone")
    return value.astimezone(timezone.utc).replace(microsecond=0)


def normalise_keywords(keywords: typing.Iterable[str]) -> tuple[str, ...]:
    """Keywords as MTurk compares them: trimmed, no empties, no duplicates, sorted."""
    return tuple(sorted({k.strip() for k in keywords if k and k.strip()}))


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Lifecycle:
    """Per-resource guard rails: refuse destructive changes, or ignore some fields' drift."""

    prevent_destroy: bool = False
    ignore_changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Locale:
    country: str
    subdivision: str | None = None


@dataclass(frozen=True)
class Requirement:
    """One qualification requirement of a HIT type.

    `qualification` is the logical name of a project QualificationType, or, when `system` is
    true, one of SYSTEM_QUALIFICATIONS. A live requirement on a type this project does not know
    keeps its raw ID as `qualification` with `system=False` and `foreign=True`.
    """

    qualification: str
    comparator: str
    system: bool = False
    integer_values: tuple[int, ...] = ()
    locale_values: tuple[Locale, ...] = ()
    actions_guarded: str = "Accept"
    foreign: bool = False

    def __post_init__(self) -> None:
        if self.comparator in ("In", "NotIn"):
            _set(self, "integer_values", tuple(sorted(set(self.integer_values))))
            _set(
                self,
                "locale_values",
                tuple(sorted(set(self.locale_values), key=lambda loc: (loc.country, loc.subdivision or ""))),
            )

    def sort_key(self) -> tuple:
        return (not self.system, self.qualification, self.comparator, self.actions_guarded)


@dataclass(frozen=True)
class HITType:
    """The properties MTurk groups HITs by. A value object: equal properties, equal type."""

    title: str
    description: str
    reward: Decimal
    assignment_duration: int
    auto_approval_delay: int = 2_592_000
    keywords: tuple[str, ...] = ()
    requirements: tuple[Requirement, ...] = ()

    def __post_init__(self) -> None:
        _set(self, "title", self.title.strip())
        _set(self, "description", self.description.strip())
        _set(self, "reward", money(self.reward))
        _set(self, "keywords", normalise_keywords(self.keywords))
        _set(self, "requirements", tuple(sorted(self.requirements, key=Requirement.sort_key)))

    @property
    def uses_masters(self) -> bool:
        return any(r.system and r.qualification == "Masters" for r in self.requirements)


@dataclass(frozen=True)
class HIT:
    """One HIT: a batch row (desired) or a HIT this project owns (live).

    `key` is the row key as the annotation records it (see identity.key_ref), so desired and
    live HITs of the same row share (batch, key). Live-only fields stay None on desired HITs.
    """

    batch: str
    key: str
    hit_type: HITType
    question: str
    max_assignments: int
    expires_at: datetime
    generation: int = 0
    hit_id: str | None = None
    hit_type_id: str | None = None
    status: str | None = None
    created_at: datetime | None = None
    assignments_pending: int = 0
    assignments_available: int = 0
    assignments_completed: int = 0

    def __post_init__(self) -> None:
        _set(self, "expires_at", utc(self.expires_at))
        if self.created_at is not None:
            _set(self, "created_at", utc(self.created_at))

    @property
    def row(self) -> tuple[str, str]:
        return (self.batch, self.key)


@dataclass(frozen=True)
class QualificationType:
    """A qualification type. `name` is the logical name used in manifests;
    `qualification_name` is MTurk's unique Name."""

    name: str
    qualification_name: str
    description: str
    keywords: tuple[str, ...] = ()
    status: str = "Active"
    retry_delay: int | None = None
    test: str | None = None
    answer_key: str | None = None
    test_duration: int | None = None
    auto_granted: bool = False
    auto_granted_value: int | None = None
    grants_mode: str = "additive"
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    qualification_type_id: str | None = None
    owned: bool = True

    def __post_init__(self) -> None:
        _set(self, "description", self.description.strip())
        _set(self, "keywords", normalise_keywords(self.keywords))


@dataclass(frozen=True)
class Grant:
    """A worker's score on a project qualification type (by logical name)."""

    qualification: str
    worker_id: str
    value: int


@dataclass(frozen=True)
class WorkerBlock:
    worker_id: str
    reason: str


@dataclass(frozen=True)
class Project:
    name: str
    target: str = "local"
    budget: Decimal | None = None

    def __post_init__(self) -> None:
        if self.budget is not None:
            _set(self, "budget", money(self.budget))


@dataclass(frozen=True)
class Batch:
    """A HIT batch as declared. Its rows are expanded into DesiredState.hits."""

    name: str
    hit_type_name: str
    hit_type: HITType
    assignments: int
    expires_at: datetime
    state: str = "active"
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _set(self, "expires_at", utc(self.expires_at))


@dataclass(frozen=True)
class DesiredState:
    """Everything the manifests declare, validated and expanded. `digest` identifies the inputs."""

    project: Project
    qualification_types: tuple[QualificationType, ...] = ()
    hit_types: tuple[tuple[str, HITType], ...] = ()
    batches: tuple[Batch, ...] = ()
    hits: tuple[HIT, ...] = ()
    grants: tuple[Grant, ...] = ()
    blocks: tuple[WorkerBlock, ...] = ()
    digest: str = ""


@dataclass(frozen=True)
class LiveState:
    """What the account holds that this project owns (plus the balance), normalised.

    `hits` holds every generation still listed by MTurk; `blocks` only the blocks this project
    made; `qualification_types` those the manifests name or that carry the project tag.
    """

    qualification_types: tuple[QualificationType, ...] = ()
    hits: tuple[HIT, ...] = ()
    grants: tuple[Grant, ...] = ()
    blocks: tuple[WorkerBlock, ...] = ()
    balance: Decimal | None = None


# ---------------------------------------------------------------------------------------------
# Lossless JSON-ready codec for every dataclass above (and any other dataclass built the same way).


def to_data(value: object) -> object:
    """A JSON-ready form of a model value: Decimal as string, datetime as ISO-8601 'Z'."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def from_data(tp: object, data: object) -> typing.Any:
    """The inverse of to_data, guided by the type `tp` (a dataclass, or an annotation).

    Data of the wrong shape (a hand-edited saved plan) is a TypeError or ValueError here, never
    a value that fails later, half-way through an apply."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return from_data(args[0], data)
    _check_shape(tp, origin, data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], v) for v in data)  # type: ignore[union-attr]
        return tuple(from_data(a, v) for a, v in zip(args, data))  # type: ignore[arg-type]
    if origin is dict:
        key_tp, val_tp = typing.get_args(tp)
        return {from_data(key_tp, k): from_data(val_tp, v) for k, v in data.items()}  # type: ignore[union-attr]
    if origin is typing.Literal:
        return data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: from_data(hints[f.name], data[f.name]) for f in dataclasses.fields(tp) if f.name in data}  # type: ignore[operator]
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is Decimal:
        return _decimal(data)
    if tp is datetime:
        moment = datetime.fromisoformat(str(data).replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(f"the time {data!r} has no time zone")
        return moment
    if tp is typing.Any or tp is object:
        return data
    return data


_SHAPES: dict[object, tuple[tuple[type, ...], str]] = {
    tuple: ((list, tuple), "a list"),
    dict: ((dict,), "an object"),
    Decimal: ((str,), "a decimal number as text"),
    datetime: ((str,), "a time as text"),
    str: ((str,), "text"),
    int: ((int,), "a whole number"),
    bool: ((bool,), "true or false"),
}


def _check_shape(tp: object, origin: object, data: object) -> None:
    """A TypeError unless `data` has the JSON shape that `tp` is written as (bool is no int)."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        expected, wanted = (dict,), "an object"
    else:
        expected, wanted = _SHAPES.get(origin or tp, ((object,), ""))
    if not isinstance(data, expected) or (tp is int and isinstance(data, bool)):
        raise TypeError(f"expected {wanted}, found {data!r}")


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ValueError(f"{text!r} is not a decimal number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite amount")
    return value

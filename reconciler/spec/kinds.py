"""Schema-valid documents of the small kinds to model objects, with the rules a schema cannot say:
references between documents, MTurk's comparator rules, test files, duplicate workers.

Each builder appends its problems to `errors` and returns what it could build (None when the
document is unusable), so one run reports every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reconciler import identity
from reconciler.errors import Location, SpecError
from reconciler.model import Grant, HITType, Lifecycle, Locale, Project, QualificationType, Requirement, WorkerBlock
from reconciler.spec.documents import Document
from reconciler.spec.questions import QUESTION_LIMIT, is_well_formed
from reconciler.spec.schema import KEYWORD_SEPARATOR, did_you_mean
from reconciler.spec.sources import ProjectFiles
from reconciler.spec.values import dollars, duration_seconds

KEYWORD_LIMIT = 1000
SINGLE_VALUE = ("LessThan", "LessThanOrEqualTo", "GreaterThan", "GreaterThanOrEqualTo", "EqualTo", "NotEqualTo")
MANY_VALUES = ("In", "NotIn")
NO_VALUE = ("Exists", "DoesNotExist")
# Integer ranges of the system qualifications that hold a score.
SYSTEM_RANGES = {"PercentAssignmentsApproved": (0, 100), "NumberHITsApproved": (0, None), "Adult": (0, 1)}


@dataclass
class BuildContext:
    """What builders need to know about the rest of the project."""

    files: ProjectFiles
    project_name: str
    qualification_names: set[str] = field(default_factory=set)
    errors: list[SpecError] = field(default_factory=list)
    check_references: bool = True  # False when a manifest did not parse: its names are unknown

    def base(self, doc: Document) -> Path:
        """The folder paths in `doc` are relative to: its manifest's folder."""
        return doc.folder if doc.folder is not None else self.files.root


def lifecycle(data: dict) -> Lifecycle:
    spec = data.get("lifecycle", {})
    return Lifecycle(bool(spec.get("prevent_destroy", False)), tuple(spec.get("ignore_changes", ())))


def build_project(doc: Document) -> Project:
    data = doc.data
    budget = dollars(data["budget"]) if "budget" in data else None
    return Project(name=data["name"], target=data.get("target", "local"), budget=budget)


def build_qualification_type(doc: Document, ctx: BuildContext) -> tuple[QualificationType, list[Grant]] | None:
    data = doc.data
    before = len(ctx.errors)
    test = answer_key = None
    if "test" in data:
        test = _xml_file(doc, ("test", "question_form"), "QuestionForm", "qualification test", ctx)
        if "answer_key" in data["test"]:
            answer_key = _xml_file(doc, ("test", "answer_key"), "AnswerKey", "answer key", ctx)
        if data.get("auto_granted"):
            ctx.errors.append(doc.error(("auto_granted",), "a qualification type with a test cannot be auto-granted"))
    keywords = list(data.get("keywords", ())) + list(identity.project_keywords(ctx.project_name, str(data["name"])))
    joined = len(KEYWORD_SEPARATOR.join(keywords))
    if joined > KEYWORD_LIMIT:
        message = f"`keywords` and the project's tags are {joined} characters together; MTurk allows at most {KEYWORD_LIMIT}"
        ctx.errors.append(doc.error(("keywords",), message))
    grants = _grants(doc, ctx)
    if len(ctx.errors) > before:
        return None
    qualification = QualificationType(
        name=data["name"],
        qualification_name=data.get("qualification_name", data["name"]),
        description=data["description"],
        keywords=tuple(data.get("keywords", ())),
        status=data.get("status", "Active"),
        retry_delay=duration_seconds(data["retry_delay"]) if "retry_delay" in data else None,
        test=test,
        answer_key=answer_key,
        test_duration=duration_seconds(data["test"]["duration"]) if "test" in data else None,
        auto_granted=bool(data.get("auto_granted", False)),
        auto_granted_value=data.get("auto_granted_value"),
        grants_mode=data.get("grants", {}).get("mode", "additive"),
        lifecycle=lifecycle(data),
    )
    return qualification, grants


def _xml_file(doc: Document, path: tuple, root: str, what: str, ctx: BuildContext) -> str | None:
    file = ctx.base(doc) / doc.data[path[0]][path[1]]
    try:
        text = ctx.files.read_text(file, doc.at(path), what)
    except SpecError as error:
        ctx.errors.append(error)
        return None
    size = len(text.encode("utf-8"))
    problem = is_well_formed(text.strip(), root)
    if problem is None and size > QUESTION_LIMIT:
        problem = f"it is {size:,} bytes; MTurk allows at most {QUESTION_LIMIT:,}"
    if problem:
        ctx.errors.append(SpecError(Location(ctx.files.display(file), 1, 1), f"the {what} is not a valid {root}: {problem}"))
        return None
    return text.strip()


def _grants(doc: Document, ctx: BuildContext) -> list[Grant]:
    grants: list[Grant] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(doc.data.get("grants", {}).get("workers", ())):
        worker = entry["worker"]
        if worker in seen:
            first = doc.at(("grants", "workers", seen[worker]))
            ctx.errors.append(doc.error(("grants", "workers", index, "worker"), f"worker {worker} is granted twice (first on line {first.line})"))
            continue
        seen[worker] = index
        grants.append(Grant(qualification=doc.data["name"], worker_id=worker, value=int(entry["value"])))
    return grants


def build_hit_type(doc: Document, ctx: BuildContext) -> HITType | None:
    data = doc.data
    before = len(ctx.errors)
    requirements = [_requirement(doc, index, ctx) for index in range(len(data.get("qualifications", ())))]
    if len(ctx.errors) > before:
        return None
    return HITType(
        title=data["title"],
        description=data["description"],
        reward=dollars(data["reward"]),
        assignment_duration=duration_seconds(data["assignment_duration"]),
        auto_approval_delay=duration_seconds(data.get("auto_approval_delay", "30d")),
        keywords=tuple(data.get("keywords", ())),
        requirements=tuple(r for r in requirements if r is not None),
    )


def _requirement(doc: Document, index: int, ctx: BuildContext) -> Requirement | None:
    path = ("qualifications", index)
    spec = doc.data["qualifications"][index]
    if ("qualification" in spec) == ("system" in spec):
        ctx.errors.append(doc.error(path, "a requirement names exactly one of `qualification` (a project QualificationType) or `system`"))
        return None
    system = "system" in spec
    name = spec["system"] if system else spec["qualification"]
    if not system and name not in ctx.qualification_names:
        if not ctx.check_references:
            return None
        message = f"requirement refers to QualificationType `{name}`, which is not defined{did_you_mean(name, sorted(ctx.qualification_names))}"
        ctx.errors.append(doc.error(path + ("qualification",), message))
        return None
    problem = comparator_problem(name if system else None, spec)
    if problem:
        ctx.errors.append(doc.error(path + ("comparator",), problem))
        return None
    integers = (spec["value"],) if "value" in spec else tuple(spec.get("values", ()))
    locales = tuple(_locale(text) for text in spec.get("locales", ()))
    return Requirement(
        qualification=name,
        comparator=spec["comparator"],
        system=system,
        integer_values=integers,
        locale_values=locales,
        actions_guarded=spec.get("actions_guarded", "Accept"),
    )


def comparator_problem(system: str | None, spec: dict) -> str | None:
    """Why a requirement's comparator and values break MTurk's rules, or None."""
    comparator = spec["comparator"]
    given = [k for k in ("value", "values", "locales") if k in spec]
    if system == "Masters" and comparator not in NO_VALUE:
        return f"Masters takes the comparator Exists or DoesNotExist, not {comparator}"
    if comparator in NO_VALUE:
        return f"{comparator} takes no values; remove `{given[0]}`" if given else None
    if len(given) != 1:
        return f"{comparator} needs exactly one of {_value_fields(system, comparator)}" + (f"; got {', '.join(given)}" if given else "")
    if system == "Locale":
        return _locale_problem(comparator, spec)
    if "locales" in spec:
        return "`locales` is only for the Locale system qualification"
    if comparator in SINGLE_VALUE and "value" not in spec:
        return f"{comparator} compares with one `value`, not a list"
    if comparator in MANY_VALUES and "values" not in spec:
        return f"{comparator} compares with a list `values`, not one `value`"
    return _range_problem(system, [spec["value"]] if "value" in spec else spec["values"])


def _value_fields(system: str | None, comparator: str) -> str:
    if system == "Locale":
        return "`locales`"
    return "`value`" if comparator in SINGLE_VALUE else "`values`"


def _locale_problem(comparator: str, spec: dict) -> str | None:
    if "locales" not in spec:
        return "the Locale qualification compares with `locales` (e.g. [US, CA]), not integers"
    if comparator in ("EqualTo", "NotEqualTo"):
        return None if len(spec["locales"]) == 1 else f"{comparator} compares with exactly one locale"
    if comparator not in MANY_VALUES:
        return f"the Locale qualification takes EqualTo, NotEqualTo, In, NotIn, Exists or DoesNotExist, not {comparator}"
    return None


def _range_problem(system: str | None, values: list[int]) -> str | None:
    low, high = SYSTEM_RANGES.get(system or "", (None, None))
    for value in values:
        if (low is not None and value < low) or (high is not None and value > high):
            bound = f"{low} to {high}" if high is not None else f"{low} or more"
            return f"{system} values are {bound}; got {value}"
    return None


def _locale(text: str) -> Locale:
    country, _, subdivision = text.partition("-")
    return Locale(country=country, subdivision=subdivision or None)


def build_blocks(doc: Document, seen: dict[str, Location], errors: list[SpecError]) -> list[WorkerBlock]:
    """The blocks of one WorkerBlock document; `seen` spans every document (a worker is blocked once)."""
    blocks = []
    for index, entry in enumerate(doc.data["workers"]):
        worker, where = entry["worker"], doc.at(("workers", index, "worker"))
        reason = entry.get("reason", doc.data.get("reason"))
        if worker in seen:
            errors.append(SpecError(where, f"worker {worker} is blocked twice (first at {seen[worker]})"))
        elif reason is None:
            errors.append(SpecError(where, f"worker {worker} has no `reason`; give one here or a `reason` for the whole document"))
        else:
            seen[worker] = where
            blocks.append(WorkerBlock(worker_id=worker, reason=reason))
    return blocks

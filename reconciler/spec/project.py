"""Load a project folder into the desired state, or report every problem in it.

Order: parse every manifest (keeping line numbers) → check each document against its kind's
schema → cross-document checks (one Project, unique names, references) → build the model and
expand batches. Every stage records errors and carries on, so one run reports them all;
checks that would only echo an earlier failure (a reference into a file that did not parse)
are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from reconciler.errors import Location, SpecError, SpecErrors
from reconciler.model import DesiredState, Grant, HITType, Project, QualificationType, WorkerBlock
from reconciler.spec.batches import expand_batch
from reconciler.spec.documents import Document, parse_documents
from reconciler.spec.kinds import BuildContext, build_blocks, build_hit_type, build_project, build_qualification_type
from reconciler.spec.questions import TemplateSet
from reconciler.spec.schema import KINDS, did_you_mean, schema_errors
from reconciler.spec.sources import ProjectFiles

FALLBACK_PROJECT_NAME = "project"  # lets batches be checked when the Project document is broken


@dataclass
class _Manifests:
    """The parsed documents, sorted by kind, and what went wrong reading them."""

    valid: dict[str, list[Document]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    declared: dict[str, dict[str, Document]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    project_documents: list[Document] = field(default_factory=list)
    incomplete: bool = False  # a file did not parse or a document has no known kind: names may be missing


def load_project(path: Path, *, now: datetime | None = None) -> DesiredState:
    """The validated, expanded desired state of the project folder at `path`.

    Raises SpecErrors holding every problem found, each located at file:line:col.
    `now` (default: the clock) bounds `expires_at` to one year ahead.
    """
    root = Path(path)
    if not root.is_dir():
        problem = "does not exist" if not root.exists() else "is not a folder"
        raise SpecErrors([SpecError(Location(str(path)), f"project folder {path} {problem}")])
    files = ProjectFiles(root)
    errors: list[SpecError] = []
    manifests = _read_manifests(files, errors)
    if not manifests.incomplete:
        _check_project_count(files, manifests, errors)
    _check_unique_names(manifests, errors)
    desired = _build(files, manifests, errors, now or datetime.now(timezone.utc))
    if errors:
        raise SpecErrors(sorted(errors, key=_error_order))
    assert desired is not None
    return desired


def _read_manifests(files: ProjectFiles, errors: list[SpecError]) -> _Manifests:
    manifests = _Manifests()
    paths = files.manifests()
    if not paths:
        message = f"no manifests in {files.root}: a project is a folder of *.yaml files, one of them `kind: Project`"
        errors.append(SpecError(Location(str(files.root)), message))
        manifests.incomplete = True
    for path in paths:
        try:
            text = files.read_text(path, what="manifest")
        except SpecError as error:
            errors.append(error)
            manifests.incomplete = True
            continue
        documents, parse_errors = parse_documents(text, files.display(path))
        errors.extend(parse_errors)
        manifests.incomplete |= bool(parse_errors)
        for doc in documents:
            doc.folder = path.parent
            _classify(doc, manifests, errors)
    return manifests


def _classify(doc: Document, manifests: _Manifests, errors: list[SpecError]) -> None:
    """Check a document's kind and schema; file it as valid, and record its name either way."""
    if not isinstance(doc.data, dict):
        shape = "a list" if isinstance(doc.data, list) else "a single value"
        errors.append(doc.error((), f"a manifest document must be a mapping with `kind` and `name`, not {shape}"))
        manifests.incomplete = True
        return
    kind = doc.data.get("kind")
    if kind is None:
        errors.append(doc.error((), f"document has no `kind`; use one of {', '.join(KINDS)}"))
        manifests.incomplete = True
        return
    if kind not in KINDS:
        hint = did_you_mean(kind, list(KINDS)) if isinstance(kind, str) else ""
        errors.append(doc.error(("kind",), f"unknown kind `{kind}`{hint}; the kinds are {', '.join(KINDS)}"))
        manifests.incomplete = True
        return
    if kind == "Project":
        manifests.project_documents.append(doc)
    problems = schema_errors(doc, kind)
    errors.extend(problems)
    name = doc.data.get("name")
    if isinstance(name, str):
        manifests.declared[kind].setdefault(name, doc)
    if not problems:
        manifests.valid[kind].append(doc)


def _check_project_count(files: ProjectFiles, manifests: _Manifests, errors: list[SpecError]) -> None:
    documents = manifests.project_documents
    if not documents:
        message = "no `kind: Project` document: a project folder needs exactly one (it names the project)"
        errors.append(SpecError(Location(str(files.root)), message))
    for extra in documents[1:]:
        message = f"a second Project document (the first is at {documents[0].at()}); a project folder has exactly one"
        errors.append(extra.error((), message))


def _check_unique_names(manifests: _Manifests, errors: list[SpecError]) -> None:
    for kind in KINDS:
        if kind == "Project":
            continue
        first: dict[str, Document] = {}
        for doc in manifests.valid[kind]:
            name = doc.data["name"]
            if name in first:
                message = f"duplicate {kind} name `{name}` (first defined at {first[name].at(('name',))})"
                errors.append(doc.error(("name",), message))
            else:
                first[name] = doc
        manifests.valid[kind] = list(first.values())


def _build(files: ProjectFiles, manifests: _Manifests, errors: list[SpecError], now: datetime) -> DesiredState | None:
    valid = manifests.valid
    project = build_project(valid["Project"][0]) if len(valid["Project"]) == 1 else None
    ctx = BuildContext(
        files,
        project.name if project else FALLBACK_PROJECT_NAME,
        set(manifests.declared["QualificationType"]),
        errors,
        check_references=not manifests.incomplete,
    )
    qualifications, grants = _qualification_types(valid["QualificationType"], ctx)
    hit_types = {doc.data["name"]: build_hit_type(doc, ctx) for doc in valid["HITType"]}
    templates = TemplateSet(files)
    batches, hits = [], []
    for doc in valid["HITBatch"]:
        hit_type = _referenced_hit_type(doc, hit_types, manifests, errors)
        batch, batch_hits = expand_batch(doc, ctx, hit_type, templates, now)
        if batch is not None:
            batches.append(batch)
            hits.extend(batch_hits)
    blocks = _blocks(valid["WorkerBlock"], errors)
    if project is None:
        return None
    return DesiredState(
        project=project,
        qualification_types=tuple(qualifications),
        hit_types=tuple((name, hit_type) for name, hit_type in hit_types.items() if hit_type is not None),
        batches=tuple(batches),
        hits=tuple(hits),
        grants=tuple(grants),
        blocks=tuple(blocks),
        digest=files.digest(),
    )


def _qualification_types(docs: list[Document], ctx: BuildContext) -> tuple[list[QualificationType], list[Grant]]:
    qualifications: list[QualificationType] = []
    grants: list[Grant] = []
    mturk_names: dict[str, Document] = {}
    for doc in docs:
        built = build_qualification_type(doc, ctx)
        mturk_name = doc.data.get("qualification_name", doc.data["name"])
        if mturk_name in mturk_names:
            first = mturk_names[mturk_name].at()
            ctx.errors.append(doc.error(("name",), f"MTurk name {mturk_name!r} is also used by the qualification type at {first}; MTurk names are unique"))
            continue
        mturk_names[mturk_name] = doc
        if built is not None:
            qualifications.append(built[0])
            grants.extend(built[1])
    return qualifications, grants


def _referenced_hit_type(
    doc: Document, hit_types: dict[str, HITType | None], manifests: _Manifests, errors: list[SpecError]
) -> HITType | None:
    name = doc.data["hit_type"]
    if name in hit_types:
        return hit_types[name]
    if name not in manifests.declared["HITType"] and not manifests.incomplete:
        known = sorted(manifests.declared["HITType"])
        errors.append(doc.error(("hit_type",), f"HITBatch `{doc.data['name']}` refers to HITType `{name}`, which is not defined{did_you_mean(name, known)}"))
    return None


def _blocks(docs: list[Document], errors: list[SpecError]) -> list[WorkerBlock]:
    seen: dict[str, Location] = {}
    blocks: list[WorkerBlock] = []
    for doc in docs:
        blocks.extend(build_blocks(doc, seen, errors))
    return blocks


def _error_order(error: SpecError) -> tuple:
    loc = error.location
    if loc is None:
        return ("", 0, 0)
    return (loc.file, loc.line or 0, loc.column or 0)


def summary(desired: DesiredState) -> str:
    """One line: the project, its target, and how much of each kind it declares."""
    counts = [
        (len(desired.qualification_types), "qualification type"),
        (len(desired.hit_types), "HIT type"),
        (len(desired.batches), "batch", "batches"),
        (len(desired.hits), "HIT"),
        (len(desired.grants), "grant"),
        (len(desired.blocks), "worker block"),
    ]
    parts = [_count(*count) for count in counts]
    project: Project = desired.project
    return f"Project {project.name} (target {project.target}): {', '.join(parts)}. Manifests are valid."


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"

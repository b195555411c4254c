"""Rehearse a batch's life on the emulator: find the project's HITs, have workers do them.

MTurk's requester API has no worker side; `reconciler emulator work` uses the engine's own
worker functions to accept and submit assignments on a batch's open HITs, found by the
RequesterAnnotation the project writes on every HIT it creates.
"""

from __future__ import annotations

import importlib
import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import yaml

from reconciler.emulator import answers as answer_docs
from reconciler.emulator.errors import MTurkError
from reconciler.errors import ReconcilerError
from reconciler.identity import HitAnnotation, parse_annotation

GENERATED_WORKER_PREFIX = "AEMULATED"


class RehearsalError(ReconcilerError):
    """The rehearsal cannot go ahead (no project, no open HITs, a worker refused)."""


def list_all_hits(engine: Any) -> list[dict]:
    """Every HIT of the account, following ListHITs pages of 100."""
    hits: list[dict] = []
    params: dict = {"MaxResults": 100}
    while True:
        page = engine.call("ListHITs", params)
        hits.extend(page.get("HITs", []))
        token = page.get("NextToken")
        if not token or not page.get("HITs"):
            return hits
        params = {"MaxResults": 100, "NextToken": token}


def project_name(project_dir: Path) -> str:
    """The `name` of the project's Project manifest (through the spec loader when there is one)."""
    spec = importlib.import_module("reconciler.spec")
    load_project = getattr(spec, "load_project", None)
    if load_project is not None:
        return load_project(project_dir).project.name
    return _scan_project_name(project_dir)


def _scan_project_name(project_dir: Path) -> str:
    """Find `kind: Project` in the folder's YAML files (safe loading, hidden folders skipped)."""
    names = set()
    for path in sorted(project_dir.rglob("*")):
        relative = path.relative_to(project_dir)
        if path.suffix not in {".yaml", ".yml"} or any(part.startswith(".") for part in relative.parts):
            continue
        try:
            documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise RehearsalError(f"Cannot read {path}: {exc}".splitlines()[0]) from None
        for document in documents:
            if isinstance(document, dict) and document.get("kind") == "Project" and isinstance(document.get("name"), str):
                names.add(document["name"])
    if len(names) != 1:
        found = "no Project manifest" if not names else f"{len(names)} Project manifests"
        raise RehearsalError(f"Found {found} under {project_dir}: a project has exactly one (kind: Project).")
    return names.pop()


@dataclass(frozen=True)
class OpenHit:
    """A HIT of the batch that workers can still accept."""

    hit_id: str
    annotation: HitAnnotation
    available: int
    question: str | None
    done_by: frozenset[str]  # workers with an assignment on it already


def open_hits(engine: Any, project: str, batch: str) -> list[OpenHit]:
    """The batch's Assignable HITs with assignments available, in row-key order."""
    found = []
    for hit in list_all_hits(engine):
        tag = parse_annotation(hit.get("RequesterAnnotation"))
        if tag is None or (tag.project, tag.batch) != (project, batch):
            continue
        if hit.get("HITStatus") != "Assignable" or not hit.get("NumberOfAssignmentsAvailable"):
            continue
        found.append(OpenHit(hit["HITId"], tag, hit["NumberOfAssignmentsAvailable"], hit.get("Question"), _workers_on(engine, hit["HITId"])))
    return sorted(found, key=lambda h: (h.annotation.key, h.annotation.generation))


def _workers_on(engine: Any, hit_id: str) -> frozenset[str]:
    workers, params = set(), {"HITId": hit_id, "MaxResults": 100}
    while True:
        page = engine.call("ListAssignmentsForHIT", params)
        workers.update(a["WorkerId"] for a in page.get("Assignments", []))
        if not page.get("NextToken") or not page.get("Assignments"):
            return frozenset(workers)
        params = {"HITId": hit_id, "MaxResults": 100, "NextToken": page["NextToken"]}


def generated_workers() -> Iterator[str]:
    """AEMULATED00001, AEMULATED00002, …: valid worker IDs that say where they come from."""
    return (f"{GENERATED_WORKER_PREFIX}{n:05d}" for n in itertools.count(1))


def plan_slots(hits: list[OpenHit], count: int, worker_ids: Iterable[str] | None) -> list[tuple[OpenHit, str]]:
    """Which worker does which HIT: round after round over the HITs, one assignment each per
    round, so work spreads like a crowd's does; no worker does the same HIT twice."""
    pool = list(worker_ids) if worker_ids else None
    pickers = {h.hit_id: (w for w in (pool or generated_workers()) if w not in h.done_by) for h in hits}
    left = {h.hit_id: h.available for h in hits}
    slots: list[tuple[OpenHit, str]] = []
    while len(slots) < count and any(left.values()):
        for hit in hits:
            if len(slots) == count or not left[hit.hit_id]:
                continue
            worker = next(pickers[hit.hit_id], None)
            if worker is None:
                left[hit.hit_id] = 0
                continue
            slots.append((hit, worker))
            left[hit.hit_id] -= 1
    return slots


@dataclass
class WorkReport:
    """What a rehearsal did."""

    requested: int
    submitted: list[tuple[str, str, str]] = field(default_factory=list)  # (hit, worker, assignment)

    @property
    def hits(self) -> int:
        return len({hit for hit, _, _ in self.submitted})

    @property
    def workers(self) -> list[str]:
        return sorted({worker for _, worker, _ in self.submitted})


AnswerSource = Callable[[OpenHit], dict[str, str]]


def random_answer_source(seed: int | None = None) -> AnswerSource:
    """Answers drawn from each HIT's own question fields."""
    rng = random.Random(seed)
    return lambda hit: answer_docs.random_answers(answer_docs.question_fields(hit.question), rng)


def file_answer_source(path: Path) -> AnswerSource:
    """Answers read from a CSV/JSON/JSON lines file (records with a `key` go to that row's HIT)."""
    answer_file = answer_docs.AnswerFile(path)
    return lambda hit: answer_file.answers_for(hit.annotation.key)


def do_work(engine: Any, slots: list[tuple[OpenHit, str]], answers: AnswerSource) -> WorkReport:
    """Accept and submit each slot's assignment with the engine's worker functions."""
    from reconciler.emulator import workers

    report = WorkReport(requested=len(slots))
    for hit, worker in slots:
        fields = answer_docs.question_fields(hit.question)
        document = answer_docs.answer_document(answers(hit), fields)
        try:
            assignment = workers.accept(engine, hit.hit_id, worker)
            workers.submit(engine, assignment, document)
        except MTurkError as exc:
            done = f"after {len(report.submitted)} submitted, " if report.submitted else ""
            raise RehearsalError(
                f"Worker {worker} could not work on HIT {hit.hit_id} (row {hit.annotation.key}), "
                f"{done}the emulator said: {exc.message}"
            ) from None
        report.submitted.append((hit.hit_id, worker, assignment))
    return report

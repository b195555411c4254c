"""Rehearse a batch's life on the emulator: find the project's HITs, have workers do them.

MTurk's requester API has no worker side; `reconciler emulator work` uses the engine's own
worker functions to accept and submit assignments on a batch's open HITs, found by the
RequesterAnnotation the project writes on every HIT it creates.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from reconciler.emulator import answers as answer_docs
from reconciler.emulator import workers
from reconciler.emulator.errors import WORKER_ERROR, MTurkError
from reconciler.errors import ReconcilerError, SpecErrors
from reconciler.identity import HitAnnotation, parse_annotation

GENERATED_WORKER_PREFIX = "AEMULATED"


class RehearsalError(ReconcilerError):
    """The rehearsal cannot go ahead (no project, no open HITs, a worker refused)."""


def list_all_hits(engine: Any) -> list[dict]:
    """Every HIT of the account, following ListHITs pages of 100."""
    return list(_pages(engine, "ListHITs", "HITs"))


def project_name(project_dir: Path) -> str:
    """The `name` of the project's Project manifest, read by the spec loader."""
    return project_batches(project_dir)[0]


def project_batches(project_dir: Path) -> tuple[str, tuple[str, ...]]:
    """The project's name and the names of its batches, read by the spec loader."""
    from reconciler.spec import load_project

    try:
        desired = load_project(project_dir)
        return desired.project.name, tuple(batch.name for batch in desired.batches)
    except SpecErrors as exc:
        first = exc.errors[0] if exc.errors else exc
        more = f" (and {len(exc.errors) - 1} more; see `reconciler validate`)" if len(exc.errors) > 1 else ""
        raise RehearsalError(f"The project's manifests do not load: {first}{more}") from None


@dataclass(frozen=True)
class OpenHit:
    """A HIT of the batch that workers can still accept."""

    hit_id: str
    annotation: HitAnnotation
    available: int
    question: str | None
    required_types: tuple[str, ...]  # QualificationTypeIds of its requirements
    auto_approval_delay: int  # seconds from submission to automatic approval
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
        required = tuple(r["QualificationTypeId"] for r in hit.get("QualificationRequirements", []))
        found.append(OpenHit(
            hit["HITId"], tag, hit["NumberOfAssignmentsAvailable"], hit.get("Question"), required,
            int(hit.get("AutoApprovalDelayInSeconds", 0)),
            frozenset(a["WorkerId"] for a in _pages(engine, "ListAssignmentsForHIT", "Assignments", HITId=hit["HITId"])),
        ))
    return sorted(found, key=lambda h: (h.annotation.key, h.annotation.generation))


def _pages(engine: Any, operation: str, result_key: str, **params: Any) -> Iterator[dict]:
    """Every item of a paginated list operation."""
    request = {**params, "MaxResults": 100}
    while True:
        page = engine.call(operation, request)
        yield from page.get(result_key, [])
        if not page.get("NextToken") or not page.get(result_key):
            return
        request = {**params, "MaxResults": 100, "NextToken": page["NextToken"]}


def generated_workers() -> Iterator[str]:
    """AEMULATED00001, AEMULATED00002, …: valid worker IDs that say where they come from."""
    return (f"{GENERATED_WORKER_PREFIX}{n:05d}" for n in itertools.count(1))


def granted_workers(engine: Any, type_ids: Iterable[str]) -> list[str]:
    """Workers granted any of the requester's own types among `type_ids` (system types have none)."""
    workers: set[str] = set()
    for type_id in dict.fromkeys(type_ids):
        try:
            workers.update(q["WorkerId"] for q in _pages(
                engine, "ListWorkersWithQualificationType", "Qualifications", QualificationTypeId=type_id, Status="Granted"
            ))
        except MTurkError:
            continue  # a system qualification: every emulated worker has its profile value
    return sorted(workers)


def candidates(engine: Any, hit: OpenHit, worker_ids: list[str] | None) -> Iterator[str]:
    """Who to ask to do a HIT, in order: the given workers, else workers holding the
    qualifications it requires, then generated workers. Nobody who already did it."""
    pool: Iterable[str]
    if worker_ids:
        pool = worker_ids
    else:
        pool = itertools.chain(granted_workers(engine, hit.required_types), generated_workers())
    return (worker for worker in pool if worker not in hit.done_by)


@dataclass
class WorkReport:
    """What a rehearsal did, and why a worker could not take a HIT (the first reason seen)."""

    submitted: list[tuple[str, str, str]] = field(default_factory=list)  # (hit, worker, assignment)
    refusal: str | None = None

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


def do_work(engine: Any, hits: list[OpenHit], count: int, answers: AnswerSource,
            worker_ids: list[str] | None = None) -> WorkReport:
    """Accept and submit up to `count` assignments: round after round over the HITs, one
    assignment each per round, so work spreads like a crowd's does."""
    report = WorkReport()
    queues = {hit.hit_id: candidates(engine, hit, worker_ids) for hit in hits}
    left = {hit.hit_id: hit.available for hit in hits}
    while len(report.submitted) < count and any(left.values()):
        for hit in hits:
            if len(report.submitted) == count or not left[hit.hit_id]:
                continue
            taken = _accept_next(engine, hit, queues[hit.hit_id], report)
            if taken is None:
                left[hit.hit_id] = 0
                continue
            worker, assignment = taken
            document = answer_docs.answer_document(answers(hit), answer_docs.question_fields(hit.question))
            _worker_step(lambda: workers.submit(engine, assignment, document), hit, worker)
            report.submitted.append((hit.hit_id, worker, assignment))
            left[hit.hit_id] -= 1
    return report


GIVE_UP_AFTER = 3  # generated workers all share one profile: if three in a row are refused, all are


def _accept_next(engine: Any, hit: OpenHit, queue: Iterator[str], report: WorkReport) -> tuple[str, str] | None:
    """The next candidate who may accept the HIT, and their assignment; None when nobody can."""
    refused_in_a_row = 0
    for worker in queue:
        try:
            return worker, workers.accept(engine, hit.hit_id, worker)
        except MTurkError as exc:
            if exc.turk_error_code != WORKER_ERROR:
                raise RehearsalError(_failure(worker, hit, exc)) from None
            report.refusal = report.refusal or exc.message
            refused_in_a_row += 1
            if worker.startswith(GENERATED_WORKER_PREFIX) and refused_in_a_row >= GIVE_UP_AFTER:
                return None
    return None


def _worker_step(step: Callable[[], Any], hit: OpenHit, worker: str) -> None:
    try:
        step()
    except MTurkError as exc:
        raise RehearsalError(_failure(worker, hit, exc)) from None


def _failure(worker: str, hit: OpenHit, exc: MTurkError) -> str:
    return f"Worker {worker} could not work on HIT {hit.hit_id} (row {hit.annotation.key}): {exc.message}"

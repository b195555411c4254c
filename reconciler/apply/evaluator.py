"""The walker that executes: each stage's work on a bounded thread pool sharing one client.

Within a stage every change is independent (the stage order carries the dependencies), so up
to `parallelism` run at once. A stop request (Ctrl-C) lets the steps already running finish,
marks everything else "not started", and skips the remaining stages.
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Sequence

from botocore.exceptions import ClientError

from reconciler.apply.calls import CallFailure, Interrupted, StepFailed, StillThrottled, error_code, error_message
from reconciler.apply.console import ApplyConsole
from reconciler.apply.context import StepContext, UnresolvedQualification
from reconciler.apply.report import Outcome, Status
from reconciler.apply.stages import Stage
from reconciler.apply.steps import step_for
from reconciler.mturk.failures import redact

@dataclass(frozen=True)
class Work:
    """One unit a pool thread runs: a change's step, or resolving one HIT type."""

    address: str
    kind: str
    action: str
    cost: Decimal
    run: Callable[[], str]

    def outcome(self, status: Status, **fields: str | None) -> Outcome:
        return Outcome(self.address, self.action, status, self.cost, self.kind, **fields)  # type: ignore[arg-type]


def stage_work(stage: Stage, context: StepContext) -> list[Work]:
    """The units of a stage, bound to the context they run with."""
    work = [
        Work(label, "hit_type", "resolve", Decimal("0.00"), lambda t=hit_type: context.hit_types.resolve(t))
        for label, hit_type in stage.hit_types
    ]
    for change in stage.changes:
        step = step_for(change)
        assert step is not None  # build_stages refused unknown changes
        run = lambda s=step, c=change: s.run(context, c)  # noqa: E731 (bound per change)
        work.append(Work(change.address, change.kind, change.action.value, change.cost, run))
    return work


def attempt(work: Work, stop: threading.Event) -> Outcome:
    """Run one unit and classify how it ended. Never raises."""
    if stop.is_set():
        return work.outcome(Status.NOT_STARTED, message="apply was interrupted before it started")
    try:
        return work.outcome(Status.DONE, detail=work.run())
    except Interrupted:
        return work.outcome(Status.NOT_STARTED, message="apply was interrupted while it waited to retry")
    except StillThrottled:
        return work.outcome(Status.NOT_STARTED, message="MTurk kept throttling these calls; run apply again later")
    except ClientError as exc:
        return work.outcome(Status.FAILED, code=error_code(exc), message=redact(error_message(exc)))
    except CallFailure as exc:
        return work.outcome(Status.FAILED, code=exc.code, message=redact(exc.message))
    except StepFailed as exc:
        return work.outcome(Status.FAILED, code=exc.code, message=exc.message)
    except UnresolvedQualification as exc:
        return work.outcome(Status.FAILED, code="UnresolvedQualification", message=str(exc))
    except Exception as exc:  # a bug in one step must not abandon the other rows mid-apply
        return work.outcome(Status.FAILED, code=type(exc).__name__, message=redact(str(exc)))


class Evaluator:
    """Executes stages in order and returns one Outcome per unit of work."""

    def __init__(self, context: StepContext, console: ApplyConsole, parallelism: int, stop: threading.Event):
        self.context = context
        self.console = console
        self.parallelism = max(1, parallelism)
        self.stop = stop

    def evaluate(self, stages: Sequence[Stage]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for stage in stages:
            work = stage_work(stage, self.context)
            if self.stop.is_set():
                outcomes.extend(attempt(w, self.stop) for w in work)
                continue
            outcomes.extend(self._run_stage(stage.name, work))
        return outcomes

    def _run_stage(self, name: str, work: list[Work]) -> list[Outcome]:
        """Run a stage's units on the pool; outcomes come back through a queue (O(1) each,
        where waiting on thousands of futures at once would cost O(n) per wake-up)."""
        self.console.start_stage(name, len(work))
        finished: queue.Queue[Outcome] = queue.Queue()
        running = _Counter()

        def run(unit: Work) -> None:
            with running:
                finished.put(attempt(unit, self.stop))

        with ThreadPoolExecutor(max_workers=min(self.parallelism, len(work)), thread_name_prefix="apply") as pool:
            for unit in work:
                pool.submit(run, unit)
            results = self._collect(finished, len(work), running)
        self.console.finish_stage()
        return results

    def _collect(self, finished: queue.Queue[Outcome], expected: int, running: _Counter) -> list[Outcome]:
        """Take outcomes as they finish; heartbeat while waiting; announce a stop once."""
        results: list[Outcome] = []
        last_beat = time.monotonic()
        announced = False
        while len(results) < expected:
            try:
                results.append(finished.get(timeout=self.console.heartbeat_seconds))
                self.console.advance(results[-1])
            except queue.Empty:
                pass
            if time.monotonic() - last_beat >= self.console.heartbeat_seconds:
                self.console.heartbeat()
                last_beat = time.monotonic()
            if self.stop.is_set() and not announced:
                announced = True
                self.console.stopping(running.value)
        return results


class _Counter:
    """How many units are running right now (a context manager around each run)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def __enter__(self) -> None:
        with self._lock:
            self.value += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.value -= 1

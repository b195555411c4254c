"""How apply shows its progress: a rich bar per stage on a terminal, plain lines otherwise.

The evaluator only calls these methods; which console is used is decided once, from whether
the output is a terminal. On CI (no terminal) each stage gets a start and an end line, and a
heartbeat line every few seconds shows the job is alive.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import IO, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reconciler.apply.report import Outcome, Status

HEARTBEAT_SECONDS = 5.0


class ApplyConsole(Protocol):
    heartbeat_seconds: float

    def start_stage(self, name: str, total: int) -> None: ...
    def advance(self, outcome: Outcome) -> None: ...
    def heartbeat(self) -> None: ...
    def finish_stage(self) -> None: ...
    def stopping(self, in_flight: int) -> None: ...


class PlainConsole:
    """One line per stage and a heartbeat: readable in CI logs."""

    def __init__(self, stream: IO[str], heartbeat_seconds: float = HEARTBEAT_SECONDS):
        self.stream = stream
        self.heartbeat_seconds = heartbeat_seconds
        self._name = ""
        self._total = 0
        self._counts: Counter[Status] = Counter()
        self._started = 0.0
        self._closed = False

    def _print(self, text: str) -> None:
        """Write one line; once the reader has gone (`| head`, a dead log collector), stop writing
        rather than stop the apply half-way through its stages."""
        if self._closed:
            return
        try:
            self.stream.write(text + "\n")
            self.stream.flush()
        except (BrokenPipeError, ValueError):  # ValueError: the stream was closed
            self._closed = True

    def start_stage(self, name: str, total: int) -> None:
        self._name, self._total, self._counts, self._started = name, total, Counter(), time.monotonic()
        self._print(f"{name}: {total} to do")

    def advance(self, outcome: Outcome) -> None:
        self._counts[outcome.status] += 1

    def heartbeat(self) -> None:
        elapsed = time.monotonic() - self._started
        self._print(f"  … {self._name}: {self._progress()} ({elapsed:.0f}s)")

    def finish_stage(self) -> None:
        elapsed = time.monotonic() - self._started
        self._print(f"{self._name}: {self._progress()} in {elapsed:.1f}s")

    def stopping(self, in_flight: int) -> None:
        self._print(f"Stopping: letting {in_flight} call(s) in flight finish; starting nothing new.")

    def _progress(self) -> str:
        c = self._counts
        text = f"{c[Status.DONE]}/{self._total} done"
        if c[Status.FAILED]:
            text += f", {c[Status.FAILED]} failed"
        if c[Status.NOT_STARTED]:
            text += f", {c[Status.NOT_STARTED]} not started"
        return text


class TerminalConsole:
    """A rich progress bar per stage (they stay on screen as a record of the run)."""

    heartbeat_seconds = 0.5

    def __init__(self, console: Console):
        self.console = console
        self._progress = Progress(
            TextColumn("{task.description:<44}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]}"),
            TimeElapsedColumn(),
            console=console,
        )
        self._task = None
        self._failed = 0

    def start_stage(self, name: str, total: int) -> None:
        if self._task is None:
            self._progress.start()
        self._failed = 0
        self._task = self._progress.add_task(name, total=total, failed="")

    def advance(self, outcome: Outcome) -> None:
        if outcome.status is Status.FAILED:
            self._failed += 1
        self._progress.update(self._task, advance=1, failed=f"{self._failed} failed" if self._failed else "")

    def heartbeat(self) -> None:
        self._progress.refresh()

    def finish_stage(self) -> None:
        self._progress.refresh()

    def stopping(self, in_flight: int) -> None:
        self.console.print(f"Stopping: letting {in_flight} call(s) in flight finish; starting nothing new.")

    def close(self) -> None:
        if self._task is not None:
            self._progress.stop()

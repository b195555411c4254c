"""`reconciler emulator …`: serve the emulator over HTTP, move its clock, rehearse work, inspect it.

Every command but `serve` works on a project's local state file (`PATH/.reconciler/local.sqlite3`,
the one the `local` target uses) or on the file given with `--state`.
"""

from __future__ import annotations

import functools
import signal
import sqlite3
import sys
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import typer

from reconciler.emulator.durations import parse_duration, parse_rate
from reconciler.emulator.errors import MTurkError
from reconciler.emulator.paths import state_path
from reconciler.errors import ReconcilerError

emulator_app = typer.Typer(
    help="The local MTurk emulator behind the `local` target.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PATH_ARGUMENT = typer.Argument(Path("."), help="The project folder (its state is .reconciler/local.sqlite3).")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STATE_OPTION = typer.Option(None, "--state", help="Use this state file instead of the project's.")


class EmulatorCommandError(ReconcilerError):
    """A bad flag value or a refusal from the emulator, reported as one sentence."""


def reported(func: Callable) -> Callable:
    """Run a command under the main CLI's error handling (one line, an exit code, no traceback)."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValueError as exc:
            raise EmulatorCommandError(str(exc)) from exc
        except MTurkError as exc:
            raise EmulatorCommandError(f"The emulator refused: {exc.message}") from exc

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from reconciler.cli import handle_errors  # imported late: reconciler.cli imports this module

        return handle_errors(guarded)(*args, **kwargs)

    return wrapper


def resolve_state(project: Path, state: Path | None) -> str:
    """The state file a command works on: `--state`, else the project's local state."""
    if state is None:
        return str(state_path(project))
    if str(state) == ":memory:":
        return ":memory:"
    if not state.parent.is_dir():
        raise EmulatorCommandError(f"The folder of the state file {state} does not exist.")
    return str(state)


@contextmanager
def open_engine(path: str, **options: Any) -> Iterator[Any]:
    """An engine on a state file, closed afterwards."""
    from reconciler.emulator import Engine

    try:
        engine = Engine(path, **options)
    except sqlite3.Error as exc:
        raise EmulatorCommandError(f"Cannot open the emulator state {path}: {exc}.") from None
    try:
        yield engine
    finally:
        close = getattr(engine, "close", None)
        if close is not None:
            close()


def _utc(epoch: float | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M")


@emulator_app.command()
@reported
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback unless told otherwise)."),
    port: int = typer.Option(8080, "--port", min=0, max=65535, help="Port to listen on; 0 picks a free one."),
    state: Optional[Path] = typer.Option(
        None, "--state", help="State file (default: ./.reconciler/local.sqlite3; `:memory:` for a throwaway account)."
    ),
    latency: str = typer.Option("0", "--latency", help="Delay every call, e.g. 50ms (±20% jitter)."),
    throttle: Optional[str] = typer.Option(None, "--throttle", help="Answer ThrottlingException above this rate, e.g. 20/s."),
    burst: Optional[float] = typer.Option(
        None, "--burst", min=1, help="Requests the throttle lets through at once (default: a quarter second's worth)."
    ),
    fail_rate: float = typer.Option(0.0, "--fail-rate", help="Fraction of calls that fail with ServiceFault, e.g. 0.05."),
    fail_after_commit: float = typer.Option(
        0.0, "--fail-after-commit", help="Fraction of those failures that happen after the call took effect."
    ),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed the fault dice, for a reproducible run."),
    sandbox: bool = typer.Option(False, "--sandbox", help="Behave like the sandbox (its Masters qualification ID)."),
    quiet: bool = typer.Option(False, "--quiet", help="Do not log one line per call on stderr."),
) -> None:
    """Serve the MTurk Requester API over HTTP for boto3 and the AWS CLI."""
    from reconciler.emulator.faults import Faults, parse_latency

    if not host.strip():  # `--host "$UNSET"` would otherwise listen on every interface
        raise EmulatorCommandError("--host is empty; give an address such as 127.0.0.1 (the default), or 0.0.0.0 to listen beyond loopback.")
    from reconciler.emulator.server import EmulatorServer

    faults = Faults(
        latency=parse_latency(latency),
        throttle=parse_rate(throttle) if throttle else None,
        burst=burst,
        fail_rate=fail_rate,
        fail_after_commit=fail_after_commit,
        seed=seed,
    )
    path = resolve_state(Path("."), state)
    log = None if quiet else (lambda line: typer.echo(line, err=True))
    with open_engine(path, faults=faults, sandbox=sandbox) as engine:
        try:
            server = EmulatorServer(engine, host, port, log=log)
        except OSError as exc:
            raise EmulatorCommandError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
        if host not in LOOPBACK:
            typer.echo(f"Warning: listening on {host}, beyond loopback: anyone who can reach this port "
                       "can use the emulated account (no credentials are checked).", err=True)
        _serve_until_stopped(server, lambda: _print_banner(server.url, path, faults.describe(), sandbox))
    typer.echo("Emulator stopped.")


def _print_banner(url: str, path: str, faults: str, sandbox: bool) -> None:
    """How to point clients at the server; one write, so a reader gets it whole."""
    typer.echo("\n".join([
        f"MTurk emulator listening on {url}",
        f"  state: {path}{' (sandbox)' if sandbox else ''}; faults: {faults}",
        f"  boto3:      export AWS_ENDPOINT_URL_MTURK={url}",
        f'              or boto3.client("mturk", region_name="us-east-1", endpoint_url="{url}")',
        f"  AWS CLI:    aws mturk get-account-balance --region us-east-1 --endpoint-url {url}",
        f"  reconciler: reconciler plan --target {'sandbox' if sandbox else 'local'} --endpoint-url {url}",
        "  Any credentials are accepted (e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local).",
        "Press Ctrl-C to stop.",
    ]))
    sys.stdout.flush()


def _serve_until_stopped(server: Any, announce: Callable[[], None]) -> None:
    """Announce, then serve in this thread until Ctrl-C or SIGTERM; release the port.

    The banner is printed inside the `try`: whoever reads it may stop the server at once.
    """

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        announce()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()


@emulator_app.command()
@reported
def advance(
    duration: str = typer.Argument(..., help="How far to move time forward, e.g. 3d, 90m, 1d12h."),
    path: Path = PATH_ARGUMENT,
    state: Optional[Path] = STATE_OPTION,
) -> None:
    """Move the emulator's clock forward: lifetimes end, assignments auto-approve, HITs are disposed."""
    seconds = parse_duration(duration)
    with open_engine(resolve_state(path, state)) as engine:
        now = engine.clock.advance(seconds)
        engine.call("GetAccountBalance", {})  # let the engine settle what the new time made due
        offset = engine.clock.offset
    typer.echo(f"Emulated time is now {now:%Y-%m-%d %H:%M:%S} UTC ({_span(offset)} ahead of real time).")


def _span(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{secs}s" if secs else ""]
    return "".join(parts) or "0s"


@emulator_app.command()
@reported
def reset(path: Path = PATH_ARGUMENT, state: Optional[Path] = STATE_OPTION) -> None:
    """Empty the emulated account: no HITs, no qualifications, $10,000.00, real time."""
    location = resolve_state(path, state)
    with open_engine(location) as engine:
        engine.reset()
        balance = engine.balance()
    typer.echo(f"Reset the emulated account in {location}: balance ${balance:,.2f}.")


@emulator_app.command()
@reported
def balance(path: Path = PATH_ARGUMENT, state: Optional[Path] = STATE_OPTION) -> None:
    """Print the emulated account's available balance."""
    with open_engine(resolve_state(path, state)) as engine:
        amount = engine.balance()
    typer.echo(f"${amount:,.2f}")


@emulator_app.command()
@reported
def hits(
    path: Path = PATH_ARGUMENT,
    state: Optional[Path] = STATE_OPTION,
    batch: Optional[str] = typer.Option(None, "--batch", help="Only the HITs of this batch."),
) -> None:
    """List the emulated account's HITs with their batch, row key, status and assignments."""
    from reconciler.emulator.rehearsal import list_all_hits
    from reconciler.identity import parse_annotation

    location = resolve_state(path, state)
    with open_engine(location) as engine:
        listed = list_all_hits(engine)
        now = engine.clock.now()
    rows = [_hit_row(hit, parse_annotation(hit.get("RequesterAnnotation"))) for hit in listed]
    rows = [row for row in rows if batch is None or row[2] == batch]
    if not rows:
        typer.echo(f"No HITs{f' in batch {batch}' if batch else ''} in {location}.")
        return
    rows.sort(key=lambda row: (row[1] == "-", row[1], row[2], row[3], row[4]))
    header = ["HIT", "PROJECT", "BATCH", "KEY", "GEN", "STATUS", "AVAILABLE", "PENDING", "SUBMITTED", "COMPLETED", "EXPIRES (UTC)"]
    typer.echo(_table(header, rows))
    typer.echo(f"{len(rows)} HIT(s); emulated time {now:%Y-%m-%d %H:%M} UTC.")


def _hit_row(hit: dict, tag: Any) -> list[str]:
    """One line of `hits`. Submitted-but-unreviewed work is in none of MTurk's three counts
    (Completed means approved or rejected), so it is what the maximum leaves over."""
    counts = [hit.get(f"NumberOfAssignments{name}", 0) for name in ("Available", "Pending", "Completed")]
    submitted = hit.get("MaxAssignments", 0) - sum(counts)
    names = [tag.project, tag.batch, tag.key, str(tag.generation)] if tag else ["-"] * 4
    return [hit["HITId"], *names, hit.get("HITStatus", "-"), str(counts[0]), str(counts[1]), str(submitted),
            str(counts[2]), _utc(hit.get("Expiration"))]


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header, *rows]]
    return "\n".join(lines)


@emulator_app.command()
@reported
def work(
    path: Path = PATH_ARGUMENT,
    batch: str = typer.Option(..., "--batch", help="The HITBatch whose HITs workers do."),
    submit: int = typer.Option(..., "--submit", min=1, help="How many assignments to accept and submit."),
    answers: str = typer.Option("random", "--answers", help="`random`, or a CSV/JSON/JSONL file of answers."),
    worker_ids: Optional[list[str]] = typer.Option(None, "--worker-id", help="Worker(s) to use (repeatable); default AEMULATED00001…"),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed the random answers."),
    state: Optional[Path] = STATE_OPTION,
) -> None:
    """Have workers accept and submit assignments on a batch's open HITs, to rehearse its life."""
    from reconciler.emulator import rehearsal

    source = rehearsal.random_answer_source(seed) if answers == "random" else rehearsal.file_answer_source(Path(answers))
    project, batches = rehearsal.project_batches(path)
    with open_engine(resolve_state(path, state)) as engine:
        open_hits = rehearsal.open_hits(engine, project, batch)
        if not open_hits and batch not in batches:
            raise EmulatorCommandError(
                f"Batch {batch} of project {project} has no open HITs on the emulator, and the manifests declare "
                f"no such batch (they declare: {', '.join(batches) or 'none'}); check --batch."
            )
        if not open_hits:
            raise EmulatorCommandError(
                f"Batch {batch} of project {project} has no open HITs on the emulator; "
                "apply the project to the local target first."
            )
        report = rehearsal.do_work(engine, open_hits, submit, source, worker_ids)
    _tell_work(report, open_hits, batch, submit)


def _tell_work(report: Any, worked_on: list[Any], batch: str, requested: int) -> None:
    """Say what `work` did, why it did less than asked, and when the work gets approved."""
    done = len(report.submitted)
    reason = f" (the emulator said: {report.refusal})" if report.refusal else ""
    if not done:
        raise EmulatorCommandError(f"No worker could take an open HIT of batch {batch}{reason}.")
    names = report.workers
    who = names[0] if len(names) == 1 else f"{len(names)} workers, {names[0]} … {names[-1]}"
    typer.echo(f"Submitted {done} assignment(s) on {report.hits} HIT(s) of batch {batch} ({who}).")
    if done < requested:
        typer.echo(f"Only {done} of the {requested} requested could be done: no more open assignments, "
                   f"or no more workers allowed to take them{reason}.", err=True)
    submitted_on = {hit_id for hit_id, _, _ in report.submitted}
    delay = max(hit.auto_approval_delay for hit in worked_on if hit.hit_id in submitted_on)
    if delay:
        typer.echo(f"They wait for ApproveAssignment or RejectAssignment, or approve themselves {_span(delay)} "
                   f"after submission (`reconciler emulator advance {_span(delay)}`).")
    else:
        typer.echo("The HIT type's auto-approval delay is 0: they are approved on submission.")

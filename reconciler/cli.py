"""The `reconciler` command line: argument parsing and exit codes only.

Every command's work lives in its layer; this module turns ReconcilerErrors into one line on
stderr and an exit code, and never shows a traceback unless --debug is given.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Callable, Optional

import typer
from typer.core import TyperGroup

from reconciler import __version__
from reconciler.errors import ReconcilerError

try:
    from typer._click.exceptions import UsageError  # typer vendors click since 0.2x
except ImportError:  # pragma: no cover - older typer on the real click
    from click.exceptions import UsageError

USAGE_EXIT_CODE = 1  # click's 2 would read as "changes" under `plan --detailed-exitcode`


class Commands(TyperGroup):
    """The command group; a usage error (unknown option, bad value) exits 1 like any other error."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:
            exc.exit_code = USAGE_EXIT_CODE
            raise

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            exc.exit_code = USAGE_EXIT_CODE
            raise


app = typer.Typer(
    name="reconciler",
    cls=Commands,
    help="Declarative plan/apply for Amazon Mechanical Turk.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


def fail(message: str, code: int = 1) -> None:
    """Print one error sentence on stderr and exit; credentials are blanked out of it."""
    from reconciler.mturk.failures import redact

    typer.echo(f"Error: {redact(message)}", err=True)
    raise typer.Exit(code)


def handle_errors(func: Callable) -> Callable:
    """Turn the project's errors into one line and an exit code; Ctrl-C into exit 130."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ReconcilerError as exc:
            if _state["debug"]:
                raise
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130)
        except BrokenPipeError:  # `reconciler plan | head`: the reader left; end quietly, like any Unix tool
            _silence_stdout()
            raise typer.Exit(1)
        except Exception as exc:  # a traceback is a bug: say so in one line
            if _state["debug"]:
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")

    return wrapper


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests): nothing to silence
        pass


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reconciler {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for internal errors."),
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Declarative plan/apply for Amazon Mechanical Turk."""
    _state["debug"] = debug


# Options that plan, apply and status share, defined once so their names and help agree.
TARGET = typer.Option(None, "--target", help="local, sandbox or production (default: the project's; production only when named).")
ENDPOINT_URL = typer.Option(None, "--endpoint-url", help="Use another MTurk-compatible endpoint.")
PROFILE = typer.Option(None, "--profile", help="AWS profile for sandbox/production credentials.")
EXCLUDE = typer.Option([], "--exclude", help="Leave these addresses out (prefix match).")
REPLACE = typer.Option(
    [], "--replace", help="Re-post this HIT (batch.NAME.hit[KEY]) or every HIT of a batch (batch.NAME) as a new HIT."
)


@app.command()
@handle_errors
def validate(
    path: Path = typer.Argument(Path("."), help="The project folder."),
    format: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Check the manifests and print a summary, or every error as file:line:col: message."""
    import json

    from reconciler.errors import SpecErrors
    from reconciler.spec import load_project, summary

    if format not in ("text", "json"):
        fail(f"--format must be text or json, not {format!r}")
    try:
        desired = load_project(path)
    except SpecErrors as exc:
        if format == "json":
            typer.echo(json.dumps([error.as_dict() for error in exc.errors], indent=2, ensure_ascii=False))
        else:
            for error in exc.errors:
                typer.echo(str(error), err=True)
            count = len(exc.errors)
            typer.echo(f"Found {count} error{'' if count == 1 else 's'} in the manifests.", err=True)
        raise typer.Exit(1)
    if format == "json":
        counts = {
            "qualification_types": len(desired.qualification_types),
            "hit_types": len(desired.hit_types),
            "batches": len(desired.batches),
            "hits": len(desired.hits),
            "grants": len(desired.grants),
            "worker_blocks": len(desired.blocks),
        }
        document = {"valid": True, "project": desired.project.name, "target": desired.project.target,
                    "summary": summary(desired), "counts": counts, "digest": desired.digest}
        typer.echo(json.dumps(document, indent=2))
    else:
        typer.echo(summary(desired))


@app.command()
@handle_errors
def plan(
    path: Path = typer.Argument(Path("."), help="The project folder."),
    target: Optional[str] = TARGET,
    endpoint_url: Optional[str] = ENDPOINT_URL,
    profile: Optional[str] = PROFILE,
    format: str = typer.Option("text", "--format", help="text, json or markdown."),
    out: Optional[Path] = typer.Option(None, "--out", help="Save the plan here, for `reconciler apply PLANFILE`."),
    detailed_exitcode: bool = typer.Option(False, "--detailed-exitcode", help="Exit 2 when there are changes, 0 when none."),
    target_resource: list[str] = typer.Option([], "--target-resource", help="Only plan these addresses (prefix match)."),
    exclude: list[str] = EXCLUDE,
    replace: list[str] = REPLACE,
    verbose: bool = typer.Option(False, "--verbose", help="List every change, not a summary per batch."),
) -> None:
    """Diff the manifests against the live account and show what would change and what it costs."""
    from reconciler.plan.command import PlanOptions, run_plan

    code = run_plan(
        PlanOptions(
            path=path,
            target=target,
            endpoint_url=endpoint_url,
            profile=profile,
            format=format,
            out=out,
            detailed_exitcode=detailed_exitcode,
            target_resources=tuple(target_resource),
            excludes=tuple(exclude),
            replace=tuple(replace),
            verbose=verbose,
        )
    )
    raise typer.Exit(code)


@app.command()
@handle_errors
def apply(
    path: Path = typer.Argument(Path("."), help="The project folder, or a saved plan file."),
    target: Optional[str] = TARGET,
    endpoint_url: Optional[str] = ENDPOINT_URL,
    profile: Optional[str] = PROFILE,
    project: Optional[Path] = typer.Option(None, "--project", help="The project folder when applying a saved plan (default: .)."),
    auto_approve: bool = typer.Option(False, "--auto-approve", help="Do not ask for confirmation (CI)."),
    parallelism: int = typer.Option(8, "--parallelism", min=1, max=64, help="Concurrent MTurk calls within a stage."),
    lock_timeout: str = typer.Option("0s", "--lock-timeout", help="How long to wait for another apply of this project."),
    explain: bool = typer.Option(False, "--explain", help="Show the stages apply would run, and run nothing."),
    target_resource: list[str] = typer.Option([], "--target-resource", help="Only apply these addresses (prefix match)."),
    exclude: list[str] = EXCLUDE,
    replace: list[str] = REPLACE,
) -> None:
    """Carry out a plan: plan and ask, or apply a saved plan file."""
    from reconciler.apply.command import ApplyOptions, run_apply

    code = run_apply(
        ApplyOptions(
            path=path,
            target=target,
            endpoint_url=endpoint_url,
            profile=profile,
            project=project,
            auto_approve=auto_approve,
            parallelism=parallelism,
            lock_timeout=lock_timeout,
            explain=explain,
            target_resources=tuple(target_resource),
            excludes=tuple(exclude),
            replace=tuple(replace),
        )
    )
    raise typer.Exit(code)


@app.command()
@handle_errors
def status(
    path: Path = typer.Argument(Path("."), help="The project folder."),
    target: Optional[str] = TARGET,
    endpoint_url: Optional[str] = ENDPOINT_URL,
    profile: Optional[str] = PROFILE,
    format: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Show how far each batch has got: HITs open, assignments available, in progress, submitted, reviewed."""
    from reconciler.live.status import run_status

    raise typer.Exit(run_status(path, target=target, endpoint_url=endpoint_url, profile=profile, format=format))


from reconciler.emulator.cli import emulator_app  # noqa: E402 (mounted after the app exists)

app.add_typer(emulator_app, name="emulator", help="The local MTurk emulator behind the `local` target.")


def main() -> None:
    app(prog_name="reconciler")


if __name__ == "__main__":
    sys.exit(main())

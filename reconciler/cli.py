"""The `reconciler` command line: argument parsing and exit codes only.

Every command's work lives in its layer; this module turns ReconcilerErrors into one line on
stderr and an exit code, and never shows a traceback unless --debug is given.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Callable, Optional

import typer

from reconciler import __version__
from reconciler.errors import ReconcilerError

app = typer.Typer(
    name="reconciler",
    help="Declarative plan/apply for Amazon Mechanical Turk.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


def fail(message: str, code: int = 1) -> None:
    """Print one error sentence on stderr and exit."""
    typer.echo(f"Error: {message}", err=True)
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
        except Exception as exc:  # a traceback is a bug: say so in one line
            if _state["debug"]:
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")

    return wrapper


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


def _not_built(command: str) -> None:
    fail(f"`reconciler {command}` is not built yet in this version.")


@app.command()
@handle_errors
def validate(
    path: Path = typer.Argument(Path("."), help="The project folder."),
    format: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Check the manifests and print a summary, or every error as file:line:col: message."""
    _not_built("validate")


@app.command()
@handle_errors
def plan(path: Path = typer.Argument(Path("."), help="The project folder.")) -> None:
    """Diff the manifests against the live account and show what would change and what it costs."""
    _not_built("plan")


@app.command()
@handle_errors
def apply(path: Path = typer.Argument(Path("."), help="The project folder or a saved plan.")) -> None:
    """Carry out a plan."""
    _not_built("apply")


@app.command()
@handle_errors
def status(path: Path = typer.Argument(Path("."), help="The project folder.")) -> None:
    """Show the live state of the project's batches."""
    _not_built("status")


def _add_emulator_commands() -> None:
    try:
        from reconciler.emulator.cli import emulator_app
    except ImportError:
        emulator_app = typer.Typer(help="The local MTurk emulator.")

        @emulator_app.callback(invoke_without_command=True)
        def _emulator() -> None:
            _not_built("emulator")

    app.add_typer(emulator_app, name="emulator", help="The local MTurk emulator behind the `local` target.")


_add_emulator_commands()


def main() -> None:
    app(prog_name="reconciler")


if __name__ == "__main__":
    sys.exit(main())

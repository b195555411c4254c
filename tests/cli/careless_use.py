"""What the careless-use tests share: the example project copied, the CLI run in process or in a
fresh process, and the "one error line" check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "specs"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def one_line_error(result) -> str:
    """The command failed with one `Error:` line on stderr: no traceback, no internal error."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("Error: "), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    return lines[-1]


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m reconciler …` in a fresh process (nothing cached from other tests)."""
    return subprocess.run([sys.executable, "-m", "reconciler", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the example project, without local state."""
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".reconciler"))
    return folder

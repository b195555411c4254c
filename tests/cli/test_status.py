"""`reconciler status` end to end on the local emulator: counts follow the batch's life."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "specs"
runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def tweets(project: Path) -> dict:
    doc = json.loads(invoke("status", str(project), "--format", "json"))
    return next(b for b in doc["batches"] if b["batch"] == "tweets-2026-12")


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".reconciler"))
    return folder


def test_status_before_apply_shows_rows_without_hits(project):
    output = invoke("status", str(project))
    assert output.splitlines()[0] == "Target: local (project acme-sentiment)"
    assert tweets(project)["rows"] == 20 and tweets(project)["hits"] == 0


def test_status_follows_work_submitted_then_auto_approved(project):
    invoke("apply", str(project), "--auto-approve")
    assert tweets(project) | {} == {
        "batch": "tweets-2026-12", "state": "active", "rows": 20, "hits": 20, "open": 20, "assignments": 60,
        "available": 60, "in_progress": 0, "submitted": 0, "reviewed": 0, "expires_at": "2027-06-30T00:00:00Z",
    }
    invoke("emulator", "work", str(project), "--batch", "tweets-2026-12", "--submit", "7")
    assert (tweets(project)["available"], tweets(project)["submitted"]) == (53, 7)

    invoke("emulator", "advance", "4d", str(project))  # past the 3d auto-approval delay
    after = tweets(project)
    assert (after["submitted"], after["reviewed"]) == (0, 7)
    text = invoke("status", str(project))
    assert "tweets-2026-12" in text and "Balance: $9,999." in text  # 7 × ($0.05 + $0.01 fee) paid


def test_status_refuses_an_unknown_format(project):
    result = runner.invoke(app, ["status", str(project), "--format", "yaml"])
    assert result.exit_code == 1 and "unknown format 'yaml'" in result.output

"""On the in-process emulator, plan and apply read the emulator's clock: after
`reconciler emulator advance`, a new HIT still expires at the batch's expires_at, and the
plan after the apply is empty."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.mturk import make_client

EXAMPLE = Path(__file__).resolve().parents[2] / "specs"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_apply_after_advance_posts_hits_expiring_at_the_declared_time(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".reconciler"))
    advanced = invoke("emulator", "advance", "5d", str(project))
    assert advanced.exit_code == 0, advanced.output

    applied = invoke("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.output

    declared = datetime(2027, 6, 30, tzinfo=timezone.utc)
    with make_client("local", project_dir=project) as conn:
        expirations = {hit["Expiration"] for hit in conn.engine.list_hits()}
    assert expirations and all(abs(_epoch(e) - declared.timestamp()) < 60 for e in expirations)

    planned = invoke("plan", str(project), "--detailed-exitcode")
    assert planned.exit_code == 0, planned.output


def _epoch(value) -> float:
    return value.timestamp() if isinstance(value, datetime) else float(value)

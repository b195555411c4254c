"""What apply refuses before its first call, how it asks, and one apply at a time."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.apply.command import ApplyOptions, Session, run_apply
from reconciler.apply.guards import approve, check_money
from reconciler.apply.lock import apply_lock
from reconciler.cli import app
from reconciler.errors import ApprovalRefused, BudgetExceeded
from reconciler.mturk import make_client
from reconciler.plan.changes import Plan

EXAMPLE = Path(__file__).resolve().parents[2] / "specs"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def hit_count(project: Path) -> int:
    with make_client("local", project_dir=project) as conn:
        return len(conn.engine.list_hits())


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".reconciler"))
    return folder


def test_no_terminal_and_no_auto_approve_is_refused(project):
    result = invoke("apply", str(project))
    assert result.exit_code == 1
    assert "no terminal to confirm on" in result.output
    assert hit_count(project) == 0


def test_a_typed_yes_applies_and_anything_else_cancels(project):
    with pytest.raises(ApprovalRefused):
        run_apply(ApplyOptions(path=project), Session(out=io.StringIO(), interactive=True, ask=lambda _: "y"))
    assert hit_count(project) == 0
    out = io.StringIO()
    asked = []
    code = run_apply(ApplyOptions(path=project), Session(out=out, interactive=True, ask=lambda q: asked.append(q) or "yes"))
    assert code == 0, out.getvalue()
    assert "Only 'yes' will be accepted" in asked[0]
    assert hit_count(project) == 25


def test_terminal_prompt_end_to_end(project):
    """On a real terminal (a pty), apply shows the plan, asks, and applies after `yes`."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "reconciler", "apply", str(project)],
                            stdin=follower, stdout=follower, stderr=follower, env={**os.environ, "NO_COLOR": "1"})
    os.close(follower)
    seen = b""
    while b"Only 'yes' will be accepted" not in seen:
        chunk = os.read(leader, 4096)
        assert chunk, seen.decode(errors="replace")
        seen += chunk
    os.write(leader, b"yes\n")
    try:
        while True:
            chunk = os.read(leader, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:  # the pty closes when the child exits
        pass
    assert proc.wait(timeout=60) == 0, seen.decode(errors="replace")
    assert seen.decode(errors="replace").lstrip().startswith("Target: local")
    assert hit_count(project) == 25


def test_over_budget_is_refused_before_any_call(project):
    path = project / "project.yaml"
    path.write_text(path.read_text().replace('budget: "25.00"', 'budget: "1.00"'))
    result = invoke("apply", str(project), "--auto-approve")
    assert result.exit_code == 1
    assert "over the project budget $1.00" in result.output
    assert hit_count(project) == 0


def test_plan_errors_are_refused_before_any_call(project):
    assert invoke("apply", str(project), "--auto-approve").exit_code == 0
    path = project / "batches.yaml"
    path.write_text(path.read_text().replace("assignments: 3", "assignments: 12"))
    result = invoke("apply", str(project), "--auto-approve")
    assert result.exit_code == 1
    assert "The plan has 20 error(s)" in result.output
    with make_client("local", project_dir=project) as conn:
        assert {h["MaxAssignments"] for h in conn.engine.list_hits() if "tweets" in h["RequesterAnnotation"]} == {3}


def test_explain_shows_the_stages_and_changes_nothing(project):
    result = invoke("apply", str(project), "--explain")
    assert result.exit_code == 0, result.output
    for stage in ("qualification types", "grants and blocks", "HIT types", "HIT creates"):
        assert stage in result.output
    assert "CreateHITWithHITType ×25" in result.output
    assert hit_count(project) == 0


def test_an_empty_plan_applies_nothing(project):
    assert invoke("apply", str(project), "--auto-approve").exit_code == 0
    result = invoke("apply", str(project))  # no approval needed for nothing
    assert result.exit_code == 0
    assert "No changes. Nothing to apply." in result.output


def test_a_second_apply_refuses_or_waits_for_the_lock(project):
    with apply_lock(project, timeout=0):
        refused = invoke("apply", str(project), "--auto-approve")
    assert refused.exit_code == 1
    assert "Another apply of this project is running" in refused.output
    assert hit_count(project) == 0

    held = threading.Event()

    def hold_briefly() -> None:
        with apply_lock(project, timeout=0):
            held.set()
            time.sleep(0.5)

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    held.wait()
    waited = invoke("apply", str(project), "--auto-approve", "--lock-timeout", "30s")
    holder.join()
    assert waited.exit_code == 0, waited.output
    assert hit_count(project) == 25


def test_bad_lock_timeout_is_one_sentence(project):
    result = invoke("apply", str(project), "--lock-timeout", "soon")
    assert result.exit_code == 1
    assert "--lock-timeout 'soon' is not a duration" in result.output


def _plan(target: str = "local", cost: str = "5.00") -> Plan:
    return Plan(changes=(), project="acme", target=target, total_cost=Decimal(cost))


def test_production_needs_auto_approve_or_the_typed_project_name():
    with pytest.raises(ApprovalRefused, match="pass --auto-approve"):
        approve(_plan("production"), auto_approve=False, saved=False, interactive=False, ask=lambda _: "")
    with pytest.raises(ApprovalRefused, match="project name was not typed"):
        approve(_plan("production"), auto_approve=False, saved=False, interactive=True, ask=lambda _: "yes")
    with pytest.raises(ApprovalRefused):
        approve(_plan("production"), auto_approve=False, saved=True, interactive=True, ask=lambda _: "no")
    approve(_plan("production"), auto_approve=False, saved=True, interactive=True, ask=lambda _: "acme")
    approve(_plan("production"), auto_approve=True, saved=False, interactive=False, ask=lambda _: "")
    approve(_plan("sandbox"), auto_approve=False, saved=True, interactive=False, ask=lambda _: "")


def test_money_guard_checks_budget_and_balance():
    check_money(_plan(cost="5.00"), Decimal("5.00"), Decimal("5.00"))
    with pytest.raises(BudgetExceeded, match="project budget"):
        check_money(_plan(cost="5.01"), Decimal("5.00"), None)
    with pytest.raises(BudgetExceeded, match="available balance"):
        check_money(_plan(cost="5.01"), None, Decimal("5.00"))

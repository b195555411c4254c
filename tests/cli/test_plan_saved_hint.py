"""`plan --out` ends with the command that applies the saved plan; that command must work as printed,
also when the project is not the current folder (apply reads the project from `.` unless told)."""

from __future__ import annotations

import shlex
from datetime import datetime, timedelta, timezone

from typer.testing import CliRunner

from reconciler.cli import app

runner = CliRunner()


def write_project(folder):
    folder.mkdir()
    expires = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (folder / "project.yaml").write_text(
        'kind: Project\nname: hint\ntarget: local\nbudget: "5.00"\n---\n'
        'kind: HITType\nname: rate\ntitle: Rate a sentence\ndescription: Rate it.\nreward: "0.05"\nassignment_duration: 5m\n---\n'
        'kind: HITBatch\nname: tweets\nhit_type: rate\nquestion: {external_url: "https://tasks.example.org/?id={{ id }}"}\n'
        f"key: id\nrows: [{{id: t1}}]\nassignments: 1\nexpires_at: {expires}\n"
    )
    return folder


def test_the_printed_apply_command_applies_the_saved_plan_from_another_folder(tmp_path, monkeypatch):
    project = write_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    planned = runner.invoke(app, ["plan", str(project), "--out", "plan.json"])
    assert planned.exit_code == 0, planned.output
    hint = planned.stderr.strip().split("Apply exactly this plan with: ", 1)[1]
    program, *args = shlex.split(hint)
    assert program == "reconciler"
    applied = runner.invoke(app, args)
    assert applied.exit_code == 0, applied.output
    assert "Apply complete." in applied.stdout
    assert runner.invoke(app, ["plan", str(project), "--detailed-exitcode"]).exit_code == 0


def test_from_the_project_folder_the_command_is_just_the_plan_file(tmp_path, monkeypatch):
    project = write_project(tmp_path / "project")
    monkeypatch.chdir(project)
    planned = runner.invoke(app, ["plan", ".", "--out", "plan.json"])
    assert planned.exit_code == 0, planned.output
    assert planned.stderr.strip().endswith("Apply exactly this plan with: reconciler apply plan.json")

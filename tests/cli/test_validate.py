"""`reconciler validate` end to end: the worked example, and broken copies of it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app

REPO = Path(__file__).resolve().parents[2]
SUMMARY = (
    "Project acme-sentiment (target local): 1 qualification type, 1 HIT type, 2 batches, 25 HITs, "
    "2 grants, 0 worker blocks. Manifests are valid."
)


@pytest.fixture
def broken_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """specs/ copied to ./specs with a bad reward and a duplicate row key; cwd is its parent."""
    copy = tmp_path / "specs"
    shutil.copytree(REPO / "specs", copy)
    hit_types = copy / "hit-types.yaml"
    hit_types.write_text(hit_types.read_text(encoding="utf-8").replace('reward: "0.05"', 'reward: "$0.05"'), encoding="utf-8")
    with (copy / "data/tweets.csv").open("a", encoding="utf-8") as handle:
        handle.write("t0001,@dup,2026-11-12,Same key again\n")
    monkeypatch.chdir(tmp_path)
    return copy


def test_example_project_validates(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, ["validate", "specs"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == SUMMARY


def test_example_project_as_json(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, ["validate", "specs", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["valid"] is True and document["summary"] == SUMMARY
    assert document["counts"] == {"qualification_types": 1, "hit_types": 1, "batches": 2, "hits": 25, "grants": 2, "worker_blocks": 0}
    assert len(document["digest"]) == 64


def test_errors_one_per_line_with_locations(broken_copy):
    result = CliRunner().invoke(app, ["validate", "specs"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "specs/data/tweets.csv:22:1: duplicate key `t0001` (first at specs/data/tweets.csv:2:1)",
        "specs/hit-types.yaml:8:9: `reward` must be a dollar amount written as a quoted string with at most two "
        'decimals, e.g. "0.05"; got "$0.05"',
        "Found 2 errors in the manifests.",
    ]
    assert result.stdout == ""


def test_errors_as_json(broken_copy):
    result = CliRunner().invoke(app, ["validate", "specs", "--format", "json"])
    assert result.exit_code == 1
    errors = json.loads(result.stdout)
    assert [(e["file"], e["line"], e["column"]) for e in errors] == [("specs/data/tweets.csv", 22, 1), ("specs/hit-types.yaml", 8, 9)]
    assert errors[0]["message"] == "duplicate key `t0001` (first at specs/data/tweets.csv:2:1)"


def test_unknown_format_is_one_sentence(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, ["validate", "specs", "--format", "yaml"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: --format must be text or json, not 'yaml'"


def test_console_entry_point_in_a_real_process():
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", "specs"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == SUMMARY

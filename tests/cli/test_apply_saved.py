"""Saved plans: applied without asking, refused when stale (account or manifests changed, also
from an empty account), refused a second time; a refusal changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.mturk import make_client

EXAMPLE = Path(__file__).resolve().parents[2] / "specs"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def snapshot(project: Path) -> list[tuple]:
    """Everything a write could change: each HIT's id, reward, assignments and expiry."""
    with make_client("local", project_dir=project) as conn:
        return sorted((h["HITId"], h["Reward"], h["MaxAssignments"], str(h["Expiration"])) for h in conn.engine.list_hits())


def save_plan(project: Path) -> Path:
    out = project.parent / "plan.json"
    result = invoke("plan", str(project), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def apply_saved(plan: Path, project: Path, *extra: str):
    return invoke("apply", str(plan), "--project", str(project), *extra)


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".reconciler"))
    return folder


@pytest.fixture
def applied(project) -> Path:
    result = invoke("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.output
    return project


def raise_reward(project: Path) -> None:
    path = project / "hit-types.yaml"
    path.write_text(path.read_text().replace('reward: "0.05"', 'reward: "0.06"'))


def test_saved_plan_applies_without_asking_and_only_once(applied):
    raise_reward(applied)
    plan = save_plan(applied)
    first = apply_saved(plan, applied)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Target: local. Applying saved plan")
    assert "Apply complete." in first.output
    again = apply_saved(plan, applied)
    assert again.exit_code == 1
    assert "single-use" in again.output
    assert invoke("plan", str(applied), "--detailed-exitcode").exit_code == 0


def test_stale_when_a_live_hit_changed(applied):
    raise_reward(applied)
    plan = save_plan(applied)
    with make_client("local", project_dir=applied) as conn:
        hit = conn.engine.list_hits()[0]
        conn.client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=hit["Expiration"] + 3600)
    before = snapshot(applied)
    result = apply_saved(plan, applied)
    assert result.exit_code == 1
    assert "The plan is stale" in result.output and "plan again" in result.output.replace("`reconciler plan", "plan again")
    assert snapshot(applied) == before


def test_stale_when_the_account_was_empty_and_no_longer_is(project):
    plan = save_plan(project)
    assert json.loads(plan.read_text())["plan_id"]
    assert invoke("apply", str(project), "--auto-approve").exit_code == 0  # someone else got there first
    before = snapshot(project)
    result = apply_saved(plan, project)
    assert result.exit_code == 1
    assert "The plan is stale: the account changed" in result.output
    assert snapshot(project) == before
    assert len(before) == 25


def test_stale_when_the_manifests_changed(applied):
    raise_reward(applied)
    plan = save_plan(applied)
    path = applied / "hit-types.yaml"
    path.write_text(path.read_text().replace('reward: "0.06"', 'reward: "0.08"'))
    before = snapshot(applied)
    result = apply_saved(plan, applied)
    assert result.exit_code == 1
    assert "the manifests changed since it was made" in result.output
    assert snapshot(applied) == before


def test_saved_plan_for_another_target_is_refused(applied):
    raise_reward(applied)
    plan = save_plan(applied)
    result = apply_saved(plan, applied, "--target", "sandbox")
    assert result.exit_code == 1
    assert "made for target local" in result.output


def test_explain_a_saved_plan_runs_nothing_and_keeps_it_usable(applied):
    raise_reward(applied)
    plan = save_plan(applied)
    before = snapshot(applied)
    explained = apply_saved(plan, applied, "--explain")
    assert explained.exit_code == 0, explained.output
    assert "HIT types" in explained.output and "UpdateHITTypeOfHIT" in explained.output
    assert snapshot(applied) == before
    assert apply_saved(plan, applied).exit_code == 0


def test_not_a_plan_file_is_one_sentence(tmp_path, project):
    bogus = tmp_path / "plan.json"
    bogus.write_text("{not json")
    result = apply_saved(bogus, project)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output


def test_an_edited_plan_file_is_refused_and_changes_nothing(project):
    saved = save_plan(project)
    doc = json.loads(saved.read_text())
    create = next(c for c in doc["changes"] if c["action"] == "create" and c["kind"] == "hit")
    create["after"]["hit_type"]["reward"] = "5.00"  # nobody reviewed this
    saved.write_text(json.dumps(doc))
    refused = apply_saved(saved, project)
    assert refused.exit_code == 1
    assert "1 of its changes" in refused.output and "the file was edited" in refused.output
    assert snapshot(project) == []


def test_a_lowered_total_in_the_plan_file_does_not_pass_the_budget(project):
    manifest = project / "project.yaml"
    manifest.write_text(manifest.read_text().replace('budget: "25.00"', 'budget: "4.00"'))  # the plan costs $4.20
    saved = project.parent / "plan.json"
    invoke("plan", str(project), "--out", str(saved))
    doc = json.loads(saved.read_text())
    doc["total_cost"] = "1.00"
    for change in doc["changes"]:
        change["cost"] = "0.00"
    saved.write_text(json.dumps(doc))
    refused = apply_saved(saved, project)
    assert refused.exit_code == 1 and "budget" in refused.output
    assert snapshot(project) == []


def test_a_narrowed_or_replacing_saved_plan_still_applies(applied):
    out = applied.parent / "narrow.json"
    edit = applied / "data" / "tweets.csv"
    edit.write_text(edit.read_text() + 't9999,@zoe,2026-11-03,"One more."\n')
    assert invoke("plan", str(applied), "--out", str(out), "--target-resource", "batch.tweets-2026-12.hit[t9999]").exit_code == 0
    assert apply_saved(out, applied).exit_code == 0

    out = applied.parent / "replace.json"
    assert invoke("plan", str(applied), "--out", str(out), "--replace", "batch.reviews-2026-12.hit[r-1001]").exit_code == 0
    result = apply_saved(out, applied)
    assert result.exit_code == 0, result.output
    assert invoke("plan", str(applied), "--detailed-exitcode").exit_code == 0

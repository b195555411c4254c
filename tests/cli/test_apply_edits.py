"""End to end through the CLI on the local emulator: apply the example project, then each edit
of DESIGN.md's table; after every apply the plan is empty (`plan --detailed-exitcode` exits 0)."""

from __future__ import annotations

import re
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


def apply_then_empty(project: Path) -> str:
    """Apply with --auto-approve (exit 0), then check the plan is empty (exit 0)."""
    applied = invoke("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert applied.output.splitlines()[0].startswith("Target: local")
    planned = invoke("plan", str(project), "--detailed-exitcode")
    assert planned.exit_code == 0, planned.output
    return applied.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def live_hits(project: Path) -> list[dict]:
    with make_client("local", project_dir=project) as conn:
        return conn.engine.list_hits()


def annotation_rows(hits: list[dict], batch: str) -> set[str]:
    return {h["RequesterAnnotation"].split()[-1] for h in hits if f" {batch} " in h["RequesterAnnotation"]}


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".reconciler"))
    output = apply_then_empty(folder)
    assert "Apply complete." in output
    return folder


def test_example_project_applies_and_plans_empty(project):
    hits = live_hits(project)
    assert len(hits) == 25
    assert len({h["RequesterAnnotation"] for h in hits}) == 25


def test_rows_added_and_removed(project):
    data = project / "data" / "tweets.csv"
    lines = data.read_text().splitlines()
    removed = lines[1].split(",")[0]
    data.write_text("\n".join([lines[0], *lines[2:], 't9999,@new,2026-11-30,"A brand new row."']) + "\n")
    output = apply_then_empty(project)
    assert re.search(r"create hit +1 done", output) and re.search(r"expire hit +1 done", output)
    open_rows = annotation_rows([h for h in live_hits(project) if h["HITStatus"] == "Assignable"], "tweets-2026-12")
    assert "t9999" in open_rows and removed not in open_rows


def test_reward_changed_retypes_in_place(project):
    before = {h["HITId"] for h in live_hits(project)}
    edit(project / "hit-types.yaml", 'reward: "0.05"', 'reward: "0.07"')
    output = apply_then_empty(project)
    assert re.search(r"retype hit +25 done", output)
    hits = live_hits(project)
    assert {h["HITId"] for h in hits} == before
    assert {h["Reward"] for h in hits} == {"0.07"}


def test_assignments_raised(project):
    edit(project / "batches.yaml", "assignments: 3", "assignments: 5")
    output = apply_then_empty(project)
    assert re.search(r"add_assignments hit +20 done", output)
    assert {h["MaxAssignments"] for h in live_hits(project) if " tweets-2026-12 " in h["RequesterAnnotation"]} == {5}


def test_expiry_moved_later(project):
    edit(project / "batches.yaml", "expires_at: 2027-06-30T00:00:00Z       #", "expires_at: 2027-07-15T00:00:00Z       #")
    output = apply_then_empty(project)
    assert re.search(r"extend hit +20 done", output)


def test_qualification_grant_removed(project):
    qualifications = project / "qualifications.yaml"
    edit(qualifications, "mode: additive", "mode: authoritative")
    edit(qualifications, "    - {worker: A1EXAMPLE0002, value: 90}\n", "")
    output = apply_then_empty(project)
    assert re.search(r"revoke grant +1 done", output)


def test_batch_set_to_expired(project):
    edit(project / "batches.yaml", "state: active", "state: expired")
    output = apply_then_empty(project)
    assert re.search(r"expire hit +20 done", output)
    statuses = {h["HITStatus"] for h in live_hits(project) if " tweets-2026-12 " in h["RequesterAnnotation"]}
    assert "Assignable" not in statuses


def test_question_changed_replaces_with_next_generation(project):
    edit(project / "templates" / "sentiment.html.j2", "What is the sentiment", "Which sentiment")
    output = apply_then_empty(project)
    assert re.search(r"replace hit +20 done", output)
    open_tweets = [h for h in live_hits(project) if h["HITStatus"] == "Assignable" and " tweets-2026-12 " in h["RequesterAnnotation"]]
    assert len(open_tweets) == 20
    assert all(" tweets-2026-12 1 " in h["RequesterAnnotation"] for h in open_tweets)


def test_worker_block_added_then_removed(project):
    blocks = project / "blocks.yaml"
    blocks.write_text("kind: WorkerBlock\nname: spammers\nworkers:\n  - {worker: A1SPAMMER0001, reason: copied answers}\n")
    assert re.search(r"block +1 done", apply_then_empty(project))
    blocks.unlink()
    assert re.search(r"unblock block +1 done", apply_then_empty(project))


def test_lowering_assignments_is_refused_until_replace_reposts_the_batch(project):
    edit(project / "batches.yaml", "assignments: 3 ", "assignments: 2 ")
    refused = invoke("apply", str(project), "--auto-approve")
    assert refused.exit_code == 1
    assert "MTurk cannot lower a HIT's assignments (3 to 2)" in refused.output
    assert "`batch.tweets-2026-12` for every row of the batch" in refused.output
    before = live_hits(project)

    planned = invoke("plan", str(project), "--replace", "batch.tweets-2026-12")
    assert planned.exit_code == 0 and "20 to replace" in planned.output
    assert live_hits(project) == before  # planning changed nothing

    apply_then_empty_with = invoke("apply", str(project), "--auto-approve", "--replace", "batch.tweets-2026-12")
    assert apply_then_empty_with.exit_code == 0, apply_then_empty_with.output
    assert invoke("plan", str(project), "--detailed-exitcode").exit_code == 0
    hits = [h for h in live_hits(project) if " tweets-2026-12 " in h["RequesterAnnotation"]]
    current = [h for h in hits if h["RequesterAnnotation"].split()[3] == "1"]
    assert len(current) == 20 and {h["MaxAssignments"] for h in current} == {2}
    assert len(hits) == 40  # the old generation is expired, not deleted


def test_renaming_a_qualification_type_replaces_it_and_retypes_its_hits(project):
    edit(project / "qualifications.yaml", "qualification_name: ACME English check", "qualification_name: ACME English check v2")
    planned = invoke("plan", str(project))
    assert "± qualification_type.english will be replaced" in planned.output, planned.output
    assert "qualification_type.ACME" not in planned.output  # one type renamed, not one deleted and one added
    apply_then_empty(project)
    with make_client("local", project_dir=project) as conn:
        types = conn.client.list_qualification_types(MustBeRequestable=False, MustBeOwnedByCaller=True)["QualificationTypes"]
        (new,) = [t for t in types if t["Name"] == "ACME English check v2"]
        granted = conn.client.list_workers_with_qualification_type(QualificationTypeId=new["QualificationTypeId"])
        required = {r["QualificationTypeId"] for h in conn.engine.list_hits() for r in h["QualificationRequirements"]}
    assert {q["WorkerId"] for q in granted["Qualifications"]} == {"A1EXAMPLE0001", "A1EXAMPLE0002"}
    assert new["QualificationTypeId"] in required


def test_changing_only_a_qualification_types_keywords_is_a_plan_error_that_says_how(project):
    edit(project / "qualifications.yaml", "keywords: [english, reading]", "keywords: [english, reading, test]")
    planned = invoke("plan", str(project))
    assert planned.exit_code == 1
    assert "also give the type a new qualification_name" in planned.output

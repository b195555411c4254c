"""Careless use of the command line: every mistake is one sentence and an exit code, never a
traceback or an "internal error", and nothing is sent to MTurk."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys

import pytest
from careless_use import invoke, one_line_error, project, run_cli  # noqa: F401 (project is a fixture)


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--detailed-exitcode", "--taget-resource", "batch.x"],  # a typo in an option name
        ["apply", "--parallelism", "0"],
        ["emulator", "serve", "--port", "99999"],
        ["no-such-command"],
    ],
)
def test_a_usage_error_exits_1_never_2(args):
    """Exit 2 means "changes" under `plan --detailed-exitcode`: a CI script must not read a typo as a diff."""
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert "Usage:" in result.stderr


@pytest.mark.parametrize(
    "where, message",
    [
        ("missing/plan.json", "missing does not exist; create the folder first"),
        (".", "is a folder; name a file in it"),
        ("a-file/plan.json", "a-file is not a folder"),
        ("dangling-link", "Cannot write the plan to"),
    ],
)
def test_plan_out_that_cannot_be_written_is_one_sentence(project, tmp_path, where, message):
    (tmp_path / "a-file").write_text("")
    (tmp_path / "dangling-link").symlink_to(tmp_path / "missing" / "plan.json")
    assert message in one_line_error(invoke("plan", str(project), "--out", str(tmp_path / where)))


def test_advancing_the_emulator_beyond_any_date_is_refused_and_leaves_the_state_usable(project):
    message = one_line_error(invoke("emulator", "advance", "99999999d", str(project)))
    assert "at most 36,500 days (100 years) ahead" in message
    assert invoke("emulator", "advance", "1d", str(project)).exit_code == 0
    assert invoke("emulator", "balance", str(project)).stdout.strip() == "$10,000.00"
    assert invoke("plan", str(project)).exit_code == 0


def test_local_state_that_is_not_a_folder_is_one_sentence(project):
    (project / ".reconciler").write_text("not a folder")
    for args in (["plan", str(project)], ["emulator", "hits", str(project)]):
        assert "is a file, but the local target keeps its state in a folder there" in one_line_error(invoke(*args))


@pytest.mark.parametrize("schema", ["", "CREATE TABLE hits(a); CREATE TABLE meta(x);"])
def test_local_state_file_that_is_not_the_emulators_is_one_sentence(project, schema):
    """Garbage in the state file, or a database of something else: plan says so instead of an internal error."""
    folder = project / ".reconciler"
    folder.mkdir()
    if schema:
        import sqlite3

        with sqlite3.connect(folder / "local.sqlite3") as db:
            db.executescript(schema)
    else:
        (folder / "local.sqlite3").write_text("garbage, not SQLite")
    message = one_line_error(invoke("plan", str(project)))
    assert "Cannot open the local emulator state" in message and "move the file away" in message


@pytest.mark.parametrize(
    "blocker, message",
    [
        (".reconciler", "is a file, but apply keeps its lock in a folder there"),
        (".reconciler/apply.lock", "Cannot open the apply lock"),
        (".reconciler/applied-plans", "Cannot read"),
    ],
)
def test_apply_state_files_that_cannot_be_used_are_one_sentence_and_change_nothing(project, tmp_path, blocker, message):
    plan_file = tmp_path / "plan.json"
    assert invoke("plan", str(project), "--out", str(plan_file)).exit_code == 0
    (project / ".reconciler" / "local.sqlite3").unlink()
    if blocker == ".reconciler":
        shutil.rmtree(project / blocker)
        (project / blocker).write_text("a file")
    else:
        (project / blocker).mkdir()
    assert message in one_line_error(invoke("apply", str(plan_file), "--project", str(project)))
    if blocker != ".reconciler":
        assert not (project / ".reconciler" / "local.sqlite3").exists()  # no account was even opened


def test_plan_into_a_closed_pipe_ends_quietly(project):
    """`reconciler plan | head -1`: the reader leaves early; exit 1 without an internal error or a traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    proc = subprocess.Popen([sys.executable, "-m", "reconciler", "plan", str(project)],
                            stdout=write_end, stderr=subprocess.PIPE, text=True)
    os.close(write_end)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert stderr == ""


class ReaderLeavesDuringApply(io.StringIO):
    """stdout whose reader goes away once apply has started its first stage."""

    def write(self, text: str) -> int:
        if "to do" in self.getvalue():
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def test_a_reader_leaving_during_apply_does_not_stop_it_half_way(project):
    from reconciler.apply.command import ApplyOptions, Session, run_apply

    out = ReaderLeavesDuringApply()
    code = run_apply(ApplyOptions(path=project, auto_approve=True), Session(out=out, interactive=False))
    assert code == 0
    assert "to do" in out.getvalue()  # the output did break in the middle
    after = invoke("plan", str(project), "--detailed-exitcode")
    assert after.exit_code == 0 and "No changes" in after.stdout


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "stream, no_color, coloured",
    [(Terminal(), None, True), (Terminal(), "1", False), (Terminal(), "", True), (io.StringIO(), None, False)],
)
def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch, stream, no_color, coloured):
    """no-color.org: NO_COLOR counts when present and not empty (an empty value is "unset")."""
    from reconciler.plan.command import use_color

    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert use_color(stream) is coloured


def _last_hit(doc: dict) -> dict:
    return [c for c in doc["changes"] if c["address"].startswith("batch.")][-1]["after"]


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda doc: doc.update(total_cost="NaN"), "'NaN' is not a finite amount"),
        (lambda doc: doc["changes"][0].update(cost="1,00"), "'1,00' is not a decimal number"),
        (lambda doc: _last_hit(doc).update(max_assignments="many"), "expected a whole number, found 'many'"),
        (lambda doc: _last_hit(doc).update(max_assignments=True), "expected a whole number, found True"),
        (lambda doc: _last_hit(doc)["hit_type"].update(reward=0.05), "expected a decimal number as text, found 0.05"),
        (lambda doc: _last_hit(doc)["hit_type"].update(keywords="a,b"), "expected a list, found 'a,b'"),
        (lambda doc: _last_hit(doc).update(expires_at="2027-01-01T00:00:00"), "has no time zone"),
    ],
)
def test_a_hand_edited_plan_file_is_refused_before_any_write(project, tmp_path, edit, message):
    """Values of the wrong shape in a saved plan fail on loading, not as one failed row among
    rows already posted."""
    import json

    plan_file = tmp_path / "plan.json"
    assert invoke("plan", str(project), "--out", str(plan_file)).exit_code == 0
    doc = json.loads(plan_file.read_text())
    edit(doc)
    plan_file.write_text(json.dumps(doc))
    error = one_line_error(invoke("apply", str(plan_file), "--project", str(project)))
    assert "is not a valid reconciler plan" in error and message in error
    listed = invoke("emulator", "hits", str(project))
    assert listed.stdout.startswith("No HITs")


def test_a_windows_style_path_in_a_manifest_says_to_use_forward_slashes(project):
    batches = project / "batches.yaml"
    batches.write_text(batches.read_text().replace("data: data/tweets.csv", "data: data\\tweets.csv"))
    result = invoke("validate", str(project))
    assert result.exit_code == 1
    assert "batches.yaml:9:7: data file" in result.stderr
    assert "write paths with forward slashes, relative to the project folder (e.g. data/tweets.csv)" in result.stderr


def test_work_reads_an_answers_csv_saved_with_a_bom_and_crlf_by_row_key(project, tmp_path):
    """A spreadsheet's CSV export: the BOM must not hide the `key` column, a quoted line break stays in its field."""
    from reconciler.identity import parse_annotation
    from reconciler.mturk import make_client

    assert invoke("apply", str(project), "--auto-approve").exit_code == 0
    answers = tmp_path / "answers.csv"
    answers.write_bytes('key,sentiment,note\r\nt0002,positive,x\r\nt0001,negative,"two\r\nlines"\r\n'.encode("utf-8-sig"))
    result = invoke("emulator", "work", str(project), "--batch", "tweets-2026-12", "--submit", "1", "--answers", str(answers))
    assert result.exit_code == 0, result.output
    with make_client("local", project_dir=project) as conn:
        (hit,) = [h for h in conn.engine.list_hits() if parse_annotation(h["RequesterAnnotation"]).key == "t0001"]
        (assignment,) = conn.client.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"]
    assert ">negative<" in assignment["Answer"] and "two\nlines" in assignment["Answer"].replace("\r\n", "\n")
    assert "\ufeff" not in assignment["Answer"] and "<QuestionIdentifier>key<" not in assignment["Answer"]


def test_work_with_an_answers_file_that_is_not_utf8_names_the_file(project, tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_bytes(b"key,sentiment\nt0001,n\xe9gative\n")
    message = one_line_error(invoke("emulator", "work", str(project), "--batch", "tweets-2026-12", "--submit", "1",
                                    "--answers", str(answers)))
    assert f"The answers file {answers} is not UTF-8" in message


def test_serve_with_an_empty_host_is_refused_instead_of_listening_everywhere():
    """`--host "$UNSET_VARIABLE"` must not bind every interface: an empty address is a mistake."""
    proc = run_cli("emulator", "serve", "--host", "", "--port", "0", "--state", ":memory:", timeout=30)
    assert proc.returncode == 1 and "MTurk emulator listening" not in proc.stdout
    assert proc.stderr.startswith("Error: --host is empty; give an address such as 127.0.0.1")


@pytest.mark.parametrize("given, problem", [("project.yaml", "is a file, not a folder"), ("missing", "does not exist")])
def test_apply_saved_plan_with_a_project_that_is_not_a_folder_says_which(project, tmp_path, given, problem):
    plan_file = tmp_path / "plan.json"
    assert invoke("plan", str(project), "--out", str(plan_file)).exit_code == 0
    message = one_line_error(invoke("apply", str(plan_file), "--project", str(project / given)))
    assert message == f"Error: The project folder {project / given} {problem}; pass --project with the plan's project folder."


@pytest.mark.parametrize("target", ["local", "production"])
def test_end_of_input_at_the_confirmation_prompt_cancels_the_apply(target):
    """Ctrl-D at "Only 'yes' will be accepted" is no answer: a refusal, not an internal EOFError."""
    from reconciler.apply.guards import approve
    from reconciler.errors import ApprovalRefused
    from reconciler.plan.changes import Plan

    def end_of_input(question: str) -> str:
        raise EOFError

    with pytest.raises(ApprovalRefused):
        approve(Plan(changes=(), project="demo", target=target), auto_approve=False, saved=False, interactive=True,
                ask=end_of_input)


def test_a_selection_that_hides_changes_says_so(project):
    """`--target-resource batch.typo` plans nothing; "No changes" alone would read as "in sync"."""
    result = invoke("plan", str(project), "--target-resource", "batch.typo", "--detailed-exitcode")
    assert result.exit_code == 0 and "No changes" in result.stdout
    assert result.stderr.strip() == (
        "Warning: --target-resource/--exclude left out 28 change(s); the account differs from the manifests beyond this plan."
    )
    assert invoke("plan", str(project), "--detailed-exitcode").stderr == ""


@pytest.mark.parametrize("flag", ["--target-resource", "--exclude"])
def test_an_empty_selector_is_refused_before_any_call(project, flag):
    """`--exclude "$UNSET"` would match every address as a prefix."""
    message = one_line_error(invoke("plan", str(project), flag, ""))
    assert f"{flag} needs an address" in message
    assert not (project / ".reconciler" / "local.sqlite3").exists()


def test_work_on_a_batch_name_the_manifests_do_not_declare_lists_the_ones_they_do(project):
    assert invoke("apply", str(project), "--auto-approve").exit_code == 0
    message = one_line_error(invoke("emulator", "work", str(project), "--batch", "tweets-2026-11", "--submit", "1"))
    assert "the manifests declare no such batch (they declare: tweets-2026-12, reviews-2026-12); check --batch" in message

"""`reconciler emulator …` end to end: a real `serve` process driven by boto3 and the AWS CLI,
and the rehearsal and inspection commands on a project's local state file."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.emulator import Engine
from reconciler.emulator.paths import state_path
from reconciler.emulator.transport import local_client
from reconciler.identity import hit_annotation

HTML_QUESTION = (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
    "<HTMLContent><![CDATA[<!DOCTYPE html><html><body><form>"
    '<input type="radio" name="sentiment" value="positive"/><input type="radio" name="sentiment" value="negative"/>'
    "</form></body></html>]]></HTMLContent><FrameHeight>450</FrameHeight></HTMLQuestion>"
)
HIT_TYPE = {
    "Title": "Rate a sentence",
    "Description": "Pick positive or negative.",
    "Reward": "0.50",
    "AssignmentDurationInSeconds": 600,
    "AutoApprovalDelayInSeconds": 3600,
}
runner = CliRunner()


def emulator(*args: str):
    return runner.invoke(app, ["emulator", *args])


def one_line_error(result) -> str:
    """The command failed with exactly one line on stderr and no traceback."""
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# --- serve, as a real process ------------------------------------------------------------------


def start_server(*flags: str, state: Path) -> tuple[subprocess.Popen, str]:
    """`reconciler emulator serve` on a free loopback port; returns the process and its URL."""
    command = [sys.executable, "-m", "reconciler", "emulator", "serve", "--port", "0", "--state", str(state), *flags]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(60, process.kill)  # never hang the suite on a server that did not start
    watchdog.start()
    banner = process.stdout.readline()
    watchdog.cancel()
    match = re.search(r"http://127\.0\.0\.1:\d+", banner)
    assert match, f"no URL in {banner!r}; stderr: {process.stderr.read() if process.poll() is not None else ''}"
    return process, match.group(0)


def stop_server(process: subprocess.Popen, sig: int = signal.SIGINT) -> tuple[int, str]:
    process.send_signal(sig)
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    out = process.stdout.read()  # through the buffer the banner was read with
    process.stderr.read()
    watchdog.cancel()
    return process.wait(), out


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    process, url = start_server("--quiet", state=tmp_path_factory.mktemp("serve") / "account.sqlite3")
    yield url
    stop_server(process)


def test_boto3_drives_a_served_emulator_over_http(served):
    client = boto3.session.Session(
        aws_access_key_id="local", aws_secret_access_key="local", region_name="us-east-1"
    ).client("mturk", endpoint_url=served)
    type_id = client.create_hit_type(**HIT_TYPE)["HITTypeId"]
    hit = client.create_hit_with_hit_type(HITTypeId=type_id, LifetimeInSeconds=3600, Question=HTML_QUESTION)["HIT"]
    assert hit["HITId"] in {h["HITId"] for h in client.list_hits()["HITs"]}
    client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=datetime(2015, 1, 1, tzinfo=UTC))
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["HITStatus"] == "Reviewable"


def aws(url: str, home: Path, *args: str) -> dict:
    """Run the AWS CLI against the emulator with throwaway credentials; its JSON output."""
    executable = Path(sys.executable).with_name("aws")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "HOME": str(home), "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
    }
    completed = subprocess.run(
        [str(executable), "mturk", *args, "--endpoint-url", url, "--output", "json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout or "{}")


def test_the_aws_cli_drives_a_served_emulator(served, tmp_path):
    type_id = aws(
        served, tmp_path, "create-hit-type", "--title", "Rate a sentence", "--description", "Pick one.",
        "--reward", "0.05", "--assignment-duration-in-seconds", "600",
    )["HITTypeId"]
    hit = aws(
        served, tmp_path, "create-hit-with-hit-type", "--hit-type-id", type_id,
        "--lifetime-in-seconds", "3600", "--question", HTML_QUESTION, "--requester-annotation", "from the aws cli",
    )["HIT"]
    aws(served, tmp_path, "update-expiration-for-hit", "--hit-id", hit["HITId"], "--expire-at", "2015-01-01T00:00:00Z")
    listed = {h["HITId"]: h for h in aws(served, tmp_path, "list-hits")["HITs"]}
    assert listed[hit["HITId"]]["RequesterAnnotation"] == "from the aws cli"
    assert listed[hit["HITId"]]["HITStatus"] == "Reviewable"


def test_serve_prints_how_to_connect_and_stops_cleanly_on_ctrl_c(tmp_path):
    process, url = start_server("--throttle", "20/s", "--latency", "1ms", "--fail-rate", "0", state=tmp_path / "s.sqlite3")
    code, out = stop_server(process, signal.SIGINT)
    assert code == 0
    assert f"AWS_ENDPOINT_URL_MTURK={url}" in out and f"--endpoint-url {url}" in out
    assert "throttle 20/s" in out
    assert out.rstrip().endswith("Emulator stopped.")


def test_serve_on_a_port_in_use_is_one_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = emulator("serve", "--port", str(port), "--state", str(tmp_path / "s.sqlite3"))
    assert f"Cannot listen on 127.0.0.1:{port}" in one_line_error(result)


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--latency", "fast"], "'fast' is not a duration"),
        (["--throttle", "0/s"], "must be more than zero"),
        (["--fail-rate", "2"], "fail rate must be between 0 and 1"),
    ],
)
def test_serve_refuses_bad_fault_flags(tmp_path, flags, message):
    result = emulator("serve", "--port", "0", "--state", str(tmp_path / "s.sqlite3"), *flags)
    assert message in one_line_error(result)


# --- work, advance, balance, hits, reset on a project's state ------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "project.yaml").write_text("kind: Project\nname: demo\n")
    return tmp_path


def post_hits(project: Path, batch: str, keys: list[str], assignments: int = 2, **type_extra) -> list[str]:
    """HITs as the project's apply would create them: annotated with project, batch and row key."""
    engine = Engine(str(state_path(project)))
    try:
        client = local_client(engine)
        type_id = client.create_hit_type(**HIT_TYPE, **type_extra)["HITTypeId"]
        return [
            client.create_hit_with_hit_type(
                HITTypeId=type_id, LifetimeInSeconds=86400, MaxAssignments=assignments,
                Question=HTML_QUESTION, RequesterAnnotation=hit_annotation("demo", batch, key, 0),
            )["HIT"]["HITId"]
            for key in keys
        ]
    finally:
        engine.close()


def assignments_of(project: Path, hit_id: str) -> list[dict]:
    engine = Engine(str(state_path(project)))
    try:
        return local_client(engine).list_assignments_for_hit(HITId=hit_id)["Assignments"]
    finally:
        engine.close()


def test_work_submits_assignments_that_auto_approve_and_are_paid_after_advance(project):
    first, second = post_hits(project, "tweets", ["t1", "t2"])
    post_hits(project, "other-batch", ["x1"])

    result = emulator("work", str(project), "--batch", "tweets", "--submit", "3")
    assert result.exit_code == 0, result.output
    assert "Submitted 3 assignment(s) on 2 HIT(s) of batch tweets" in result.stdout
    assert "reconciler emulator advance 1h" in result.stdout  # the HIT type's auto-approval delay
    assert len(assignments_of(project, first)) == 2 and len(assignments_of(project, second)) == 1
    workers = {a["WorkerId"] for a in assignments_of(project, first)}
    assert len(workers) == 2 and all(w.startswith("AEMULATED") for w in workers)

    assert emulator("balance", str(project)).stdout.strip() == "$10,000.00"  # nothing approved yet
    advanced = emulator("advance", "2h", str(project))
    assert advanced.exit_code == 0 and "2h ahead of real time" in advanced.stdout
    # 3 approved assignments of $0.50 plus MTurk's 20 % fee
    assert emulator("balance", str(project)).stdout.strip() == "$9,998.20"
    assert {a["AssignmentStatus"] for a in assignments_of(project, first)} == {"Approved"}


def test_work_does_what_it_can_and_says_so(project):
    post_hits(project, "tweets", ["t1", "t2"])
    result = emulator("work", str(project), "--batch", "tweets", "--submit", "10")
    assert result.exit_code == 0
    assert "Submitted 4 assignment(s)" in result.stdout
    assert "Only 4 of the 10 requested" in result.stderr


def test_work_uses_workers_granted_the_required_qualification(project):
    engine = Engine(str(state_path(project)))
    client = local_client(engine)
    qual = client.create_qualification_type(Name="english", Description="d", QualificationTypeStatus="Active")
    qual_id = qual["QualificationType"]["QualificationTypeId"]
    client.associate_qualification_with_worker(QualificationTypeId=qual_id, WorkerId="A1GRANTED0001", IntegerValue=90)
    engine.close()
    requirement = {"QualificationTypeId": qual_id, "Comparator": "GreaterThanOrEqualTo", "IntegerValues": [80]}
    (hit_id,) = post_hits(project, "tweets", ["t1"], QualificationRequirements=[requirement])

    result = emulator("work", str(project), "--batch", "tweets", "--submit", "2")
    assert result.exit_code == 0
    assert [a["WorkerId"] for a in assignments_of(project, hit_id)] == ["A1GRANTED0001"]
    assert "Only 1 of the 2" in result.stderr and "qualification" in result.stderr


def test_work_takes_answers_from_a_file_by_row_key(project, tmp_path):
    (first,) = post_hits(project, "tweets", ["t1"], assignments=1)
    answers = tmp_path / "answers.csv"
    answers.write_text("key,sentiment\nt1,negative\n")
    result = emulator("work", str(project), "--batch", "tweets", "--submit", "1", "--answers", str(answers))
    assert result.exit_code == 0, result.output
    (assignment,) = assignments_of(project, first)
    assert "<QuestionIdentifier>sentiment</QuestionIdentifier><FreeText>negative</FreeText>" in assignment["Answer"]


def test_work_when_no_worker_may_take_the_hits_is_one_clear_error(project):
    post_hits(project, "tweets", ["t1"])
    message = one_line_error(emulator("work", str(project), "--batch", "tweets", "--submit", "1", "--worker-id", "NOTAWORKER"))
    assert "No worker could take an open HIT of batch tweets" in message and "invalid" in message


def test_work_with_given_workers_uses_only_them(project):
    (hit_id,) = post_hits(project, "tweets", ["t1"], assignments=3)
    result = emulator("work", str(project), "--batch", "tweets", "--submit", "3", "--worker-id", "A1ALICE", "--worker-id", "A2BOB")
    assert result.exit_code == 0
    assert sorted(a["WorkerId"] for a in assignments_of(project, hit_id)) == ["A1ALICE", "A2BOB"]


def test_work_on_a_batch_without_open_hits_is_one_clear_error(project):
    post_hits(project, "tweets", ["t1"])
    assert "Batch reviews of project demo has no open HITs" in one_line_error(
        emulator("work", str(project), "--batch", "reviews", "--submit", "1")
    )


def test_work_without_a_project_manifest_is_one_clear_error(tmp_path):
    message = one_line_error(emulator("work", str(tmp_path), "--batch", "tweets", "--submit", "1"))
    assert "manifests do not load" in message


def test_hits_lists_batch_key_status_and_assignments(project):
    post_hits(project, "tweets", ["t1", "t2"])
    post_hits(project, "other-batch", ["x1"])
    emulator("work", str(project), "--batch", "tweets", "--submit", "1")

    result = emulator("hits", str(project))
    assert result.exit_code == 0
    header, *rows = result.stdout.splitlines()[:4]
    assert header.split() == [
        "HIT", "PROJECT", "BATCH", "KEY", "GEN", "STATUS", "AVAILABLE", "PENDING", "SUBMITTED", "COMPLETED", "EXPIRES", "(UTC)",
    ]
    cells = [row.split() for row in rows]
    assert [(c[2], c[3], c[5]) for c in cells] == [("other-batch", "x1", "Assignable"), ("tweets", "t1", "Assignable"), ("tweets", "t2", "Assignable")]
    assert cells[1][6:10] == ["1", "0", "1", "0"]  # t1: one submitted (not yet reviewed), one available
    assert "3 HIT(s)" in result.stdout

    only = emulator("hits", str(project), "--batch", "other-batch")
    assert "tweets" not in only.stdout and "x1" in only.stdout


def test_reset_forgets_everything(project):
    post_hits(project, "tweets", ["t1"])
    emulator("work", str(project), "--batch", "tweets", "--submit", "1")
    emulator("advance", "2h", str(project))
    result = emulator("reset", str(project))
    assert result.exit_code == 0 and "$10,000.00" in result.stdout
    assert emulator("hits", str(project)).stdout.startswith("No HITs")
    assert emulator("balance", str(project)).stdout.strip() == "$10,000.00"


def test_the_state_lives_in_the_project_folder_and_is_git_ignored(project):
    assert emulator("balance", str(project)).exit_code == 0
    assert (project / ".reconciler" / "local.sqlite3").is_file()
    assert (project / ".reconciler" / ".gitignore").read_text().strip().endswith("*")


@pytest.mark.parametrize(
    "args, message",
    [
        (["advance", "soon"], "'soon' is not a duration"),
        (["advance", "3d", "/no/such/project"], "project folder /no/such/project does not exist"),
        (["balance", "--state", "/no/such/folder/s.sqlite3"], "folder of the state file"),
        (["work", ".", "--batch", "b", "--submit", "1", "--answers", "/no/such/answers.csv"], "Cannot read the answers file"),
    ],
)
def test_bad_arguments_are_one_clear_error(args, message):
    assert message in one_line_error(emulator(*args))


def test_a_state_file_that_is_not_the_emulators_is_one_clear_error(tmp_path):
    state = tmp_path / "notes.sqlite3"
    state.write_text("not a database")
    assert "Cannot open the emulator state" in one_line_error(emulator("balance", "--state", str(state)))

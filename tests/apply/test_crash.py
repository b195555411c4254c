"""Crash safety: an apply of 500 HITs against `emulator serve` is SIGKILLed at several points;
after each kill the next `apply --auto-approve` carries on, and in the end the emulator holds
exactly one HIT per row and the plan is empty. The same with ServiceFaults (half of them after
the call took effect) and with throttling."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections import Counter

import pytest
from emulator_process import EmulatorProcess, cli, run_until, write_project

ROWS = 500


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path / "project", ROWS)


def crash_and_finish(tmp_path, project, flags: tuple[str, ...], kill_points: tuple[int, ...]) -> EmulatorProcess:
    emulator = EmulatorProcess(tmp_path / "state.sqlite3", *flags)
    log = tmp_path / "apply.log"
    apply = cli("apply", str(project), "--auto-approve", "--endpoint-url", emulator.url)
    try:
        for point in kill_points:
            code = run_until(apply, log, lambda p=point: emulator.created() >= p)
            assert code is None, f"apply finished before {point} HITs were created:\n{log.read_text()}"
        assert run_until(apply, log, lambda: False) == 0, log.read_text()[-3000:]
        annotations = emulator.annotations()
        assert len(annotations) == ROWS
        assert Counter(annotations).most_common(1)[0][1] == 1
        assert {a.split()[-1] for a in annotations} == {f"n{i:05d}" for i in range(ROWS)}
        plan = subprocess.run(cli("plan", str(project), "--detailed-exitcode", "--endpoint-url", emulator.url),
                              capture_output=True, text=True)
        assert plan.returncode == 0, plan.stdout + plan.stderr
    finally:
        emulator.close()
    return emulator


def test_killed_at_several_points_then_finished_without_duplicates(tmp_path, project):
    crash_and_finish(tmp_path, project, ("--latency", "5ms"), (1, 120, 300, 470))


def test_killed_under_service_faults_after_commit(tmp_path, project):
    flags = ("--latency", "5ms", "--fail-rate", "0.1", "--fail-after-commit", "0.5", "--seed", "11")
    emulator = crash_and_finish(tmp_path, project, flags, (80, 330))
    assert emulator.faults > 0


def test_killed_under_throttling(tmp_path, project):
    # A burst of 1 under parallel creates throttles for certain, however fast the machine is.
    flags = ("--latency", "5ms", "--throttle", "300/s", "--burst", "1")
    emulator = crash_and_finish(tmp_path, project, flags, (100, 350))
    assert emulator.throttled > 0, emulator.throttled


def test_ctrl_c_finishes_in_flight_calls_reports_and_exits_130(tmp_path, project):
    emulator = EmulatorProcess(tmp_path / "state.sqlite3", "--latency", "20ms")
    log = tmp_path / "apply.log"
    apply = cli("apply", str(project), "--auto-approve", "--endpoint-url", emulator.url)
    try:
        with open(log, "w") as out:
            proc = subprocess.Popen(apply, stdout=out, stderr=subprocess.STDOUT)
            while emulator.created() < 50 and proc.poll() is None:
                time.sleep(0.005)
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=60) == 130
        text = log.read_text()
        assert "Stopping: letting" in text
        assert "Interrupted: the calls in flight finished; nothing else was started." in text
        done, not_started = map(int, re.search(r"create hit +(\d+) done, 0 failed, (\d+) not started", text).groups())
        assert done + not_started == ROWS and not_started > 0
        assert len(emulator.annotations()) == done  # every call in flight finished and was counted
        assert run_until(apply, log, lambda: False) == 0
        assert len(set(emulator.annotations())) == len(emulator.annotations()) == ROWS
    finally:
        emulator.close()


def test_an_endpoint_that_dies_mid_apply_stops_it_soon_and_a_rerun_finishes(tmp_path, project):
    state = tmp_path / "state.sqlite3"
    emulator = EmulatorProcess(state, "--latency", "5ms")
    log = tmp_path / "apply.log"
    try:
        with open(log, "w") as out:
            proc = subprocess.Popen(cli("apply", str(project), "--auto-approve", "--endpoint-url", emulator.url),
                                    stdout=out, stderr=subprocess.STDOUT)
            while emulator.created() < 50 and proc.poll() is None:
                time.sleep(0.005)
            emulator.proc.kill()  # the endpoint is gone for good: nothing answers any more
            emulator.proc.wait()
            code = proc.wait(timeout=240)
        text = log.read_text()
        assert code == 1, text[-2000:]
        assert "MTurk stopped answering" in text
        assert "Apply stopped: MTurk could not be reached." in text
        done, failed, not_started = map(int, re.search(r"create hit +(\d+) done, (\d+) failed, (\d+) not started", text).groups())
        assert done + failed + not_started == ROWS and not_started > ROWS / 2  # most rows were never tried
    finally:
        emulator.close()
    revived = EmulatorProcess(state, "--latency", "5ms")
    try:
        assert run_until(cli("apply", str(project), "--auto-approve", "--endpoint-url", revived.url), log, lambda: False) == 0
        annotations = revived.annotations()
        assert len(annotations) == len(set(annotations)) == ROWS
    finally:
        revived.close()

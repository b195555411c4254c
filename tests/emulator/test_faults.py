"""Fault injection: latency, throttle, ServiceFault before and after commit."""

from __future__ import annotations

import threading

import pytest

from reconciler.emulator.durations import parse_duration
from reconciler.emulator.errors import MTurkError
from reconciler.emulator.faults import Faults, parse_latency, parse_rate


class TickingClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def committing(log: list[str]):
    def commit() -> dict:
        log.append("committed")
        return {"ok": True}
    return commit


@pytest.mark.parametrize("text, seconds", [("50ms", 0.05), ("1s", 1.0), ("0", 0.0), ("1.5s", 1.5), ("2m", 120.0)])
def test_parse_latency_reads_units(text, seconds):
    assert parse_latency(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["50", "fast", "-1s", "5 parsecs", ""])
def test_parse_latency_refuses_unitless_or_unknown(text):
    with pytest.raises(ValueError, match="duration"):
        parse_latency(text)


@pytest.mark.parametrize("text, seconds", [("3d", 259200.0), ("90m", 5400.0), ("1d12h", 129600.0), ("1w", 604800.0)])
def test_parse_duration_reads_compound_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text, rate", [("20/s", 20.0), ("20", 20.0), ("600/m", 10.0), ("0.5/s", 0.5), ("3600/h", 1.0)])
def test_parse_rate_reads_requests_per_second(text, rate):
    assert parse_rate(text) == pytest.approx(rate)


@pytest.mark.parametrize("text", ["0/s", "fast", "20/day", "-3/s"])
def test_parse_rate_refuses_nonsense(text):
    with pytest.raises(ValueError, match="rate"):
        parse_rate(text)


@pytest.mark.parametrize("kwargs", [{"fail_rate": 1.5}, {"fail_after_commit": -0.1}, {"latency": -1}, {"throttle": 0}, {"jitter": 2}])
def test_faults_refuse_out_of_range_settings(kwargs):
    with pytest.raises(ValueError, match="must be"):
        Faults(**kwargs)


def test_no_faults_commits_and_returns_the_response():
    log: list[str] = []
    faults = Faults()
    assert faults.run("GetAccountBalance", committing(log)) == {"ok": True}
    assert log == ["committed"]
    assert faults.stats().calls == 1


def test_throttle_refuses_over_the_bucket_with_the_real_throttling_error():
    clock = TickingClock()
    faults = Faults(throttle=2.0, burst=2, monotonic=clock)
    log: list[str] = []
    faults.run("ListHITs", committing(log))
    faults.run("ListHITs", committing(log))
    with pytest.raises(MTurkError) as caught:
        faults.run("ListHITs", committing(log))
    assert (caught.value.error_type, caught.value.http_status) == ("ThrottlingException", 400)
    assert caught.value.message == "Rate exceeded"
    assert caught.value.to_wire() == (400, {"__type": "ThrottlingException", "Message": "Rate exceeded"})
    assert log == ["committed", "committed"]  # the throttled call did nothing
    clock.now += 0.5  # one token refilled at 2/s
    faults.run("ListHITs", committing(log))
    assert faults.stats().throttled == 1 and faults.stats().calls == 4


def test_throttle_burst_defaults_to_a_quarter_second_of_requests():
    clock = TickingClock()
    faults = Faults(throttle=20.0, monotonic=clock)
    admitted = 0
    for _ in range(10):
        try:
            faults.run("ListHITs", lambda: None)
            admitted += 1
        except MTurkError:
            pass
    assert admitted == 5


def test_failure_before_commit_does_not_commit():
    log: list[str] = []
    faults = Faults(fail_rate=1.0, fail_after_commit=0.0)
    with pytest.raises(MTurkError) as caught:
        faults.run("CreateHIT", committing(log))
    assert (caught.value.error_type, caught.value.http_status) == ("ServiceFault", 500)
    assert log == []
    assert faults.stats().failed_before_commit == 1


def test_failure_after_commit_commits_then_fails_like_a_lost_response():
    log: list[str] = []
    faults = Faults(fail_rate=1.0, fail_after_commit=1.0)
    with pytest.raises(MTurkError) as caught:
        faults.run("CreateHIT", committing(log))
    assert caught.value.error_type == "ServiceFault"
    assert log == ["committed"]
    assert faults.stats().failed_after_commit == 1


def test_a_seed_makes_the_failures_reproducible():
    def outcomes(seed: int) -> list[bool]:
        faults = Faults(fail_rate=0.5, seed=seed)
        result = []
        for _ in range(40):
            try:
                faults.run("GetHIT", lambda: None)
                result.append(True)
            except MTurkError:
                result.append(False)
        return result

    first = outcomes(7)
    assert first == outcomes(7)
    assert True in first and False in first


def test_latency_varies_within_the_jitter():
    delays: list[float] = []
    faults = Faults(latency=0.05, jitter=0.2, seed=1, sleep=delays.append)
    for _ in range(50):
        faults.run("GetHIT", lambda: None)
    assert all(0.04 <= delay <= 0.06 for delay in delays)
    assert len(set(delays)) > 1


def test_latency_lets_many_calls_wait_at_the_same_time():
    # Both calls must be inside their sleep together to pass the barrier: the sleep holds no lock.
    barrier = threading.Barrier(2, timeout=10)
    faults = Faults(latency=0.01, sleep=lambda _seconds: barrier.wait())
    errors: list[BaseException] = []

    def call() -> None:
        try:
            faults.run("GetHIT", lambda: None)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert faults.stats().calls == 2


def test_describe_names_each_fault():
    text = Faults(latency=0.05, throttle=20, fail_rate=0.05, fail_after_commit=0.5).describe()
    assert "latency 50ms" in text and "throttle 20/s" in text and "5.0%" in text and "after commit" in text
    assert Faults().describe() == "none"


# --- through a real boto3 client, in process -------------------------------------------------


def test_an_engine_with_faults_fails_after_commit_for_a_boto3_client():
    from botocore.exceptions import ClientError

    from reconciler.emulator import Engine
    from reconciler.emulator.transport import local_client

    engine = Engine(":memory:", faults=Faults(fail_rate=1.0, fail_after_commit=1.0))
    client = local_client(engine, max_attempts=1)  # no retries
    with pytest.raises(ClientError) as caught:
        client.create_worker_block(WorkerId="A1LOSTRESPONSE", Reason="spam")
    assert caught.value.response["Error"]["Code"] == "ServiceFault"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    engine.faults = None
    assert [b["WorkerId"] for b in client.list_worker_blocks()["WorkerBlocks"]] == ["A1LOSTRESPONSE"]


def test_an_engine_throttle_is_retried_by_an_in_process_boto3_client():
    from reconciler.emulator import Engine
    from reconciler.emulator.transport import local_client

    clock = TickingClock()
    faults = Faults(throttle=1.0, burst=1, monotonic=lambda: clock.now)
    engine = Engine(":memory:", faults=faults)
    client = local_client(engine, max_attempts=2)  # one retry
    client.get_account_balance()
    clock.now = 0.5  # half a token: the next attempt is throttled, and so is every retry
    with pytest.raises(client.exceptions.ClientError) as caught:
        client.get_account_balance()
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 1  # seen as retryable
    assert faults.stats().throttled == 2

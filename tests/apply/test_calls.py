"""The caller: what reaches apply after botocore's own retries is retried or classified right."""

from __future__ import annotations

import threading

import pytest
from botocore.exceptions import ClientError

from reconciler.apply.calls import Backoff, Caller, Interrupted, StillThrottled, hit_id_in, is_code
from reconciler.emulator import Engine
from reconciler.emulator.faults import Faults
from reconciler.emulator.transport import local_client

FAST = Backoff(base=0.005, cap=0.02, throttle_patience=60.0)


@pytest.fixture
def engine():
    engine = Engine()
    yield engine
    engine.close()


def no_retry_client(engine):
    """A client that gives up after one attempt, so every fault reaches the caller."""
    return local_client(engine, retry_mode="standard", max_attempts=1)


def test_throttling_that_reaches_apply_is_retried_until_done(engine):
    engine.faults = Faults(throttle=5.0, burst=1.0, seed=1)
    caller = Caller(no_retry_client(engine), threading.Event(), FAST, seed=1)
    for _ in range(4):
        assert caller.call("GetAccountBalance")["AvailableBalance"]
    assert caller.throttled > 0


def test_service_faults_that_reach_apply_are_retried(engine):
    engine.faults = Faults(fail_rate=0.5, seed=3)
    caller = Caller(no_retry_client(engine), threading.Event(), FAST, seed=3)
    for _ in range(10):
        caller.call("GetAccountBalance")
    assert engine.faults.stats().failed_before_commit > 0


def test_a_real_answer_is_returned_to_the_step(engine):
    caller = Caller(no_retry_client(engine), threading.Event(), FAST)
    with pytest.raises(ClientError) as raised:
        caller.call("GetHIT", HITId="3NOSUCHHIT0000000000000000000A")
    assert is_code(raised.value, "hitdoesnotexist")


def test_throttled_past_patience_is_not_done_rather_than_failed(engine):
    engine.faults = Faults(throttle=0.001, burst=1.0)
    caller = Caller(no_retry_client(engine), threading.Event(), Backoff(base=0.001, cap=0.005, throttle_patience=0.05))
    caller.call("GetAccountBalance")  # the one token in the bucket
    with pytest.raises(StillThrottled):
        caller.call("GetAccountBalance")


def test_a_stop_request_ends_the_wait_before_a_retry(engine):
    engine.faults = Faults(throttle=0.001, burst=1.0)
    stop = threading.Event()
    caller = Caller(no_retry_client(engine), stop, Backoff(base=5.0, cap=5.0))
    caller.call("GetAccountBalance")
    threading.Timer(0.05, stop.set).start()
    with pytest.raises(Interrupted):
        caller.call("GetAccountBalance")


def test_hit_id_is_taken_from_the_already_exists_message():
    message = "The HIT 3PR3LXCWSKDQ4XJ2D8ZBJ6FQKZ9XY0 already exists for this token. (1624047673969)"
    assert hit_id_in(message) == "3PR3LXCWSKDQ4XJ2D8ZBJ6FQKZ9XY0"
    assert hit_id_in("nothing here (1624047673969)") is None

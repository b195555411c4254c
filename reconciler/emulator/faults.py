"""Fault injection: per-call latency, a request-rate throttle, and random ServiceFaults.

Tests and benchmarks use it to reproduce what a real account does to a client: slow answers,
`ThrottlingException` under load (MTurk publishes no rate, but throttles sustained loops), and
`ServiceFault`s, some of which happen *after* the operation committed (a lost response: the
client sees an error although the HIT exists, which is what UniqueRequestToken is for).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, TypeVar

from reconciler.emulator.durations import parse_duration, parse_rate
from reconciler.emulator.errors import service_fault, throttling

T = TypeVar("T")

__all__ = ["Faults", "FaultStats", "parse_latency", "parse_rate"]


def parse_latency(text: str) -> float:
    """Seconds of a latency flag: `50ms`, `1s`, `0`."""
    return parse_duration(text)


@dataclass(frozen=True)
class FaultStats:
    """How many calls went through the faults, and what was done to them."""

    calls: int = 0
    throttled: int = 0
    failed_before_commit: int = 0
    failed_after_commit: int = 0


class TokenBucket:
    """A token bucket: `rate` tokens a second, holding at most `burst`. Not thread-safe by itself."""

    def __init__(self, rate: float, burst: float, now: float):
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._last = now

    def take(self, now: float) -> bool:
        """Take one token if there is one (refilling for the time since the last call)."""
        self._tokens = min(self.burst, self._tokens + max(0.0, now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class Faults:
    """What to do to every call of an engine: delay it, throttle it, fail it before or after commit.

    `latency` seconds per call, varied by ±`jitter` (a fraction); `throttle` requests a second
    (token bucket; `burst` defaults to a quarter second's worth, at least 1); `fail_rate` the
    fraction of calls that fail with ServiceFault, of which `fail_after_commit` is the fraction
    that fail after the operation committed. `sleep` and `monotonic` are injectable for tests.
    """

    def __init__(
        self,
        latency: float = 0.0,
        jitter: float = 0.2,
        throttle: float | None = None,
        fail_rate: float = 0.0,
        fail_after_commit: float = 0.0,
        seed: int | None = None,
        *,
        burst: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        _check_range("latency", latency, 0.0, None)
        _check_range("jitter", jitter, 0.0, 1.0)
        _check_range("fail rate", fail_rate, 0.0, 1.0)
        _check_range("fail-after-commit fraction", fail_after_commit, 0.0, 1.0)
        if throttle is not None and throttle <= 0:
            raise ValueError(f"The throttle must be more than zero requests a second, not {throttle:g}.")
        self.latency = latency
        self.jitter = jitter
        self.throttle = throttle
        self.fail_rate = fail_rate
        self.fail_after_commit = fail_after_commit
        self._sleep = sleep
        self._monotonic = monotonic
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._stats = FaultStats()
        self._bucket = None
        if throttle is not None:
            self._bucket = TokenBucket(throttle, burst or max(1.0, throttle / 4), monotonic())

    def run(self, operation: str, commit: Callable[[], T]) -> T:
        """Apply the faults around `commit()` (which performs and commits the operation)."""
        delay = self._delay()
        if delay > 0:
            self._sleep(delay)  # outside the lock: many calls wait at the same time
        failure = self._admit()
        if failure == "before":
            raise service_fault()
        response = commit()
        if failure == "after":
            raise service_fault()
        return response

    def stats(self) -> FaultStats:
        """A snapshot of the counters."""
        with self._lock:
            return self._stats

    def describe(self) -> str:
        """One line saying which faults are on, for the server's banner."""
        parts = []
        if self.latency:
            parts.append(f"latency {self.latency * 1000:g}ms ±{self.jitter:.0%}")
        if self._bucket is not None:
            parts.append(f"throttle {self._bucket.rate:g}/s (burst {self._bucket.burst:g})")
        if self.fail_rate:
            parts.append(f"ServiceFault on {self.fail_rate:.1%} of calls, {self.fail_after_commit:.0%} of them after commit")
        return ", ".join(parts) or "none"

    def _delay(self) -> float:
        if not self.latency:
            return 0.0
        with self._lock:
            spread = self._random.uniform(-self.jitter, self.jitter)
        return max(0.0, self.latency * (1.0 + spread))

    def _admit(self) -> str | None:
        """Count the call; raise ThrottlingException when over the rate; else say when it fails."""
        with self._lock:
            stats = self._stats
            calls = stats.calls + 1
            if self._bucket is not None and not self._bucket.take(self._monotonic()):
                self._stats = replace(stats, calls=calls, throttled=stats.throttled + 1)
                raise throttling()
            failure = None
            if self.fail_rate and self._random.random() < self.fail_rate:
                failure = "after" if self._random.random() < self.fail_after_commit else "before"
            self._stats = replace(
                stats,
                calls=calls,
                failed_before_commit=stats.failed_before_commit + (failure == "before"),
                failed_after_commit=stats.failed_after_commit + (failure == "after"),
            )
            return failure


def _check_range(name: str, value: float, low: float, high: float | None) -> None:
    if value < low or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(f"The {name} must be {bound}, not {value:g}.")

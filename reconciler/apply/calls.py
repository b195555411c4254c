"""One MTurk call as apply makes it: classified errors, apply's own backoff, and Ctrl-C.

botocore already retries throttling and service faults a few times (adaptive mode, one client
shared by every thread so its rate limiter sees all traffic). What still reaches apply is:
- a `ThrottlingException` once botocore's retry quota is drained: "not done yet", so it is
  retried here with a growing, jittered backoff and never reported as a row's failure;
- a `ServiceFault`, a 5xx or a lost connection: every call apply makes is idempotent (request
  tokens, or MTurk's own), so it is retried a few more times before the row fails;
- a `RequestError`: a real answer, returned to the step, which decides (e.g. HitAlreadyExists
  is success).
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError as BotoConnectionError
from botocore.exceptions import ReadTimeoutError

THROTTLE_CODES = frozenset({"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException"})
TRANSIENT_CODES = frozenset({"ServiceFault", "ServiceUnavailable", "InternalFailure", "InternalServerError"})
_HIT_ID = re.compile(r"\b([A-Z0-9]{20,64})\b")


class Interrupted(Exception):
    """Apply was asked to stop (Ctrl-C) before this call was made or while it waited to retry."""


class StillThrottled(Exception):
    """MTurk kept throttling this call for longer than apply's patience: not done, not failed."""


@dataclass(frozen=True)
class CallFailure(Exception):
    """An MTurk error answer (or a transport failure that outlived the retries), for the report."""

    operation: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.code}: {self.message}"


@dataclass(frozen=True)
class Backoff:
    """Apply's retry timing: full-jitter exponential delays, and how long to keep trying."""

    base: float = 0.25
    cap: float = 20.0
    throttle_patience: float = 900.0
    transient_attempts: int = 5
    # Calls in a row (across threads) that could not reach MTurk at all, after their retries,
    # before apply stops taking new work: a dead endpoint should end the run in seconds with
    # "run again", not grind every remaining row through its retries for an hour.
    unreachable_limit: int = 8

    def delay(self, attempt: int, rng: random.Random) -> float:
        return rng.uniform(0.5, 1.0) * min(self.cap, self.base * (2**attempt))


def error_code(exc: ClientError) -> str:
    """The most specific code of an MTurk error: its TurkErrorCode, else botocore's error code."""
    response = exc.response or {}
    turk = response.get("TurkErrorCode") or response.get("Error", {}).get("TurkErrorCode")
    return str(turk or response.get("Error", {}).get("Code") or "Unknown")


def error_message(exc: ClientError) -> str:
    response = exc.response or {}
    return str(response.get("Error", {}).get("Message") or response.get("Message") or exc)


def is_code(exc: ClientError, suffix: str) -> bool:
    """Whether the error's TurkErrorCode ends in `suffix`, compared case-insensitively
    (MTurk spells `HitAlreadyExists`; legacy clients wrote `HITAlreadyExists`)."""
    return error_code(exc).lower().endswith(suffix.lower())


def hit_id_in(message: str) -> str | None:
    """The HIT ID an `HitAlreadyExists` message carries."""
    match = _HIT_ID.search(message)
    return match.group(1) if match else None


def _is_throttle(exc: Exception) -> bool:
    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in THROTTLE_CODES


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, (BotoConnectionError, ReadTimeoutError)):
        return True
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0
        return error.get("Code") in TRANSIENT_CODES or status >= 500
    return False


class Caller:
    """Makes calls on the one shared client for every thread, retrying what is not a real answer."""

    def __init__(self, client: Any, stop: threading.Event, backoff: Backoff | None = None, seed: int | None = None):
        self.client = client
        self.stop = stop
        self.backoff = backoff or Backoff()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.throttled = 0
        self.calls = 0
        self.unreachable_streak = 0
        self.gave_up = False  # MTurk stopped answering: the stop event was set by apply itself

    def call(self, operation: str, **params: Any) -> dict:
        """Call `operation`; raise ClientError for a real MTurk answer, CallFailure for a transport
        failure that outlived the retries, StillThrottled or Interrupted when not done.

        A stop request does not cut a step short between its calls (in-flight work finishes);
        it only ends a wait before a retry."""
        method: Callable[..., dict] = getattr(self.client, xform_name(operation))
        started = time.monotonic()
        throttles = transient = 0
        while True:
            try:
                self._count("calls")
                answer = method(**params)
                self._reachable()
                return answer
            except ClientError as exc:
                self._reachable()
                if _is_throttle(exc):
                    throttles += 1
                    self._count("throttled")
                    if time.monotonic() - started > self.backoff.throttle_patience:
                        raise StillThrottled(operation) from exc
                    self._wait(throttles)
                    continue
                if not _is_transient(exc):
                    raise
                transient += 1
                if transient >= self.backoff.transient_attempts:
                    raise CallFailure(operation, error_code(exc), error_message(exc)) from exc
                self._wait(transient)
            except (BotoConnectionError, ReadTimeoutError) as exc:
                transient += 1
                if transient >= self.backoff.transient_attempts:
                    self._unreachable()
                    raise CallFailure(operation, type(exc).__name__, str(exc)) from exc
                self._wait(transient)
            except BotoCoreError as exc:
                raise CallFailure(operation, type(exc).__name__, str(exc)) from exc

    def _wait(self, attempt: int) -> None:
        with self._lock:
            delay = self.backoff.delay(attempt, self._rng)
        if self.stop.wait(delay):
            raise Interrupted("stopped while waiting to retry")

    def _reachable(self) -> None:
        with self._lock:
            self.unreachable_streak = 0

    def _unreachable(self) -> None:
        """One more call that never reached MTurk; past the limit, stop taking new work."""
        with self._lock:
            self.unreachable_streak += 1
            if self.unreachable_streak < self.backoff.unreachable_limit or self.stop.is_set():
                return
            self.gave_up = True
        self.stop.set()

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)



class StepFailed(Exception):
    """A change that cannot be carried out, for a reason found by apply itself (no MTurk answer)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def is_repeat(exc: ClientError) -> bool:
    """Whether an error says "this exact request was already carried out".

    MTurk builds its own token for UpdateExpirationForHIT (HITId + ExpireAt) and answers a
    repeat with "The idempotency token … has already been processed"; a repeated
    UniqueRequestToken on CreateAdditionalAssignmentsForHIT answers an error naming the request
    (legacy code DuplicateCall). Both mean the work is done.
    """
    message = error_message(exc).lower()
    return is_code(exc, "DuplicateCall") or "already been processed" in message or is_code(exc, "DuplicateRequest")

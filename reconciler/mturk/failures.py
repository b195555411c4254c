"""botocore failures as one sentence that names the target: never a traceback, never a key.

`translate_failures(target)` wraps a block of MTurk calls; `describe_failure` is the sentence for
callers (such as apply) that catch botocore errors themselves and decide per error code.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)

from reconciler.errors import TargetError
from reconciler.mturk.targets import Target

# Access key IDs (long-term AKIA…, temporary ASIA…) are blanked out of any text we show, and so
# is whatever a SigV4 credential scope names (an endpoint may echo the Authorization header).
_ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b")
_CREDENTIAL_SCOPE = re.compile(r"(Credential=)[^/\s,]+")
MIN_SECRET_LENGTH = 12  # AWS access key IDs have 20 characters, secret keys 40
_SECRETS: set[str] = set()  # the credentials this process signs with (see remember_secrets)
# MTurk appends "(<epoch-ms>)" to its messages: noise in a sentence meant for people.
_EPOCH_SUFFIX = re.compile(r"\s*\(\d{10,}(?: s)?\)\s*$")


def redact(text: str) -> str:
    """`text` with anything shaped like an AWS access key ID replaced by a placeholder.

    A last line of defence: no message we build includes credentials, but a server's message
    is quoted as it came."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "<redacted>")
    text = _CREDENTIAL_SCOPE.sub(r"\1<redacted>", text)
    return _ACCESS_KEY_ID.sub("<redacted>", text)


def remember_secrets(*values: str | None) -> None:
    """Have `redact` blank out these exact values (the access key, secret key and session token
    in use), whatever their shape: a key for another MTurk-compatible endpoint need not look like AWS's.
    Short placeholders (the emulator's `local`) are no secret, and blanking them would garble words."""
    _SECRETS.update(v for v in values if v and len(v) >= MIN_SECRET_LENGTH)


def error_code(exc: ClientError) -> str:
    """MTurk's most specific code for a ClientError: the TurkErrorCode when present."""
    response = exc.response or {}
    return str(response.get("TurkErrorCode") or response.get("Error", {}).get("Code") or "Unknown")


def _client_error_sentence(target: Target, exc: ClientError) -> str:
    message = str((exc.response or {}).get("Error", {}).get("Message") or "").strip()
    message = _EPOCH_SUFFIX.sub("", message).rstrip(".")
    detail = f"{error_code(exc)}: {message}" if message else error_code(exc)
    return f"MTurk ({target.name}) answered {exc.operation_name} with {detail}."


def describe_failure(target: Target, exc: BaseException, endpoint_url: str | None = None) -> str:
    """One sentence about a failed MTurk call on `target`, safe to print."""
    where = endpoint_url or target.endpoint_url
    if isinstance(exc, ClientError):
        sentence = _client_error_sentence(target, exc)
    elif isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        sentence = missing_credentials_sentence(target)
    elif isinstance(exc, ProfileNotFound):
        sentence = f"The AWS profile {exc.kwargs.get('profile')!r} for target {target.name} does not exist."
    elif isinstance(exc, (EndpointConnectionError, ConnectTimeoutError)):
        sentence = f"Cannot reach the {target.name} endpoint {where}; check the network or --endpoint-url."
    elif isinstance(exc, ReadTimeoutError):
        sentence = f"The {target.name} endpoint {where} did not answer in time; try again later."
    else:
        sentence = f"MTurk ({target.name}) call failed: {exc}."
    return redact(sentence)


def missing_credentials_sentence(target: Target) -> str:
    return (
        f"No AWS credentials found for target {target.name}: set AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE / --profile naming a profile in ~/.aws/credentials."
    )


@contextmanager
def translate_failures(target: Target, endpoint_url: str | None = None) -> Iterator[None]:
    """Turn botocore errors raised inside the block into a TargetError sentence."""
    try:
        yield
    except (ClientError, BotoCoreError) as exc:
        raise TargetError(describe_failure(target, exc, endpoint_url)) from exc

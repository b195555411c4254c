"""Answer a real boto3 MTurk client's requests from an Engine, without a socket.

`attach` hooks botocore's `before-send` event: the prepared request (already serialised and
signed by botocore) is decoded exactly as a server would decode it, the engine answers, and a
JSON 1.1 `AWSResponse` goes back into botocore's parser, error factory and retry handler.
`handle` is the same request→response step for the HTTP server.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from .errors import PARAMETER_VALIDATION, MTurkError

TARGET_PREFIX = "MTurkRequesterServiceV20170117."
CONTENT_TYPE = "application/x-amz-json-1.1"
LOCAL_ENDPOINT = "https://mturk-requester.local.invalid"
LOCAL_SANDBOX_ENDPOINT = "https://mturk-requester-sandbox.local.invalid"


def handle(engine: Any, target: str | bytes | None, body: bytes | str | None) -> tuple[int, dict, bytes]:
    """Answer one JSON 1.1 request: (HTTP status, headers, body bytes)."""
    try:
        operation = _operation_of(target)
        params = _decode_body(body)
        status, payload = 200, engine.call(operation, params)
    except MTurkError as error:
        status, payload = error.to_wire()
    headers = {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": str(uuid.uuid4())}
    data = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    headers["Content-Length"] = str(len(data))
    return status, headers, data


def _operation_of(target: str | bytes | None) -> str:
    if isinstance(target, bytes):
        target = target.decode("latin-1")
    if not target or not target.startswith(TARGET_PREFIX):
        raise MTurkError(PARAMETER_VALIDATION, f"Unknown X-Amz-Target: {target!r}.", None)
    return target[len(TARGET_PREFIX):]


def _decode_body(body: bytes | str | None) -> dict:
    if body is None or body in (b"", ""):
        return {}
    try:
        params = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise MTurkError(PARAMETER_VALIDATION, "The request body is not valid JSON.", None) \
            from None
    if not isinstance(params, dict):
        raise MTurkError(PARAMETER_VALIDATION, "The request body must be a JSON object.", None)
    return params


class _RawBody:
    """The minimal raw-response object AWSResponse reads its content from."""

    def __init__(self, data: bytes):
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data

    def read(self, *_: Any) -> bytes:
        return self._data


def attach(client: Any, engine: Any) -> Any:
    """Make every request of a boto3 `mturk` client be answered by `engine`; returns the client."""

    def answer(request: Any, **_: Any) -> AWSResponse:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        status, headers, data = handle(engine, request.headers.get("X-Amz-Target"), body)
        return AWSResponse(request.url, status, headers, _RawBody(data))

    client.meta.events.register("before-send.mturk", answer)
    return client


def local_client(engine: Any, *, retry_mode: str = "standard", max_attempts: int = 3) -> Any:
    """A real boto3 MTurk client (dummy credentials, us-east-1) answered in-process by `engine`.

    `max_attempts` counts every attempt including the first (as `AWS_MAX_ATTEMPTS` does), so
    1 means no retries.
    """
    session = boto3.session.Session(
        aws_access_key_id="LOCALEMULATOR", aws_secret_access_key="local-emulator-secret",
        region_name="us-east-1",
    )
    endpoint = LOCAL_SANDBOX_ENDPOINT if getattr(engine, "sandbox", False) else LOCAL_ENDPOINT
    config = Config(retries={"mode": retry_mode, "total_max_attempts": max_attempts})
    client = session.client("mturk", endpoint_url=endpoint, config=config)
    return attach(client, engine)

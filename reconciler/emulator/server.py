"""The emulator over HTTP: MTurk's AWS JSON 1.1 protocol on a local port.

boto3 (`endpoint_url=` or `AWS_ENDPOINT_URL_MTURK`) and the AWS CLI (`--endpoint-url`) talk to it
unchanged. Like MTurk it wants a SigV4-signed request (credential scope `us-east-1` or `sandbox`,
service `mturk-requester`), but it never checks the key or the signature: any credentials do,
and none are ever logged. Each request runs in its own thread; the engine serialises the writes.
"""

from __future__ import annotations

import functools
import json
import re
import socket
import sys
import threading
import time
import uuid
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from reconciler.emulator.errors import MTurkError
from reconciler.emulator.validation import service_model

TARGET_PREFIX = "MTurkRequesterServiceV20170117."
SERVICE = "mturk-requester"
REGIONS = ("us-east-1", "sandbox")
JSON_TYPES = ("application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json")
MAX_BODY = 16 * 1024 * 1024  # far above MTurk's largest request (a 64 KiB question and its HIT)

_CREDENTIAL = re.compile(r"Credential=[^/,\s]*/\d{8}/([^/,\s]*)/([^/,\s]*)/aws4_request")

RequestLog = Callable[[str], None]


class WireError(Exception):
    """A refusal before the request reaches the engine (unsigned, wrong service, bad JSON…)."""

    def __init__(self, status: int, error_type: str, message: str):
        super().__init__(message)
        self.status = status
        self.body = {"__type": error_type, "Message": message}


@functools.cache
def operation_names() -> frozenset[str]:
    """The 39 operations of botocore's MTurk model: the only targets the server answers."""
    return frozenset(service_model().operation_names)


def check_signature(authorization: str | None) -> None:
    """Refuse a request that is not SigV4-signed for MTurk; the key and signature are not checked."""
    if not authorization:
        raise WireError(400, "MissingAuthenticationTokenException", "Request is missing Authentication Token")
    match = _CREDENTIAL.search(authorization)
    if not authorization.startswith("AWS4-HMAC-SHA256 ") or not match or "Signature=" not in authorization:
        raise WireError(400, "IncompleteSignatureException", "The request signature is not a valid AWS Signature Version 4.")
    region, service = match.groups()
    if service != SERVICE:
        raise WireError(403, "InvalidSignatureException", f"Credential should be scoped to correct service: '{SERVICE}'.")
    if region not in REGIONS:
        raise WireError(
            403, "InvalidSignatureException",
            f"Credential should be scoped to a valid region, not '{region}': use us-east-1 or sandbox.",
        )


def parse_target(target: str | None) -> str:
    """The operation named by `X-Amz-Target`, which must be one of MTurk's."""
    operation = (target or "")[len(TARGET_PREFIX):] if (target or "").startswith(TARGET_PREFIX) else ""
    if operation not in operation_names():
        shown = target or "(none)"
        raise WireError(400, "UnknownOperationException", f"The operation {shown} is not an MTurk Requester API operation.")
    return operation


def parse_body(raw: bytes) -> dict:
    """The request's input members (an empty body is `{}`)."""
    if not raw.strip():
        return {}
    try:
        params = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(400, "SerializationException", f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(params, dict):
        raise WireError(400, "SerializationException", "The request body must be a JSON object.")
    return params


def _json_value(value: Any) -> Any:
    """Encode what the engine should already have made JSON-ready (money as text, times as epoch)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class RequestHandler(BaseHTTPRequestHandler):
    """One connection: POST / answered by the engine; anything else refused in JSON."""

    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects
    timeout = 60  # close idle keep-alive connections
    server: EmulatorServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as separate writes: without TCP_NODELAY, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        started = time.perf_counter()
        operation = "-"
        try:
            raw = self._read_body()  # first: an unread body would corrupt the next keep-alive request
            if self.path.split("?")[0] != "/":
                raise WireError(404, "UnknownOperationException", f"No such path {self.path}: requests go to /.")
            check_signature(self.headers.get("Authorization"))
            self._check_content_type()
            operation = parse_target(self.headers.get("X-Amz-Target"))
            status, payload = 200, self.server.engine.call(operation, parse_body(raw))
        except WireError as exc:
            status, payload = exc.status, exc.body
        except MTurkError as exc:
            status, payload = exc.to_wire()
        except Exception as exc:  # an engine bug: answer like MTurk's fault, say what it was
            status, payload = 500, {"__type": "ServiceFault", "Message": f"Internal emulator error: {type(exc).__name__}: {exc}"}
            print(f"emulator: {operation} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        self._send(status, payload)
        self.server.log_request_line(operation, status, payload, time.perf_counter() - started)

    def do_GET(self) -> None:  # noqa: N802
        self._send(404, {
            "__type": "UnknownOperationException",
            "Message": "This is a local MTurk Requester API emulator: POST AWS JSON 1.1 requests to /.",
        })

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise WireError(400, "SerializationException", "The Content-Length header is not a number.") from None
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            raise WireError(413, "SerializationException", f"The request body is larger than {MAX_BODY} bytes.")
        return self.rfile.read(length) if length else b""

    def _check_content_type(self) -> None:
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in JSON_TYPES:
            raise WireError(
                400, "UnknownOperationException",
                f"The Content-Type '{content_type or '(none)'}' is not supported: use application/x-amz-json-1.1.",
            )

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload, default=_json_value, separators=(",", ":")).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Silence http.server's own access log: the server logs one line per call itself."""


class EmulatorServer(ThreadingHTTPServer):
    """An HTTP server over one engine. `start()` serves in a thread; `serve_forever()` blocks."""

    daemon_threads = True

    def __init__(self, engine: Any, host: str = "127.0.0.1", port: int = 8080, *, log: RequestLog | None = None):
        if ":" in host:
            self.address_family = socket.AF_INET6
        operation_names()  # load botocore's model now, not on the first request
        super().__init__((host, port), RequestHandler)
        self.engine = engine
        self.log = log
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        """The bound port (the one the OS chose when asked for port 0)."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> EmulatorServer:
        """Serve in a daemon thread and return at once (tests, benchmarks)."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name=f"mturk-emulator:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving (when started in a thread) and release the port."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def log_request_line(self, operation: str, status: int, payload: dict, seconds: float) -> None:
        if self.log is None:
            return
        outcome = "OK" if status == 200 else payload.get("TurkErrorCode") or payload.get("__type", "error")
        self.log(f"{operation} {status} {outcome} {seconds * 1000:.1f}ms")


def serve(engine: Any, host: str = "127.0.0.1", port: int = 8080, *, log: RequestLog | None = None) -> EmulatorServer:
    """Start an HTTP server over `engine` in a background thread; port 0 picks a free port."""
    return EmulatorServer(engine, host, port, log=log).start()

"""Endpoints and credentials used carelessly: a bad --endpoint-url, an endpoint that is not
MTurk's, keys of any shape in the environment, a profile that does not exist. One sentence each,
and never a credential in it."""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from careless_use import app, invoke, one_line_error, project, run_cli, runner  # noqa: F401 (project is a fixture)


def test_local_target_ignores_an_aws_profile_missing_from_the_config(project, tmp_path):
    """CI often exports AWS_PROFILE for production; the emulator needs no profile and must not read it."""
    config = tmp_path / "aws-config"
    config.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_PROFILE="ci-production", AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE=str(config))
    proc = run_cli("plan", str(project), "--detailed-exitcode", env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout.startswith("Target: local")


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "ftp://127.0.0.1:21", "http://127.0.0.1:abc", "http://"])
def test_an_endpoint_url_that_is_not_http_host_port_is_one_sentence(project, url):
    message = one_line_error(invoke("plan", str(project), "--endpoint-url", url))
    assert message == f"Error: The endpoint URL {url!r} is not valid: use http(s)://host[:port]."


@contextmanager
def fake_endpoint(answer):
    """An HTTP endpoint on loopback; `answer(authorization)` gives the (status, JSON body) of every call."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, document = answer(self.headers.get("Authorization", ""))
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def echoing_endpoint():
    """Refuses every call and quotes the request's Authorization header and the access key in its
    message, as a misconfigured proxy or a chatty service might."""

    def answer(authorization: str):
        key = authorization.split("Credential=")[1].split("/")[0]
        return 400, {"__type": "RequestError", "Message": f"Unknown key {key}; you sent {authorization}"}

    with fake_endpoint(answer) as url:
        yield url


@pytest.fixture
def sandbox_credentials(tmp_path) -> dict:
    empty = tmp_path / "aws-empty"
    empty.write_text("")
    return {"AWS_ACCESS_KEY_ID": "reconciler-test-key-0001", "AWS_SECRET_ACCESS_KEY": "reconciler-test-secret-0001",
            "AWS_CONFIG_FILE": str(empty), "AWS_SHARED_CREDENTIALS_FILE": str(empty), "AWS_PROFILE": None,
            "AWS_SESSION_TOKEN": None}


def test_a_key_of_any_shape_never_appears_in_an_error(project, echoing_endpoint, sandbox_credentials):
    """Keys for an MTurk-compatible endpoint need not look like AKIA…: the key in use is blanked out by value."""
    args = ["plan", str(project), "--target", "sandbox", "--endpoint-url", echoing_endpoint]
    result = runner.invoke(app, args, env=sandbox_credentials)
    message = one_line_error(result)
    assert "answered ListQualificationTypes with RequestError: Unknown key <redacted>" in message
    assert sandbox_credentials["AWS_ACCESS_KEY_ID"] not in result.output
    assert sandbox_credentials["AWS_SECRET_ACCESS_KEY"] not in result.output


def test_an_endpoint_that_is_not_mturk_is_one_sentence(project, sandbox_credentials):
    """Every call answered 200 with an empty object (some other service, a captive portal)."""
    with fake_endpoint(lambda _: (200, {})) as url:
        result = runner.invoke(app, ["plan", str(project), "--target", "sandbox", "--endpoint-url", url],
                               env=sandbox_credentials)
    message = one_line_error(result)
    assert message == (f"Error: The sandbox endpoint {url} answered without the field 'AvailableBalance'; "
                       "is it an MTurk Requester API endpoint? Check --endpoint-url.")


def test_an_endpoint_url_with_a_password_is_refused_without_repeating_it(project, tmp_path):
    """A URL's user:password would be printed in the plan's first line, saved in plan files and quoted in errors."""
    result = invoke("plan", str(project), "--endpoint-url", "http://admin:hunter2@127.0.0.1:9", "--out", str(tmp_path / "p.json"))
    message = one_line_error(result)
    assert "must not carry a user name or password" in message
    assert "hunter2" not in result.output and not (tmp_path / "p.json").exists()


def test_placeholder_credentials_do_not_garble_messages(project, sandbox_credentials):
    """The emulator's banner suggests AWS_ACCESS_KEY_ID=local: not a secret, and "localhost" must stay readable."""
    env = {**sandbox_credentials, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}
    refusal = {"__type": "RequestError", "Message": "Requests from localhost are not served here"}
    with fake_endpoint(lambda _: (400, refusal)) as url:
        result = runner.invoke(app, ["plan", str(project), "--target", "sandbox", "--endpoint-url", url], env=env)
    assert one_line_error(result) == (
        "Error: MTurk (sandbox) answered ListQualificationTypes with RequestError: Requests from localhost are not served here."
    )

"""make_client: credentials, endpoints, retry settings, the local emulator, error sentences."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from reconciler.emulator import Engine
from reconciler.emulator.transport import attach
from reconciler.errors import TargetError
from reconciler.mturk import count_calls, make_client, translate_failures
from reconciler.mturk.failures import redact
from reconciler.mturk.targets import PRODUCTION_ENDPOINT, SANDBOX_ENDPOINT

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
CLOSED_PORT = "http://127.0.0.1:9"  # loopback discard port: nothing listens, the connection is refused

CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
)


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    """An environment where boto3's chain finds nothing: no variables, empty files, no IMDS."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config, credentials = tmp_path / "aws-config", tmp_path / "aws-credentials"
    config.write_text("")
    credentials.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return credentials


@pytest.fixture
def env_credentials(no_credentials, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)


@pytest.mark.parametrize("target", ["sandbox", "production"])
def test_missing_credentials_is_one_sentence_before_any_request(no_credentials, tmp_path, target):
    with pytest.raises(TargetError) as caught:
        make_client(target, project_dir=tmp_path)
    message = str(caught.value)
    assert message.startswith(f"No AWS credentials found for target {target}:")
    assert "AWS_ACCESS_KEY_ID" in message and "--profile" in message
    assert "\n" not in message


def test_missing_profile_is_one_sentence(no_credentials, tmp_path):
    with pytest.raises(TargetError) as caught:
        make_client("sandbox", project_dir=tmp_path, profile="ci-nope")
    assert str(caught.value) == "The AWS profile 'ci-nope' for target sandbox does not exist."


def test_environment_credentials_reach_the_sandbox_endpoint_with_adaptive_retries(env_credentials, tmp_path):
    conn = make_client("sandbox", project_dir=tmp_path, max_pool_connections=32)
    config = conn.client.meta.config
    assert conn.endpoint_url == SANDBOX_ENDPOINT == conn.client.meta.endpoint_url
    assert conn.client.meta.region_name == "us-east-1"
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 5}
    assert (config.connect_timeout, config.read_timeout, config.max_pool_connections) == (10, 60, 32)
    assert conn.engine is None
    conn.close()


def test_profile_credentials_are_used_for_production(no_credentials, tmp_path):
    no_credentials.write_text(f"[ci]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n")
    with make_client("production", project_dir=tmp_path, profile="ci") as conn:  # no TargetError: found
        assert conn.client.meta.endpoint_url == PRODUCTION_ENDPOINT
        assert conn.system_qualifications.id_of("Masters") == "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH"


def test_endpoint_override_sends_a_targets_requests_elsewhere(env_credentials, tmp_path):
    """`--endpoint-url` on sandbox: requests go to the override (here answered by an emulator)."""
    conn = make_client("sandbox", project_dir=tmp_path, endpoint_url="http://127.0.0.1:8443")
    engine = Engine(":memory:", sandbox=True)
    attach(conn.client, engine)
    assert conn.client.meta.endpoint_url == "http://127.0.0.1:8443"
    assert conn.client.get_account_balance()["AvailableBalance"] == "10000.00"
    assert conn.system_qualifications.id_of("Masters") == "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6"
    conn.close()
    engine.close()


def test_local_needs_no_credentials_and_keeps_its_state_beside_the_project(no_credentials, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_PROFILE", "a-profile-that-does-not-exist")
    with make_client("local", project_dir=tmp_path) as conn:
        assert conn.state_path == tmp_path / ".reconciler" / "local.sqlite3"
        assert conn.describe() == f"local ({conn.state_path})"
        conn.client.create_worker_block(WorkerId="A1EXAMPLE000", Reason="kept")
    assert conn.state_path.is_file()
    with make_client("local", project_dir=tmp_path) as again:
        assert again.client.list_worker_blocks()["WorkerBlocks"] == [{"WorkerId": "A1EXAMPLE000", "Reason": "kept"}]


def test_a_malformed_endpoint_is_one_sentence(tmp_path):
    with pytest.raises(TargetError) as caught:
        make_client("local", project_dir=tmp_path, endpoint_url="localhost:8443")
    assert str(caught.value) == "The endpoint URL 'localhost:8443' is not valid: use http(s)://host[:port]."


def test_unreachable_endpoint_is_one_sentence(tmp_path):
    with make_client("local", project_dir=tmp_path, endpoint_url=CLOSED_PORT, max_attempts=1) as conn:
        with pytest.raises(TargetError) as caught:
            with translate_failures(conn.target, conn.endpoint_url):
                conn.client.get_account_balance()
    assert str(caught.value) == f"Cannot reach the local endpoint {CLOSED_PORT}; check the network or --endpoint-url."


def test_errors_never_show_credentials(env_credentials, tmp_path):
    with make_client("sandbox", project_dir=tmp_path, endpoint_url=CLOSED_PORT, max_attempts=1) as conn:
        with pytest.raises(TargetError) as caught:
            with translate_failures(conn.target, conn.endpoint_url):
                conn.client.list_hits()
    assert ACCESS_KEY not in str(caught.value) and SECRET_KEY not in str(caught.value)
    assert redact(f"signed with {ACCESS_KEY}.") == "signed with <redacted>."


def test_mturk_errors_name_the_target_operation_and_code(tmp_path):
    with make_client("local", project_dir=tmp_path) as conn:
        with pytest.raises(TargetError) as caught:
            with translate_failures(conn.target):
                conn.client.get_hit(HITId="NOSUCHHIT")
    message = str(caught.value)
    assert message.startswith("MTurk (local) answered GetHIT with AWS.MechanicalTurk.HITDoesNotExist: ")
    assert "NOSUCHHIT" in message and message.endswith(".") and not message.endswith(").")


def test_one_client_is_shared_by_threads_and_its_calls_are_counted(tmp_path):
    with make_client("local", project_dir=tmp_path) as conn:
        with count_calls(conn.client) as calls:
            with ThreadPoolExecutor(max_workers=8) as pool:
                balances = list(pool.map(lambda _: conn.client.get_account_balance(), range(40)))
            conn.client.list_hits(MaxResults=100)
        conn.client.list_hits()  # after the block: not counted
    assert {b["AvailableBalance"] for b in balances} == {"10000.00"}
    assert calls.by_operation == {"GetAccountBalance": 40, "ListHITs": 1}
    assert calls.total == 41

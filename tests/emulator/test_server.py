"""The emulator over HTTP: real boto3 clients through a socket, the wire protocol, throttling."""

from __future__ import annotations

import http.client
import json
import threading
from datetime import UTC, datetime

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from reconciler.emulator import Engine
from reconciler.emulator.faults import Faults
from reconciler.emulator.server import serve

HTML_QUESTION = (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
    "<HTMLContent><![CDATA[<!DOCTYPE html><html><body><form>"
    '<input type="radio" name="sentiment" value="positive"/><input type="radio" name="sentiment" value="negative"/>'
    "</form></body></html>]]></HTMLContent><FrameHeight>450</FrameHeight></HTMLQuestion>"
)
TYPE_PROPERTIES = {
    "Title": "Rate a sentence",
    "Description": "Pick positive or negative.",
    "Reward": "0.05",
    "AssignmentDurationInSeconds": 600,
    "AutoApprovalDelayInSeconds": 3600,
}
ACCESS_KEY = "AKIDEXAMPLESECRETLOOKING"


class TickingClock:
    """A monotonic clock that moves half a token period on every reading: with a burst of one,
    requests alternate between admitted and throttled, whatever the real timing."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def engine():
    engine = Engine(":memory:")
    yield engine
    engine.close()


@pytest.fixture
def server(engine):
    with serve(engine, port=0) as running:
        yield running


def http_client(url: str, *, region: str = "us-east-1", attempts: int = 3):
    """A boto3 client over HTTP; `attempts` counts the first try (botocore's total_max_attempts)."""
    session = boto3.session.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key="secret", region_name=region)
    config = Config(retries={"mode": "standard", "total_max_attempts": attempts})
    return session.client("mturk", endpoint_url=url, config=config)


def create_hit(client, **extra) -> dict:
    type_id = client.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]
    return client.create_hit_with_hit_type(HITTypeId=type_id, LifetimeInSeconds=3600, Question=HTML_QUESTION, **extra)["HIT"]


def raw_post(server, headers: dict, body: bytes = b"{}", method: str = "POST", path: str = "/"):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read() or b"{}")
    finally:
        connection.close()


def signed_headers(operation: str = "GetAccountBalance", region: str = "us-east-1", service: str = "mturk-requester") -> dict:
    return {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"MTurkRequesterServiceV20170117.{operation}",
        "X-Amz-Date": "20260105T120000Z",
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20260105/{region}/{service}/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"
        ),
    }


def test_boto3_over_http_creates_lists_and_expires_a_hit(server):
    client = http_client(server.url)
    hit = create_hit(client, RequesterAnnotation="reconciler/1 demo batch 0 row-1")
    assert hit["HITStatus"] == "Assignable"
    assert isinstance(hit["Expiration"], datetime) and hit["Expiration"].tzinfo is not None

    listed = client.list_hits(MaxResults=10)
    assert [h["HITId"] for h in listed["HITs"]] == [hit["HITId"]]
    assert listed["HITs"][0]["RequesterAnnotation"] == "reconciler/1 demo batch 0 row-1"

    client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=datetime(2015, 1, 1, tzinfo=UTC))
    expired = client.get_hit(HITId=hit["HITId"])["HIT"]
    assert expired["HITStatus"] == "Reviewable"
    assert expired["Expiration"] <= datetime.now(UTC)


def test_a_request_error_reaches_boto3_with_its_turk_error_code(server):
    client = http_client(server.url)
    with pytest.raises(client.exceptions.RequestError) as caught:
        client.get_hit(HITId="3" * 30)
    response = caught.value.response
    assert response["Error"]["Code"] == "RequestError"
    assert response["TurkErrorCode"] == "AWS.MechanicalTurk.HITDoesNotExist"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RequestId"]
    assert response["ResponseMetadata"]["RetryAttempts"] == 0  # RequestError is never retried


def test_the_endpoint_environment_variable_points_an_unchanged_program_at_it(server, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ENDPOINT_URL_MTURK", server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    client = boto3.session.Session().client("mturk", region_name="us-east-1")
    assert client.get_account_balance()["AvailableBalance"] == "10000.00"


def test_the_sandbox_credential_scope_is_accepted(server):
    client = http_client(server.url, region="sandbox")
    assert client.get_account_balance()["AvailableBalance"] == "10000.00"


def test_pagination_works_over_http(server):
    client = http_client(server.url)
    created = {create_hit(client)["HITId"] for _ in range(5)}
    pages = list(client.get_paginator("list_hits").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) >= 3
    assert {h["HITId"] for page in pages for h in page["HITs"]} == created


def test_concurrent_clients_are_all_answered(server):
    errors: list[BaseException] = []
    type_ids: list[str] = []

    def work(n: int) -> None:
        client = http_client(server.url)
        try:
            for _ in range(5):
                type_ids.append(client.create_hit_type(**{**TYPE_PROPERTIES, "Title": f"title {n}"})["HITTypeId"])
                client.list_hits(MaxResults=100)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(type_ids) == 20 and len(set(type_ids)) == 4  # identical properties, identical ID


def test_responses_carry_a_request_id_and_the_json_content_type(server):
    status, headers, body = raw_post(server, signed_headers())
    assert status == 200
    assert body["AvailableBalance"] == "10000.00"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-RequestId"]


@pytest.mark.parametrize(
    "change, status, error_type",
    [
        ({"Authorization": None}, 400, "MissingAuthenticationTokenException"),
        ({"Authorization": "Bearer abc"}, 400, "IncompleteSignatureException"),
        ({"service": "sqs"}, 403, "InvalidSignatureException"),
        ({"region": "eu-west-1"}, 403, "InvalidSignatureException"),
        ({"X-Amz-Target": "DynamoDB_20120810.ListTables"}, 400, "UnknownOperationException"),
        ({"operation": "ListHITTypes"}, 400, "UnknownOperationException"),
        ({"X-Amz-Target": None}, 400, "UnknownOperationException"),
        ({"Content-Type": "text/plain"}, 400, "UnknownOperationException"),
    ],
)
def test_requests_that_are_not_signed_mturk_calls_are_refused(server, change, status, error_type):
    headers = signed_headers(
        operation=change.get("operation", "GetAccountBalance"),
        region=change.get("region", "us-east-1"),
        service=change.get("service", "mturk-requester"),
    )
    for name in ("Authorization", "X-Amz-Target", "Content-Type"):
        if name in change:
            if change[name] is None:
                del headers[name]
            else:
                headers[name] = change[name]
    got_status, got_headers, body = raw_post(server, headers)
    assert (got_status, body["__type"]) == (status, error_type)
    assert body["Message"]
    assert ACCESS_KEY not in json.dumps(body)  # credentials never echoed
    assert got_headers["x-amzn-RequestId"]


def test_a_body_that_is_not_json_is_refused(server):
    status, _, body = raw_post(server, signed_headers("ListHITs"), body=b"{not json")
    assert (status, body["__type"]) == (400, "SerializationException")


def test_a_browser_visit_gets_a_json_explanation(server):
    status, _, body = raw_post(server, {}, body=b"", method="GET")
    assert status == 404
    assert "emulator" in body["Message"]


def test_engine_validation_errors_travel_over_http(server):
    client = http_client(server.url)
    with pytest.raises(ClientError) as caught:
        client.list_hits(MaxResults=500)  # botocore does not check `max`; the service does
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_throttling_is_retried_by_botocore_standard_mode_until_it_succeeds(engine, server):
    faults = Faults(throttle=8.0, burst=1, monotonic=TickingClock(0.0625))
    engine.faults = faults
    client = http_client(server.url, attempts=4)
    responses = [client.get_account_balance() for _ in range(3)]
    assert all(r["AvailableBalance"] == "10000.00" for r in responses)
    assert faults.stats().throttled == 2  # the server did throttle…
    assert [r["ResponseMetadata"]["RetryAttempts"] for r in responses][1:] == [1, 1]  # …and botocore retried


def test_throttling_surfaces_when_retries_are_off(engine, server):
    engine.faults = Faults(throttle=8.0, burst=1, monotonic=TickingClock(0.0625))
    client = http_client(server.url, attempts=1)
    client.get_account_balance()
    with pytest.raises(ClientError) as caught:
        client.get_account_balance()
    response = caught.value.response
    assert response["Error"] == {"Code": "ThrottlingException", "Message": "Rate exceeded"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RetryAttempts"] == 0


def test_a_failure_after_commit_leaves_the_change_made_but_reports_a_service_fault(engine, server):
    engine.faults = Faults(fail_rate=1.0, fail_after_commit=1.0)
    client = http_client(server.url, attempts=1)
    with pytest.raises(ClientError) as caught:
        client.create_qualification_type(Name="lost response", Description="d", QualificationTypeStatus="Active")
    assert caught.value.response["Error"]["Code"] == "ServiceFault"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    engine.faults = None
    listed = client.list_qualification_types(MustBeRequestable=False, MustBeOwnedByCaller=True)
    assert [q["Name"] for q in listed["QualificationTypes"]] == ["lost response"]


def test_a_failure_before_commit_changes_nothing(engine, server):
    engine.faults = Faults(fail_rate=1.0, fail_after_commit=0.0)
    client = http_client(server.url, attempts=1)
    with pytest.raises(ClientError) as caught:
        client.create_qualification_type(Name="never made", Description="d", QualificationTypeStatus="Active")
    assert caught.value.response["Error"]["Code"] == "ServiceFault"
    engine.faults = None
    listed = client.list_qualification_types(MustBeRequestable=False, MustBeOwnedByCaller=True)
    assert listed["QualificationTypes"] == []


def test_a_retried_lost_create_answers_hit_already_exists_with_the_hit_id(engine, server):
    client = http_client(server.url, attempts=3)
    type_id = client.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]
    engine.faults = Faults(fail_rate=1.0, fail_after_commit=1.0)
    with pytest.raises(client.exceptions.RequestError) as caught:
        client.create_hit_with_hit_type(
            HITTypeId=type_id, LifetimeInSeconds=3600, Question=HTML_QUESTION, UniqueRequestToken="row-1-gen-0"
        )
    engine.faults = None
    (hit,) = client.list_hits()["HITs"]  # the first attempt posted exactly one HIT
    assert caught.value.response["TurkErrorCode"] == "AWS.MechanicalTurk.HitAlreadyExists"
    assert hit["HITId"] in caught.value.response["Error"]["Message"]
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 1

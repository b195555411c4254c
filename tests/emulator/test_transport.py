"""The in-process transport: botocore's parsing and retries see what a real endpoint sends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from botocore.exceptions import ClientError
from emulator_support import START, TYPE_FIELDS, make_hit

from reconciler.emulator import Engine, ManualClock, MTurkError
from reconciler.emulator.errors import service_fault, throttling
from reconciler.emulator.transport import attach, handle, local_client


class FailFirstCalls:
    """A fault injector that answers the first `count` calls with `error`, after or before
    committing them."""

    def __init__(self, error: Callable[[], MTurkError], count: int, *, after_commit=False):
        self.error, self.left, self.after_commit = error, count, after_commit
        self.operations: list[str] = []

    def run(self, operation: str, commit: Callable[[], dict]) -> dict:
        self.operations.append(operation)
        if self.left > 0:
            self.left -= 1
            if self.after_commit:
                commit()
            raise self.error()
        return commit()


@pytest.mark.parametrize("error", [service_fault, throttling])
def test_standard_retry_mode_retries_service_faults_and_throttling(error):
    faults = FailFirstCalls(error, 1)
    client = local_client(Engine(clock=ManualClock(START), faults=faults))
    response = client.get_account_balance()
    assert response["AvailableBalance"] == "10000.00"
    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert faults.operations == ["GetAccountBalance"] * 2


def test_request_errors_are_not_retried():
    faults = FailFirstCalls(service_fault, 0)
    client = local_client(Engine(clock=ManualClock(START), faults=faults))
    with pytest.raises(client.exceptions.RequestError):
        client.get_hit(HITId="NOSUCHHIT")
    assert faults.operations == ["GetHIT"]


def test_a_lost_response_retried_with_a_token_reports_the_first_hit():
    engine = Engine(clock=ManualClock(START))
    client = local_client(engine, max_attempts=1)
    hit_type = client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]
    engine.faults = FailFirstCalls(service_fault, 1, after_commit=True)
    with pytest.raises(ClientError) as lost:
        make_hit(client, hit_type, UniqueRequestToken="row-1")
    assert lost.value.response["Error"]["Code"] == "ServiceFault"
    assert lost.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    with pytest.raises(client.exceptions.RequestError) as retried:
        make_hit(client, hit_type, UniqueRequestToken="row-1")
    existing = engine.list_hits()[0]["HITId"]
    assert existing in retried.value.response["Error"]["Message"]


def test_handle_answers_raw_json_requests():
    engine = Engine(clock=ManualClock(START))
    status, headers, body = handle(engine, "MTurkRequesterServiceV20170117.GetAccountBalance",
                                   b"{}")
    assert (status, headers["Content-Type"]) == (200, "application/x-amz-json-1.1")
    assert b'"AvailableBalance":"10000.00"' in body
    status, _, body = handle(engine, "Something.Else", b"{}")
    assert status == 400 and b"ParameterValidationError" in body
    status, _, body = handle(engine, "MTurkRequesterServiceV20170117.GetHIT", b"[1]")
    assert status == 400


def test_attach_works_on_a_client_built_elsewhere():
    import boto3

    engine = Engine(clock=ManualClock(START))
    client = boto3.session.Session(
        aws_access_key_id="x", aws_secret_access_key="y", region_name="us-east-1",
    ).client("mturk", endpoint_url="https://mturk-requester.local.invalid")
    attach(client, engine)
    assert client.list_hits()["NumResults"] == 0

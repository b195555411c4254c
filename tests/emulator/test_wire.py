"""What goes over the wire: every response fits botocore's output shapes exactly (members,
types, enums, patterns), timestamps are JSON numbers of whole epoch seconds, and errors carry
`__type`, `Message` ending in ` (<epoch-ms>)` and `TurkErrorCode` as MTurk sends them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from emulator_support import HTML_QUESTION, START, TYPE_FIELDS, WORKER, make_hit

from reconciler.emulator import Engine, ManualClock, workers
from reconciler.emulator.transport import handle, local_client
from reconciler.emulator.validation import _check, service_model

TARGET = "MTurkRequesterServiceV20170117."
SQS = "https://sqs.us-east-1.amazonaws.com/123456789012/events"


class ResponseRecorder:
    """An engine hook (in the fault injector's place) that keeps every response it passes on."""

    def __init__(self) -> None:
        self.responses: list[tuple[str, dict]] = []

    def run(self, operation: str, commit: Callable[[], dict]) -> dict:
        response = commit()
        self.responses.append((operation, response))
        return response


def every_operation(engine: Engine, client) -> None:
    """One pass through all 39 operations, with every list holding something."""
    qual_id, hit_type = types_and_settings(client)
    hit_work(engine, client, qual_id, hit_type)
    requests_blocks_and_deletion(engine, client, qual_id)


def types_and_settings(client) -> tuple[str, str]:
    """A qualification type and a HIT type gated by it (with notification settings)."""
    qual = client.create_qualification_type(Name="Q", Description="d",
                                            QualificationTypeStatus="Active", Keywords="k",
                                            RetryDelayInSeconds=0)["QualificationType"]
    qual_id = qual["QualificationTypeId"]
    client.update_qualification_type(QualificationTypeId=qual_id, Description="d2")
    client.get_qualification_type(QualificationTypeId=qual_id)
    client.list_qualification_types(MustBeRequestable=False, MaxResults=100)
    requirements = [{"QualificationTypeId": qual_id, "Comparator": "Exists"},
                    {"QualificationTypeId": "00000000000000000071", "Comparator": "In",
                     "LocaleValues": [{"Country": "US", "Subdivision": "WA"}]}]
    hit_type = client.create_hit_type(**TYPE_FIELDS,
                                      QualificationRequirements=requirements)["HITTypeId"]
    client.update_notification_settings(HITTypeId=hit_type, Notification={
        "Destination": SQS, "Transport": "SQS", "Version": "2006-05-05",
        "EventTypes": ["AssignmentSubmitted"]})
    client.send_test_event_notification(Notification={
        "Destination": SQS, "Transport": "SQS", "Version": "2006-05-05",
        "EventTypes": ["Ping"]}, TestEventType="Ping")
    client.associate_qualification_with_worker(QualificationTypeId=qual_id, WorkerId=WORKER,
                                               IntegerValue=5)
    client.get_qualification_score(QualificationTypeId=qual_id, WorkerId=WORKER)
    client.list_workers_with_qualification_type(QualificationTypeId=qual_id)
    return qual_id, hit_type


def hit_work(engine: Engine, client, qual_id: str, hit_type: str) -> None:
    """HITs through their life: work, review, bonus, extension, expiry, deletion."""
    policy = {"PolicyName": "ScoreMyKnownAnswers/2011-09-01",
              "Parameters": [{"Key": "AnswerKey", "MapEntries": [{"Key": "q", "Values": ["a"]}]}]}
    hit = make_hit(client, hit_type, MaxAssignments=2, RequesterAnnotation="row-1",
                   AssignmentReviewPolicy=policy)
    client.create_hit(**TYPE_FIELDS, LifetimeInSeconds=600, Question=HTML_QUESTION)
    hit_id = hit["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    client.associate_qualification_with_worker(QualificationTypeId=qual_id,
                                               WorkerId="A2OTHERWORKER")
    rejected = workers.accept(engine, make_hit(client, hit_type)["HITId"], "A2OTHERWORKER")
    workers.submit(engine, rejected)
    client.reject_assignment(AssignmentId=rejected, RequesterFeedback="No")
    client.get_assignment(AssignmentId=assignment)
    client.list_assignments_for_hit(HITId=hit_id)
    client.get_file_upload_url(AssignmentId=assignment, QuestionIdentifier="q")
    client.approve_assignment(AssignmentId=assignment, RequesterFeedback="Thanks")
    client.send_bonus(WorkerId=WORKER, BonusAmount="1", AssignmentId=assignment, Reason="r",
                      UniqueRequestToken="b")
    client.list_bonus_payments(HITId=hit_id)
    client.notify_workers(Subject="s", MessageText="m", WorkerIds=[WORKER, "A9NOBODY"])
    client.list_review_policy_results_for_hit(HITId=hit_id)
    client.create_additional_assignments_for_hit(HITId=hit_id, NumberOfAdditionalAssignments=1)
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=hit["Expiration"] + timedelta(1))
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    client.list_hits()
    client.list_hits_for_qualification_type(QualificationTypeId=qual_id)
    client.list_reviewable_hits()
    client.update_hit_review_status(HITId=hit_id)
    client.update_hit_type_of_hit(HITId=hit_id, HITTypeId=hit_type)
    client.get_hit(HITId=hit_id)
    client.delete_hit(HITId=hit_id)


def requests_blocks_and_deletion(engine: Engine, client, qual_id: str) -> None:
    """Qualification requests, revocation, blocks, the balance, deleting the type."""
    request = workers.request_qualification(engine, qual_id, "A3REQUESTER")
    client.list_qualification_requests(QualificationTypeId=qual_id)
    client.accept_qualification_request(QualificationRequestId=request, IntegerValue=3)
    client.reject_qualification_request(
        QualificationRequestId=workers.request_qualification(engine, qual_id, "A4REQUESTER"))
    client.disassociate_qualification_from_worker(QualificationTypeId=qual_id, WorkerId=WORKER)
    client.create_worker_block(WorkerId="A5BLOCKED", Reason="r")
    client.list_worker_blocks()
    client.delete_worker_block(WorkerId="A5BLOCKED")
    client.get_account_balance()
    client.delete_qualification_type(QualificationTypeId=qual_id)


def test_every_response_fits_its_output_shape_exactly():
    recorder = ResponseRecorder()
    engine = Engine(clock=ManualClock(START), faults=recorder)
    every_operation(engine, local_client(engine))
    model = service_model()
    assert {operation for operation, _ in recorder.responses} == set(model.operation_names)
    for operation, response in recorder.responses:
        shape = model.operation_model(operation).output_shape
        problems: list[str] = []
        _check(shape, response, "", problems)
        assert (operation, problems) == (operation, [])
        if not shape.members:
            assert response == {}


def raw(engine: Engine, operation: str, params: dict) -> tuple[int, dict, dict]:
    status, headers, body = handle(engine, TARGET + operation, json.dumps(params).encode())
    return status, headers, json.loads(body)


def test_timestamps_are_json_numbers_of_whole_epoch_seconds(hit_type, engine):
    status, _, body = raw(engine, "CreateHITWithHITType", {
        "HITTypeId": hit_type, "LifetimeInSeconds": 3600, "Question": HTML_QUESTION})
    assert status == 200
    hit = body["HIT"]
    for key in ("CreationTime", "Expiration"):
        assert isinstance(hit[key], (int, float)) and hit[key] == int(hit[key])
    assert hit["Expiration"] - hit["CreationTime"] == 3600
    assert hit["CreationTime"] == START.timestamp()


def test_expire_at_arrives_as_epoch_seconds_not_as_text(hit_type, engine):
    hit_id = raw(engine, "CreateHITWithHITType", {
        "HITTypeId": hit_type, "LifetimeInSeconds": 3600,
        "Question": HTML_QUESTION})[2]["HIT"]["HITId"]
    later = START.timestamp() + 7200.0
    assert raw(engine, "UpdateExpirationForHIT", {"HITId": hit_id, "ExpireAt": later})[0] == 200
    status, _, body = raw(engine, "UpdateExpirationForHIT",
                          {"HITId": hit_id, "ExpireAt": "2026-03-02T12:00:00Z"})
    assert (status, body["__type"]) == (400, "ParameterValidationError")


def test_a_request_error_on_the_wire(engine):
    status, headers, body = raw(engine, "GetHIT", {"HITId": "3PR3NOSUCHHIT"})
    assert status == 400
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert re.fullmatch(r"[0-9a-f-]{36}", headers["x-amzn-RequestId"])
    assert set(body) == {"__type", "Message", "TurkErrorCode"}
    assert body["__type"] == "RequestError"
    assert body["TurkErrorCode"] == "AWS.MechanicalTurk.HITDoesNotExist"
    assert re.fullmatch(r"Hit 3PR3NOSUCHHIT does not exist\. \(\d{13}\)", body["Message"])


def test_a_parameter_validation_error_on_the_wire(engine):
    status, _, body = raw(engine, "ListHITs", {"MaxResults": 500})
    assert (status, body["__type"]) == (400, "ParameterValidationError")
    assert re.search(r" \(\d{13}\)$", body["Message"])


def test_boto3_sees_a_request_error_as_mturk_sends_it(client):
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.get_hit(HITId="3PR3NOSUCHHIT")
    response = excinfo.value.response
    assert response["Error"]["Code"] == "RequestError"
    assert response["TurkErrorCode"] == "AWS.MechanicalTurk.HITDoesNotExist"
    assert response["Message"] == response["Error"]["Message"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "RequestId" in response["ResponseMetadata"]

"""Every one of the 39 MTurk operations, driven through a real boto3 client in-process."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from reconciler.emulator import workers
from reconciler.emulator.validation import service_model

from emulator_support import (
    OTHER_WORKER,
    QUESTION_FORM,
    START,
    TYPE_FIELDS,
    WORKER,
    error_of,
    make_hit,
)

SQS = "https://sqs.us-east-1.amazonaws.com/123456789012/mturk-events"


def submitted_assignment(engine, client, hit_type, worker=WORKER) -> tuple[str, str]:
    hit = make_hit(client, hit_type)
    assignment_id = workers.accept(engine, hit["HITId"], worker)
    workers.submit(engine, assignment_id)
    return hit["HITId"], assignment_id


def test_module_drives_all_39_operations():
    source = Path(__file__).read_text()
    names = service_model().operation_names
    assert len(names) == 39
    missing = [n for n in names if f"client.{xform_name(n)}(" not in source]
    assert missing == []


def test_create_hit_type_returns_same_id_for_same_values(client):
    first = client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]
    again = client.create_hit_type(**{**TYPE_FIELDS, "Reward": "0.5",
                                      "Keywords": "sentiment,tweet"})["HITTypeId"]
    other = client.create_hit_type(**{**TYPE_FIELDS, "Title": "Rate a post"})["HITTypeId"]
    assert re.fullmatch(r"[A-Z0-9]{30}", first)
    assert again == first
    assert other != first


def test_create_hit_with_hit_type_and_get_hit(client, hit_type):
    hit = client.create_hit_with_hit_type(
        HITTypeId=hit_type, LifetimeInSeconds=3600, Question=QUESTION_FORM, MaxAssignments=3,
        RequesterAnnotation="batch-1 row-7")["HIT"]
    got = client.get_hit(HITId=hit["HITId"])["HIT"]
    assert got["HITTypeId"] == hit_type
    assert got["HITStatus"] == "Assignable"
    assert got["Reward"] == "0.50"
    assert got["MaxAssignments"] == 3
    assert got["NumberOfAssignmentsAvailable"] == 3
    assert got["RequesterAnnotation"] == "batch-1 row-7"
    assert got["Expiration"] - got["CreationTime"] == timedelta(hours=1)
    assert got["CreationTime"] == START


def test_create_hit_all_in_one_reuses_the_hit_type(client, hit_type):
    hit = client.create_hit(**TYPE_FIELDS, LifetimeInSeconds=600, Question=QUESTION_FORM)["HIT"]
    assert hit["HITTypeId"] == hit_type
    assert hit["Question"] == QUESTION_FORM


def test_get_hit_unknown_is_hit_does_not_exist(client):
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.get_hit(HITId="3PR3ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    code, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.HITDoesNotExist"
    assert re.fullmatch(r"Hit 3PR3ABCDEFGHIJKLMNOPQRSTUVWXYZ does not exist\. \(\d{13}\)", message)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_list_hits_in_creation_order(client, hit_type):
    ids = [make_hit(client, hit_type)["HITId"] for _ in range(3)]
    listed = client.list_hits(MaxResults=100)
    assert [h["HITId"] for h in listed["HITs"]] == ids
    assert listed["NumResults"] == 3
    assert "NextToken" not in listed


def test_list_reviewable_hits_and_update_review_status(client, hit_type, clock):
    hit = make_hit(client, hit_type)
    make_hit(client, hit_type, LifetimeInSeconds=7200)
    clock.advance(3601)
    reviewable = client.list_reviewable_hits(HITTypeId=hit_type)["HITs"]
    assert [h["HITId"] for h in reviewable] == [hit["HITId"]]
    client.update_hit_review_status(HITId=hit["HITId"])
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["HITStatus"] == "Reviewing"
    assert client.list_reviewable_hits(Status="Reviewing")["NumResults"] == 1
    client.update_hit_review_status(HITId=hit["HITId"], Revert=True)
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["HITStatus"] == "Reviewable"
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.update_hit_review_status(HITId=hit["HITId"], Revert=True)
    assert "currently in the state 'Reviewable'" in error_of(excinfo)[2]


def test_update_expiration_for_hit_expires_now(client, hit_type):
    hit = make_hit(client, hit_type)
    client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)
    got = client.get_hit(HITId=hit["HITId"])["HIT"]
    assert got["HITStatus"] == "Reviewable"
    assert got["Expiration"] == START


def test_create_additional_assignments_for_hit(client, hit_type):
    hit = make_hit(client, hit_type, MaxAssignments=2)
    client.create_additional_assignments_for_hit(HITId=hit["HITId"],
                                                 NumberOfAdditionalAssignments=3)
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["MaxAssignments"] == 5


def test_update_hit_type_of_hit(client, hit_type):
    hit = make_hit(client, hit_type)
    new_type = client.create_hit_type(**{**TYPE_FIELDS, "Reward": "0.75", "Title": "New"})
    client.update_hit_type_of_hit(HITId=hit["HITId"], HITTypeId=new_type["HITTypeId"])
    got = client.get_hit(HITId=hit["HITId"])["HIT"]
    assert (got["HITTypeId"], got["Reward"], got["Title"]) == (new_type["HITTypeId"], "0.75",
                                                               "New")


def test_delete_hit(client, hit_type):
    hit = make_hit(client, hit_type)
    client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)
    client.delete_hit(HITId=hit["HITId"])
    assert client.list_hits()["NumResults"] == 0
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["HITStatus"] == "Disposed"


def test_assignments_get_list_approve_reject(engine, client, hit_type):
    hit_id, first = submitted_assignment(engine, client, hit_type)
    _, second = submitted_assignment(engine, client, hit_type, OTHER_WORKER)
    got = client.get_assignment(AssignmentId=first)
    assert got["Assignment"]["AssignmentStatus"] == "Submitted"
    assert got["Assignment"]["WorkerId"] == WORKER
    assert got["HIT"]["HITId"] == hit_id
    assert "QuestionFormAnswers" in got["Assignment"]["Answer"]
    listed = client.list_assignments_for_hit(HITId=hit_id, AssignmentStatuses=["Submitted"])
    assert [a["AssignmentId"] for a in listed["Assignments"]] == [first]
    client.approve_assignment(AssignmentId=first, RequesterFeedback="Thanks")
    client.reject_assignment(AssignmentId=second, RequesterFeedback="Empty answer")
    assert client.get_assignment(AssignmentId=first)["Assignment"]["AssignmentStatus"] == \
        "Approved"
    assert client.get_assignment(AssignmentId=second)["Assignment"]["AssignmentStatus"] == \
        "Rejected"
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.approve_assignment(AssignmentId=first)
    code, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.InvalidAssignmentState"
    assert message.startswith("This operation can be called with a status of: Submitted (")


def test_get_file_upload_url(engine, client, hit_type):
    _, assignment_id = submitted_assignment(engine, client, hit_type)
    url = client.get_file_upload_url(AssignmentId=assignment_id, QuestionIdentifier="photo")
    assert url["FileUploadURL"].startswith("https://")
    assert assignment_id in url["FileUploadURL"]


def test_send_bonus_and_list_bonus_payments(engine, client, hit_type):
    hit_id, assignment_id = submitted_assignment(engine, client, hit_type)
    client.send_bonus(WorkerId=WORKER, BonusAmount="1.25", AssignmentId=assignment_id,
                      Reason="Great work", UniqueRequestToken="bonus-1")
    payments = client.list_bonus_payments(HITId=hit_id)["BonusPayments"]
    assert [(p["WorkerId"], p["BonusAmount"], p["Reason"]) for p in payments] == [
        (WORKER, "1.25", "Great work")]
    by_assignment = client.list_bonus_payments(AssignmentId=assignment_id)
    assert by_assignment["NumResults"] == 1
    assert engine.balance() == Decimal("10000.00") - Decimal("1.25") - Decimal("0.25")


def test_get_account_balance(client):
    balance = client.get_account_balance()
    assert balance["AvailableBalance"] == "10000.00"


def test_qualification_type_lifecycle(client):
    created = client.create_qualification_type(
        Name="English check", Description="Reads English", QualificationTypeStatus="Active",
        Keywords="english, reconciler:acme")["QualificationType"]
    type_id = created["QualificationTypeId"]
    assert created["IsRequestable"] is True
    got = client.get_qualification_type(QualificationTypeId=type_id)["QualificationType"]
    assert got["Name"] == "English check"
    updated = client.update_qualification_type(
        QualificationTypeId=type_id, Description="Reads English well",
        QualificationTypeStatus="Inactive")["QualificationType"]
    assert (updated["Description"], updated["QualificationTypeStatus"]) == (
        "Reads English well", "Inactive")
    listed = client.list_qualification_types(MustBeRequestable=False, MustBeOwnedByCaller=True,
                                             Query="english")
    assert [t["QualificationTypeId"] for t in listed["QualificationTypes"]] == [type_id]
    client.delete_qualification_type(QualificationTypeId=type_id)
    with pytest.raises(client.exceptions.RequestError):
        client.get_qualification_type(QualificationTypeId=type_id)


def test_worker_qualifications(client):
    type_id = client.create_qualification_type(
        Name="Skill", Description="d", QualificationTypeStatus="Active",
    )["QualificationType"]["QualificationTypeId"]
    client.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER,
                                               IntegerValue=90, SendNotification=False)
    score = client.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)
    assert score["Qualification"]["IntegerValue"] == 90
    assert score["Qualification"]["Status"] == "Granted"
    listed = client.list_workers_with_qualification_type(QualificationTypeId=type_id)
    assert [q["WorkerId"] for q in listed["Qualifications"]] == [WORKER]
    client.disassociate_qualification_from_worker(QualificationTypeId=type_id, WorkerId=WORKER,
                                                  Reason="Retired")
    revoked = client.list_workers_with_qualification_type(QualificationTypeId=type_id,
                                                          Status="Revoked")
    assert revoked["NumResults"] == 1
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.disassociate_qualification_from_worker(QualificationTypeId=type_id,
                                                      WorkerId=WORKER)
    assert error_of(excinfo)[1] == "AWS.MechanicalTurk.QualificationDoesNotExist"


def test_qualification_requests(engine, client):
    type_id = client.create_qualification_type(
        Name="Requestable", Description="d", QualificationTypeStatus="Active",
        RetryDelayInSeconds=0,
    )["QualificationType"]["QualificationTypeId"]
    first = workers.request_qualification(engine, type_id, WORKER)
    second = workers.request_qualification(engine, type_id, OTHER_WORKER)
    pending = client.list_qualification_requests(QualificationTypeId=type_id)
    assert [r["QualificationRequestId"] for r in pending["QualificationRequests"]] == [first,
                                                                                        second]
    client.accept_qualification_request(QualificationRequestId=first, IntegerValue=7)
    client.reject_qualification_request(QualificationRequestId=second, Reason="Not yet")
    assert client.list_qualification_requests()["NumResults"] == 0
    score = client.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)
    assert score["Qualification"]["IntegerValue"] == 7
    with pytest.raises(client.exceptions.RequestError):
        client.accept_qualification_request(QualificationRequestId=first)


def test_hits_for_qualification_type(client):
    type_id = client.create_qualification_type(
        Name="Gate", Description="d", QualificationTypeStatus="Active",
    )["QualificationType"]["QualificationTypeId"]
    gated = client.create_hit_type(**TYPE_FIELDS, QualificationRequirements=[
        {"QualificationTypeId": type_id, "Comparator": "GreaterThanOrEqualTo",
         "IntegerValues": [80]}])["HITTypeId"]
    plain = client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]
    hit = make_hit(client, gated)
    make_hit(client, plain)
    listed = client.list_hits_for_qualification_type(QualificationTypeId=type_id)
    assert [h["HITId"] for h in listed["HITs"]] == [hit["HITId"]]


def test_worker_blocks(client):
    client.create_worker_block(WorkerId=WORKER, Reason="Spam")
    client.create_worker_block(WorkerId=WORKER, Reason="Spam, twice")
    blocks = client.list_worker_blocks()["WorkerBlocks"]
    assert blocks == [{"WorkerId": WORKER, "Reason": "Spam, twice"}]
    client.delete_worker_block(WorkerId=WORKER, Reason="Appeal accepted")
    client.delete_worker_block(WorkerId=OTHER_WORKER)  # not blocked: still succeeds
    assert client.list_worker_blocks()["NumResults"] == 0


def test_notify_workers(engine, client, hit_type):
    _, assignment_id = submitted_assignment(engine, client, hit_type)
    client.approve_assignment(AssignmentId=assignment_id)
    result = client.notify_workers(Subject="Thanks", MessageText="More HITs soon",
                                   WorkerIds=[WORKER, OTHER_WORKER])
    failures = result["NotifyWorkersFailureStatuses"]
    assert [(f["WorkerId"], f["NotifyWorkersFailureCode"]) for f in failures] == [
        (OTHER_WORKER, "HardFailure")]
    sent = [m for m in engine.outbox() if m["kind"] == "worker"]
    assert [m["destination"] for m in sent] == [WORKER]


def test_notification_settings_and_test_event(engine, client, hit_type):
    spec = {"Destination": SQS, "Transport": "SQS", "Version": "2006-05-05",
            "EventTypes": ["AssignmentSubmitted"]}
    client.update_notification_settings(HITTypeId=hit_type, Notification=spec, Active=True)
    client.update_notification_settings(HITTypeId=hit_type, Active=False)
    client.send_test_event_notification(Notification={**spec, "EventTypes": ["Ping"]},
                                        TestEventType="Ping")
    sent = engine.outbox()
    assert [(m["kind"], m["message"]["Events"][0]["EventType"]) for m in sent] == [
        ("test", "Ping")]


def test_list_review_policy_results_for_hit(client, hit_type):
    policy = {"PolicyName": "ScoreMyKnownAnswers/2011-09-01",
              "Parameters": [{"Key": "AnswerKey", "MapEntries": [
                  {"Key": "q1", "Values": ["yes"]}]}]}
    hit = make_hit(client, hit_type, AssignmentReviewPolicy=policy)
    result = client.list_review_policy_results_for_hit(HITId=hit["HITId"],
                                                       PolicyLevels=["Assignment"])
    assert result["HITId"] == hit["HITId"]
    assert result["AssignmentReviewPolicy"]["PolicyName"] == "ScoreMyKnownAnswers/2011-09-01"
    assert result["AssignmentReviewReport"] == {"ReviewResults": [], "ReviewActions": []}
    assert "HITReviewReport" not in result


def test_at_most_100000_workers_are_blocked(engine, client):
    with engine.session() as ctx:
        ctx.conn.executemany("INSERT INTO worker_blocks (worker_id, reason) VALUES (?, 'r')",
                             ((f"A{n:013d}",) for n in range(99_999)))
    client.create_worker_block(WorkerId=WORKER, Reason="the 100,000th")
    with pytest.raises(client.exceptions.RequestError):
        client.create_worker_block(WorkerId=OTHER_WORKER, Reason="one too many")
    client.create_worker_block(WorkerId=WORKER, Reason="a new reason")  # not a new block
    client.delete_worker_block(WorkerId=WORKER)
    client.create_worker_block(WorkerId=OTHER_WORKER, Reason="room again")


def test_list_bonus_payments_needs_a_hit_or_an_assignment(client):
    with pytest.raises(client.exceptions.RequestError):
        client.list_bonus_payments()


@pytest.mark.parametrize(
    ("change", "fragment"),
    [({"Subject": "s" * 201}, "Subject"), ({"MessageText": "m" * 4097}, "MessageText"),
     ({"WorkerIds": [f"A{n}W" for n in range(101)]}, "WorkerIds")],
)
def test_notify_workers_limits(client, change, fragment):
    params = {"Subject": "s" * 200, "MessageText": "m" * 4096, "WorkerIds": [WORKER] * 100}
    assert client.notify_workers(**params)["NotifyWorkersFailureStatuses"][0]["WorkerId"] == \
        WORKER
    with pytest.raises(ClientError) as excinfo:
        client.notify_workers(**{**params, **change})
    assert error_of(excinfo)[0] == "ParameterValidationError"
    assert fragment in error_of(excinfo)[2]


def test_file_upload_urls_end_with_the_hit(engine, client, hit_type):
    hit_id, assignment_id = submitted_assignment(engine, client, hit_type)
    client.approve_assignment(AssignmentId=assignment_id)
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    client.delete_hit(HITId=hit_id)
    with pytest.raises(client.exceptions.RequestError):
        client.get_file_upload_url(AssignmentId=assignment_id, QuestionIdentifier="photo")

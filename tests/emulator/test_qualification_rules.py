"""Qualification types: names, what Update may change, system types per endpoint, grants."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError
from emulator_support import QUESTION_FORM, START, TYPE_FIELDS, WORKER, error_of, make_hit

from reconciler.emulator import Engine, ManualClock, MTurkError, workers
from reconciler.emulator.transport import local_client

ANSWER_KEY = ('<AnswerKey xmlns="http://mechanicalturk.amazonaws.com/'
              'AWSMechanicalTurkDataSchemas/2005-10-01/AnswerKey.xsd"/>')
MASTERS_PRODUCTION = "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH"
MASTERS_SANDBOX = "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6"


def new_type(client, name="English", **extra) -> dict:
    return client.create_qualification_type(Name=name, Description="d",
                                            QualificationTypeStatus="Active",
                                            **extra)["QualificationType"]


def test_names_are_unique_per_requester(client):
    new_type(client)
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        new_type(client)
    _, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.QualificationTypeAlreadyExists"
    assert re.fullmatch(r"You have already created a QualificationType with this name\. A "
                        r"QualificationType's name must be unique among all of the "
                        r"QualificationTypes created by the same user\. \(\d{13}\)", message)


def test_deleted_name_stays_taken_while_hits_use_it(client):
    type_id = new_type(client)["QualificationTypeId"]
    gated = client.create_hit_type(**TYPE_FIELDS, QualificationRequirements=[
        {"QualificationTypeId": type_id, "Comparator": "Exists"}])["HITTypeId"]
    hit_id = make_hit(client, gated)["HITId"]
    client.delete_qualification_type(QualificationTypeId=type_id)
    with pytest.raises(client.exceptions.RequestError):
        make_hit(client, gated)  # the type's HIT types are deleted with it
    with pytest.raises(client.exceptions.RequestError):
        new_type(client)
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    client.delete_hit(HITId=hit_id)
    assert new_type(client)["Name"] == "English"


def test_update_may_change_description_status_retry_and_auto_grant(client):
    type_id = new_type(client, RetryDelayInSeconds=3600)["QualificationTypeId"]
    updated = client.update_qualification_type(
        QualificationTypeId=type_id, Description="new", QualificationTypeStatus="Inactive",
        RetryDelayInSeconds=60, AutoGranted=True, AutoGrantedValue=5)["QualificationType"]
    assert (updated["Description"], updated["QualificationTypeStatus"],
            updated["RetryDelayInSeconds"], updated["AutoGranted"],
            updated["AutoGrantedValue"]) == ("new", "Inactive", 60, True, 5)
    assert updated["Name"] == "English"


def test_update_cannot_send_name_or_keywords(engine):
    type_id = engine.call("CreateQualificationType", {
        "Name": "N", "Description": "d", "QualificationTypeStatus": "Active",
    })["QualificationType"]["QualificationTypeId"]
    for member in ("Name", "Keywords"):
        with pytest.raises(MTurkError):
            engine.call("UpdateQualificationType", {"QualificationTypeId": type_id,
                                                    member: "x"})


def test_test_rules(client):
    with pytest.raises(ClientError):  # a Test needs its duration
        new_type(client, "A", Test=QUESTION_FORM)
    with pytest.raises(ClientError):  # Test and AutoGranted exclude each other
        new_type(client, "B", Test=QUESTION_FORM, TestDurationInSeconds=60, AutoGranted=True)
    auto = new_type(client, "C", AutoGranted=True)["QualificationTypeId"]
    with pytest.raises(ClientError):  # must switch AutoGranted off first
        client.update_qualification_type(QualificationTypeId=auto, Test=QUESTION_FORM,
                                         TestDurationInSeconds=60)
    updated = client.update_qualification_type(
        QualificationTypeId=auto, AutoGranted=False, Test=QUESTION_FORM,
        TestDurationInSeconds=60, AnswerKey=ANSWER_KEY)["QualificationType"]
    assert (updated["Test"], updated["AnswerKey"]) == (QUESTION_FORM, ANSWER_KEY)
    with pytest.raises(ClientError):  # a type with a test can never become AutoGranted
        client.update_qualification_type(QualificationTypeId=auto, AutoGranted=True)
    replaced = client.update_qualification_type(QualificationTypeId=auto, Test=QUESTION_FORM,
                                                TestDurationInSeconds=120)["QualificationType"]
    assert replaced["TestDurationInSeconds"] == 120
    assert "AnswerKey" not in replaced  # a new test without a key has no key


def system_ids(client) -> set[str]:
    listed = client.list_qualification_types(MustBeRequestable=False, MaxResults=100)
    return {t["QualificationTypeId"] for t in listed["QualificationTypes"]}


def test_system_qualification_ids_differ_for_masters_only():
    production = local_client(Engine(clock=ManualClock(START)))
    sandbox = local_client(Engine(clock=ManualClock(START), sandbox=True))
    common = {"00000000000000000040", "00000000000000000071", "000000000000000000L0",
              "00000000000000000060"}
    assert system_ids(production) == common | {MASTERS_PRODUCTION}
    assert system_ids(sandbox) == common | {MASTERS_SANDBOX}
    with pytest.raises(ClientError):
        sandbox.create_hit_type(**TYPE_FIELDS, QualificationRequirements=[
            {"QualificationTypeId": MASTERS_PRODUCTION, "Comparator": "Exists"}])
    masters = sandbox.get_qualification_type(QualificationTypeId=MASTERS_SANDBOX)
    assert masters["QualificationType"]["IsRequestable"] is False


def test_requestable_and_owned_filters(client):
    own = new_type(client)["QualificationTypeId"]
    inactive = client.create_qualification_type(
        Name="Off", Description="d", QualificationTypeStatus="Inactive",
    )["QualificationType"]["QualificationTypeId"]
    requestable = client.list_qualification_types(MustBeRequestable=True)["QualificationTypes"]
    assert [t["QualificationTypeId"] for t in requestable] == [own]
    owned = client.list_qualification_types(MustBeRequestable=False, MustBeOwnedByCaller=True)
    assert [t["QualificationTypeId"] for t in owned["QualificationTypes"]] == [own, inactive]


def test_grants_are_integers_and_regranting_overwrites(client):
    type_id = new_type(client)["QualificationTypeId"]
    client.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER)
    score = client.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)
    assert score["Qualification"]["IntegerValue"] == 1
    client.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER,
                                               IntegerValue=75)
    client.disassociate_qualification_from_worker(QualificationTypeId=type_id, WorkerId=WORKER)
    client.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER,
                                               IntegerValue=80)
    score = client.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)
    assert (score["Qualification"]["IntegerValue"], score["Qualification"]["Status"]) == (
        80, "Granted")

def test_grant_values_must_be_integers_on_the_server_too(engine):
    type_id = engine.call("CreateQualificationType", {
        "Name": "N", "Description": "d", "QualificationTypeStatus": "Active",
    })["QualificationType"]["QualificationTypeId"]
    with pytest.raises(MTurkError) as excinfo:
        engine.call("AssociateQualificationWithWorker", {
            "QualificationTypeId": type_id, "WorkerId": WORKER, "IntegerValue": "80"})
    assert "Member must be an integer" in excinfo.value.message


def test_cannot_grant_system_types_or_read_unknown_scores(client):
    with pytest.raises(client.exceptions.RequestError):
        client.associate_qualification_with_worker(QualificationTypeId="00000000000000000040",
                                                   WorkerId=WORKER, IntegerValue=1)
    type_id = new_type(client)["QualificationTypeId"]
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)
    assert error_of(excinfo)[2].startswith("You requested a Qualification that does not exist.")


def test_a_null_member_is_absent_so_an_update_cannot_remove_the_retry_delay(engine):
    type_id = engine.call("CreateQualificationType", {
        "Name": "N", "Description": "d", "QualificationTypeStatus": "Active",
        "RetryDelayInSeconds": 600,
    })["QualificationType"]["QualificationTypeId"]
    updated = engine.call("UpdateQualificationType", {
        "QualificationTypeId": type_id, "RetryDelayInSeconds": None, "Description": None,
        "QualificationTypeStatus": "Inactive"})["QualificationType"]
    assert (updated["RetryDelayInSeconds"], updated["Description"],
            updated["QualificationTypeStatus"]) == (600, "d", "Inactive")


def test_a_score_that_does_not_exist_cannot_be_read_or_revoked(client):
    type_id = new_type(client)["QualificationTypeId"]
    calls = (lambda: client.get_qualification_score(QualificationTypeId=type_id,
                                                    WorkerId=WORKER),
             lambda: client.disassociate_qualification_from_worker(QualificationTypeId=type_id,
                                                                   WorkerId=WORKER,
                                                                   Reason="r"))
    for call in calls:
        with pytest.raises(client.exceptions.RequestError) as excinfo:
            call()
        _, turk, message = error_of(excinfo)
        assert turk == "AWS.MechanicalTurk.QualificationDoesNotExist"
        assert re.fullmatch(r"You requested a Qualification that does not exist\. \(\d{13}\)",
                            message)


def test_auto_granted_value_defaults_to_1(engine, client):
    type_id = new_type(client, AutoGranted=True)["QualificationTypeId"]
    got = client.get_qualification_type(QualificationTypeId=type_id)["QualificationType"]
    assert (got["AutoGranted"], got["AutoGrantedValue"]) == (True, 1)


@pytest.mark.parametrize("alone", [{"TestDurationInSeconds": 60}, {"AnswerKey": ANSWER_KEY}])
def test_test_duration_and_answer_key_only_come_with_a_test(client, alone):
    type_id = new_type(client)["QualificationTypeId"]
    with pytest.raises(client.exceptions.RequestError):
        client.update_qualification_type(QualificationTypeId=type_id, **alone)
    with pytest.raises(client.exceptions.RequestError):
        new_type(client, "Other", **alone)
    got = client.get_qualification_type(QualificationTypeId=type_id)["QualificationType"]
    assert "TestDurationInSeconds" not in got and "AnswerKey" not in got


def test_a_retry_delay_can_be_added_and_changed(client):
    type_id = new_type(client)["QualificationTypeId"]
    assert "RetryDelayInSeconds" not in client.get_qualification_type(
        QualificationTypeId=type_id)["QualificationType"]
    for delay in (3600, 0):
        updated = client.update_qualification_type(QualificationTypeId=type_id,
                                                   RetryDelayInSeconds=delay)
        assert updated["QualificationType"]["RetryDelayInSeconds"] == delay
    changed = client.update_qualification_type(QualificationTypeId=type_id, Description="x")
    assert changed["QualificationType"]["RetryDelayInSeconds"] == 0  # not removed


def test_a_direct_grant_leaves_a_pending_request_pending(engine, client):
    type_id = new_type(client)["QualificationTypeId"]
    request = workers.request_qualification(engine, type_id, WORKER)
    client.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER,
                                               IntegerValue=50)
    pending = client.list_qualification_requests(QualificationTypeId=type_id)
    assert [r["QualificationRequestId"] for r in pending["QualificationRequests"]] == [request]
    client.accept_qualification_request(QualificationRequestId=request, IntegerValue=60)
    score = client.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)
    assert score["Qualification"]["IntegerValue"] == 60  # granting the request overwrites

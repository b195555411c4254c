"""Requests are checked against botocore's service model where botocore itself does not."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError
from emulator_support import HTML_QUESTION, TYPE_FIELDS, error_of, make_hit

from reconciler.emulator import MTurkError

LONG_ID = "A" * 65


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda c: c.list_hits(MaxResults=500),
         "Value '500' at 'MaxResults' failed to satisfy constraint: Member must have value "
         "less than or equal to 100"),
        (lambda c: c.get_hit(HITId=LONG_ID),
         "Member must have length less than or equal to 64"),
        (lambda c: c.get_hit(HITId="lowercase1"),
         "Member must satisfy regular expression pattern: ^[A-Z0-9]+$"),
        (lambda c: c.create_hit_type(**{**TYPE_FIELDS, "Reward": "$1"}),
         "at 'Reward' failed to satisfy constraint: Member must satisfy regular expression "
         "pattern"),
        (lambda c: c.create_hit_type(**{**TYPE_FIELDS, "Reward": "0.505"}),
         "at 'Reward'"),
        (lambda c: c.create_worker_block(WorkerId="B123", Reason="x"),
         "pattern: ^A[A-Z0-9]+$"),
        (lambda c: c.send_bonus(WorkerId="A1", BonusAmount="1", AssignmentId="X",
                                Reason="r", UniqueRequestToken="t" * 65),
         "at 'UniqueRequestToken' failed to satisfy constraint: Member must have length less "
         "than or equal to 64"),
    ],
)
def test_model_constraints_botocore_leaves_to_the_server(client, call, fragment):
    with pytest.raises(ClientError) as excinfo:
        call(client)
    code, _, message = error_of(excinfo)
    assert code == "ParameterValidationError"
    assert fragment in message
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_enum_values_are_checked(engine):
    with pytest.raises(MTurkError) as excinfo:
        engine.call("ListReviewableHITs", {"Status": "Assignable"})
    assert "Member must satisfy enum value set: [Reviewable, Reviewing]" in excinfo.value.message


def test_required_members_and_types_are_checked_for_direct_callers(engine):
    with pytest.raises(MTurkError) as excinfo:
        engine.call("CreateHITType", {"Title": 5, "Reward": "1"})
    message = excinfo.value.message
    assert excinfo.value.error_type == "ParameterValidationError"
    assert "Value null at 'Description' failed to satisfy constraint" in message
    assert "Value '5' at 'Title' failed to satisfy constraint: Member must be a string" in message


def test_unknown_members_are_refused(engine):
    with pytest.raises(MTurkError) as excinfo:
        engine.call("GetAccountBalance", {"Currency": "USD"})
    assert "is not a member of" in excinfo.value.message


@pytest.mark.parametrize(
    ("field", "value", "low", "high"),
    [("AssignmentDurationInSeconds", 29, 30, 31_536_000),
     ("AutoApprovalDelayInSeconds", 2_592_001, 0, 2_592_000)],
)
def test_type_ranges_use_mturks_range_message(client, field, value, low, high):
    with pytest.raises(ClientError) as excinfo:
        client.create_hit_type(**{**TYPE_FIELDS, field: value})
    assert error_of(excinfo)[2].startswith(
        f"The value {value} is invalid for {field}. Valid values range from {low} to {high}. (")


def test_hit_ranges_and_lengths(client, hit_type):
    with pytest.raises(ClientError) as excinfo:
        make_hit(client, hit_type, LifetimeInSeconds=10)
    assert "is invalid for LifetimeInSeconds" in error_of(excinfo)[2]
    with pytest.raises(ClientError) as excinfo:
        make_hit(client, hit_type, RequesterAnnotation="x" * 256)
    assert "length less than or equal to 255" in error_of(excinfo)[2]
    with pytest.raises(ClientError):
        client.create_hit_type(**{**TYPE_FIELDS, "Title": "t" * 129})


@pytest.mark.parametrize(
    "question",
    [
        "<not-closed>",
        "<HTMLQuestion><HTMLContent>x</HTMLContent><FrameHeight>0</FrameHeight></HTMLQuestion>",
        '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/'
        'AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd"><ExternalURL>'
        "http://example.com/task</ExternalURL><FrameHeight>0</FrameHeight></ExternalQuestion>",
        HTML_QUESTION.replace("</HTMLQuestion>", " " * 65_536 + "</HTMLQuestion>"),
    ],
)
def test_questions_must_be_valid_mturk_xml(client, hit_type, question):
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        make_hit(client, hit_type, Question=question)
    _, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.XMLParseError"
    assert message.startswith("There was an error parsing the XML question or answer data")


def test_question_or_layout_exactly_one(client, hit_type):
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.create_hit_with_hit_type(HITTypeId=hit_type, LifetimeInSeconds=60)
    assert "Exactly one of Question or HITLayoutId" in error_of(excinfo)[2]
    hit = client.create_hit_with_hit_type(
        HITTypeId=hit_type, LifetimeInSeconds=60, HITLayoutId="3LAYOUT0000000000000000000000",
        HITLayoutParameters=[{"Name": "tweet", "Value": "hello"}])["HIT"]
    assert hit["HITLayoutId"] == "3LAYOUT0000000000000000000000"


@pytest.mark.parametrize(
    "requirement",
    [
        {"QualificationTypeId": "00000000000000000040", "Comparator": "Exists",
         "IntegerValues": [1]},
        {"QualificationTypeId": "00000000000000000040", "Comparator": "GreaterThan"},
        {"QualificationTypeId": "00000000000000000071", "Comparator": "In",
         "IntegerValues": [1]},
        {"QualificationTypeId": "00000000000000000040", "Comparator": "In",
         "IntegerValues": list(range(16))},
        {"QualificationTypeId": "00000000000000000040", "Comparator": "EqualTo",
         "LocaleValues": [{"Country": "US"}]},
        {"QualificationTypeId": "NOSUCHTYPE", "Comparator": "Exists"},
    ],
)
def test_qualification_requirements_are_checked(client, requirement):
    with pytest.raises(client.exceptions.RequestError):
        client.create_hit_type(**TYPE_FIELDS, QualificationRequirements=[requirement])


def test_error_wire_shape(engine):
    with pytest.raises(MTurkError) as excinfo:
        engine.call("GetHIT", {"HITId": "NOPE"})
    status, body = excinfo.value.to_wire()
    assert status == 400
    assert body["__type"] == "RequestError"
    assert body["TurkErrorCode"] == "AWS.MechanicalTurk.HITDoesNotExist"
    assert body["Message"].startswith("Hit NOPE does not exist. (")


def test_unknown_operation_is_a_request_error(engine):
    with pytest.raises(MTurkError) as excinfo:
        engine.call("ExtendHIT", {})
    assert excinfo.value.error_type == "RequestError"


@pytest.mark.parametrize("worker_id", ["B123", "a1lowercase", "A" * 65])
def test_delete_worker_block_refuses_an_invalid_worker_id_in_mturks_words(client, worker_id):
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.delete_worker_block(WorkerId=worker_id)
    assert re.fullmatch(r"WorkerId is invalid\. \(\d{13}\)", error_of(excinfo)[2])


def test_delete_worker_block_without_a_worker_id_is_the_same_refusal(engine):
    with pytest.raises(MTurkError) as excinfo:
        engine.call("DeleteWorkerBlock", {"Reason": "r"})
    assert (excinfo.value.error_type, excinfo.value.message[:21]) == ("RequestError",
                                                                     "WorkerId is invalid. ")


@pytest.mark.parametrize(
    ("field", "limit"),
    [("Title", 128), ("Description", 2000), ("Keywords", 1000)],
)
def test_hit_type_text_limits(client, field, limit):
    client.create_hit_type(**{**TYPE_FIELDS, field: "é" * limit})  # characters, not bytes
    with pytest.raises(ClientError) as excinfo:
        client.create_hit_type(**{**TYPE_FIELDS, field: "é" * (limit + 1)})
    code, _, message = error_of(excinfo)
    assert code == "ParameterValidationError"
    assert f"at '{field}' failed to satisfy constraint: Member must have length less than or " \
           f"equal to {limit}" in message


@pytest.mark.parametrize(
    ("field", "value", "low", "high"),
    [("AssignmentDurationInSeconds", 31_536_001, 30, 31_536_000),
     ("AutoApprovalDelayInSeconds", -1, 0, 2_592_000)],
)
def test_type_ranges_at_the_other_end(client, field, value, low, high):
    with pytest.raises(ClientError) as excinfo:
        client.create_hit_type(**{**TYPE_FIELDS, field: value})
    assert error_of(excinfo)[2].startswith(
        f"The value {value} is invalid for {field}. Valid values range from {low} to {high}. (")


@pytest.mark.parametrize(
    ("field", "value", "low", "high"),
    [("LifetimeInSeconds", 31_536_001, 30, 31_536_000),
     ("MaxAssignments", 0, 1, 1_000_000_000),
     ("MaxAssignments", 1_000_000_001, 1, 1_000_000_000)],
)
def test_hit_ranges_at_both_ends(client, hit_type, field, value, low, high):
    make_hit(client, hit_type, **{field: low})
    if field == "LifetimeInSeconds":  # a billion assignments would need $600 million
        make_hit(client, hit_type, **{field: high})
    with pytest.raises(ClientError) as excinfo:
        make_hit(client, hit_type, **{field: value})
    assert error_of(excinfo)[2].startswith(
        f"The value {value} is invalid for {field}. Valid values range from {low} to {high}. (")


def test_additional_assignments_take_1_or_more(client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    with pytest.raises(ClientError) as excinfo:
        client.create_additional_assignments_for_hit(HITId=hit_id,
                                                     NumberOfAdditionalAssignments=0)
    assert error_of(excinfo)[2].startswith("The value 0 is invalid for "
                                           "NumberOfAdditionalAssignments. Valid values range "
                                           "from 1 to 1000000000. (")


@pytest.mark.parametrize(
    ("field", "limit"),
    [("Description", 2000), ("Keywords", 1000)],
)
def test_qualification_type_text_limits(client, field, limit):
    fields = {"Name": "Q", "Description": "d", "QualificationTypeStatus": "Active"}
    client.create_qualification_type(**{**fields, field: "x" * limit})
    with pytest.raises(ClientError) as excinfo:
        client.create_qualification_type(**{**fields, "Name": "Q2", field: "x" * (limit + 1)})
    assert f"Member must have length less than or equal to {limit}" in error_of(excinfo)[2]


@pytest.mark.parametrize(
    ("member", "name"),
    [("AssignmentReviewPolicy", "SimplePlurality/2011-09-01"),
     ("HITReviewPolicy", "ScoreMyKnownAnswers/2011-09-01"),
     ("HITReviewPolicy", "SimplePlurality/2011-09-02")],
)
def test_each_review_policy_level_takes_its_own_policy(client, hit_type, member, name):
    with pytest.raises(client.exceptions.RequestError):
        make_hit(client, hit_type, **{member: {"PolicyName": name}})
    assert client.list_hits()["NumResults"] == 0

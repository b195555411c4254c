"""Reading qualification types, grants, blocks and the balance; the API-call budget; failures."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from account_setup import ENGLISH, PROJECT, create_hit, desired_state, english_type

from reconciler.emulator.faults import Faults
from reconciler.errors import TargetError
from reconciler.identity import block_reason, qualification_tag
from reconciler.live import read_live
from reconciler.model import Grant, Lifecycle, QualificationType, WorkerBlock
from reconciler.mturk import make_client

TAG = qualification_tag(PROJECT)
TEST_XML = (
    '<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2017-11-06/QuestionForm.xsd">'
    "<Question><QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>Pick one</Text></QuestionContent>"
    "<AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"
)
ANSWER_KEY_XML = (
    '<AnswerKey xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/AnswerKey.xsd">'
    "<Question><QuestionIdentifier>q1</QuestionIdentifier><AnswerOption><SelectionIdentifier>a</SelectionIdentifier>"
    "<AnswerScore>1</AnswerScore></AnswerOption></Question></AnswerKey>"
)


def _create_type(client, name: str, keywords: str = "", status: str = "Active", **extra: object) -> str:
    created = client.create_qualification_type(
        Name=name, Description=f"About {name}", Keywords=keywords, QualificationTypeStatus=status, **extra)
    return created["QualificationType"]["QualificationTypeId"]


def test_declared_and_tagged_types_are_found_and_nothing_else(conn, client):
    english = _create_type(client, ENGLISH, f"language, {TAG}", RetryDelayInSeconds=3600,
                           Test=TEST_XML, AnswerKey=ANSWER_KEY_XML, TestDurationInSeconds=600)
    removed = _create_type(client, "ACME retired check", TAG, status="Inactive")
    _create_type(client, ENGLISH + " v2", "language")  # a similar name is not our name
    _create_type(client, "Unrelated", "reconciler:other-project")
    declared = english_type(grants_mode="authoritative", lifecycle=Lifecycle(prevent_destroy=True))
    types = read_live(conn, desired_state(declared)).live.qualification_types
    assert types == (
        QualificationType(name="ACME retired check", qualification_name="ACME retired check",
                          description="About ACME retired check", status="Inactive",
                          qualification_type_id=removed, owned=True),
        QualificationType(name="english", qualification_name=ENGLISH, description=f"About {ENGLISH}",
                          keywords=("language",), status="Active", retry_delay=3600, test=TEST_XML,
                          answer_key=ANSWER_KEY_XML, test_duration=600, grants_mode="authoritative",
                          lifecycle=Lifecycle(prevent_destroy=True), qualification_type_id=english, owned=True),
    )


def test_a_renamed_type_keeps_the_logical_name_recorded_in_its_keywords(conn, client):
    old = _create_type(client, "ACME English check v1", f"language, {TAG}, {TAG}:english")
    declared = english_type(grants_mode="authoritative")  # now declared under a new MTurk name
    (found,) = read_live(conn, desired_state(declared)).live.qualification_types
    assert (found.name, found.qualification_name, found.keywords) == ("english", "ACME English check v1", ("language",))
    assert (found.qualification_type_id, found.grants_mode, found.owned) == (old, "authoritative", True)


def test_a_type_with_our_name_but_not_our_tag_is_not_owned_and_its_grants_are_not_read(conn, client):
    foreign = _create_type(client, ENGLISH, "language")
    client.associate_qualification_with_worker(
        QualificationTypeId=foreign, WorkerId="A1EXAMPLE000", IntegerValue=5, SendNotification=False)
    live = read_live(conn, desired_state(english_type())).live
    [english] = live.qualification_types
    assert (english.name, english.qualification_type_id, english.owned) == ("english", foreign, False)
    assert live.grants == ()


def test_auto_granted_value_is_read_only_for_auto_granted_types(conn, client):
    _create_type(client, ENGLISH, TAG, AutoGranted=True, AutoGrantedValue=7)
    [english] = read_live(conn, desired_state(english_type())).live.qualification_types
    assert (english.auto_granted, english.auto_granted_value) == (True, 7)


def test_grants_of_owned_types_with_their_scores(conn, client):
    english = _create_type(client, ENGLISH, TAG)
    for worker, value in (("A2EXAMPLE000", 70), ("A1EXAMPLE000", 90), ("A3EXAMPLE000", 50)):
        client.associate_qualification_with_worker(
            QualificationTypeId=english, WorkerId=worker, IntegerValue=value, SendNotification=False)
    client.disassociate_qualification_from_worker(QualificationTypeId=english, WorkerId="A3EXAMPLE000")
    grants = read_live(conn, desired_state(english_type())).live.grants
    assert grants == (Grant("english", "A1EXAMPLE000", 90), Grant("english", "A2EXAMPLE000", 70))


def test_only_the_projects_blocks_with_the_declared_reason(conn, client):
    client.create_worker_block(WorkerId="A1SPAMMER000", Reason=block_reason(PROJECT, "copied answers"))
    client.create_worker_block(WorkerId="A2OTHER00000", Reason=block_reason("other-project", "slow"))
    client.create_worker_block(WorkerId="A3HAND000000", Reason="blocked by hand")
    live = read_live(conn, desired_state()).live
    assert live.blocks == (WorkerBlock("A1SPAMMER000", "copied answers"),)


def test_balance_is_a_decimal(conn):
    balance = read_live(conn, desired_state()).live.balance
    assert balance == Decimal("10000.00") and isinstance(balance, Decimal)


def test_reading_1000_hits_costs_one_list_call_per_100_plus_a_constant(conn, client):
    """1,000 of our HITs and 20 foreign ones: ⌈1020/100⌉ ListHITs pages, no per-HIT call."""
    _create_type(client, ENGLISH, TAG)
    for index in range(1000):
        create_hit(client, "big", str(index))
    for index in range(20):
        create_hit(client, "big", str(index), project="other-project")
    read = read_live(conn, desired_state(english_type()))
    assert len(read.live.hits) == 1000
    assert {h.batch for h in read.live.hits} == {"big"}
    list_calls = math.ceil(1020 / 100)
    assert read.calls_by_operation == {
        "GetAccountBalance": 1,
        "ListHITs": list_calls,
        "ListQualificationTypes": 2,  # one name query per declared type + one tag query
        "ListWorkerBlocks": 1,
        "ListWorkersWithQualificationType": 1,  # one owned type, fewer than 100 grants
    }
    assert read.api_calls == list_calls + 5


def test_an_empty_account_costs_a_constant(conn):
    read = read_live(conn, desired_state())
    assert read.calls_by_operation == {
        "GetAccountBalance": 1, "ListHITs": 1, "ListQualificationTypes": 1, "ListWorkerBlocks": 1}
    assert read.live.hits == () and read.live.qualification_types == ()


def test_a_failing_target_is_one_sentence_naming_it(tmp_path):
    with make_client("local", project_dir=tmp_path, max_attempts=1) as conn:
        conn.engine.faults = Faults(fail_rate=1.0)
        with pytest.raises(TargetError) as caught:
            read_live(conn, desired_state(english_type()))
    assert str(caught.value).startswith("MTurk (local) answered ListQualificationTypes with AWS.ServiceUnavailable: ")

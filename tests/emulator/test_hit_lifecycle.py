"""HIT statuses and the rules on changing a live HIT, through boto3."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from emulator_support import (
    HTML_QUESTION,
    OTHER_WORKER,
    START,
    TYPE_FIELDS,
    WORKER,
    error_of,
    make_hit,
)

from reconciler.emulator import Engine, ManualClock, MTurkError, workers
from reconciler.emulator.transport import local_client

DAY = 86_400


def status(client, hit_id: str) -> str:
    return client.get_hit(HITId=hit_id)["HIT"]["HITStatus"]


def test_statuses_through_a_hits_life(engine, client, hit_type, clock):
    hit_id = make_hit(client, hit_type, MaxAssignments=2)["HITId"]
    assert status(client, hit_id) == "Assignable"
    first = workers.accept(engine, hit_id, WORKER)
    second = workers.accept(engine, hit_id, OTHER_WORKER)
    got = client.get_hit(HITId=hit_id)["HIT"]
    assert got["HITStatus"] == "Unassignable"
    assert (got["NumberOfAssignmentsPending"], got["NumberOfAssignmentsAvailable"]) == (2, 0)
    workers.return_assignment(engine, second)
    assert status(client, hit_id) == "Assignable"
    workers.submit(engine, first)
    clock.advance(3600)
    got = client.get_hit(HITId=hit_id)["HIT"]
    assert got["HITStatus"] == "Reviewable"
    assert got["NumberOfAssignmentsAvailable"] == 1  # MTurk keeps showing the unused slot
    client.approve_assignment(AssignmentId=first)
    assert client.get_hit(HITId=hit_id)["HIT"]["NumberOfAssignmentsCompleted"] == 1


def test_expired_hit_with_work_in_progress_is_unassignable_until_it_ends(engine, client,
                                                                          hit_type, clock):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    assert status(client, hit_id) == "Unassignable"
    workers.submit(engine, assignment)  # still allowed after the HIT expired
    assert status(client, hit_id) == "Reviewable"


def test_all_slots_submitted_makes_hit_reviewable_before_expiry(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    workers.submit(engine, workers.accept(engine, hit_id, WORKER))
    assert status(client, hit_id) == "Reviewable"


def test_update_expiration_past_time_on_expired_hit_keeps_expiration(client, hit_type, clock):
    hit_id = make_hit(client, hit_type)["HITId"]
    clock.advance(7200)
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=START)
    assert client.get_hit(HITId=hit_id)["HIT"]["Expiration"] == START + timedelta(hours=1)


def test_update_expiration_future_must_extend_60s_to_a_year(client, hit_type):
    hit = make_hit(client, hit_type)
    expiration = hit["Expiration"]
    for bad in (expiration - timedelta(minutes=10), expiration + timedelta(seconds=59),
                expiration + timedelta(seconds=31_536_001)):
        with pytest.raises(ClientError) as excinfo:
            client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=bad)
        code, _, message = error_of(excinfo)
        increment = int((bad - expiration).total_seconds())
        assert code == "ParameterValidationError"
        assert message.startswith(f"The value {increment} is invalid for "
                                  "ExpirationIncrementInSeconds. Valid values range from 60 to "
                                  "31536000. (")
    later = expiration + timedelta(days=2)
    client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=later)
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["Expiration"] == later


def test_same_expire_at_twice_names_the_idempotency_token(client, hit_type):
    hit = make_hit(client, hit_type)
    later = hit["Expiration"] + timedelta(days=1)
    client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=later)
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=later)
    message = error_of(excinfo)[2]
    date = later.strftime("%a %b %d %H:%M:%S UTC %Y")
    assert message.startswith(f'The idempotency token "{hit["HITId"]}{date}" has already been '
                              "processed. (")


def test_expired_hit_reopens_with_the_requested_expiry(client, hit_type, clock):
    hit_id = make_hit(client, hit_type)["HITId"]
    clock.advance(2 * 3600)
    assert status(client, hit_id) == "Reviewable"
    reopen_at = START + timedelta(hours=5)
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=reopen_at)
    got = client.get_hit(HITId=hit_id)["HIT"]
    assert (got["HITStatus"], got["Expiration"]) == ("Assignable", reopen_at)


def test_additional_assignments_cannot_cross_from_under_10_to_10(client, hit_type):
    small = make_hit(client, hit_type, MaxAssignments=9)["HITId"]
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.create_additional_assignments_for_hit(HITId=small,
                                                     NumberOfAdditionalAssignments=1)
    assert error_of(excinfo)[1] == "AWS.MechanicalTurk.InvalidMaximumAssignmentsIncrease"
    large = make_hit(client, hit_type, MaxAssignments=10)["HITId"]
    client.create_additional_assignments_for_hit(HITId=large, NumberOfAdditionalAssignments=90)
    assert client.get_hit(HITId=large)["HIT"]["MaxAssignments"] == 100


def test_additional_assignments_leave_an_expired_hit_expired(client, hit_type, clock):
    hit_id = make_hit(client, hit_type)["HITId"]
    clock.advance(2 * 3600)
    client.create_additional_assignments_for_hit(HITId=hit_id, NumberOfAdditionalAssignments=2)
    got = client.get_hit(HITId=hit_id)["HIT"]
    assert (got["HITStatus"], got["MaxAssignments"]) == ("Reviewable", 3)


def test_delete_hit_refused_while_assignable(client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.delete_hit(HITId=hit_id)
    _, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.InvalidHITState"
    assert re.fullmatch(r"This HIT is currently in the state 'Assignable'\.  This operation can "
                        r"be called with a status of: Reviewing, Reviewable \(\d{13} s\)",
                        message)


def test_delete_hit_refused_while_submissions_are_unreviewed(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.delete_hit(HITId=hit_id)
    assert re.fullmatch(r"This HIT is currently in the state 'Reviewable'\.  This operation can "
                        r"be called with a status of: Reviewing, Reviewable \(\d{13} s\)",
                        error_of(excinfo)[2])  # the same words although Reviewable is allowed
    client.reject_assignment(AssignmentId=assignment, RequesterFeedback="Blank")
    client.delete_hit(HITId=hit_id)
    assert status(client, hit_id) == "Disposed"
    with pytest.raises(client.exceptions.RequestError):  # a rejection can't be overridden now
        client.approve_assignment(AssignmentId=assignment, OverrideRejection=True)


def test_disposed_hit_vanishes_from_every_list(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    assert client.list_reviewable_hits()["NumResults"] == 1
    client.delete_hit(HITId=hit_id)
    assert client.list_hits()["NumResults"] == 0
    assert client.list_reviewable_hits()["NumResults"] == 0


def test_hits_are_disposed_120_days_after_expiry(client, hit_type, clock):
    hit_id = make_hit(client, hit_type)["HITId"]
    clock.advance(3600 + 119 * DAY)
    assert [h["HITId"] for h in client.list_hits()["HITs"]] == [hit_id]
    clock.advance(DAY)
    assert client.list_hits()["NumResults"] == 0
    assert status(client, hit_id) == "Disposed"


def test_update_hit_type_of_hit_moves_every_type_property(client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    new_fields = {"Title": "T2", "Description": "D2", "Reward": "1.10",
                  "AssignmentDurationInSeconds": 1200, "AutoApprovalDelayInSeconds": 60,
                  "Keywords": "new", "QualificationRequirements": [
                      {"QualificationTypeId": "000000000000000000L0",
                       "Comparator": "GreaterThan", "IntegerValues": [95]}]}
    new_type = client.create_hit_type(**new_fields)["HITTypeId"]
    client.update_hit_type_of_hit(HITId=hit_id, HITTypeId=new_type)
    got = client.get_hit(HITId=hit_id)["HIT"]
    for key in ("Title", "Description", "Reward", "AssignmentDurationInSeconds",
                "AutoApprovalDelayInSeconds", "Keywords"):
        assert got[key] == new_fields[key]
    assert got["QualificationRequirements"][0]["IntegerValues"] == [95]
    with pytest.raises(client.exceptions.RequestError):
        client.update_hit_type_of_hit(HITId=hit_id, HITTypeId="NOSUCHTYPE0000000000000000000")


def test_unique_request_token_repeats_answer_hit_already_exists_for_24_hours(client, hit_type,
                                                                          clock):
    first = make_hit(client, hit_type, UniqueRequestToken="row-42-gen-1")["HITId"]
    clock.advance(DAY - 1)
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        make_hit(client, hit_type, UniqueRequestToken="row-42-gen-1")
    _, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.HitAlreadyExists"
    assert first in message
    with pytest.raises(client.exceptions.RequestError) as excinfo:  # CreateHIT shares tokens
        client.create_hit(**TYPE_FIELDS, LifetimeInSeconds=600, Question=HTML_QUESTION,
                          UniqueRequestToken="row-42-gen-1")
    assert error_of(excinfo)[1] == "AWS.MechanicalTurk.HitAlreadyExists"
    clock.advance(2)
    second = make_hit(client, hit_type, UniqueRequestToken="row-42-gen-1")["HITId"]
    assert second != first
    assert client.list_hits()["NumResults"] == 2


def test_additional_assignments_token_is_remembered(client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    client.create_additional_assignments_for_hit(HITId=hit_id, NumberOfAdditionalAssignments=1,
                                                 UniqueRequestToken="more-1")
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.create_additional_assignments_for_hit(HITId=hit_id,
                                                     NumberOfAdditionalAssignments=1,
                                                     UniqueRequestToken="more-1")
    _, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.HitAlreadyExists"
    assert '"more-1"' in message
    assert client.get_hit(HITId=hit_id)["HIT"]["MaxAssignments"] == 2


def test_reviewing_survives_a_repeated_expire_but_not_a_reopening(client, hit_type, clock):
    hit_id = make_hit(client, hit_type)["HITId"]
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    client.update_hit_review_status(HITId=hit_id)
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=1)
    assert status(client, hit_id) == "Reviewing"
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=START + timedelta(hours=2))
    assert status(client, hit_id) == "Assignable"
    clock.advance(3 * 3600)
    assert status(client, hit_id) == "Reviewable"


def test_hits_created_before_22_july_2015_cannot_get_more_assignments():
    clock = ManualClock(datetime(2015, 7, 21, 23, 0, tzinfo=UTC))
    client = local_client(Engine(clock=clock))
    hit_type = client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]
    old = make_hit(client, hit_type, LifetimeInSeconds=30 * DAY)["HITId"]
    clock.advance(3600)
    new = make_hit(client, hit_type)["HITId"]
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.create_additional_assignments_for_hit(HITId=old, NumberOfAdditionalAssignments=1)
    assert error_of(excinfo)[1] == "AWS.MechanicalTurk.HITTooOldForExtension"
    client.create_additional_assignments_for_hit(HITId=new, NumberOfAdditionalAssignments=1)
    assert client.get_hit(HITId=new)["HIT"]["MaxAssignments"] == 2


def test_timestamps_are_whole_seconds_so_a_60_second_extension_from_expiration_works():
    clock = ManualClock(START + timedelta(microseconds=700_000))
    engine = Engine(clock=clock)
    client = local_client(engine)
    hit_type = client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]
    hit = make_hit(client, hit_type)
    assert (hit["CreationTime"], hit["Expiration"]) == (START, START + timedelta(hours=1))
    client.update_expiration_for_hit(HITId=hit["HITId"],
                                     ExpireAt=hit["Expiration"] + timedelta(seconds=60))
    assignment = workers.accept(engine, hit["HITId"], WORKER)
    workers.submit(engine, assignment)
    got = client.get_assignment(AssignmentId=assignment)["Assignment"]
    assert {got[key].microsecond for key in ("AcceptTime", "SubmitTime", "Deadline")} == {0}


def counts(client, hit_id: str) -> tuple[str, int, int, int]:
    hit = client.get_hit(HITId=hit_id)["HIT"]
    return (hit["HITStatus"], hit["NumberOfAssignmentsPending"],
            hit["NumberOfAssignmentsAvailable"], hit["NumberOfAssignmentsCompleted"])


def test_the_hit_record_has_mturks_fields_and_defaults(client):
    bare = {k: v for k, v in TYPE_FIELDS.items()
            if k not in ("Keywords", "AutoApprovalDelayInSeconds")}
    hit_type = client.create_hit_type(**bare)["HITTypeId"]
    hit = make_hit(client, hit_type)
    assert set(hit) == {
        "HITId", "HITTypeId", "HITGroupId", "CreationTime", "Title", "Description", "Question",
        "Keywords", "HITStatus", "MaxAssignments", "Reward", "AutoApprovalDelayInSeconds",
        "Expiration", "AssignmentDurationInSeconds", "QualificationRequirements",
        "HITReviewStatus", "NumberOfAssignmentsPending", "NumberOfAssignmentsAvailable",
        "NumberOfAssignmentsCompleted"}  # no LifetimeInSeconds, no annotation unless given
    assert hit["HITGroupId"] != hit["HITTypeId"]
    assert (hit["Keywords"], hit["AutoApprovalDelayInSeconds"], hit["MaxAssignments"],
            hit["HITReviewStatus"], hit["QualificationRequirements"]) == (
        "", 2_592_000, 1, "NotReviewed", [])
    assert client.get_hit(HITId=hit["HITId"])["HIT"] == hit


def test_assignment_counts_through_accept_return_abandon_submit_and_review(engine, client,
                                                                           hit_type, clock):
    hit_id = make_hit(client, hit_type, MaxAssignments=4)["HITId"]
    assert counts(client, hit_id) == ("Assignable", 0, 4, 0)
    taken = [workers.accept(engine, hit_id, f"A{n}WORKER") for n in range(3)]
    assert counts(client, hit_id) == ("Assignable", 3, 1, 0)
    workers.return_assignment(engine, taken[0])
    assert counts(client, hit_id) == ("Assignable", 2, 2, 0)
    workers.abandon(engine, taken[1])
    assert counts(client, hit_id) == ("Assignable", 1, 3, 0)
    workers.submit(engine, taken[2])
    assert counts(client, hit_id) == ("Assignable", 0, 3, 0)  # submitted is not completed
    workers.accept(engine, hit_id, "A4WORKER")
    clock.advance(600)  # the assignment duration runs out: abandoned, its slot is back
    assert counts(client, hit_id) == ("Assignable", 0, 3, 0)
    client.approve_assignment(AssignmentId=taken[2])
    assert counts(client, hit_id) == ("Assignable", 0, 3, 1)


def test_rejecting_does_not_reopen_the_slot(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    assert counts(client, hit_id) == ("Reviewable", 0, 0, 0)
    client.reject_assignment(AssignmentId=assignment, RequesterFeedback="Off topic")
    assert counts(client, hit_id) == ("Reviewable", 0, 0, 1)
    with pytest.raises(MTurkError):
        workers.accept(engine, hit_id, OTHER_WORKER)


def test_more_assignments_reopen_a_reviewing_hit_that_ends_reviewable(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    workers.submit(engine, workers.accept(engine, hit_id, WORKER))
    client.update_hit_review_status(HITId=hit_id)
    assert status(client, hit_id) == "Reviewing"
    client.create_additional_assignments_for_hit(HITId=hit_id, NumberOfAdditionalAssignments=1)
    assert counts(client, hit_id) == ("Assignable", 0, 1, 0)
    workers.submit(engine, workers.accept(engine, hit_id, OTHER_WORKER))
    assert status(client, hit_id) == "Reviewable"


def test_a_reviewing_hit_whose_work_is_reviewed_can_be_deleted(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    client.update_hit_review_status(HITId=hit_id)
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.delete_hit(HITId=hit_id)
    assert "currently in the state 'Reviewing'" in error_of(excinfo)[2]
    client.approve_assignment(AssignmentId=assignment)
    client.delete_hit(HITId=hit_id)
    assert status(client, hit_id) == "Disposed"


def test_the_same_past_expire_at_twice_is_refused_like_any_repeat(client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    assert error_of(excinfo)[2].startswith(
        f'The idempotency token "{hit_id}Thu Jan 01 00:00:00 UTC 1970" has already been '
        "processed. (")
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=START)  # another instant is fine
    assert status(client, hit_id) == "Reviewable"

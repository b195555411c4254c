"""The worker side: accept, submit, return, abandon, auto-approval, requirements, blocks."""

from __future__ import annotations

import pytest
from emulator_support import OTHER_WORKER, TYPE_FIELDS, WORKER, make_hit

from reconciler.emulator import MTurkError, workers


def test_accept_and_submit_with_an_answer_document(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    answer = workers.generated_answer({"sentiment": "positive"})
    workers.submit(engine, assignment, answer)
    got = client.get_assignment(AssignmentId=assignment)["Assignment"]
    assert got["Answer"] == answer
    assert (got["AutoApprovalTime"] - got["SubmitTime"]).total_seconds() == 86_400
    assert (got["Deadline"] - got["AcceptTime"]).total_seconds() == 600


def test_work_in_progress_is_invisible_to_the_requester(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    assert client.list_assignments_for_hit(HITId=hit_id)["NumResults"] == 0
    with pytest.raises(client.exceptions.RequestError):
        client.get_assignment(AssignmentId=assignment)
    assert client.get_hit(HITId=hit_id)["HIT"]["NumberOfAssignmentsPending"] == 1


def test_a_malformed_answer_is_refused(engine, client, hit_type):
    assignment = workers.accept(engine, make_hit(client, hit_type)["HITId"], WORKER)
    with pytest.raises(MTurkError):
        workers.submit(engine, assignment, "<answers>")


def test_deadline_passing_abandons_and_frees_the_slot(engine, client, hit_type, clock):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    assert client.get_hit(HITId=hit_id)["HIT"]["HITStatus"] == "Unassignable"
    clock.advance(600)
    got = client.get_hit(HITId=hit_id)["HIT"]
    assert (got["HITStatus"], got["NumberOfAssignmentsAvailable"]) == ("Assignable", 1)
    with pytest.raises(MTurkError):
        workers.submit(engine, assignment)


def test_abandon_and_return_free_the_slot(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    workers.abandon(engine, workers.accept(engine, hit_id, WORKER))
    workers.return_assignment(engine, workers.accept(engine, hit_id, WORKER))
    got = client.get_hit(HITId=hit_id)["HIT"]
    assert (got["NumberOfAssignmentsPending"], got["NumberOfAssignmentsAvailable"]) == (0, 1)


def test_one_assignment_per_worker_per_hit(engine, client, hit_type):
    hit_id = make_hit(client, hit_type, MaxAssignments=2)["HITId"]
    workers.accept(engine, hit_id, WORKER)
    with pytest.raises(MTurkError):
        workers.accept(engine, hit_id, WORKER)


def test_only_assignable_hits_can_be_accepted(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    with pytest.raises(MTurkError) as excinfo:
        workers.accept(engine, hit_id, WORKER)
    assert "Reviewable" in excinfo.value.message


def test_blocked_workers_cannot_accept(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    client.create_worker_block(WorkerId=WORKER, Reason="r")
    with pytest.raises(MTurkError):
        workers.accept(engine, hit_id, WORKER)
    workers.accept(engine, hit_id, OTHER_WORKER)


def test_qualification_requirements_gate_accepting(engine, client):
    qual = client.create_qualification_type(
        Name="Skill", Description="d", QualificationTypeStatus="Active",
    )["QualificationType"]["QualificationTypeId"]
    gated = client.create_hit_type(**TYPE_FIELDS, QualificationRequirements=[
        {"QualificationTypeId": qual, "Comparator": "GreaterThanOrEqualTo",
         "IntegerValues": [80]},
        {"QualificationTypeId": "00000000000000000071", "Comparator": "In",
         "LocaleValues": [{"Country": "US"}, {"Country": "CA"}]}])["HITTypeId"]
    hit_id = make_hit(client, gated, MaxAssignments=2)["HITId"]
    with pytest.raises(MTurkError):
        workers.accept(engine, hit_id, WORKER)  # holds no score
    client.associate_qualification_with_worker(QualificationTypeId=qual, WorkerId=WORKER,
                                               IntegerValue=79)
    with pytest.raises(MTurkError):
        workers.accept(engine, hit_id, WORKER)
    client.associate_qualification_with_worker(QualificationTypeId=qual, WorkerId=WORKER,
                                               IntegerValue=80)
    workers.accept(engine, hit_id, WORKER)


@pytest.mark.parametrize(
    ("requirement", "value", "expected"),
    [
        ({"Comparator": "Exists"}, None, False),
        ({"Comparator": "DoesNotExist"}, None, True),
        ({"Comparator": "LessThan", "IntegerValues": [5]}, 4, True),
        ({"Comparator": "NotEqualTo", "IntegerValues": [5]}, 5, False),
        ({"Comparator": "NotIn", "IntegerValues": [1, 2]}, 3, True),
        ({"Comparator": "EqualTo", "LocaleValues": [{"Country": "US", "Subdivision": "NY"}]},
         {"Country": "US", "Subdivision": "WA"}, False),
        ({"Comparator": "NotIn", "LocaleValues": [{"Country": "DE"}]}, {"Country": "US"}, True),
    ],
)
def test_requirement_comparators(requirement, value, expected):
    assert workers.meets(requirement, value) is expected


def test_zero_auto_approval_delay_approves_on_submission(engine, client):
    instant = client.create_hit_type(**{**TYPE_FIELDS, "AutoApprovalDelayInSeconds": 0})
    hit_id = make_hit(client, instant["HITTypeId"])["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    got = client.get_assignment(AssignmentId=assignment)["Assignment"]
    assert got["AssignmentStatus"] == "Approved"
    assert got["ApprovalTime"] == got["SubmitTime"]


def test_auto_granted_qualification_requests_grant_at_once(engine, client):
    qual = client.create_qualification_type(
        Name="Auto", Description="d", QualificationTypeStatus="Active", AutoGranted=True,
        AutoGrantedValue=3)["QualificationType"]["QualificationTypeId"]
    workers.request_qualification(engine, qual, WORKER)
    score = client.get_qualification_score(QualificationTypeId=qual, WorkerId=WORKER)
    assert score["Qualification"]["IntegerValue"] == 3
    assert client.list_qualification_requests()["NumResults"] == 0


def test_rejected_request_without_retry_delay_cannot_be_repeated(engine, client):
    qual = client.create_qualification_type(
        Name="Once", Description="d", QualificationTypeStatus="Active",
    )["QualificationType"]["QualificationTypeId"]
    request = workers.request_qualification(engine, qual, WORKER)
    client.reject_qualification_request(QualificationRequestId=request)
    with pytest.raises(MTurkError):
        workers.request_qualification(engine, qual, WORKER)

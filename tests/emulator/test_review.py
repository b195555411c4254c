"""Reviewing submitted work: approve and reject only Submitted assignments, override a rejection
within 30 days of submission while the HIT exists, automatic approval (through boto3)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from emulator_support import TYPE_FIELDS, WORKER, error_of, make_hit

from reconciler.emulator import workers

DAY = 86_400
STATE_MESSAGE = r"This operation can be called with a status of: Submitted \(\d{13}\)"


def submitted(engine, client, hit_type: str) -> str:
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    return assignment


def assignment_status(client, assignment: str) -> str:
    return client.get_assignment(AssignmentId=assignment)["Assignment"]["AssignmentStatus"]


def refused_for_state(client, call) -> None:
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        call()
    _, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.InvalidAssignmentState"
    assert re.fullmatch(STATE_MESSAGE, message)


def test_only_submitted_work_can_be_approved_or_rejected(engine, client, hit_type):
    approved = submitted(engine, client, hit_type)
    client.approve_assignment(AssignmentId=approved)
    refused_for_state(client, lambda: client.approve_assignment(AssignmentId=approved))
    refused_for_state(client, lambda: client.reject_assignment(AssignmentId=approved,
                                                               RequesterFeedback="No"))
    rejected = submitted(engine, client, hit_type)
    client.reject_assignment(AssignmentId=rejected, RequesterFeedback="No")
    refused_for_state(client, lambda: client.reject_assignment(AssignmentId=rejected,
                                                               RequesterFeedback="No"))
    refused_for_state(client, lambda: client.approve_assignment(AssignmentId=rejected))
    refused_for_state(client, lambda: client.approve_assignment(AssignmentId=approved,
                                                                OverrideRejection=True))
    for reviewed in (approved, rejected):  # the auto-approval time stays once submitted
        got = client.get_assignment(AssignmentId=reviewed)["Assignment"]
        assert (got["AutoApprovalTime"] - got["SubmitTime"]).total_seconds() == 86_400


def test_a_rejection_can_be_overridden_within_30_days_of_submission(engine, client, hit_type,
                                                                    clock):
    assignment = submitted(engine, client, hit_type)
    client.reject_assignment(AssignmentId=assignment, RequesterFeedback="Too short")
    assert engine.balance() == Decimal("10000.00")
    clock.advance(30 * DAY - 1)
    client.approve_assignment(AssignmentId=assignment, OverrideRejection=True,
                              RequesterFeedback="On second look, fine")
    got = client.get_assignment(AssignmentId=assignment)["Assignment"]
    assert (got["AssignmentStatus"], got["RequesterFeedback"]) == ("Approved",
                                                                  "On second look, fine")
    assert engine.balance() == Decimal("9999.40")  # paid now: reward 0.50 + fee 0.10
    hit = client.get_assignment(AssignmentId=assignment)["HIT"]
    assert hit["NumberOfAssignmentsCompleted"] == 1


def test_a_rejection_older_than_30_days_stays(engine, client, hit_type, clock):
    assignment = submitted(engine, client, hit_type)
    client.reject_assignment(AssignmentId=assignment, RequesterFeedback="Too short")
    clock.advance(30 * DAY + 1)
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.approve_assignment(AssignmentId=assignment, OverrideRejection=True)
    assert error_of(excinfo)[1] == "AWS.MechanicalTurk.InvalidAssignmentState"
    assert assignment_status(client, assignment) == "Rejected"
    assert engine.balance() == Decimal("10000.00")


def test_automatic_approval_happens_at_submit_time_plus_the_delay(engine, client, clock):
    quick = client.create_hit_type(**{**TYPE_FIELDS, "AutoApprovalDelayInSeconds": 3600})
    assignment = submitted(engine, client, quick["HITTypeId"])
    got = client.get_assignment(AssignmentId=assignment)["Assignment"]
    assert (got["AutoApprovalTime"] - got["SubmitTime"]).total_seconds() == 3600
    clock.advance(3599)
    assert assignment_status(client, assignment) == "Submitted"
    clock.advance(1)
    got = client.get_assignment(AssignmentId=assignment)["Assignment"]
    assert got["AssignmentStatus"] == "Approved"
    assert (got["ApprovalTime"] - got["SubmitTime"]).total_seconds() == 3600
    assert got["AutoApprovalTime"] == got["ApprovalTime"]
    refused_for_state(client, lambda: client.reject_assignment(AssignmentId=assignment,
                                                               RequesterFeedback="Too late"))


def test_a_rejected_assignment_is_never_approved_automatically(engine, client, hit_type, clock):
    assignment = submitted(engine, client, hit_type)
    client.reject_assignment(AssignmentId=assignment, RequesterFeedback="No")
    clock.advance(31 * DAY)
    assert assignment_status(client, assignment) == "Rejected"
    assert engine.balance() == Decimal("10000.00")

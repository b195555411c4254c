"""NextToken paging on every list operation, stable while items are added or removed."""

from __future__ import annotations

import pytest
from emulator_support import TYPE_FIELDS, error_of, make_hit

from reconciler.emulator import workers

PAGINATED = {
    "list_hits": "HITs",
    "list_reviewable_hits": "HITs",
    "list_hits_for_qualification_type": "HITs",
    "list_assignments_for_hit": "Assignments",
    "list_bonus_payments": "BonusPayments",
    "list_qualification_requests": "QualificationRequests",
    "list_qualification_types": "QualificationTypes",
    "list_worker_blocks": "WorkerBlocks",
    "list_workers_with_qualification_type": "Qualifications",
}


@pytest.fixture
def populated(engine, client) -> dict:
    """Three items in every listing; returns the extra arguments each list call needs."""
    qual = client.create_qualification_type(
        Name="Q0", Description="d", QualificationTypeStatus="Active",
    )["QualificationType"]["QualificationTypeId"]
    for n in (1, 2):
        client.create_qualification_type(Name=f"Q{n}", Description="d",
                                         QualificationTypeStatus="Active")
    gated = client.create_hit_type(**TYPE_FIELDS, QualificationRequirements=[
        {"QualificationTypeId": qual, "Comparator": "Exists"}])["HITTypeId"]
    hits = [make_hit(client, gated, MaxAssignments=3)["HITId"] for _ in range(3)]
    for n in range(3):
        worker = f"A{n}WORKER"
        client.associate_qualification_with_worker(QualificationTypeId=qual, WorkerId=worker)
        assignment = workers.accept(engine, hits[0], worker)
        workers.submit(engine, assignment)
        client.send_bonus(WorkerId=worker, AssignmentId=assignment, BonusAmount="0.10",
                          Reason="r")
        client.create_worker_block(WorkerId=f"A{n}BLOCKED", Reason="r")
        workers.request_qualification(engine, qual, f"A{n}REQUESTER")
    for hit_id in hits:
        client.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    return {
        "list_hits": {},
        "list_reviewable_hits": {},
        "list_hits_for_qualification_type": {"QualificationTypeId": qual},
        "list_assignments_for_hit": {"HITId": hits[0]},
        "list_bonus_payments": {"HITId": hits[0]},
        "list_qualification_requests": {"QualificationTypeId": qual},
        "list_qualification_types": {"MustBeRequestable": True},
        "list_worker_blocks": {},
        "list_workers_with_qualification_type": {"QualificationTypeId": qual},
    }


@pytest.mark.parametrize("method", sorted(PAGINATED))
def test_every_list_operation_pages_with_next_token(client, populated, method):
    key = PAGINATED[method]
    call = getattr(client, method)
    first = call(MaxResults=2, **populated[method])
    assert (first["NumResults"], len(first[key])) == (2, 2)
    second = call(MaxResults=2, NextToken=first["NextToken"], **populated[method])
    assert (second["NumResults"], "NextToken" in second) == (1, False)
    everything = call(MaxResults=100, **populated[method])[key]
    assert first[key] + second[key] == everything


@pytest.mark.parametrize("method", sorted(PAGINATED))
def test_boto3_paginators_walk_every_listing(client, populated, method):
    pages = client.get_paginator(method).paginate(PaginationConfig={"PageSize": 1},
                                                  **populated[method])
    items = [item for page in pages for item in page[PAGINATED[method]]]
    assert len(items) == 3


def test_list_hits_pages_are_stable_under_inserts_and_deletes(client, hit_type):
    ids = [make_hit(client, hit_type)["HITId"] for _ in range(4)]
    first = client.list_hits(MaxResults=2)
    assert [h["HITId"] for h in first["HITs"]] == ids[:2]
    ids.append(make_hit(client, hit_type)["HITId"])  # inserted while paging
    client.update_expiration_for_hit(HITId=ids[0], ExpireAt=0)
    client.delete_hit(HITId=ids[0])  # an item already seen disappears: nothing is skipped
    rest = client.list_hits(MaxResults=2, NextToken=first["NextToken"])
    last = client.list_hits(MaxResults=2, NextToken=rest["NextToken"])
    assert [h["HITId"] for h in rest["HITs"] + last["HITs"]] == ids[2:]
    assert "NextToken" not in last


def test_default_page_size_is_10(client, hit_type):
    for _ in range(11):
        make_hit(client, hit_type)
    first = client.list_hits()
    assert first["NumResults"] == 10
    assert "NextToken" in first


def test_a_foreign_or_broken_token_is_refused(client, hit_type):
    make_hit(client, hit_type)
    make_hit(client, hit_type)
    token = client.list_hits(MaxResults=1)["NextToken"]
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.list_worker_blocks(NextToken=token)
    assert error_of(excinfo)[1] == "AWS.MechanicalTurk.InvalidNextToken"
    with pytest.raises(client.exceptions.RequestError):
        client.list_hits(NextToken="not a token")


def test_assignment_status_filter_pages(engine, client, hit_type):
    hit_id = make_hit(client, hit_type, MaxAssignments=3)["HITId"]
    ids = []
    for n in range(3):
        ids.append(workers.accept(engine, hit_id, f"A{n}W"))
        workers.submit(engine, ids[-1])
    client.approve_assignment(AssignmentId=ids[1])
    listed = client.list_assignments_for_hit(HITId=hit_id, AssignmentStatuses=["Submitted"],
                                             MaxResults=1)
    rest = client.list_assignments_for_hit(HITId=hit_id, AssignmentStatuses=["Submitted"],
                                           MaxResults=1, NextToken=listed["NextToken"])
    assert [a["AssignmentId"] for a in listed["Assignments"] + rest["Assignments"]] == [
        ids[0], ids[2]]

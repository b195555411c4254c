"""MTurk's fees and the account balance they are taken from."""

from __future__ import annotations

from decimal import Decimal

import pytest
from emulator_support import TYPE_FIELDS, WORKER, error_of, make_hit

from reconciler.emulator import workers
from reconciler.emulator.money import assignment_fee_cents, bonus_fee_cents
from reconciler.emulator.store import set_meta


@pytest.mark.parametrize(
    ("reward", "max_assignments", "masters", "fee"),
    [
        (100, 1, False, 20),     # 20 %
        (100, 10, False, 40),    # +20 % at 10 or more assignments
        (100, 9, True, 25),      # +5 % Masters
        (100, 10, True, 45),
        (2, 1, False, 1),        # minimum $0.01
        (0, 1, False, 1),
        (52, 1, False, 10),      # 10.4 → 10
        (53, 1, False, 11),      # 10.6 → 11
        (25, 1, False, 5),
        (1, 10, True, 1),
    ],
)
def test_assignment_fee(reward, max_assignments, masters, fee):
    assert assignment_fee_cents(reward, max_assignments, masters) == fee


@pytest.mark.parametrize(("bonus", "fee"), [(100, 20), (3, 1), (52, 10), (53, 11)])
def test_bonus_fee(bonus, fee):
    assert bonus_fee_cents(bonus) == fee


def approved_cost(engine, client, hit_type: str, **hit_fields) -> Decimal:
    before = engine.balance()
    hit_id = make_hit(client, hit_type, **hit_fields)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    assert engine.balance() == before  # nothing is charged before approval
    client.approve_assignment(AssignmentId=assignment)
    return before - engine.balance()


def test_balance_starts_at_10000_and_approval_debits_reward_plus_fee(engine, client, hit_type):
    assert client.get_account_balance()["AvailableBalance"] == "10000.00"
    assert approved_cost(engine, client, hit_type) == Decimal("0.60")
    assert approved_cost(engine, client, hit_type, MaxAssignments=10) == Decimal("0.70")
    assert client.get_account_balance()["AvailableBalance"] == "9998.70"


def test_masters_requirement_adds_five_percent(engine, client):
    masters = client.create_hit_type(**{**TYPE_FIELDS, "Reward": "1.00"},
                                     QualificationRequirements=[
        {"QualificationTypeId": "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH", "Comparator": "Exists"}])
    assert approved_cost(engine, client, masters["HITTypeId"]) == Decimal("1.25")


def test_rejection_costs_nothing(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    client.reject_assignment(AssignmentId=assignment, RequesterFeedback="No")
    assert engine.balance() == Decimal("10000.00")


def test_auto_approval_pays_when_the_delay_passes(engine, client, hit_type, clock):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    clock.advance(86_399)
    assert client.get_assignment(AssignmentId=assignment)["Assignment"]["AssignmentStatus"] == \
        "Submitted"
    clock.advance(1)
    got = client.get_assignment(AssignmentId=assignment)["Assignment"]
    assert got["AssignmentStatus"] == "Approved"
    assert (got["ApprovalTime"] - got["SubmitTime"]).total_seconds() == 86_400
    assert engine.balance() == Decimal("9999.40")


def test_insufficient_funds(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    with engine.session() as ctx:
        set_meta(ctx.conn, "balance_cents", "59")
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.approve_assignment(AssignmentId=assignment)
    assert error_of(excinfo)[1] == "AWS.MechanicalTurk.InsufficientFunds"
    assert client.get_assignment(AssignmentId=assignment)["Assignment"]["AssignmentStatus"] == \
        "Submitted"
    with pytest.raises(client.exceptions.RequestError):
        client.send_bonus(WorkerId=WORKER, BonusAmount="0.50", AssignmentId=assignment,
                          Reason="r")
    with pytest.raises(client.exceptions.RequestError):
        make_hit(client, hit_type)
    assert engine.balance() == Decimal("0.59")


def test_send_bonus_charges_20_percent_with_a_minimum_and_dedupes_tokens(engine, client,
                                                                         hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    client.send_bonus(WorkerId=WORKER, BonusAmount="0.03", AssignmentId=assignment, Reason="r",
                      UniqueRequestToken="b-1")
    assert engine.balance() == Decimal("9999.96")
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.send_bonus(WorkerId=WORKER, BonusAmount="0.03", AssignmentId=assignment,
                          Reason="r", UniqueRequestToken="b-1")
    _, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.HitAlreadyExists"
    assert '"b-1"' in message
    assert engine.balance() == Decimal("9999.96")


def test_bonus_must_go_to_the_assignments_worker(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    with pytest.raises(client.exceptions.RequestError):
        client.send_bonus(WorkerId="A9SOMEONEELSE", BonusAmount="1", AssignmentId=assignment,
                          Reason="r")

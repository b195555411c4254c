"""MTurk's fees and the account balance they are taken from."""

from __future__ import annotations

from decimal import Decimal

import pytest
from emulator_support import START, TYPE_FIELDS, WORKER, error_of, make_hit

from reconciler.emulator import Engine, ManualClock, workers
from reconciler.emulator.money import assignment_fee_cents, bonus_fee_cents
from reconciler.emulator.store import set_meta
from reconciler.emulator.transport import local_client


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


MASTERS = {"QualificationTypeId": "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH", "Comparator": "Exists"}


@pytest.mark.parametrize(
    ("reward", "max_assignments", "masters", "cost"),
    [
        ("0.02", 1, False, "0.03"),   # 0.4 ¢ fee → the $0.01 minimum
        ("0.52", 1, False, "0.62"),   # 10.4 ¢ → 10 ¢
        ("0.53", 1, False, "0.64"),   # 10.6 ¢ → 11 ¢
        ("0.10", 1, True, "0.13"),    # 25 %: 2.5 ¢ → 3 ¢ (half-up, not half-even)
        ("0.10", 10, True, "0.15"),   # 45 %: 4.5 ¢ → 5 ¢
        ("0.30", 10, False, "0.42"),  # 40 % at 10 or more assignments
        ("1.00", 9, False, "1.20"),
    ],
)
def test_approval_debits_reward_plus_fee_with_minimum_and_half_up(engine, client, reward,
                                                                  max_assignments, masters,
                                                                  cost):
    requirements = [MASTERS] if masters else []
    hit_type = client.create_hit_type(**{**TYPE_FIELDS, "Reward": reward},
                                      QualificationRequirements=requirements)["HITTypeId"]
    assert approved_cost(engine, client, hit_type,
                         MaxAssignments=max_assignments) == Decimal(cost)


@pytest.mark.parametrize(("bonus", "cost"), [("0.02", "0.03"), ("0.52", "0.62"),
                                             ("0.53", "0.64"), ("1", "1.20")])
def test_a_bonus_costs_20_percent_more_whatever_the_hit(engine, client, bonus, cost):
    masters = client.create_hit_type(**TYPE_FIELDS, QualificationRequirements=[MASTERS])
    hit_id = make_hit(client, masters["HITTypeId"], MaxAssignments=10)["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    before = engine.balance()
    client.send_bonus(WorkerId=WORKER, BonusAmount=bonus, AssignmentId=assignment, Reason="r")
    assert before - engine.balance() == Decimal(cost)
    [payment] = client.list_bonus_payments(AssignmentId=assignment)["BonusPayments"]
    assert payment["BonusAmount"] == str(Decimal(bonus).quantize(Decimal("0.01")))


def test_the_sandbox_masters_requirement_adds_five_percent_too():
    engine = Engine(clock=ManualClock(START), sandbox=True)
    client = local_client(engine)
    hit_type = client.create_hit_type(**{**TYPE_FIELDS, "Reward": "1.00"},
                                      QualificationRequirements=[
        {"QualificationTypeId": "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6", "Comparator": "Exists"}])
    assert approved_cost(engine, client, hit_type["HITTypeId"]) == Decimal("1.25")


def test_more_assignments_need_funds_for_every_new_slot(engine, client, hit_type):
    hit_id = make_hit(client, hit_type)["HITId"]
    with engine.session() as ctx:
        set_meta(ctx.conn, "balance_cents", "119")  # two more slots cost 2 × 0.60
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        client.create_additional_assignments_for_hit(HITId=hit_id,
                                                     NumberOfAdditionalAssignments=2)
    assert error_of(excinfo)[1] == "AWS.MechanicalTurk.InsufficientFunds"
    assert client.get_hit(HITId=hit_id)["HIT"]["MaxAssignments"] == 1
    client.create_additional_assignments_for_hit(HITId=hit_id, NumberOfAdditionalAssignments=1)
    assert client.get_hit(HITId=hit_id)["HIT"]["MaxAssignments"] == 2
    assert engine.balance() == Decimal("1.19")  # nothing is charged before approval

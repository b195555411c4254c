"""Storage: a state file survives restarts, the clock offset is shared, threads are safe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

from emulator_support import HTML_QUESTION, TYPE_FIELDS, WORKER, make_hit

from reconciler.emulator import Clock, Engine, ManualClock, workers
from reconciler.emulator.transport import local_client


def test_state_survives_a_restart(tmp_path):
    path = tmp_path / "account.sqlite3"
    engine = Engine(path)
    client = local_client(engine)
    hit_type = client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]
    hit_id = make_hit(client, hit_type, UniqueRequestToken="once")["HITId"]
    assignment = workers.accept(engine, hit_id, WORKER)
    workers.submit(engine, assignment)
    client.approve_assignment(AssignmentId=assignment)
    engine.close()

    reopened = local_client(Engine(path))
    assert [h["HITId"] for h in reopened.list_hits()["HITs"]] == [hit_id]
    assert reopened.create_hit_type(**TYPE_FIELDS)["HITTypeId"] == hit_type
    assert reopened.get_account_balance()["AvailableBalance"] == "9999.40"
    try:
        make_hit(reopened, hit_type, UniqueRequestToken="once")
        raise AssertionError("the token was forgotten")
    except reopened.exceptions.RequestError as error:
        assert hit_id in error.response["Error"]["Message"]


def test_advancing_the_clock_is_seen_by_the_next_process(tmp_path):
    path = tmp_path / "account.sqlite3"
    first = Engine(path)
    client = local_client(first)
    hit_type = client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]
    hit_id = make_hit(client, hit_type)["HITId"]
    Engine(path).advance(3 * 86_400)  # another process, e.g. `reconciler emulator advance 3d`
    assert client.get_hit(HITId=hit_id)["HIT"]["HITStatus"] == "Reviewable"  # running one sees it
    later = Engine(path)
    assert later.clock.offset == 3 * 86_400
    assert later.clock.now() - Clock().now() > timedelta(days=2, hours=23)


def test_reset_forgets_everything(tmp_path):
    engine = Engine(tmp_path / "account.sqlite3")
    client = local_client(engine)
    make_hit(client, client.create_hit_type(**TYPE_FIELDS)["HITTypeId"])
    engine.advance(86_400)
    engine.reset()
    assert client.list_hits()["NumResults"] == 0
    assert engine.balance() == Decimal("10000.00")
    assert engine.clock.offset == 0
    listed = client.list_qualification_types(MustBeRequestable=False)
    assert listed["NumResults"] == 5  # the system types are back


def test_many_threads_share_one_client(tmp_path):
    engine = Engine(tmp_path / "account.sqlite3")
    client = local_client(engine)
    hit_type = client.create_hit_type(**TYPE_FIELDS)["HITTypeId"]

    def create(n: int) -> str:
        return client.create_hit_with_hit_type(
            HITTypeId=hit_type, LifetimeInSeconds=3600, Question=HTML_QUESTION,
            UniqueRequestToken=f"row-{n}", RequesterAnnotation=f"row {n}")["HIT"]["HITId"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(create, range(80)))
    assert len(set(created)) == 80
    listed = [h for page in client.get_paginator("list_hits").paginate(
        PaginationConfig={"PageSize": 100}) for h in page["HITs"]]
    assert sorted(h["HITId"] for h in listed) == sorted(created)
    assert {h["RequesterAnnotation"] for h in listed} == {f"row {n}" for n in range(80)}


def test_memory_engines_are_independent():
    first, second = Engine(), Engine()
    local_client(first).create_worker_block(WorkerId=WORKER, Reason="r")
    assert local_client(second).list_worker_blocks()["NumResults"] == 0


def test_advances_from_several_processes_add_up(tmp_path):
    path = tmp_path / "account.sqlite3"
    running = Engine(path)
    Engine(path).clock.advance(86_400)
    running.clock.advance(3600)  # this engine had not seen the first advance yet
    assert Engine(path).clock.offset == 86_400 + 3600
    assert running.clock.offset == 86_400 + 3600


def test_a_manual_clock_is_not_persisted(tmp_path):
    path = tmp_path / "account.sqlite3"
    Engine(path, clock=ManualClock()).clock.advance(86_400)
    assert Engine(path).clock.offset == 0

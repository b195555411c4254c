"""Planning reads the account in ⌈all HITs / 100⌉ ListHITs calls plus a constant: no per-HIT call.

The account holds 1,000 HITs of the project's batch (seeded straight through the emulator's
engine, annotated as apply annotates them, so the plan is empty) and 50 HITs it does not own.
Every call `build_plan` makes is counted per operation on the client it plans with.
"""

from __future__ import annotations

import math
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import reconciler.mturk
from reconciler.apply.steps.hit_types import hit_type_params
from reconciler.identity import hit_annotation
from reconciler.mturk import count_calls, make_client
from reconciler.plan.command import build_plan
from reconciler.spec import load_project

ROWS = 1000
FOREIGN = 50
# Reads whose number does not grow with the HITs: the balance, the blocks, the qualification types.
CONSTANT_OPERATIONS = {"GetAccountBalance", "ListWorkerBlocks", "ListQualificationTypes", "ListWorkersWithQualificationType"}
CONSTANT_LIMIT = 5


def write_project(folder: Path, rows: int) -> Path:
    """One HIT type and one batch of `rows` rows, each an external question."""
    (folder / "data").mkdir(parents=True)
    expires = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (folder / "project.yaml").write_text(
        'kind: Project\nname: scale\ntarget: local\nbudget: "1000.00"\n---\n'
        "kind: HITType\nname: label\ntitle: Label a number\ndescription: Say whether the number is even.\n"
        'reward: "0.01"\nassignment_duration: 5m\n---\n'
        "kind: HITBatch\nname: numbers\nhit_type: label\n"
        'question: {external_url: "https://tasks.example.org/even?n={{ number }}"}\n'
        f"data: data/rows.csv\nkey: id\nassignments: 1\nexpires_at: {expires}\n"
    )
    (folder / "data" / "rows.csv").write_text("id,number\n" + "".join(f"n{i:05d},{i}\n" for i in range(rows)))
    return folder


def seed_hits(project: Path, foreign: int) -> None:
    """Create every row's HIT as apply would (type, question, annotation, expiry), plus foreign HITs."""
    desired = load_project(project)
    with make_client("local", project_dir=project) as conn:
        engine = conn.engine
        [hit_type] = {hit.hit_type for hit in desired.hits}
        type_id = engine.call("CreateHITType", hit_type_params(hit_type, None))["HITTypeId"]
        for hit in desired.hits:
            lifetime = math.ceil((hit.expires_at - engine.clock.now()).total_seconds())
            engine.call("CreateHITWithHITType", {
                "HITTypeId": type_id, "MaxAssignments": hit.max_assignments, "LifetimeInSeconds": lifetime,
                "Question": hit.question,
                "RequesterAnnotation": hit_annotation(desired.project.name, hit.batch, hit.key, hit.generation),
            })
        for index in range(foreign):
            question = desired.hits[index].question
            engine.call("CreateHITWithHITType", {"HITTypeId": type_id, "LifetimeInSeconds": 3600, "Question": question,
                                                 "RequesterAnnotation": f"someone else's HIT {index}"})


@pytest.fixture
def counted_plans(monkeypatch):
    """Counters of the calls made by each client `build_plan` opens, in order."""
    counters, stack = [], ExitStack()
    real_make_client = reconciler.mturk.make_client

    def counting_make_client(*args, **kwargs):
        conn = real_make_client(*args, **kwargs)
        counters.append(stack.enter_context(count_calls(conn.client)))
        return conn

    monkeypatch.setattr(reconciler.mturk, "make_client", counting_make_client)
    with stack:
        yield counters


def test_planning_1000_hits_costs_one_list_call_per_100_plus_a_constant(tmp_path, counted_plans):
    project = write_project(tmp_path / "project", ROWS)
    seed_hits(project, FOREIGN)
    ctx = build_plan(project)
    ctx.conn.close()
    [calls] = counted_plans
    by_operation = calls.by_operation
    list_calls = math.ceil((ROWS + FOREIGN) / 100)

    assert ctx.plan.changes == () and ctx.plan.errors == ()
    assert len(ctx.live.hits) == ROWS
    assert by_operation.pop("ListHITs") == list_calls
    assert set(by_operation) <= CONSTANT_OPERATIONS, f"per-HIT or unexpected calls: {by_operation}"
    assert sum(by_operation.values()) <= CONSTANT_LIMIT
    assert calls.total == ctx.api_calls <= list_calls + CONSTANT_LIMIT

"""Executing hand-built plans: every step, its idempotency, and faults on the way."""

from __future__ import annotations

import io
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from apply_builders import SENTIMENT, Run, change, create, desired_of, hits_of, plan_of, row_hit

from reconciler.apply.calls import Caller
from reconciler.apply.console import PlainConsole
from reconciler.apply.context import QualificationIds, StepContext
from reconciler.apply.evaluator import Evaluator
from reconciler.apply.readback import LiveIndex, check_applied
from reconciler.apply.report import ApplyReport, Outcome, Status, render_report
from reconciler.apply.stages import build_stages
from reconciler.identity import qualification_tag
from reconciler.model import LiveState, QualificationType, Requirement

from reconciler.mturk import count_calls
from reconciler.plan.changes import Action


def test_creates_one_hit_per_row_with_annotation_and_one_hit_type_call(conn):
    plan = plan_of(*(create(row_hit(str(i))) for i in range(12)))
    with count_calls(conn.client) as calls:
        run = Run(conn, plan)
    assert run.code == 0, run.text
    hits = hits_of(conn)
    assert sorted(h["RequesterAnnotation"] for h in hits) == sorted(
        f"reconciler/1 acme tweets 0 {i}" for i in range(12)
    )
    assert calls.by_operation["CreateHITType"] == 1
    assert calls.by_operation["CreateHITWithHITType"] == 12
    assert "create hit  12 done, 0 failed, 0 not started" in run.text
    assert "Money committed: $0.72" in run.text
    assert "Read back: every change took effect." in run.text


def test_rerunning_the_same_creates_adopts_the_existing_hits(conn):
    plan = plan_of(*(create(row_hit(str(i))) for i in range(5)))
    assert Run(conn, plan).code == 0
    first = {h["HITId"] for h in hits_of(conn)}
    again = Run(conn, plan)
    assert again.code == 0, again.text
    assert {h["HITId"] for h in hits_of(conn)} == first


def test_faults_after_commit_never_duplicate_a_hit(conn, faulty):
    faults = faulty(fail_rate=0.25, fail_after_commit=0.5)
    plan = plan_of(*(create(row_hit(str(i))) for i in range(20)))
    run = Run(conn, plan)
    assert run.code == 0, run.text
    assert faults.stats().failed_after_commit > 0
    annotations = [h["RequesterAnnotation"] for h in hits_of(conn)]
    assert len(annotations) == len(set(annotations)) == 20


def test_throttling_is_waited_out_not_reported_as_failure(conn, faulty):
    faults = faulty(throttle=80.0)
    plan = plan_of(*(create(row_hit(str(i))) for i in range(30)))
    run = Run(conn, plan, parallelism=8)
    assert run.code == 0, run.text
    assert faults.stats().throttled > 0
    assert len(hits_of(conn)) == 30
    assert "failed" not in run.text.split("Apply results:")[1].replace("0 failed", "")


def test_updates_and_their_repeats_are_recognised_as_done(conn):
    original = row_hit("a", assignments=2)
    assert Run(conn, plan_of(create(original))).code == 0
    live_id = hits_of(conn)[0]["HITId"]
    before = replace(original, hit_id=live_id)
    later = replace(original, expires_at=original.expires_at + timedelta(days=2))
    more = replace(original, max_assignments=4)
    retyped = replace(original, hit_type=replace(SENTIMENT, reward=SENTIMENT.reward * 2))
    updates = plan_of(
        change(Action.EXTEND, before, later),
        change(Action.ADD_ASSIGNMENTS, before, more),
        change(Action.RETYPE, before, retyped),
    )
    for _ in range(2):  # the second run repeats every call: all recognised as already done
        run = Run(conn, updates)
        assert run.code == 0, run.text
    (hit,) = hits_of(conn)
    assert hit["MaxAssignments"] == 4
    assert hit["Reward"] == "0.10"


def test_expire_and_replace_leave_one_current_hit_per_row(conn):
    old = row_hit("a")
    gone = row_hit("b")
    assert Run(conn, plan_of(create(old), create(gone))).code == 0
    ids = {h["RequesterAnnotation"].split()[-1]: h["HITId"] for h in hits_of(conn)}
    new = row_hit("a", generation=1, question=row_hit("a").question.replace("<p>", "<p>New: "))
    plan = plan_of(
        change(Action.REPLACE, replace(old, hit_id=ids["a"]), new),
        change(Action.EXPIRE, replace(gone, hit_id=ids["b"]), None),
    )
    for _ in range(2):
        run = Run(conn, plan)
        assert run.code == 0, run.text
    assignable = [h["RequesterAnnotation"] for h in hits_of(conn) if h["HITStatus"] == "Assignable"]
    assert assignable == ["reconciler/1 acme tweets 1 a"]


def test_a_refused_create_is_reported_with_address_code_and_message(conn):
    bad = row_hit("bad", question="<not-a-question/>")
    run = Run(conn, plan_of(create(row_hit("ok")), create(bad)))
    assert run.code == 1
    assert "create hit  1 done, 1 failed, 0 not started" in run.text
    assert "batch.tweets.hit[bad] (create): AWS.MechanicalTurk." in run.text
    assert len(hits_of(conn)) == 1


def test_desired_state_helper_names_hit_types():
    assert desired_of().hit_types[0][0] == "sentiment"


def test_requirement_on_a_project_type_unknown_to_the_plan_is_looked_up_by_name(conn):
    conn.client.create_qualification_type(
        Name="ACME English check", Description="English", QualificationTypeStatus="Active",
        Keywords=f"english, {qualification_tag('acme')}",
    )
    english = Requirement("english", "GreaterThanOrEqualTo", integer_values=(80,))
    hit_type = replace(SENTIMENT, requirements=(*SENTIMENT.requirements, english))
    declared = QualificationType("english", "ACME English check", "English")
    run = Run(conn, plan_of(create(row_hit("a", hit_type=hit_type))), desired_of((declared,), (("sentiment", hit_type),)))
    assert run.code == 0, run.text
    (hit,) = hits_of(conn)
    assert len(hit["QualificationRequirements"]) == 2


def evaluate(conn, plan, console, parallelism: int, stop: threading.Event):
    """Run the evaluator alone (no report, no read-back) over a plan's stages."""
    caller = Caller(conn.client, stop)
    context = StepContext(caller, "acme", QualificationIds(caller, "acme", conn.system_qualifications.ids))
    return Evaluator(context, console, parallelism, stop).evaluate(build_stages(plan))


def test_plain_console_prints_a_heartbeat_while_a_stage_runs(conn, faulty):

    faulty(latency=0.05)
    out = io.StringIO()
    plan = plan_of(*(create(row_hit(str(i))) for i in range(12)))
    outcomes = evaluate(conn, plan, PlainConsole(out, heartbeat_seconds=0.1), 2, threading.Event())
    assert len(outcomes) == 13
    lines = out.getvalue().splitlines()
    assert lines[0] == "HIT types: 1 to do" and "HIT creates: 12 to do" in lines
    assert any(line.startswith("  … HIT creates:") for line in lines)
    assert lines[-1].startswith("HIT creates: 12/12 done in ")


def test_a_stop_before_a_stage_leaves_its_work_not_started(conn):
    stop = threading.Event()
    stop.set()
    plan = plan_of(*(create(row_hit(str(i))) for i in range(3)))
    outcomes = evaluate(conn, plan, PlainConsole(io.StringIO()), 2, stop)
    assert {o.status for o in outcomes} == {Status.NOT_STARTED}
    assert hits_of(conn) == []


def test_read_back_reports_a_change_that_did_not_take_effect():
    change = create(row_hit("a"))
    done = [Outcome(change.address, "create", Status.DONE, change.cost, "hit")]
    issues = check_applied([change], done, LiveIndex.of(LiveState(), datetime.now(timezone.utc)))
    assert [(i.address, i.problem) for i in issues] == [("batch.tweets.hit[a]", "no HIT of generation 0 is listed for the row")]
    report = ApplyReport("local", done, readback=issues, readback_done=True)
    assert report.exit_code() == 1
    assert "did not take effect" in render_report(report)

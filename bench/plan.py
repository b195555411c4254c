"""Benchmark: a no-change plan over 10,000 live HITs on the in-process emulator (goal: under 5 s).

Seeds a temporary project once: one batch of N rows and, straight through the emulator's engine,
one HIT per row made as apply makes it (same HIT type, question, annotation, expiry), so the plan
is empty. Then times `build_plan` + rendering, phase by phase (load manifests, read live, diff,
render), the best of `--runs`; the API calls the read made, per operation; and, as the baseline
measured in the same run, the bare ListHITs paging of the same account (what reading cannot go
below). Finally `reconciler plan` as a new process, which is what a user waits for.

    python bench/plan.py                 # 10,000 HITs
    python bench/plan.py --hits 2000 --runs 5
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from synthetic import write_project
from reconciler.apply.steps.hit_types import hit_type_params
from reconciler.identity import hit_annotation
from reconciler.live import read_live
from reconciler.mturk import make_client
from reconciler.plan.command import build_plan, render
from reconciler.plan.diff import diff
from reconciler.spec import load_project

GOAL_SECONDS = 5.0


def seed(project: Path) -> int:
    """Every row's HIT, created through the engine as apply would; the number created."""
    desired = load_project(project)
    with make_client("local", project_dir=project) as conn:
        engine = conn.engine
        [hit_type] = {hit.hit_type for hit in desired.hits}
        type_id = engine.call("CreateHITType", hit_type_params(hit_type, None))["HITTypeId"]
        for hit in desired.hits:
            engine.call("CreateHITWithHITType", {
                "HITTypeId": type_id,
                "MaxAssignments": hit.max_assignments,
                "LifetimeInSeconds": math.ceil((hit.expires_at - engine.clock.now()).total_seconds()),
                "Question": hit.question,
                "RequesterAnnotation": hit_annotation(desired.project.name, hit.batch, hit.key, hit.generation),
            })
    return len(desired.hits)


def timed(phases: dict[str, float], name: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = step()
    phases[name] = time.perf_counter() - started
    return result


def plan_in_phases(project: Path) -> tuple[dict[str, float], Any]:
    """The steps of build_plan and rendering, each timed; returns the phases and the live read."""
    phases: dict[str, float] = {}
    desired = timed(phases, "load manifests", lambda: load_project(project))
    conn = timed(phases, "open the emulator", lambda: make_client("local", project_dir=project))
    try:
        read = timed(phases, "read live", lambda: read_live(conn, desired))
        plan = timed(phases, "diff", lambda: diff(desired, read.live, conn.now()))
    finally:
        conn.close()
    if plan.changes or plan.errors:
        raise SystemExit(f"the seeded account should plan empty, but the plan has {len(plan.changes)} changes")
    timed(phases, "render text", lambda: render(plan, "text"))
    timed(phases, "render json", lambda: render(plan, "json"))
    return phases, read


def bare_list_hits(project: Path) -> tuple[float, int]:
    """The floor: paging through ListHITs at 100 per call, nothing else; (seconds, HITs seen)."""
    with make_client("local", project_dir=project) as conn:
        started = time.perf_counter()
        pages = conn.client.get_paginator("list_hits").paginate(PaginationConfig={"PageSize": 100})
        seen = sum(len(page["HITs"]) for page in pages)
        return time.perf_counter() - started, seen


def whole_plan(project: Path) -> float:
    """build_plan + the text rendering, as `reconciler plan` runs them in one process."""
    started = time.perf_counter()
    ctx = build_plan(project)
    try:
        render(ctx.plan, "text")
    finally:
        ctx.conn.close()
    return time.perf_counter() - started


def cli_plan(project: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "reconciler", "plan", str(project), "--detailed-exitcode"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"reconciler plan exited {result.returncode}:\n{result.stdout[-1000:]}{result.stderr[-1000:]}")
    return time.perf_counter() - started


def report(hits: int, runs: list[dict[str, float]], read: Any, floor: float, whole: float, cli: float) -> None:
    best = {name: min(run[name] for run in runs) for name in runs[0]}
    print(f"no-change plan over {hits:,} live HITs, in-process emulator (best of {len(runs)} runs)")
    for name, seconds in best.items():
        print(f"  {name:<18} {seconds:6.2f} s")
    print(f"  {'sum of phases':<18} {sum(best.values()):6.2f} s")
    print(f"  build_plan + text  {whole:6.2f} s  (goal < {GOAL_SECONDS:g} s: {'met' if whole < GOAL_SECONDS else 'MISSED'})")
    print(f"  reconciler plan    {cli:6.2f} s  (a new process, interpreter start included)")
    ops = ", ".join(f"{name} {count}" for name, count in read.calls_by_operation.items())
    print(f"API calls: {read.api_calls} ({ops}); ⌈{hits:,}/100⌉ = {math.ceil(hits / 100)}")
    print(f"baseline: bare ListHITs paging {floor:.2f} s; read live is {best['read live'] / floor:.1f}x that, "
          f"the whole plan {whole / floor:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(Path(tmp) / "project", args.hits, assignments=3, keywords="numbers, parity")
        started = time.perf_counter()
        hits = seed(project)
        print(f"seeded {hits:,} HITs in {time.perf_counter() - started:.1f} s")
        runs, read = [], None
        for _ in range(args.runs):
            phases, read = plan_in_phases(project)
            runs.append(phases)
        floor, seen = bare_list_hits(project)
        assert seen == hits, f"ListHITs saw {seen} HITs, expected {hits}"
        whole = min(whole_plan(project) for _ in range(args.runs))
        report(hits, runs, read, floor, whole, cli_plan(project))


if __name__ == "__main__":
    main()

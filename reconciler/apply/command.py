"""`reconciler apply`: plan and ask, or apply a saved plan; then execute, report, read back.

The order is fixed and every refusal happens before the first write: the lock, the plan (made
now, or loaded and proven fresh), plan errors, money, approval. Only then are the stages run.
"""

from __future__ import annotations

import dataclasses
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from reconciler.apply.calls import Caller
from reconciler.apply.console import PlainConsole, TerminalConsole
from reconciler.apply.context import QualificationIds, StepContext
from reconciler.apply.evaluator import Evaluator
from reconciler.apply.explainer import explain
from reconciler.apply.guards import approve, check_money, refuse_plan_errors
from reconciler.apply.lock import apply_lock, parse_timeout
from reconciler.apply.readback import LiveIndex, check_applied
from reconciler.apply.report import ApplyReport, ReadbackIssue, render_report
from reconciler.apply.saved import (
    check_changes,
    check_live,
    check_manifests,
    check_unused,
    load_saved_plan,
    record_used,
)
from reconciler.apply.stages import build_stages
from reconciler.errors import PlanFileError, ReconcilerError
from reconciler.model import DesiredState, LiveState, QualificationType
from reconciler.mturk.targets import choose_target
from reconciler.plan.changes import Plan


@dataclass(frozen=True)
class ApplyOptions:
    path: Path
    target: str | None = None
    endpoint_url: str | None = None
    profile: str | None = None
    project: Path | None = None
    auto_approve: bool = False
    parallelism: int = 8
    lock_timeout: str = "0s"
    explain: bool = False
    target_resources: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    replace: tuple[str, ...] = ()


@dataclass
class Session:
    """How apply talks to a person: where it prints, whether it may ask, and how."""

    out: Any = None
    interactive: bool | None = None
    ask: Callable[[str], str] = input

    def __post_init__(self) -> None:
        if self.out is None:
            self.out = sys.stdout  # looked up now: the CLI's stdout may be swapped (tests)
        if self.interactive is None:
            self.interactive = sys.stdin.isatty() and _isatty(self.out)

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def run_apply(options: ApplyOptions, session: Session | None = None) -> int:
    """The `apply` command; returns the exit code (0 only when everything succeeded, 130 on Ctrl-C)."""
    session = session or Session()
    timeout = parse_timeout(options.lock_timeout)
    if Path(options.path).is_file():
        return _apply_saved(options, session, timeout)
    if not Path(options.path).is_dir():
        raise ReconcilerError(f"{options.path} is neither a project folder nor a saved plan file.")
    return _apply_project(options, session, timeout)


def _apply_project(options: ApplyOptions, session: Session, timeout: float) -> int:
    """Plan now, show it, ask (unless --auto-approve), execute."""
    from reconciler.plan.command import build_plan, render, selection_warning, use_color

    project_dir = Path(options.path)
    with apply_lock(project_dir, timeout):
        ctx = build_plan(
            project_dir,
            target=options.target,
            endpoint_url=options.endpoint_url,
            profile=options.profile,
            target_resources=options.target_resources,
            excludes=options.excludes,
            replace=options.replace,
            max_pool_connections=max(16, options.parallelism),
        )
        try:
            session.say(render(ctx.plan, "text", color=use_color(session.out)))
            warning = selection_warning(ctx)
            if warning:
                print(warning, file=sys.stderr)
            if options.explain:
                session.say(explain(build_stages(ctx.plan, ctx.desired.hit_types), options.parallelism))
                return 0
            if not _ready(ctx.plan, ctx.desired, ctx.live, session):
                return 0
            approve(ctx.plan, auto_approve=options.auto_approve, saved=False, interactive=bool(session.interactive), ask=session.ask)
            return execute(ctx.plan, ctx.desired, ctx.live, ctx.conn, options.parallelism, session)
        finally:
            ctx.conn.close()


def _apply_saved(options: ApplyOptions, session: Session, timeout: float) -> int:
    """Apply a saved plan after proving it fresh; never asks outside production."""
    plan = load_saved_plan(Path(options.path))
    session.say(f"Target: {_where(plan)}. Applying saved plan {plan.plan_id} of project {plan.project}.")
    if options.target_resources or options.excludes or options.replace:
        raise PlanFileError(
            "--target-resource, --exclude and --replace cannot change a saved plan; use them with `reconciler plan --out`."
        )
    if options.target is not None and options.target != plan.target:
        raise PlanFileError(f"The plan was made for target {plan.target}, not {options.target}; plan again for {options.target}.")
    choose_target(options.target, plan.target)
    if options.explain:
        session.say(explain(build_stages(plan), options.parallelism))
        return 0
    project_dir = Path(options.project or ".")
    if not project_dir.is_dir():
        problem = "is a file, not a folder" if project_dir.exists() else "does not exist"
        raise PlanFileError(f"The project folder {project_dir} {problem}; pass --project with the plan's project folder.")
    with apply_lock(project_dir, timeout):
        check_unused(plan, project_dir)
        desired = _load_desired(project_dir)
        check_manifests(plan, desired)
        conn = _connect(plan, project_dir, options)
        try:
            live = _read(conn, desired)
            from reconciler.plan.fingerprint import fingerprints

            check_live(plan, fingerprints(live))
            from reconciler.plan.diff import diff

            cost_now = check_changes(plan, diff(desired, live, conn.now(), replace=frozenset(plan.replace)))
            plan = dataclasses.replace(plan, total_cost=max(plan.total_cost, cost_now))
            if not _ready(plan, desired, live, session):
                record_used(plan, project_dir)
                return 0
            approve(plan, auto_approve=options.auto_approve, saved=True, interactive=bool(session.interactive), ask=session.ask)
            record_used(plan, project_dir)
            return execute(plan, desired, live, conn, options.parallelism, session)
        finally:
            conn.close()


def _where(plan: Plan) -> str:
    """The plan's target, with its endpoint when that is not the target's usual one."""
    from reconciler.mturk import resolve_target

    usual = resolve_target(plan.target).endpoint_url
    return plan.target if not plan.endpoint or plan.endpoint == usual else f"{plan.target} at {plan.endpoint}"


def _ready(plan: Plan, desired: DesiredState, live: LiveState, session: Session) -> bool:
    """Refuse plan errors and over-budget plans; False (and a message) for an empty plan."""
    refuse_plan_errors(plan)
    if plan.is_empty:
        session.say("No changes. Nothing to apply.")
        return False
    check_money(plan, desired.project.budget, live.balance)
    return True


def _load_desired(project_dir: Path) -> DesiredState:
    from reconciler.plan.command import load_desired

    return load_desired(project_dir)


def _connect(plan: Plan, project_dir: Path, options: ApplyOptions) -> Any:
    """A client for the plan's own target and endpoint (an --endpoint-url must agree with it)."""
    from reconciler.mturk import make_client, resolve_target

    default = resolve_target(plan.target).endpoint_url
    recorded = plan.endpoint if plan.endpoint and plan.endpoint != default else None
    if options.endpoint_url and options.endpoint_url.rstrip("/") != (plan.endpoint or default).rstrip("/"):
        raise PlanFileError(f"The plan was made against {plan.endpoint or default}, not {options.endpoint_url}; plan again there.")
    return make_client(
        plan.target,
        project_dir=project_dir,
        endpoint_url=recorded,
        profile=options.profile,
        max_pool_connections=max(16, options.parallelism),
    )


def _read(conn: Any, desired: DesiredState) -> LiveState:
    from reconciler.live import read_live

    return read_live(conn, desired).live


def execute(plan: Plan, desired: DesiredState, live: LiveState, conn: Any, parallelism: int, session: Session) -> int:
    """Run the plan's stages, print the report, read back; the exit code."""
    stop = threading.Event()
    caller = Caller(conn.client, stop)
    befores = [c.before for c in plan.changes if isinstance(c.before, QualificationType)]
    qualifications = QualificationIds(
        caller, plan.project, conn.system_qualifications.ids, desired.qualification_types, (*live.qualification_types, *befores)
    )
    context = StepContext(caller, plan.project, qualifications, clock=conn.now)
    console = _console(session)
    try:
        with stop_on_sigint(stop):
            outcomes = Evaluator(context, console, parallelism, stop).evaluate(build_stages(plan, desired.hit_types))
    finally:
        if isinstance(console, TerminalConsole):
            console.close()
    report = ApplyReport(
        plan.target, outcomes, interrupted=stop.is_set(), throttled_calls=caller.throttled, unreachable=caller.gave_up
    )
    if not report.interrupted:
        _read_back(report, plan, desired, conn)
    try:
        session.say(render_report(report))
    except (BrokenPipeError, ValueError):  # nobody reads the output any more; the exit code still tells
        pass
    return report.exit_code()


def _read_back(report: ApplyReport, plan: Plan, desired: DesiredState, conn: Any) -> None:
    """One more read of the account; every done change must show."""
    try:
        live = _read(conn, desired)
    except ReconcilerError as exc:
        report.readback.append(ReadbackIssue("(account)", "read back", str(exc)))
        return
    report.readback.extend(check_applied(plan.changes, report.outcomes, LiveIndex.of(live, conn.now())))
    report.readback_done = True


def _console(session: Session) -> Any:
    if _isatty(session.out):
        from rich.console import Console

        return TerminalConsole(Console(file=session.out))
    return PlainConsole(session.out)


def _isatty(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


@contextmanager
def stop_on_sigint(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C sets `stop` (finish what is in flight, start nothing new); a second one leaves at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)

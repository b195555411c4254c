"""`reconciler plan`: load the manifests, read the account, diff, render, save.

This is the only module of the plan layer that does I/O; `diff` itself stays pure.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler import __version__
from reconciler.errors import PlanFileError, ReconcilerError, SpecErrors
from reconciler.model import DesiredState, LiveState, money
from reconciler.plan.changes import Plan

FORMATS = ("text", "json", "markdown")
# Between two PR comments' worth of Markdown on stdout; the CI workflow splits on it.
MARKDOWN_SPLIT = "<!-- reconciler: next comment -->"


@dataclass(frozen=True)
class PlanOptions:
    path: Path
    target: str | None = None
    endpoint_url: str | None = None
    profile: str | None = None
    format: str = "text"
    out: Path | None = None
    detailed_exitcode: bool = False
    target_resources: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    replace: tuple[str, ...] = ()
    verbose: bool = False


@dataclass
class PlanContext:
    """A plan and everything it was made from; apply reuses it to execute."""

    plan: Plan
    desired: DesiredState
    live: LiveState
    conn: Any  # reconciler.mturk.MTurkConnection
    project_dir: Path
    api_calls: int = 0
    left_out: int = 0  # changes of the full plan that --target-resource/--exclude left out


def load_desired(path: Path) -> DesiredState:
    """The validated desired state; every manifest error is printed before stopping."""
    from reconciler.spec import load_project

    try:
        return load_project(path)
    except SpecErrors as exc:
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        raise ReconcilerError(f"{len(exc.errors)} error(s) in the manifests; nothing was sent to MTurk.") from exc


def select(plan: Plan, target_resources: tuple[str, ...], excludes: tuple[str, ...]) -> Plan:
    """The plan restricted to addresses starting with a --target-resource and none of --exclude."""
    if not target_resources and not excludes:
        return plan
    changes = tuple(
        c
        for c in plan.changes
        if (not target_resources or any(c.address.startswith(p) for p in target_resources))
        and not any(c.address.startswith(p) for p in excludes)
    )
    return dataclasses.replace(plan, changes=changes, total_cost=money(sum((c.cost for c in changes), start=money(0))))


def build_plan(
    path: Path,
    *,
    target: str | None = None,
    endpoint_url: str | None = None,
    profile: str | None = None,
    target_resources: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    replace: tuple[str, ...] = (),
    max_pool_connections: int = 16,
) -> PlanContext:
    """Load, read, diff, and stamp the plan with what it was made against. The caller closes `conn`."""
    from reconciler.live import read_live
    from reconciler.mturk import make_client
    from reconciler.mturk.targets import choose_target
    from reconciler.plan.diff import diff

    _check_selectors(target_resources, excludes)
    project_dir = Path(path)
    desired = load_desired(project_dir)
    chosen = choose_target(target, desired.project.target)
    conn = make_client(
        chosen, project_dir=project_dir, endpoint_url=endpoint_url, profile=profile, max_pool_connections=max_pool_connections
    )
    try:
        read = read_live(conn, desired)
        now = conn.now()
        plan = diff(desired, read.live, now, replace=frozenset(replace))
        _check_replacements(plan, replace)
        everything = len(plan.changes)
        plan = select(plan, target_resources, excludes)
        plan = dataclasses.replace(
            plan,
            target=conn.target.name,
            # The in-process emulator has no endpoint: the plan is tied to the project's state file.
            endpoint=None if conn.engine is not None else conn.endpoint_url,
            plan_id=uuid.uuid4().hex,
            tool_version=__version__,
            replace=tuple(replace),
        )
    except BaseException:
        conn.close()
        raise
    left_out = everything - len(plan.changes)
    return PlanContext(plan, desired, read.live, conn, project_dir, api_calls=read.api_calls, left_out=left_out)


def _check_selectors(target_resources: tuple[str, ...], excludes: tuple[str, ...]) -> None:
    """An empty address is a mistake (an unset variable): as a prefix it would match everything."""
    for flag, addresses in (("--target-resource", target_resources), ("--exclude", excludes)):
        if any(not address.strip() for address in addresses):
            raise ReconcilerError(f"{flag} needs an address, e.g. batch.NAME or qualification_type.NAME; an empty one matches everything.")


def selection_warning(ctx: PlanContext) -> str | None:
    """What --target-resource/--exclude hid, so that "No changes" is never read as "in sync"."""
    if not ctx.left_out:
        return None
    return (
        f"Warning: --target-resource/--exclude left out {ctx.left_out:,} change(s); "
        "the account differs from the manifests beyond this plan."
    )


def _check_replacements(plan: Plan, replace: tuple[str, ...]) -> None:
    """Every --replace must name at least one row whose live HIT the plan now re-posts."""
    from reconciler.plan.changes import Action
    from reconciler.plan.hits import selected

    replaced = [c.address for c in plan.changes if c.action is Action.REPLACE]
    for selector in replace:
        if not any(selected(address, (selector,)) for address in replaced):
            raise ReconcilerError(
                f"--replace {selector} names no open HIT of an active batch in this project; "
                "use a HIT address from the plan (batch.NAME.hit[KEY]) or a batch (batch.NAME)."
            )


def use_color(stream: Any = None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set to a non-empty value (https://no-color.org)."""
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def render(plan: Plan, format: str, *, verbose: bool = False, color: bool = False) -> str:
    """The plan in one of FORMATS, always from its canonical JSON document."""
    from reconciler.plan.serialize import plan_document

    doc = plan_document(plan)
    if format == "json":
        from reconciler.render.json import render_json

        return render_json(doc)
    if format == "markdown":
        from reconciler.render.markdown import render_markdown

        return f"\n\n{MARKDOWN_SPLIT}\n\n".join(render_markdown(doc))
    from reconciler.render.text import render_text

    return render_text(doc, color=color, verbose=verbose)


def exit_code(plan: Plan, detailed: bool) -> int:
    """0 no changes; 2 changes with --detailed-exitcode; 1 for any plan error."""
    if plan.errors:
        return 1
    if detailed and plan.changes:
        return 2
    return 0


def apply_command(plan_file: Path, project: Path) -> str:
    """The command that applies a saved plan from here; `apply` reads the project from `.` unless told."""
    command = f"reconciler apply {shlex.quote(str(plan_file))}"
    if Path(project).resolve() != Path.cwd().resolve():
        command += f" --project {shlex.quote(str(project))}"
    return command


def check_plan_file_path(out: Path) -> None:
    """Refuse an --out that cannot be written before reading the account, not after."""
    if out.is_dir():
        raise PlanFileError(f"--out {out} is a folder; name a file in it, e.g. {out / 'plan.json'}.")
    if not out.parent.is_dir():
        problem = "is not a folder" if out.parent.exists() else "does not exist"
        raise PlanFileError(f"--out {out}: {out.parent} {problem}; create the folder first or save elsewhere.")


def save_plan(out: Path, text: str) -> None:
    """Write a saved plan, or say in one sentence why it cannot be written."""
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PlanFileError(f"Cannot write the plan to {out}: {exc.strerror or exc}.") from None


def run_plan(options: PlanOptions) -> int:
    """The `plan` command: print the plan, save it when asked, return the exit code."""
    if options.format not in FORMATS:
        raise ReconcilerError(f"unknown format {options.format!r}; use one of: {', '.join(FORMATS)}.")
    if options.out is not None:
        check_plan_file_path(options.out)
    ctx = build_plan(
        options.path,
        target=options.target,
        endpoint_url=options.endpoint_url,
        profile=options.profile,
        target_resources=options.target_resources,
        excludes=options.excludes,
        replace=options.replace,
    )
    try:
        if options.out is not None:
            from reconciler.plan.serialize import plan_to_json

            save_plan(options.out, plan_to_json(ctx.plan))
        print(render(ctx.plan, options.format, verbose=options.verbose, color=use_color()))
        warning = selection_warning(ctx)
        if warning:
            print(warning, file=sys.stderr)
        if options.out is not None:
            print(f"Saved the plan to {options.out}. Apply exactly this plan with: {apply_command(options.out, options.path)}", file=sys.stderr)
    finally:
        ctx.conn.close()
    return exit_code(ctx.plan, options.detailed_exitcode)

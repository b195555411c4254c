"""Running one golden case: manifests and a scripted live state in, the three plan outputs out.

A case folder holds:
- `before/` (optional): manifests applied first, through `reconciler apply --auto-approve` on the
  local target; the plan of `before/` right after must be empty ("apply, then plan is empty");
- `script.py` (optional): `def setup(client, engine)`, run after that apply with a boto3 client on
  the project's emulator and its Engine (a foreign HIT, a clock advance, ...);
- `after/`: the manifests that are planned;
- `args.txt` (optional): extra `reconciler plan` arguments, shell-quoted (`#` starts a comment);
- `plan.json`, `plan.txt`, `plan.md`: the expected outputs, scrubbed (golden_scrub).

Dates in `*.yaml` files are written `<DAY+N>` (or `<DAY-N>`): midnight UTC of the day of the run
plus N days. Real dates would rot: apply posts HITs on the emulator's real-time clock, and MTurk
takes lifetimes of at most a year.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from golden_scrub import Scrubber, iso
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.mturk import make_client
from reconciler.plan.command import render
from reconciler.plan.serialize import plan_from_json, plan_to_json

GOLDEN_DIR = Path(__file__).resolve().parent
_DATE_TOKEN = re.compile(r"<DAY([+-]\d+)>")
runner = CliRunner(env={"NO_COLOR": "1"})


@dataclass(frozen=True)
class CaseResult:
    outputs: dict[str, str]  # file name -> scrubbed text
    exit_code: int  # of `plan --detailed-exitcode`


def case_names() -> list[str]:
    return sorted(p.name for p in GOLDEN_DIR.iterdir() if (p / "after").is_dir())


def today() -> datetime:
    return datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def place_manifests(source: Path, project: Path, anchor: datetime, dates: dict[str, datetime]) -> None:
    """Make `project` hold exactly `source`'s files (the emulator state stays), dates filled in."""
    for entry in project.iterdir():
        if entry.name != ".reconciler":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for path in sorted(source.rglob("*")):
        target = project / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.suffix in (".yaml", ".yml"):
            target.write_text(_fill_dates(path.read_text(), anchor, dates))
        else:
            shutil.copyfile(path, target)


def _fill_dates(text: str, anchor: datetime, dates: dict[str, datetime]) -> str:
    def fill(match: re.Match) -> str:
        moment = anchor + timedelta(days=int(match.group(1)))
        dates[match.group(0)] = moment
        return iso(moment)

    return _DATE_TOKEN.sub(fill, text)


def run_script(case: Path, project: Path) -> None:
    """The case's `setup(client, engine)`, on the project's local emulator."""
    spec = importlib.util.spec_from_file_location(f"golden_script_{case.name}", case / "script.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with make_client("local", project_dir=project) as conn:
        module.setup(conn.client, conn.engine)


def plan_args(case: Path) -> list[str]:
    path = case / "args.txt"
    return shlex.split(path.read_text(), comments=True) if path.exists() else []


def run_case(case: Path, workdir: Path) -> CaseResult:
    """Apply `before/`, run the script, plan `after/` through the CLI (JSON, saved with --out), and
    render that plan as text and Markdown; outputs scrubbed alike."""
    project = workdir / "project"
    project.mkdir()
    anchor, dates = today(), {}
    if (case / "before").is_dir():
        place_manifests(case / "before", project, anchor, dates)
        applied = invoke("apply", str(project), "--auto-approve")
        assert applied.exit_code == 0, applied.output
        replanned = invoke("plan", str(project), "--detailed-exitcode")
        assert replanned.exit_code == 0, f"the plan right after apply is not empty:\n{replanned.output}"
    if (case / "script.py").exists():
        run_script(case, project)
    place_manifests(case / "after", project, anchor, dates)
    saved = workdir / "saved-plan.json"
    result = invoke("plan", str(project), "--format", "json", "--out", str(saved), "--detailed-exitcode", *plan_args(case))
    printed = result.stdout.rstrip("\n") + "\n"
    assert printed == saved.read_text(), "--format json must print what --out saves"
    plan = plan_from_json(printed)
    assert plan_to_json(plan) == printed, "a saved plan must load back to the same plan"
    scrubber = Scrubber(dates)
    outputs = {
        "plan.json": scrubber.scrub(printed),
        "plan.txt": scrubber.scrub(render(plan, "text", color=False) + "\n"),
        "plan.md": scrubber.scrub(render(plan, "markdown") + "\n"),
    }
    return CaseResult(outputs, result.exit_code)

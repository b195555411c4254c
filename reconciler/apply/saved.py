"""Saved plans: reading one back, refusing it when stale, and using it only once.

A saved plan is the reviewed, approved unit of work, so applying it must mean exactly what the
reviewer read. Before any write apply re-loads the manifests (their digest must match), re-reads
every live object (their fingerprints must match, and no new object may have appeared, which
covers "the account was empty and now is not"), plans again from both and requires every saved
change to be one that plan makes (so an edited or corrupted file cannot post what nobody
reviewed), and checks that the plan was never applied.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from reconciler.apply.lock import state_folder
from reconciler.errors import PlanFileError, StalePlanError
from reconciler.model import DesiredState, money, to_data
from reconciler.plan.changes import Change, Plan
from reconciler.plan.fingerprint import VOLATILE_HIT_FIELDS

LEDGER_FILE = "applied-plans"
PLAN_AGAIN = "run `reconciler plan --out FILE` again, review it, and apply the new file."


def load_saved_plan(path: Path) -> Plan:
    """The Plan in a saved plan file, or a PlanFileError sentence."""
    from reconciler.plan.serialize import plan_from_json

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"Cannot read the plan file {path}: {exc}.") from exc
    try:
        return plan_from_json(text)
    except PlanFileError:
        raise
    except Exception as exc:
        raise PlanFileError(f"{path} is not a saved plan of this tool ({type(exc).__name__}: {exc}).") from exc


def check_manifests(plan: Plan, desired: DesiredState) -> None:
    """The plan belongs to these manifests, unchanged since it was made."""
    if desired.project.name != plan.project:
        raise PlanFileError(f"The plan is for project {plan.project!r}, but the manifests here are project {desired.project.name!r}.")
    if desired.digest != plan.manifest_digest:
        raise StalePlanError(f"The plan is stale: the manifests changed since it was made; {PLAN_AGAIN}")


def check_live(plan: Plan, current: dict[str, str]) -> None:
    """Every object the plan read is unchanged, and nothing new appeared."""
    changed = sorted(a for a in plan.fingerprints if a in current and current[a] != plan.fingerprints[a])
    gone = sorted(a for a in plan.fingerprints if a not in current)
    new = sorted(a for a in current if a not in plan.fingerprints)
    if not (changed or gone or new):
        return
    parts = []
    for label, addresses in (("changed", changed), ("gone", gone), ("new", new)):
        if addresses:
            more = f" and {len(addresses) - 3} more" if len(addresses) > 3 else ""
            parts.append(f"{len(addresses)} {label} ({', '.join(addresses[:3])}{more})")
    raise StalePlanError(f"The plan is stale: the account changed since it was made: {'; '.join(parts)}; {PLAN_AGAIN}")


def check_changes(plan: Plan, fresh: Plan) -> Decimal:
    """Every saved change must be one a plan made now, from the same manifests and account, makes
    too (what workers change meanwhile, costs and reasons aside). Returns what those changes cost
    now, so the budget check cannot be talked down by an edited total."""
    now = {_substance(c): c for c in fresh.changes}
    unknown = [c.address for c in plan.changes if _substance(c) not in now]
    if unknown:
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise StalePlanError(
            f"The plan is stale: {len(unknown)} of its changes ({', '.join(unknown[:3])}{more}) are not what the "
            f"manifests and the account give now (the file was edited, or a deadline in it has passed); {PLAN_AGAIN}"
        )
    return money(sum((now[_substance(c)].cost for c in plan.changes), Decimal(0)))


def _substance(change: Change) -> str:
    """What a change does, as comparable text: not its display reason, cost, or worker-driven counts."""

    def steady(value: object) -> object:
        data = to_data(value)
        if change.kind == "hit" and isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in VOLATILE_HIT_FIELDS}
        return data

    return json.dumps(
        [change.address, change.action.value, change.kind, list(change.field_diffs), change.destructive,
         change.error, steady(change.before), steady(change.after)],
        sort_keys=True,
    )


def _ledger(project_dir: Path) -> Path:
    return state_folder(project_dir) / LEDGER_FILE


def check_unused(plan: Plan, project_dir: Path) -> None:
    """A saved plan is single-use: refuse one this project has applied before."""
    if not plan.plan_id:
        raise PlanFileError("The plan file has no plan id; it cannot be applied safely. " + PLAN_AGAIN)
    path = _ledger(project_dir)
    try:
        used = path.read_text(encoding="utf-8").split() if path.exists() else []
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise PlanFileError(f"Cannot read {path}, the list of applied plans: {detail}.") from None
    if plan.plan_id in used:
        raise PlanFileError(f"This plan ({plan.plan_id}) was already applied and a saved plan is single-use; {PLAN_AGAIN}")


def record_used(plan: Plan, project_dir: Path) -> None:
    """Mark the plan applied (done before its first write, under the apply lock)."""
    path = _ledger(project_dir)
    try:
        with open(path, "a", encoding="utf-8") as ledger:
            ledger.write(plan.plan_id + "\n")
            ledger.flush()
    except OSError as exc:
        raise PlanFileError(f"Cannot record the plan as applied in {path}: {exc.strerror or exc}; nothing was changed.") from None

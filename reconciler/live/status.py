"""`reconciler status`: how far each batch has got, from one read of the account.

`batch_status` is pure (desired + live + now → rows of numbers); `run_status` does the I/O and
prints them. It never writes to MTurk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from reconciler.errors import ReconcilerError
from reconciler.model import HIT, DesiredState, LiveState, to_data

FORMATS = ("text", "json")


@dataclass(frozen=True)
class BatchStatus:
    """One batch: its rows, its current HITs and where their assignments are."""

    batch: str
    state: str  # active | expired | removed (live HITs of a batch no longer declared)
    rows: int
    hits: int  # rows with a current HIT (the newest generation)
    open: int  # current HITs not yet expired
    assignments: int  # MaxAssignments over current HITs
    available: int
    in_progress: int
    submitted: int  # submitted and waiting for review (approve/reject or auto-approval)
    reviewed: int  # approved or rejected
    expires_at: datetime | None


@dataclass(frozen=True)
class QualificationStatus:
    name: str
    qualification_name: str
    status: str
    granted: int


@dataclass(frozen=True)
class AccountStatus:
    batches: tuple[BatchStatus, ...]
    qualification_types: tuple[QualificationStatus, ...]
    blocks: int
    balance: Decimal | None


def current_hits(live: LiveState) -> dict[tuple[str, str], HIT]:
    """The newest generation of every row's HIT."""
    newest: dict[tuple[str, str], HIT] = {}
    for hit in live.hits:
        if hit.row not in newest or hit.generation > newest[hit.row].generation:
            newest[hit.row] = hit
    return newest


def batch_status(desired: DesiredState, live: LiveState, now: datetime) -> AccountStatus:
    """Per batch (declared ones in manifest order, then removed ones), the counts a requester asks about."""
    current = current_hits(live)
    declared = {b.name: b for b in desired.batches}
    names = [b.name for b in desired.batches] + sorted({b for b, _ in current} - set(declared))
    batches = []
    for name in names:
        hits = [h for (b, _), h in current.items() if b == name]
        batch = declared.get(name)
        completed = sum(h.assignments_completed for h in hits)
        available = sum(h.assignments_available for h in hits)
        pending = sum(h.assignments_pending for h in hits)
        total = sum(h.max_assignments for h in hits)
        batches.append(BatchStatus(
            batch=name,
            state=batch.state if batch else "removed",
            rows=len(batch.keys) if batch else 0,
            hits=len(hits),
            open=sum(1 for h in hits if h.expires_at > now),
            assignments=total,
            available=available,
            in_progress=pending,
            submitted=max(0, total - available - pending - completed),
            reviewed=completed,
            expires_at=batch.expires_at if batch else max((h.expires_at for h in hits), default=None),
        ))
    granted = {qt.name: sum(1 for g in live.grants if g.qualification == qt.name) for qt in live.qualification_types}
    types = tuple(
        QualificationStatus(qt.name, qt.qualification_name, qt.status, granted[qt.name])
        for qt in live.qualification_types if qt.owned
    )
    return AccountStatus(tuple(batches), types, len(live.blocks), live.balance)


_COLUMNS = ("BATCH", "STATE", "ROWS", "HITS", "OPEN", "AVAILABLE", "IN PROGRESS", "SUBMITTED", "REVIEWED", "EXPIRES")


def render_status(status: AccountStatus, where: str) -> str:
    """The status as a table a person reads at a glance (plain text, no colour needed)."""
    lines = [f"Target: {where}", ""]
    if status.batches:
        rows = [_COLUMNS] + [
            (b.batch, b.state, str(b.rows), str(b.hits), str(b.open), str(b.available), str(b.in_progress),
             str(b.submitted), str(b.reviewed), b.expires_at.strftime("%Y-%m-%d %H:%MZ") if b.expires_at else "-")
            for b in status.batches
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(len(_COLUMNS))]
        for row in rows:
            cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
            lines.append("  ".join(cells).rstrip())
    else:
        lines.append("No batches declared and no HITs of this project in the account.")
    lines.append("")
    types = "; ".join(f"{q.name} ({q.qualification_name!r}, {q.status}): {q.granted} granted"
                      for q in status.qualification_types)
    lines.append(f"Qualification types: {types or 'none'}.")
    lines.append(f"Worker blocks: {status.blocks or 'none'}.")
    if status.balance is not None:
        lines.append(f"Balance: ${status.balance:,.2f} available.")
    return "\n".join(lines)


def run_status(path: Path, *, target: str | None, endpoint_url: str | None, profile: str | None, format: str) -> int:
    """The `status` command: load, read once, print. Reads only; exit 0."""
    from reconciler.live.read import read_live
    from reconciler.mturk import make_client
    from reconciler.plan.command import load_desired

    if format not in FORMATS:
        raise ReconcilerError(f"unknown format {format!r}; use one of: {', '.join(FORMATS)}.")
    desired = load_desired(path)
    from reconciler.mturk.targets import choose_target

    with make_client(choose_target(target, desired.project.target), project_dir=path, endpoint_url=endpoint_url,
                     profile=profile) as conn:
        live = read_live(conn, desired).live
        status = batch_status(desired, live, conn.now())
        where = f"{conn.target.name} (project {desired.project.name})"
    if format == "json":
        print(json.dumps({"target": conn.target.name, "project": desired.project.name, **to_data(status)}, indent=2))
    else:
        print(render_status(status, where))
    return 0

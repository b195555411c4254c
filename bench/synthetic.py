"""A generated project for the benchmarks: one HIT type and one batch of `rows` numbered rows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path


def write_project(folder: Path, rows: int, *, assignments: int = 1, keywords: str = "") -> Path:
    """One HIT type, one batch of `rows` HTML rows expiring in 30 days; returns the folder."""
    (folder / "data").mkdir(parents=True)
    (folder / "templates").mkdir()
    expires = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    keyword_line = f"keywords: [{keywords}]\n" if keywords else ""
    (folder / "project.yaml").write_text(
        'kind: Project\nname: bench\ntarget: local\nbudget: "10000.00"\n---\n'
        "kind: HITType\nname: label\ntitle: Label a number\ndescription: Say whether the number is even.\n"
        f'{keyword_line}reward: "0.01"\nassignment_duration: 5m\n---\n'
        "kind: HITBatch\nname: numbers\nhit_type: label\nquestion: {html: templates/label.html.j2, frame_height: 300}\n"
        f"data: data/rows.csv\nkey: id\nassignments: {assignments}\nexpires_at: {expires}\n"
    )
    (folder / "templates" / "label.html.j2").write_text("<p>Is {{ number }} even?</p>\n")
    (folder / "data" / "rows.csv").write_text("id,number\n" + "".join(f"n{i:05d},{i}\n" for i in range(rows)))
    return folder

"""Time validating and expanding a 10,000-row batch (goal: under 3 s on a 2-core machine).

Writes a project with a 10,000-row CSV and an HTML template into a temporary folder, then prints
the seconds `load_project` takes (parse, validate, read rows, render every question) and the
share of that spent in the template engine alone. Run: python bench/spec.py [ROWS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from reconciler.errors import Location
from reconciler.spec import load_project, summary
from reconciler.spec.questions import QuestionSource, TemplateSet
from reconciler.spec.rows import Row
from reconciler.spec.sources import ProjectFiles

MANIFESTS = """\
kind: Project
name: bench
---
kind: HITType
name: label
title: Label a sentence
description: Pick the sentiment of one sentence.
reward: "0.05"
assignment_duration: 10m
qualifications:
  - {system: Locale, comparator: In, locales: [US, CA]}
---
kind: HITBatch
name: big
hit_type: label
question: {html: template.html.j2, frame_height: 450}
data: rows.csv
key: id
assignments: 3
expires_at: 2027-06-30T00:00:00Z
"""
TEMPLATE = """\
<h3>What is the sentiment of this sentence?</h3>
<blockquote>{{ text }}</blockquote>
<p>By {{ author }}</p>
{% for choice in ["positive", "neutral", "negative"] %}
<label><input type="radio" name="sentiment" value="{{ choice }}"> {{ choice | title }}</label>
{% endfor %}
<input type="hidden" name="id" value="{{ id }}">
"""


def write_project(folder: Path, rows: int) -> None:
    (folder / "project.yaml").write_text(MANIFESTS, encoding="utf-8")
    (folder / "template.html.j2").write_text(TEMPLATE, encoding="utf-8")
    lines = ["id,author,text"] + [f'row-{i:06d},@user{i % 97},"Sentence number {i}, with <markup> & ""quotes"""' for i in range(rows)]
    (folder / "rows.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def render_only(folder: Path, rows: int) -> float:
    """Seconds the template engine spends on `rows` rows (compiled once, as load_project does)."""
    templates = TemplateSet(ProjectFiles(folder))
    source = QuestionSource("html", "template.html.j2", TEMPLATE, Location("template.html.j2", 1, 1), 450)
    renderer = templates.renderer(source)
    data = [Row(f"row-{i}", {"id": f"row-{i}", "author": "@u", "text": f"Sentence {i} <b>"}, Location("rows.csv", i + 2, 1)) for i in range(rows)]
    start = time.perf_counter()
    for row in data:
        renderer.template.render(dict(row.values, row=row.values))
    return time.perf_counter() - start


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        write_project(folder, rows)
        start = time.perf_counter()
        desired = load_project(folder)
        elapsed = time.perf_counter() - start
        engine = render_only(folder, rows)
    print(summary(desired))
    print(f"load + validate + expand {rows:,} rows: {elapsed:.2f} s (goal: under 3 s)")
    print(f"template engine alone for {rows:,} rows: {engine:.2f} s")


if __name__ == "__main__":
    main()

"""A small valid project written into a temporary folder, and ways to validate variations of it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from reconciler.cli import app

PROJECT = "kind: Project\nname: demo\n"
TYPES = """\
kind: HITType
name: sentiment
title: Rate a sentence
description: Pick positive, neutral or negative.
reward: "0.05"
assignment_duration: 10m
auto_approval_delay: 3d
qualifications:
  - {qualification: english, comparator: GreaterThanOrEqualTo, value: 80}
  - {system: Locale, comparator: In, locales: [US, CA]}
"""
QUALIFICATIONS = """\
kind: QualificationType
name: english
description: Reads English well.
grants:
  workers:
    - {worker: A1EXAMPLE0001, value: 90}
"""
BATCH = """\
kind: HITBatch
name: tweets
hit_type: sentiment
question: {html: templates/q.html.j2, frame_height: 400}
data: data/rows.csv
key: id
assignments: 3
expires_at: 2027-06-30T00:00:00Z
"""
TEMPLATE = "<p>{{ text }}</p>\n"
ROWS = "id,text\nt1,Good day\nt2,Bad day\n"

BASE_FILES = {
    "project.yaml": PROJECT,
    "types.yaml": TYPES,
    "qualifications.yaml": QUALIFICATIONS,
    "batch.yaml": BATCH,
    "templates/q.html.j2": TEMPLATE,
    "data/rows.csv": ROWS,
}


def write_files(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write files under `root` (str as UTF-8, bytes as given, None skipped)."""
    for name, content in files.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write the base project with some files replaced (None removes one); cwd is the project,
    so errors name files relative to it."""

    def make(files: dict[str, str | bytes | None] | None = None, base: bool = True) -> Path:
        chosen: dict[str, str | bytes | None] = dict(BASE_FILES) if base else {}
        chosen.update(files or {})
        write_files(tmp_path, chosen)
        monkeypatch.chdir(tmp_path)
        return tmp_path

    return make


@pytest.fixture
def validate_errors(make_project: Callable[..., Path]) -> Callable[..., list[str]]:
    """Run `reconciler validate .` on a variation of the base project; its error lines (exit 1)."""

    def run(files: dict[str, str | bytes | None] | None = None, base: bool = True) -> list[str]:
        make_project(files, base)
        result = CliRunner().invoke(app, ["validate", "."])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        lines = [line for line in result.output.splitlines() if line and not line.startswith("Found ")]
        return lines

    return run

"""A small valid project written into a temporary folder, and ways to validate variations of it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from reconciler.cli import app
from spec_samples import BASE_FILES


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

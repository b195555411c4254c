"""Where the `local` target keeps a project's emulated MTurk account."""

from __future__ import annotations

from pathlib import Path

from reconciler.errors import TargetError

STATE_DIR = ".reconciler"
STATE_FILE = "local.sqlite3"


def state_path(project_dir: Path) -> Path:
    """The emulator's SQLite file for the project at `project_dir`, creating its folder when needed.

    One file per project: the `local` target and every `reconciler emulator` command on that
    folder share it, so a plan rehearsed locally sees what earlier applies and `work` left.
    The folder gets a `.gitignore` of its own so the emulated account is never committed.
    """
    project_dir = Path(project_dir)
    if not project_dir.is_dir():
        raise TargetError(f"The project folder {project_dir} does not exist.")
    folder = project_dir / STATE_DIR
    if not folder.is_dir():
        if folder.exists():
            raise TargetError(f"{folder} is a file, but the local target keeps its state in a folder there; move the file away.")
        try:
            folder.mkdir()
            (folder / ".gitignore").write_text("# Local emulator state, written by reconciler.\n*\n")
        except OSError as exc:
            raise TargetError(f"Cannot create the local state folder {folder}: {exc.strerror or exc}.") from None
    return folder / STATE_FILE

"""One apply of a project at a time on this machine: an flock'ed file beside the local state.

Across machines (two CI runners) a lock file cannot help; there the request tokens make a
repeated create or extension harmless, and a saved plan's stale check refuses a plan whose
account changed under it.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from reconciler.errors import LockTimeout, ReconcilerError

STATE_DIR = ".reconciler"
LOCK_FILE = "apply.lock"
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)?")
_UNITS = {"ms": 0.001, "s": 1.0, None: 1.0, "m": 60.0, "h": 3600.0}


def parse_timeout(text: str) -> float:
    """Seconds in a --lock-timeout value such as `0s`, `30s`, `5m`."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match:
        raise ReconcilerError(f"--lock-timeout {text!r} is not a duration; write e.g. 30s or 5m.")
    return float(match.group(1)) * _UNITS[match.group(2)]


def state_folder(project_dir: Path) -> Path:
    """The project's `.reconciler/` folder (created, and kept out of git, when missing)."""
    folder = Path(project_dir) / STATE_DIR
    if not folder.is_dir():
        if folder.exists():
            raise ReconcilerError(f"{folder} is a file, but apply keeps its lock in a folder there; move the file away.")
        try:
            folder.mkdir(parents=True)
            (folder / ".gitignore").write_text("# Local state, written by reconciler.\n*\n")
        except OSError as exc:
            raise ReconcilerError(f"Cannot create the state folder {folder}: {exc.strerror or exc}.") from None
    return folder


@contextmanager
def apply_lock(project_dir: Path, timeout: float, poll: float = 0.1) -> Iterator[Path]:
    """Hold the project's apply lock for the block; wait up to `timeout` seconds, else LockTimeout."""
    path = state_folder(project_dir) / LOCK_FILE
    try:
        handle = open(path, "a+", encoding="utf-8")
    except OSError as exc:
        raise ReconcilerError(f"Cannot open the apply lock {path}: {exc.strerror or exc}.") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(_held_message(path, timeout)) from None
                time.sleep(poll)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield path
    finally:
        handle.close()  # closing the descriptor releases the lock


def _held_message(path: Path, timeout: float) -> str:
    try:
        holder = path.read_text(encoding="utf-8").strip()
    except OSError:
        holder = ""
    who = f" (process {holder})" if holder.isdigit() else ""
    waited = f" after waiting {timeout:g}s" if timeout else ""
    return (
        f"Another apply of this project is running{who}; it holds {path}. Gave up{waited}: "
        "run again when it has finished, or pass --lock-timeout (e.g. 5m) to wait for it."
    )

"""The files a project is made of: finding manifests, reading any file once, and the digest.

Every file the spec layer reads goes through `ProjectFiles.read_text`, so the digest covers
manifests, data, templates and test files alike, and any edit to any of them changes it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from reconciler.errors import Location, SpecError

MANIFEST_SUFFIXES = (".yaml", ".yml")
STATE_FOLDER = ".reconciler"


class ProjectFiles:
    """Reads the files of one project folder and remembers their bytes for the digest."""

    def __init__(self, root: Path):
        self.root = root
        self._contents: dict[str, bytes] = {}

    def display(self, path: Path) -> str:
        """How errors name a file: under the project folder as the user gave it."""
        return os.path.normpath(os.path.join(str(self.root), self.relative(path)))

    def relative(self, path: Path) -> str:
        """The path relative to the project folder, with forward slashes (the digest's key)."""
        return Path(os.path.relpath(path.resolve(), self.root.resolve())).as_posix()

    def manifests(self) -> list[Path]:
        """Every *.yaml/*.yml below the root, skipping .reconciler/ and hidden folders, sorted."""
        found = []
        for folder, subfolders, files in os.walk(self.root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d != STATE_FOLDER)
            for name in sorted(files):
                if name.endswith(MANIFEST_SUFFIXES) and not name.startswith("."):
                    found.append(Path(folder) / name)
        return sorted(found, key=self.relative)

    def read_text(self, path: Path, named_at: Location | None = None, what: str = "file") -> str:
        """The UTF-8 text of a file (a BOM is dropped). Raises SpecError located at the
        reference (`named_at`) when the file is missing, or inside the file when it is not UTF-8."""
        display = self.display(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise SpecError(named_at or Location(display), f"{what} {display} does not exist{self._slash_hint(path)}") from None
        except IsADirectoryError:
            raise SpecError(named_at or Location(display), f"{what} {display} is a folder, not a file") from None
        except OSError as exc:
            raise SpecError(named_at or Location(display), f"cannot read {what} {display}: {exc.strerror}") from None
        self._contents[self.relative(path)] = data
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SpecError(_byte_location(display, data, exc.start), _encoding_message(what, data, exc.start)) from None

    def _slash_hint(self, path: Path) -> str:
        """A Windows-style path (`data\\rows.csv`) names no file here: say how to write it."""
        if "\\" not in str(path):
            return ""
        written = self.relative(path).replace("\\", "/")
        return f"; write paths with forward slashes, relative to the project folder (e.g. {written}), so they work everywhere"

    def digest(self) -> str:
        """sha256 over every file read, by relative path, so any edit changes it."""
        total = hashlib.sha256()
        for relative in sorted(self._contents):
            total.update(relative.encode("utf-8") + b"\0")
            total.update(hashlib.sha256(self._contents[relative]).digest())
        return total.hexdigest()


def _byte_location(display: str, data: bytes, offset: int) -> Location:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Location(display, line, column)


def _encoding_message(what: str, data: bytes, offset: int) -> str:
    return f"{what} is not valid UTF-8 (byte 0x{data[offset]:02x}); save it as UTF-8"

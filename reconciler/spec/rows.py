"""A batch's data rows, from CSV (with a header), JSONL, a JSON list, or inline `rows`.

Each row keeps where it was written (file:line:col) so key and rendering errors point at it.
Row keys are checked here: present in every row, a string or a whole number, unique.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.errors import Location, SpecError
from reconciler.spec.documents import Document
from reconciler.spec.sources import ProjectFiles

DATA_SUFFIXES = (".csv", ".jsonl", ".json")


@dataclass(frozen=True)
class Row:
    """One data row: its key, its values, and where it is written."""

    key: str
    values: dict[str, Any]
    location: Location


def read_rows(files: ProjectFiles, doc: Document, base: Path) -> tuple[list[Row], list[SpecError]]:
    """The keyed rows of a batch document, and every problem found in them."""
    key_column = doc.data["key"]
    errors: list[SpecError] = []
    if "rows" in doc.data:
        raw = [(values, doc.at(("rows", i))) for i, values in enumerate(doc.data["rows"])]
        origin = "inline `rows`"
    else:
        path = base / doc.data["data"]
        raw = _read_file(files, path, doc.at(("data",)), key_column, errors)
        origin = f"data file {files.display(path)}"
    if not raw and not errors:
        return [], [doc.error(("rows",) if "rows" in doc.data else ("data",), f"{origin} has no rows")]
    rows = _keyed_rows(raw, key_column, origin, errors)
    return rows, errors


def _read_file(
    files: ProjectFiles, path: Path, named_at: Location, key_column: str, errors: list[SpecError]
) -> list[tuple[dict, Location]]:
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        errors.append(SpecError(named_at, f"data file {path.name} must end in .csv, .jsonl or .json"))
        return []
    try:
        text = files.read_text(path, named_at, "data file")
    except SpecError as error:
        errors.append(error)
        return []
    display = files.display(path)
    if not text.strip():
        errors.append(SpecError(named_at, f"data file {display} is empty"))
        return []
    reader = {".csv": _csv_rows, ".jsonl": _jsonl_rows, ".json": _json_rows}[suffix]
    return reader(text, display, key_column, errors)


def _csv_rows(text: str, display: str, key_column: str, errors: list[SpecError]) -> list[tuple[dict, Location]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[dict, Location]] = []
    try:
        header = next(reader)
        duplicated = sorted({name for name in header if header.count(name) > 1})
        if duplicated:
            errors.append(SpecError(Location(display, 1, 1), f"the header names column `{duplicated[0]}` twice"))
            return []
        if key_column not in header:
            columns = ", ".join(header)
            message = f"the header has no key column `{key_column}`; its columns are: {columns}"
            errors.append(SpecError(Location(display, 1, 1), message))
            return []
        line = reader.line_num + 1
        for fields in reader:
            where = Location(display, line, 1)
            line = reader.line_num + 1
            if not fields:
                continue
            if len(fields) != len(header):
                errors.append(SpecError(where, f"row has {len(fields)} fields but the header has {len(header)}"))
                continue
            rows.append((dict(zip(header, fields)), where))
    except csv.Error as exc:
        errors.append(SpecError(Location(display, reader.line_num or 1, 1), f"CSV error: {exc}"))
    return rows


def _jsonl_rows(text: str, display: str, key_column: str, errors: list[SpecError]) -> list[tuple[dict, Location]]:
    rows: list[tuple[dict, Location]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(SpecError(Location(display, number, exc.colno), f"invalid JSON: {exc.msg}"))
            continue
        if not isinstance(value, dict):
            errors.append(SpecError(Location(display, number, 1), "each line must be a JSON object"))
            continue
        rows.append((value, Location(display, number, 1)))
    return rows


def _json_rows(text: str, display: str, key_column: str, errors: list[SpecError]) -> list[tuple[dict, Location]]:
    """A JSON list of objects, decoded item by item so each row knows its line."""
    decoder = json.JSONDecoder()
    rows: list[tuple[dict, Location]] = []
    try:
        position = _skip_space(text, 0)
        if text[position : position + 1] != "[":
            raise json.JSONDecodeError("expected a list of objects", text, position)
        position = _skip_space(text, position + 1)
        while text[position : position + 1] != "]":
            value, end = decoder.raw_decode(text, position)
            where = _offset_location(display, text, position)
            if not isinstance(value, dict):
                errors.append(SpecError(where, "each item of the list must be a JSON object"))
            else:
                rows.append((value, where))
            position = _skip_space(text, end)
            if text[position : position + 1] == ",":
                position = _skip_space(text, position + 1)
            elif text[position : position + 1] != "]":
                raise json.JSONDecodeError("expected ',' or ']'", text, position)
        if text[_skip_space(text, position + 1) :]:
            raise json.JSONDecodeError("extra data after the list", text, _skip_space(text, position + 1))
    except json.JSONDecodeError as exc:
        errors.append(SpecError(Location(display, exc.lineno, exc.colno), f"invalid JSON: {exc.msg}"))
    return rows


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _offset_location(display: str, text: str, offset: int) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(display, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _keyed_rows(
    raw: list[tuple[dict, Location]], key_column: str, origin: str, errors: list[SpecError]
) -> list[Row]:
    rows: list[Row] = []
    first_at: dict[str, Location] = {}
    for values, where in raw:
        if key_column not in values:
            errors.append(SpecError(where, f"row has no key column `{key_column}` ({origin})"))
            continue
        key = values[key_column]
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            errors.append(SpecError(where, f"key `{key_column}` must be a string or a whole number, not {key!r}"))
            continue
        key = str(key)
        if not key.strip():
            errors.append(SpecError(where, f"row has an empty key `{key_column}`"))
            continue
        if key in first_at:
            errors.append(SpecError(where, f"duplicate key `{key}` (first at {first_at[key]})"))
            continue
        first_at[key] = where
        rows.append(Row(key, values, where))
    return rows

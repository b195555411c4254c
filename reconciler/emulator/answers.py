"""Answers for rehearsed work: read a HIT's question to see its fields, fill them, write the XML.

An assignment's `Answer` is a QuestionFormAnswers document whatever the question kind: for an
HTMLQuestion or ExternalQuestion each form field becomes a `FreeText` answer, for a QuestionForm
a selection becomes a `SelectionIdentifier`. Answers come from a file (CSV, JSON or JSON lines)
or are drawn at random from the values the question itself offers.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import escape

ANSWERS_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd"
FREE_TEXT_SAMPLES = ("looks fine", "not sure", "yes", "no", "a short comment", "42")
SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}
SKIPPED_NAMES = {"assignmentId", "hitId", "workerId", "turkSubmitTo"}


@dataclass
class AnswerField:
    """One thing a worker answers: its name, the values it offers (none: free text), its kind."""

    name: str
    choices: list[str] = field(default_factory=list)
    selection: bool = False  # a QuestionForm selection: answered with SelectionIdentifier


def question_fields(question: str | None) -> list[AnswerField]:
    """The fields a worker fills in, read from a HIT's Question XML (one free-text field if unknown)."""
    try:
        root = ET.fromstring(question or "")
    except ET.ParseError:
        return [AnswerField("answer")]
    kind = root.tag.rpartition("}")[2]
    if kind == "QuestionForm":
        fields = _question_form_fields(root)
    elif kind == "HTMLQuestion":
        fields = _html_fields("".join(child.text or "" for child in root if child.tag.endswith("HTMLContent")))
    else:
        fields = []
    return fields or [AnswerField("answer")]


def _question_form_fields(root: ET.Element) -> list[AnswerField]:
    fields = []
    for question in root.iter():
        if not question.tag.endswith("}Question"):
            continue
        ident = next((el.text for el in question if el.tag.endswith("QuestionIdentifier")), None)
        if not ident:
            continue
        choices = [el.text or "" for el in question.iter() if el.tag.endswith("SelectionIdentifier")]
        fields.append(AnswerField(ident.strip(), [c.strip() for c in choices], selection=bool(choices)))
    return fields


class _FormFields(HTMLParser):
    """Collect the named inputs, selects and textareas of an HTML form, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, AnswerField] = {}
        self._select: AnswerField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        name = attr.get("name", "")
        if tag == "option" and self._select is not None:
            self._select.choices.append(attr.get("value", ""))
            return
        if not name or name in SKIPPED_NAMES or tag not in {"input", "select", "textarea"}:
            return
        kind = attr.get("type", "text").lower()
        if tag == "input" and (kind in SKIPPED_INPUTS or kind == "hidden"):
            return
        entry = self.fields.setdefault(name, AnswerField(name))
        if tag == "input" and kind in {"radio", "checkbox"}:
            entry.choices.append(attr.get("value", "on"))
        if tag == "select":
            self._select = entry

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _html_fields(html: str) -> list[AnswerField]:
    parser = _FormFields()
    parser.feed(html)
    return list(parser.fields.values())


def random_answers(fields: list[AnswerField], rng: random.Random) -> dict[str, str]:
    """A plausible answer for each field: one of its choices, or a short free text."""
    choices = {f.name: [c for c in f.choices if c] for f in fields}
    return {name: rng.choice(values or list(FREE_TEXT_SAMPLES)) for name, values in choices.items()}


def answer_document(answers: dict[str, str], fields: list[AnswerField]) -> str:
    """The QuestionFormAnswers XML of an assignment."""
    selections = {f.name for f in fields if f.selection}
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<QuestionFormAnswers xmlns="{ANSWERS_NS}">']
    for name, value in answers.items():
        element = "SelectionIdentifier" if name in selections else "FreeText"
        parts.append(
            f"<Answer><QuestionIdentifier>{escape(name)}</QuestionIdentifier>"
            f"<{element}>{escape(value)}</{element}></Answer>"
        )
    parts.append("</QuestionFormAnswers>")
    return "\n".join(parts)


class AnswerFile:
    """Answers read from a file: records with a `key` go to the HIT of that row, the rest in turn.

    CSV (a header row), JSON (a list of objects) or JSON lines; every value is sent as text.
    """

    def __init__(self, path: Path):
        records = _read_records(path)
        if not records:
            raise ValueError(f"The answers file {path} has no answers in it.")
        keyed: dict[str, list[dict[str, str]]] = {}
        unkeyed: list[dict[str, str]] = []
        for record in records:
            key = record.pop("key", None)
            (keyed.setdefault(key, []) if key else unkeyed).append(record)
        self.by_key: dict[str, Iterator[dict[str, str]]] = {key: itertools.cycle(group) for key, group in keyed.items()}
        self._rest = itertools.cycle(unkeyed) if unkeyed else None
        self.path = path

    def answers_for(self, row_key: str | None) -> dict[str, str]:
        """The next answer record for a HIT of the given row key."""
        if row_key in self.by_key:
            return dict(next(self.by_key[row_key]))
        if self._rest is None:
            raise ValueError(f"The answers file {self.path} has no answer for row '{row_key}' and none without a key.")
        return dict(next(self._rest))


def _read_records(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's CSV often starts with a BOM
    except OSError as exc:
        raise ValueError(f"Cannot read the answers file {path}: {exc.strerror}.") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"The answers file {path} is not UTF-8 (byte {exc.start}); save it as UTF-8.") from None
    if path.suffix.lower() == ".csv":
        return [{k: v or "" for k, v in row.items() if k} for row in csv.DictReader(io.StringIO(text, newline=""))]
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise ValueError(f"The answers file {path} is not valid JSON: {exc.msg} at line {exc.lineno}.") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValueError(f"The answers file {path} must hold JSON objects, one per answer.")
    return [{str(k): v if isinstance(v, str) else json.dumps(v) for k, v in item.items()} for item in data]

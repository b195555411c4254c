"""Check documents against the JSON Schemas in schemas/ and turn failures into located sentences.

The schemas are the only place field rules live. Besides standard draft 2020-12 keywords they
use three of ours, which editors ignore and this validator enforces:
`x-minSeconds` / `x-maxSeconds` (bounds of a duration string) and `x-joinedMaxLength` (the
length of a keyword list once joined with ", "). `x-hint` is the sentence shown when a value
does not have the expected shape.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any, Iterator

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

import reconciler
from reconciler.errors import SpecError
from reconciler.spec.documents import Document
from reconciler.spec.values import duration_seconds, format_duration, is_duration

KINDS = ("Project", "QualificationType", "HITType", "HITBatch", "WorkerBlock")
SCHEMA_DIR = Path(reconciler.__file__).parent / "schemas"
KEYWORD_SEPARATOR = ", "


def _min_seconds(validator, bound, instance, schema) -> Iterator[ValidationError]:
    if is_duration(instance) and duration_seconds(instance) < bound:
        yield ValidationError(f"is {instance}; the least allowed is {format_duration(bound)}")


def _max_seconds(validator, bound, instance, schema) -> Iterator[ValidationError]:
    if is_duration(instance) and duration_seconds(instance) > bound:
        yield ValidationError(f"is {instance}; the most allowed is {format_duration(bound)}")


def _joined_max_length(validator, bound, instance, schema) -> Iterator[ValidationError]:
    if isinstance(instance, list) and all(isinstance(item, str) for item in instance):
        length = len(KEYWORD_SEPARATOR.join(instance))
        if length > bound:
            yield ValidationError(f"are {length} characters together; MTurk allows at most {bound}")


ManifestValidator = jsonschema.validators.extend(
    Draft202012Validator,
    {"x-minSeconds": _min_seconds, "x-maxSeconds": _max_seconds, "x-joinedMaxLength": _joined_max_length},
)


@cache
def kind_schema(kind: str) -> dict:
    """The JSON Schema of one manifest kind, read from the package's schemas/ folder."""
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(kind: str) -> Any:
    return ManifestValidator(kind_schema(kind))


def schema_errors(doc: Document, kind: str) -> list[SpecError]:
    """Every way `doc` breaks its kind's schema, one located sentence each."""
    errors: list[SpecError] = []
    for error in _validator(kind).iter_errors(doc.data):
        errors.extend(_describe(error, doc, kind))
    return errors


def field_name(path: tuple) -> str:
    """A path as people write it: qualifications[1].comparator."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe_value(value: Any) -> str:
    """A value as a sentence fragment: `the number 0.05`, `"$1"`, `a list`."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value is None:
        return "nothing (null)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def did_you_mean(word: str, choices: Iterator[str] | list[str]) -> str:
    """` (did you mean `x`?)` when a choice is close to `word`, else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close and isinstance(word, str):
        lowered = {choice.lower(): choice for choice in choices}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return f" (did you mean `{close[0]}`?)" if close else ""


_TYPE_WORDS = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


def _describe(error: ValidationError, doc: Document, kind: str) -> list[SpecError]:
    """Located, plain-language errors for one jsonschema failure."""
    path = tuple(error.absolute_path)
    name = f"`{field_name(path)}`" if path else f"a {kind} document"
    keyword, bound, value = error.validator, error.validator_value, error.instance
    hint = error.schema.get("x-hint") if isinstance(error.schema, dict) else None

    if keyword == "additionalProperties":
        return _unknown_fields(error, doc, kind, path)
    if keyword == "required":
        missing = [field for field in bound if field not in value]
        where = f"`{field_name(path)}`" if path else kind
        return [doc.error(path, f"{where} is missing the required field `{field}`") for field in missing]
    if hint and keyword in ("type", "pattern"):
        return [doc.error(path, f"{name} {hint}; got {describe_value(value)}")]
    if keyword == "type":
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in ([bound] if isinstance(bound, str) else bound))
        message = f"{name} must be {wanted}; got {describe_value(value)}"
        if bound == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            message += f" (quote it: \"{value}\")"
        return [doc.error(path, message)]
    if keyword == "enum":
        choices = ", ".join(str(choice) for choice in bound)
        suggestion = did_you_mean(value, [str(c) for c in bound]) if isinstance(value, str) else ""
        return [doc.error(path, f"{name} must be one of {choices}; got {describe_value(value)}{suggestion}")]
    return [doc.error(path, f"{name} {_bound_message(keyword, bound, value, error)}")]


def _bound_message(keyword: str, bound: Any, value: Any, error: ValidationError) -> str:
    if keyword == "minimum":
        return f"must be at least {bound}; got {value}"
    if keyword == "maximum":
        return f"must be at most {bound:,}; got {value:,}"
    if keyword == "minLength":
        return "must not be empty" if bound == 1 else f"must be at least {bound} characters long"
    if keyword == "maxLength":
        return f"is {len(value):,} characters long; at most {bound:,} are allowed"
    if keyword == "minItems":
        return "must not be empty" if bound == 1 else f"needs at least {bound} entries"
    if keyword == "maxItems":
        return f"has {len(value)} entries; at most {bound} are allowed"
    if keyword == "uniqueItems":
        return "lists the same entry more than once"
    if keyword == "const":
        return f"must be {bound}; got {describe_value(value)}"
    if keyword == "pattern":
        return f"{describe_value(value)} does not match the pattern {bound}"
    return error.message


def _unknown_fields(error: ValidationError, doc: Document, kind: str, path: tuple) -> list[SpecError]:
    allowed = list(error.schema.get("properties", {}))
    where = f"in `{field_name(path)}`" if path else f"in a {kind}"
    errors = []
    for extra in (key for key in error.instance if key not in allowed):
        message = f"unknown field `{extra}` {where}{did_you_mean(extra, allowed)}"
        errors.append(SpecError(doc.key_at(path + (extra,)), message))
    return errors

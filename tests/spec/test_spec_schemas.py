"""The JSON Schemas: valid draft 2020-12, self-explaining for editors, and in agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from reconciler.spec.schema import KINDS, SCHEMA_DIR, kind_schema

SPECS = Path(__file__).resolve().parents[2] / "specs"
ALL_SCHEMAS = sorted(SCHEMA_DIR.glob("*.schema.json"))


def subschemas(schema: dict, path: str = "#"):
    """Every schema nested under properties/items/$defs, with where it is."""
    for name, sub in schema.get("properties", {}).items():
        yield f"{path}/properties/{name}", sub
        yield from subschemas(sub, f"{path}/properties/{name}")
    if isinstance(schema.get("items"), dict):
        yield f"{path}/items", schema["items"]
        yield from subschemas(schema["items"], f"{path}/items")
    for name, sub in schema.get("$defs", {}).items():
        yield from subschemas(sub, f"{path}/$defs/{name}")


def test_schemas_ship_inside_the_package():
    assert {p.name for p in ALL_SCHEMAS} == {f"{kind}.schema.json" for kind in KINDS} | {"manifest.schema.json"}


@pytest.mark.parametrize("path", ALL_SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["title"] and schema["description"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_a_title_and_a_description(kind):
    missing = [where for where, sub in subschemas(kind_schema(kind)) if not (sub.get("title") and sub.get("description"))]
    assert missing == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_object_refuses_unknown_fields(kind):
    schema = kind_schema(kind)
    objects = [("#", schema)] + [(w, s) for w, s in subschemas(schema) if "properties" in s]
    open_objects = [where for where, sub in objects if sub.get("additionalProperties") is not False]
    assert open_objects == []


def test_shared_definitions_agree_across_kinds():
    seen: dict[str, dict] = {}
    for kind in KINDS:
        for name, definition in kind_schema(kind).get("$defs", {}).items():
            assert seen.setdefault(name, definition) == definition, f"$defs/{name} differs in {kind}"


def test_field_patterns_of_the_issue():
    hit_type = kind_schema("HITType")["properties"]
    assert hit_type["reward"]["pattern"] == r"^[0-9]+(\.[0-9]{1,2})?$"
    assert kind_schema("HITType")["$defs"]["duration"]["pattern"] == "^[0-9]+[smhd]$"
    assert kind_schema("WorkerBlock")["$defs"]["worker_id"]["pattern"] == "^A[A-Z0-9]+$"
    assert (hit_type["assignment_duration"]["x-minSeconds"], hit_type["assignment_duration"]["x-maxSeconds"]) == (30, 31_536_000)
    assert hit_type["auto_approval_delay"]["x-maxSeconds"] == 2_592_000
    assert (hit_type["title"]["maxLength"], hit_type["description"]["maxLength"]) == (128, 2000)
    batch = kind_schema("HITBatch")["properties"]
    assert (batch["assignments"]["minimum"], batch["assignments"]["maximum"]) == (1, 1_000_000)


def _editor_validator() -> Draft202012Validator:
    """Validate the way an editor does: the combined manifest schema, refs resolved by file name."""
    resources = [(p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8")))) for p in ALL_SCHEMAS]
    registry = Registry().with_resources(resources)
    return Draft202012Validator(json.loads((SCHEMA_DIR / "manifest.schema.json").read_text(encoding="utf-8")), registry=registry)


def test_combined_schema_accepts_the_example_project():
    validator = _editor_validator()
    documents = [doc for path in sorted(SPECS.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))]
    for doc in documents:
        if doc["kind"] == "HITBatch":  # PyYAML reads unquoted timestamps as datetimes; the tool keeps text
            doc["expires_at"] = "2027-06-30T00:00:00Z"
        assert list(validator.iter_errors(doc)) == []
    assert {doc["kind"] for doc in documents} == {"Project", "QualificationType", "HITType", "HITBatch"}


def test_combined_schema_dispatches_on_kind():
    validator = _editor_validator()
    assert not validator.is_valid({"kind": "Project", "name": "x", "reward": "1"})
    assert not validator.is_valid({"kind": "Nope", "name": "x"})
    assert validator.is_valid({"kind": "WorkerBlock", "name": "x", "workers": [{"worker": "A1B", "reason": "r"}]})

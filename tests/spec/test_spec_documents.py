"""The YAML layer: plain data with the line and column of every value, and nothing unsafe."""

from __future__ import annotations

from reconciler.errors import Location
from reconciler.spec.documents import parse_documents


def test_marks_of_values_and_keys():
    (doc,), errors = parse_documents("kind: HITType\nqualifications:\n  - {system: Locale, value: 3}\n", "t.yaml")
    assert errors == []
    assert doc.at(("qualifications", 0, "value")) == Location("t.yaml", 3, 29)
    assert doc.key_at(("qualifications",)) == Location("t.yaml", 2, 1)
    assert doc.at(("qualifications", 0, "missing")) == Location("t.yaml", 3, 5)  # nearest enclosing value
    assert doc.at(()) == Location("t.yaml", 1, 1)


def test_multi_document_files_and_empty_documents():
    docs, errors = parse_documents("---\n# only a comment\n---\na: 1\n---\nb: 2\n", "m.yaml")
    assert errors == []
    assert [doc.data for doc in docs] == [{"a": 1}, {"b": 2}]
    assert [doc.start for doc in docs] == [(4, 1), (6, 1)]


def test_scalars_follow_yaml_1_2_where_1_1_surprises():
    (doc,), _ = parse_documents("a: no\nb: yes\nc: true\nd: 2026-12-20T00:00:00Z\ne: 1.50\nf: ~\ng: '7'\n", "s.yaml")
    assert doc.data == {"a": "no", "b": "yes", "c": True, "d": "2026-12-20T00:00:00Z", "e": 1.5, "f": None, "g": "7"}


def test_merge_keys_and_explicit_keys_win():
    text = "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n"
    (doc,), errors = parse_documents(text, "m.yaml")
    assert errors == []
    assert doc.data["item"] == {"x": 1, "y": 3}
    assert doc.at(("item", "y")) == Location("m.yaml", 4, 6)


def test_a_good_document_survives_a_bad_one_in_the_same_file():
    docs, errors = parse_documents("a: !!python/name:os.system\n---\nb: 1\n", "x.yaml")
    assert [doc.data for doc in docs] == [{"b": 1}]
    assert [str(e.location) for e in errors] == ["x.yaml:1:4"]


def test_non_string_keys_are_refused():
    _, errors = parse_documents("1: a\n", "k.yaml")
    assert [str(e) for e in errors] == ["k.yaml:1:1: key `1` must be a string; quote it"]


def test_custom_local_tags_are_refused():
    _, errors = parse_documents("a: !secret value\n", "t.yaml")
    assert errors[0].message.startswith("the YAML tag `!secret` is not allowed")


def test_deep_nesting_is_an_error_not_a_crash():
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    _, errors = parse_documents(text, "deep.yaml")
    assert len(errors) == 1 and errors[0].location.file == "deep.yaml"
    assert "nest" in errors[0].message

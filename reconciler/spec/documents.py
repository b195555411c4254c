"""YAML manifests to plain data that remembers where every value came from.

The loader composes YAML into nodes (never constructing objects from tags, so `!!python/...`
is reported, not executed), refuses alias bombs and recursive aliases by sizing the node graph
before expanding it, rejects duplicate keys, and converts the nodes to dicts, lists and scalars
while recording the line and column of every value and key by its path.

Scalars follow YAML 1.2's core schema where YAML 1.1 surprises people: only true/false are
booleans (a locale `NO` stays a string) and timestamps stay strings (the schema checks them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from reconciler.errors import Location, SpecError

NodePath = tuple  # a path into a document: keys and list indexes

_TAG = "tag:yaml.org,2002:"
_BOOL = _TAG + "bool"
_TIMESTAMP = _TAG + "timestamp"
_MERGE = _TAG + "merge"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

# The most nodes one document may expand to through aliases, relative to the nodes it holds.
EXPANSION_FLOOR = 100_000
EXPANSION_FACTOR = 10

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ManifestLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader whose implicit types are YAML 1.2-like (see the module docstring)."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


ManifestLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

_SCALARS = yaml.SafeLoader("")  # only its scalar constructors are used, on already-checked nodes


@dataclass
class Document:
    """One YAML document as plain data, with the marks (line, column; 1-based) of its nodes."""

    file: str
    data: Any
    start: tuple[int, int]
    marks: dict[NodePath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[NodePath, tuple[int, int]] = field(default_factory=dict)
    folder: Any = None  # the folder of the manifest file (paths in it are relative to this)

    def at(self, path: NodePath = ()) -> Location:
        """Where the value at `path` is, or its nearest enclosing value when it is absent."""
        path = tuple(path)
        while path and path not in self.marks:
            path = path[:-1]
        line, column = self.marks.get(path, self.start)
        return Location(self.file, line, column)

    def key_at(self, path: NodePath) -> Location:
        """Where the key naming the value at `path` is written (falls back to the value)."""
        mark = self.key_marks.get(tuple(path))
        return Location(self.file, *mark) if mark else self.at(path)

    def error(self, path: NodePath, message: str) -> SpecError:
        return SpecError(self.at(path), message)


class _Refused(Exception):
    """A document that cannot be converted safely; carries the error to report."""

    def __init__(self, error: SpecError):
        super().__init__(error.message)
        self.error = error


def parse_documents(text: str, file: str) -> tuple[list[Document], list[SpecError]]:
    """Every non-empty document of a YAML file, and the errors that stopped any of them."""
    loader = ManifestLoader(text)
    documents: list[Document] = []
    errors: list[SpecError] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None or _is_empty(node):
                continue
            try:
                documents.append(_Converter(file).document(node))
            except _Refused as refused:
                errors.append(refused.error)
    except yaml.MarkedYAMLError as exc:
        errors.append(_syntax_error(exc, file))
    except yaml.YAMLError as exc:
        errors.append(SpecError(Location(file), f"YAML error: {exc}"))
    finally:
        loader.dispose()
    return documents, errors


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> SpecError:
    mark = exc.problem_mark or exc.context_mark
    where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    return SpecError(where, f"YAML syntax error: {problem}{context}")


def _is_empty(node: yaml.Node) -> bool:
    """A document with nothing in it (only comments, or a stray `---`)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null" and node.value == ""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _Converter:
    """Turns one composed document into plain data, recording marks by path."""

    def __init__(self, file: str):
        self.file = file
        self.doc: Document | None = None

    def document(self, root: yaml.Node) -> Document:
        self.doc = Document(self.file, None, _mark(root))
        try:
            self._check_size(root)
            self.doc.data = self._value(root, ())
        except RecursionError:
            raise self._refuse(root, "the YAML document is nested too deeply") from None
        return self.doc

    def _refuse(self, node: yaml.Node, message: str) -> _Refused:
        return _Refused(SpecError(Location(self.file, *_mark(node)), message))

    def _check_size(self, root: yaml.Node) -> None:
        """Size the tree aliases would expand to, without expanding it (memoised over the graph)."""
        sizes: dict[int, int] = {}
        active: set[int] = set()
        distinct = 0

        def size(node: yaml.Node) -> int:
            nonlocal distinct
            ident = id(node)
            if ident in sizes:
                return sizes[ident]
            if ident in active:
                raise self._refuse(node, "recursive YAML alias: a node contains itself")
            distinct += 1
            active.add(ident)
            children = node.value if isinstance(node, yaml.SequenceNode) else []
            if isinstance(node, yaml.MappingNode):
                children = [child for pair in node.value for child in pair]
            total = 1 + sum(size(child) for child in children)
            active.discard(ident)
            sizes[ident] = total
            return total

        expanded = size(root)
        if expanded > max(EXPANSION_FLOOR, EXPANSION_FACTOR * distinct):
            raise self._refuse(
                root,
                f"YAML aliases expand this document to {expanded:,} nodes from {distinct:,}: "
                "refused as an alias bomb",
            )

    def _value(self, node: yaml.Node, path: NodePath) -> Any:
        assert self.doc is not None
        self.doc.marks[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                raise self._refuse(node, _tag_message(node.tag))
            return [self._value(child, path + (i,)) for i, child in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            raise self._refuse(node, _tag_message(node.tag))
        if node.tag in (_TAG + "str", _TIMESTAMP):
            return node.value
        return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)

    def _mapping(self, node: yaml.MappingNode, path: NodePath) -> dict:
        assert self.doc is not None
        if node.tag != _TAG + "map":
            raise self._refuse(node, _tag_message(node.tag))
        # Merged mappings first, so the marks of keys written here overwrite theirs.
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                result.update(self._merge_source(value_node, path))
        first_seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self._key(key_node)
            if key in first_seen:
                line, _ = first_seen[key]
                raise self._refuse(key_node, f"duplicate key `{key}` (first written on line {line})")
            first_seen[key] = _mark(key_node)
            self.doc.key_marks[path + (key,)] = _mark(key_node)
            result[key] = self._value(value_node, path + (key,))
        return result

    def _merge_source(self, node: yaml.Node, path: NodePath) -> dict:
        """The mappings a `<<` key merges in; earlier sources win, explicit keys win over all."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        combined: dict[str, Any] = {}
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise self._refuse(source, "a `<<` merge key needs a mapping or a list of mappings")
            for key, value in self._mapping(source, path).items():
                combined.setdefault(key, value)
        return combined

    def _key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _SCALAR_TAGS:
            raise self._refuse(node, "a mapping key must be a plain word or string")
        if node.tag not in (_TAG + "str", _TIMESTAMP):
            raise self._refuse(node, f"key `{node.value}` must be a string; quote it")
        return node.value


def _tag_message(tag: str) -> str:
    return (
        f"the YAML tag `{_short_tag(tag)}` is not allowed: manifests hold plain data "
        "(strings, numbers, true/false, lists and mappings) and nothing in them is executed"
    )

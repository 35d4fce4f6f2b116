"""YAML read into plain values that remember where each key and value was written.

`yaml.compose` keeps every node's position; the values themselves are built by PyYAML's safe
constructor, one scalar at a time, so no tag can create an arbitrary object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from amends.playbooks.problems import FieldPath

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


@dataclass(frozen=True, slots=True)
class Mark:
    """A position in a file; both count from 1."""

    line: int
    column: int


@dataclass(slots=True)
class Document:
    """A parsed YAML file: its value and where each part of it was written."""

    value: object
    keys: dict[FieldPath, Mark] = field(default_factory=dict)
    values: dict[FieldPath, Mark] = field(default_factory=dict)
    problems: list[tuple[Mark, FieldPath, str]] = field(default_factory=list)

    def mark(self, path: FieldPath, *, key: bool = False) -> Mark:
        """Where `path` was written (its key, with `key`), or else its nearest written
        ancestor."""
        for end in range(len(path), -1, -1):
            known = path[:end]
            if known in self.values:
                spot = self.keys.get(known) if key and end == len(path) else None
                return spot or self.values[known]
        return Mark(1, 1)


class YamlSyntaxError(ValueError):
    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def read_yaml(text: str) -> Document:
    """One YAML document; YamlSyntaxError, with its position, when it is not YAML."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = _mark(error.problem_mark or error.context_mark)
        raise YamlSyntaxError(mark, _say(error)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(Mark(1, 1), str(error)) from None
    if root is None:
        return Document(value=None, values={(): Mark(1, 1)})
    document = Document(value=None)
    document.value = _Walker(document).walk(root, ())
    return document


def _mark(mark: Any) -> Mark:
    return Mark(mark.line + 1, mark.column + 1) if mark is not None else Mark(1, 1)


def _say(error: Any) -> str:
    parts = [error.context, error.problem]
    return "not valid YAML: " + ", ".join(str(part) for part in parts if part)


class _Walker:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.constructor = yaml.constructor.SafeConstructor()
        self.open: set[int] = set()

    def walk(self, node: Any, path: FieldPath) -> object:
        self.document.values.setdefault(path, _mark(node.start_mark))
        if id(node) in self.open:
            self._problem(node, path, "an alias refers to itself")
            return None
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            self._problem(node, path, f"cannot read this value: unknown tag {node.tag}")
            return None
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._scalar(node, path)
        finally:
            self.open.discard(id(node))

    def _scalar(self, node: Any, path: FieldPath) -> object:
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            self._problem(node, path, f"cannot read this value: {getattr(error, 'problem', error)}")
            return None

    def _mapping(self, node: Any, path: FieldPath) -> dict[object, object]:
        result: dict[object, object] = {}
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in result:
                self._problem(key_node, (*path, key), f'"{key}" is given twice in this mapping')
                continue
            self._entry(key, key_node, value_node, path, result)
        for merge in merges:
            self._merge(merge, path, result)
        return result

    def _key(self, node: Any, path: FieldPath) -> str | int | None:
        value = self._scalar(node, path) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
        self._problem(node, path, "a key must be a name (quote it if it reads as yes/no/on/off)")
        return None

    def _merge(self, node: Any, path: FieldPath, into: dict[object, object]) -> None:
        """`<<: *anchor` (or a list of anchors): keys written in the mapping itself win."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self._problem(source, path, "`<<` merges only mappings")
                continue
            nested = []
            for key_node, value_node in source.value:
                if key_node.tag == _MERGE_TAG:
                    nested.append(value_node)
                    continue
                key = self._key(key_node, path)
                if key is not None and key not in into:
                    self._entry(key, key_node, value_node, path, into)
            for inner in nested:
                self._merge(inner, path, into)

    def _entry(
        self, key: str | int, key_node: Any, value_node: Any, path: FieldPath, into: dict[Any, Any]
    ) -> None:
        self.document.keys[(*path, key)] = _mark(key_node.start_mark)
        self.document.values[(*path, key)] = _mark(value_node.start_mark)
        into[key] = self.walk(value_node, (*path, key))

    def _problem(self, node: Any, path: FieldPath, message: str) -> None:
        self.document.problems.append((_mark(node.start_mark), path, message))

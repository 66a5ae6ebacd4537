"""The YAML reader of clusterctl: values that remember their lines, and refusals that say where and why.

Parsing is PyYAML's (libyaml when present); composing is ours, straight from the parser's events, so
that every mapping and list carries the 1-based lines of its keys and items in the whole file, and so
that duplicate keys, non-string keys and alias bombs are caught while the document is being built.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from clusterctl.errors import InvalidInput, Problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 5 * 1024 * 1024
MAX_ALIAS_NODES = 10_000  # nodes added to one document by alias expansion
MAX_ALIAS_DEPTH = 8  # an alias whose anchor holds an alias whose anchor holds ...
MAX_NESTING = 200  # keeps the composer's recursion far below Python's limit
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


class MarkedMap(dict):
    """A mapping with the line where it starts and the line of each key."""

    def __init__(self, items=(), line: int = 0, key_lines: dict[str, int] | None = None):
        super().__init__(items)
        self.line = line
        self.key_lines = dict(key_lines or {})


class MarkedList(list):
    """A list with the line where it starts and the line of each item."""

    def __init__(self, items=(), line: int = 0, item_lines: list[int] | None = None):
        super().__init__(items)
        self.line = line
        self.item_lines = list(item_lines or [])


@dataclass(frozen=True)
class Document:
    value: object
    line: int  # line of the document's first node in the whole file


def key_path(parent: str, key: str | int) -> str:
    """`images` + 1 -> `images[1]`; `images[1]` + `context` -> `images[1].context`."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if not _PLAIN_KEY.match(key):
        return f'{parent}["{key}"]'
    return f"{parent}.{key}" if parent else key


def read_text(path: Path) -> str:
    """The UTF-8 text of a file, refusing what is not a readable, reasonably sized text file."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _fail(name, None, "file not found") from None
    except IsADirectoryError:
        raise _fail(name, None, "is a directory, expected a file") from None
    except OSError as error:
        raise _fail(name, None, f"cannot read the file: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise _fail(name, None, "is larger than 5 MiB; that is not a profile or a manifest")
    if b"\0" in data:
        raise _fail(name, None, "is a binary file (it contains NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise _fail(name, line, f"is not UTF-8 text (byte 0x{byte:02x} on line {line}); save it as UTF-8") from None


def load_documents(text: str, source: str) -> list[Document]:
    """Every non-empty document of a YAML stream."""
    return _Composer(text, source).documents()


def load_one(text: str, source: str) -> Document:
    """The single document of a YAML file; an empty file or a second document is an error."""
    documents = load_documents(text, source)
    if not documents:
        raise _fail(source, None, "the file is empty; expected one YAML document")
    if len(documents) > 1:
        second = documents[1].line
        raise _fail(source, second, f"expected one YAML document, found {len(documents)} (the second starts here)")
    return documents[0]


def _fail(source: str, line: int | None, message: str, path: str = "") -> InvalidInput:
    return InvalidInput([Problem(source, line, path, message)])


_Path = tuple | None  # (parent, key): the key path, formatted only when a problem needs it


class _Composer:
    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[object, int, int]] = {}  # name -> (value, expanded size, alias depth)
        self.open_anchors: set[str] = set()
        self.alias_nodes = 0

    def documents(self) -> list[Document]:
        loader = _Loader(self.text)
        self.events = loader
        try:
            documents = self._stream()
        except yaml.MarkedYAMLError as error:
            raise InvalidInput([_syntax_problem(error, self.text, self.source)]) from None
        finally:
            loader.dispose()
        if self.problems:
            raise InvalidInput(self.problems)
        return documents

    def _stream(self) -> list[Document]:
        events, documents = self.events, []
        events.get_event()  # stream start
        while not events.check_event(yaml.StreamEndEvent):
            events.get_event()  # document start
            self.anchors, self.open_anchors, self.alias_nodes = {}, set(), 0
            line = events.peek_event().start_mark.line + 1
            value, _, _ = self._node(None, 0)
            events.get_event()  # document end
            if value is not None:
                documents.append(Document(value, line))
        return documents

    def _node(self, path: _Path, nesting: int) -> tuple[object, int, int]:
        event = self.events.get_event()
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, path)
        if nesting > MAX_NESTING:
            raise _fail(self.source, _line(event), f"YAML nests deeper than {MAX_NESTING} levels")
        anchor = event.anchor
        if anchor is not None:
            self.open_anchors.add(anchor)
        if isinstance(event, yaml.ScalarEvent):
            node = (self._scalar(event, path), 1, 0)
        elif isinstance(event, yaml.SequenceStartEvent):
            node = self._sequence(event, path, nesting)
        else:
            node = self._mapping(event, path, nesting)
        if anchor is not None:
            self.open_anchors.discard(anchor)
            self.anchors[anchor] = node
        return node

    def _alias(self, event, path: _Path) -> tuple[object, int, int]:
        name = event.anchor
        if name in self.open_anchors:
            raise _fail(self.source, _line(event), f'alias "*{name}" refers to the node that contains it', _text(path))
        if name not in self.anchors:
            raise _fail(self.source, _line(event), f'alias "*{name}" has no anchor "&{name}" before it', _text(path))
        value, size, depth = self.anchors[name]
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES or depth >= MAX_ALIAS_DEPTH:
            raise _fail(self.source, _line(event), "YAML aliases expand too far", _text(path))
        return value, size, depth + 1

    def _scalar(self, event, path: _Path) -> object:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.events.resolve(yaml.ScalarNode, event.value, event.implicit)
        construct = self.events.yaml_constructors.get(tag)
        if construct is None:
            self.problems.append(Problem(self.source, _line(event), _text(path), f"unsupported YAML tag {event.tag}"))
            return None
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return construct(self.events, node)
        except (yaml.constructor.ConstructorError, ValueError) as error:
            message = getattr(error, "problem", None) or str(error)
            self.problems.append(Problem(self.source, _line(event), _text(path), f"invalid {tag.rsplit(':', 1)[-1]}: {message}"))
            return None

    def _check_tag(self, event, path: _Path, default: str) -> None:
        if event.tag not in (None, "!", default):
            self.problems.append(Problem(self.source, _line(event), _text(path), f"unsupported YAML tag {event.tag}"))

    def _sequence(self, event, path: _Path, nesting: int) -> tuple[object, int, int]:
        self._check_tag(event, path, _SEQ_TAG)
        items, size, depth = MarkedList(line=_line(event)), 1, 0
        while not self.events.check_event(yaml.SequenceEndEvent):
            line = _line(self.events.peek_event())
            value, item_size, item_depth = self._node((path, len(items)), nesting + 1)
            items.append(value)
            items.item_lines.append(line)
            size, depth = size + item_size, max(depth, item_depth)
        self.events.get_event()
        return items, size, depth

    def _mapping(self, event, path: _Path, nesting: int) -> tuple[object, int, int]:
        self._check_tag(event, path, _MAP_TAG)
        mapping, size, depth = MarkedMap(line=_line(event)), 1, 0
        merges: list[object] = []
        while not self.events.check_event(yaml.MappingEndEvent):
            key_event = self.events.peek_event()
            line = _line(key_event)
            if self._is_merge_key(key_event):
                self.events.get_event()
                value, value_size, value_depth = self._node(path, nesting + 1)
                merges.append((value, line))
            else:
                key, key_size, key_depth = self._node(path, nesting + 1)
                value, value_size, value_depth = self._node((path, str(key)), nesting + 1)
                self._put(mapping, key, key_event, line, value, path)
                size, depth = size + key_size, max(depth, key_depth)
            size, depth = size + value_size, max(depth, value_depth)
        self.events.get_event()
        for value, line in merges:
            self._merge(mapping, value, line, path)
        return mapping, size, depth

    def _is_merge_key(self, event) -> bool:
        if not isinstance(event, yaml.ScalarEvent) or event.tag not in (None, _MERGE_TAG):
            return False
        return event.tag == _MERGE_TAG or self.events.resolve(yaml.ScalarNode, event.value, event.implicit) == _MERGE_TAG

    def _put(self, mapping: MarkedMap, key: object, key_event, line: int, value: object, path: _Path) -> None:
        if not isinstance(key, str):
            self.problems.append(Problem(self.source, line, _text(path), _non_string_key(key, key_event)))
        elif key in mapping:
            first = mapping.key_lines[key]
            self.problems.append(Problem(self.source, line, _text((path, key)), f'duplicate key "{key}" (first at line {first})'))
        else:
            mapping[key] = value
            mapping.key_lines[key] = line

    def _merge(self, mapping: MarkedMap, value: object, line: int, path: _Path) -> None:
        """`<<: *base` or `<<: [*a, *b]`: keys already present win, then earlier maps win."""
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, MarkedMap):
                self.problems.append(Problem(self.source, line, _text(path), "a merge key (<<) needs a mapping or a list of mappings"))
                continue
            for key, item in source.items():
                if key not in mapping:
                    mapping[key] = item
                    mapping.key_lines[key] = source.key_lines.get(key, line)


def _text(path: _Path) -> str:
    keys = []
    while path is not None:
        path, key = path
        keys.append(key)
    return functools.reduce(key_path, reversed(keys), "")


def _line(event) -> int:
    return event.start_mark.line + 1


def _non_string_key(key: object, event) -> str:
    if isinstance(event, yaml.ScalarEvent) and not event.style:
        kind = {bool: "a boolean", int: "an integer", float: "a number", type(None): "null"}.get(type(key), "not a string")
        return f'key {event.value} is read as {kind}, not a string; quote it: "{event.value}"'
    return "keys must be strings, not a list or a mapping"


_BRACKETS = {"flow sequence": ("[", "]"), "flow mapping": ("{", "}")}


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, source: str) -> Problem:
    mark, context_mark = error.problem_mark, error.context_mark
    line = mark.line + 1 if mark else None
    context, problem = error.context or "", error.problem or "invalid YAML"
    if mark and text[mark.index:mark.index + 1] == "\t" or "tab character" in problem:
        return Problem(source, line, "", "a tab character is not allowed here; indent YAML with spaces")
    for what, (opening, closing) in _BRACKETS.items():
        if what in context and context_mark:
            where = f"line {line}" if mark and text[mark.index:].strip() else "the end of the file"
            message = f'unclosed "{opening}": no matching "{closing}" (or a missing ",") before {where}'
            return Problem(source, context_mark.line + 1, "", message)
    if "quoted scalar" in context and context_mark:
        return Problem(source, context_mark.line + 1, "", "unclosed quote: the string that starts here is never closed")
    if "mapping values are not allowed" in problem:
        return Problem(source, line, "", 'unexpected ":"; quote a value that contains ": "')
    if "block mapping" in context or "block collection" in context:
        return Problem(source, line, "", "bad indentation: this line does not line up with the lines above it")
    return Problem(source, line, "", f"invalid YAML: {problem}")

"""Load YAML or JSON prompt files safely and remember the line where each value starts.

YAML goes through :func:`promptaudit.reading.safeyaml.load_yaml` (safe tags, bounded aliases and depth,
duplicate keys refused); lines come from the composed node tree, built only when a line is asked for.
JSON is parsed with the standard library's pure-Python scanner, wrapped so that every object, array and
string remembers its offset, and duplicate keys are refused as YAML's are.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
from collections.abc import Callable
from typing import Any

from promptaudit.reading.safeyaml import MAX_DEPTH, YamlError, load_yaml

MAX_STRUCTURED_BYTES = 5 * 1024 * 1024
"""A YAML or JSON prompt file larger than this (over a million tokens) is refused, not parsed."""

MAX_DIGITS = 4300
"""Python's default limit on converting digit strings to int."""

Path = tuple  # keys and indexes from the document root, e.g. ("messages", 2, "content")


class DocumentError(ValueError):
    """A YAML or JSON document that cannot be used; the message names the line."""


class _Str(str):
    offset = 0


class _Dict(dict):
    offset = 0


class _List(list):
    offset = 0


class _Duplicate(Exception):
    def __init__(self, key: str):
        self.key = key


class Document:
    """Parsed data plus a way to find the 1-based line of any value by its path."""

    def __init__(
        self,
        data: Any,
        line_of: Callable[[Path], int],
        block_of: Callable[[Path], bool] | None = None,
        span_of: Callable[[Path, str], Any] | None = None,
    ):
        self.data = data
        self._line_of = line_of
        self._block_of = block_of
        self._span_of = span_of

    def span(self, path: Path, file_path: str):
        """Where each character of the string at ``path`` is written in the file
        (:class:`promptaudit.reading.formats.spans.StringSpan`), or None when that cannot be followed."""
        if self._span_of is None:
            return None
        try:
            return self._span_of(tuple(path), file_path)
        except (KeyError, IndexError, TypeError, ValueError):
            return None

    def line(self, path: Path) -> int:
        """Line where the value at ``path`` starts (its nearest located ancestor when unknown)."""
        path = tuple(path)
        while True:
            try:
                return self._line_of(path)
            except (KeyError, IndexError, TypeError):
                if not path:
                    return 1
                path = path[:-1]

    def wrapped(self, key: str, data: Any) -> Document:
        """This document read as ``{key: <this document>}`` (a bare tool list as the request it is sent in)."""

        def strip(path: Path) -> Path:
            return tuple(path)[1:] if tuple(path)[:1] == (key,) else tuple(path)

        block_of = None if self._block_of is None else (lambda path: self._block_of(strip(path)))
        span_of = None if self._span_of is None else (lambda path, file: self._span_of(strip(path), file))
        return Document(data, lambda path: self._line_of(strip(path)), block_of, span_of)

    def lines_match(self, path: Path) -> bool:
        """True when the string at ``path`` keeps the file's line breaks (a YAML ``|`` block or one line)."""
        if self._block_of is None:
            return False
        try:
            return self._block_of(tuple(path))
        except (KeyError, IndexError, TypeError):
            return False


def load_document(text: str, is_json: bool) -> Document:
    """Parse ``text`` as JSON or YAML, or raise DocumentError naming the line and the reason."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_STRUCTURED_BYTES:
        raise DocumentError(
            f"line 1, column 1: larger than {MAX_STRUCTURED_BYTES // (1024 * 1024)} MB; too large to read as a document"
        )
    return _load_json(text) if is_json else _load_yaml(text)


def _load_yaml(text: str) -> Document:
    try:
        data = load_yaml(text)
    except YamlError as exc:
        raise DocumentError(str(exc)) from None
    lines = _YamlLines(text)
    return Document(data, lines.line, lines.is_block, lines.span)


class _YamlLines:
    """Lines of YAML values from the composed node tree (aliases are shared nodes, never expanded).

    Each mapping node's keys are indexed once, by their constructed value (so ``true:`` and ``1:`` keys
    are found too), which keeps looking up every entry of a large file linear.
    """

    def __init__(self, text: str):
        self.text = text
        self.root = None
        self.indexes: dict[int, dict] = {}

    def node(self, path: Path):
        import yaml

        if self.root is None:
            self.root = yaml.compose(self.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        node = self.root
        for key in path:
            if isinstance(node, yaml.SequenceNode):
                node = node.value[key]
            elif isinstance(node, yaml.MappingNode):
                node = self._index(node)[key]
            else:
                raise KeyError(key)
        return node

    def _index(self, node) -> dict:
        if id(node) not in self.indexes:
            self.indexes[id(node)] = _key_index(node)
        return self.indexes[id(node)]

    def line(self, path: Path) -> int:
        node = self.node(path)
        first = node.start_mark.line + 1
        return first + 1 if getattr(node, "style", None) in ("|", ">") else first

    def span(self, path: Path, file_path: str):
        """The file positions of a ``|`` block's characters (other scalars: None, their line is enough)."""
        from promptaudit.reading.formats.spans import yaml_block

        node = self.node(path)
        if getattr(node, "style", None) != "|" or not isinstance(node.value, str):
            return None
        return yaml_block(file_path, self.text, node.start_mark.line + 1, node.value)

    def is_block(self, path: Path) -> bool:
        node = self.node(path)
        return getattr(node, "style", None) == "|" or node.start_mark.line == node.end_mark.line


def _key_index(node) -> dict:
    import yaml

    constructor = yaml.constructor.SafeConstructor()
    index = {}
    for key_node, value_node in node.value:
        try:
            key = constructor.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            index.setdefault(key, value_node)
        except (yaml.YAMLError, TypeError, ValueError):
            continue
    return index


def _load_json(text: str) -> Document:
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_at(offset: int) -> int:
        return bisect.bisect_left(newlines, offset) + 1

    def place_at(offset: int) -> str:
        line = line_at(offset)
        return f"line {line}, column {offset - (newlines[line - 2] if line > 1 else -1)}"

    try:
        data = _scan(text, place_at)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise DocumentError(f"line 1, column 1: nested deeper than {MAX_DEPTH} levels; refused") from None
    _check_depth(data, place_at)

    def span_of(path: Path, file_path: str):
        from promptaudit.reading.formats.spans import json_string

        value = _value_at(data, path)
        return json_string(file_path, text, value.offset, value) if isinstance(value, _Str) else None

    return Document(data, lambda path: line_at(_json_offset(data, path)), span_of=span_of)


def _value_at(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


def _pairs(pairs: list) -> _Dict:
    result = _Dict()
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _whole_number(digits: str) -> int | float:
    """A JSON integer; past Python's 4,300-digit limit it is infinite (bounds checks then refuse it)."""
    return int(digits) if len(digits) <= MAX_DIGITS else float("inf") if digits[0] != "-" else float("-inf")


def _scan(text: str, place_at: Callable[[int], str]) -> Any:
    decoder = json.JSONDecoder(object_pairs_hook=_pairs, parse_int=_whole_number)

    def parse_object(s_and_end, *args):
        start = s_and_end[1] - 1
        try:
            value, end = json.decoder.JSONObject(s_and_end, *args)
        except _Duplicate as dup:
            raise DocumentError(f"{place_at(start)}: duplicate key {dup.key!r} in this object") from None
        value.offset = start
        return value, end

    def parse_array(s_and_end, scan_once):
        value, end = json.decoder.JSONArray(s_and_end, scan_once)
        located = _List(value)
        located.offset = s_and_end[1] - 1
        return located, end

    def parse_string(string, end, strict):
        value, after = json.decoder.scanstring(string, end, strict)
        located = _Str(value)
        located.offset = end - 1
        return located, after

    decoder.parse_object, decoder.parse_array, decoder.parse_string = parse_object, parse_array, parse_string
    return _run(json.scanner.py_make_scanner(decoder), text)


def _run(scan_once, text: str) -> Any:
    start = json.decoder.WHITESPACE.match(text, 0).end()
    try:
        value, end = scan_once(text, start)
    except StopIteration as err:
        raise json.JSONDecodeError("Expecting value", text, err.value) from None
    end = json.decoder.WHITESPACE.match(text, end).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _json_offset(data: Any, path: Path) -> int:
    offset = getattr(data, "offset", 0)
    for key in path:
        data = data[key]
        offset = getattr(data, "offset", offset)
    return offset


def _check_depth(data: Any, place_at: Callable[[int], str]) -> None:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DocumentError(f"{place_at(value.offset)}: nested deeper than {MAX_DEPTH} levels; refused")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))

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

    def __init__(self, data: Any, line_of: Callable[[Path], int]):
        self.data = data
        self._line_of = line_of

    def line(self, path: Path) -> int:
        """Line where the value at ``path`` starts (its nearest located ancestor when unknown)."""
        try:
            return self._line_of(tuple(path))
        except (KeyError, IndexError, TypeError):
            return 1


def load_document(text: str, is_json: bool) -> Document:
    """Parse ``text`` as JSON or YAML, or raise DocumentError naming the line and the reason."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_STRUCTURED_BYTES:
        raise DocumentError(f"larger than {MAX_STRUCTURED_BYTES // (1024 * 1024)} MB; too large for a prompt file")
    return _load_json(text) if is_json else _load_yaml(text)


def _load_yaml(text: str) -> Document:
    try:
        data = load_yaml(text)
    except YamlError as exc:
        raise DocumentError(str(exc)) from None
    return Document(data, _YamlLines(text).line)


class _YamlLines:
    """Lines of YAML values from the composed node tree (aliases are shared nodes, never expanded)."""

    def __init__(self, text: str):
        self.text = text
        self.root = None

    def line(self, path: Path) -> int:
        import yaml

        if self.root is None:
            self.root = yaml.compose(self.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        node = self.root
        for key in path:
            node = _yaml_child(node, key)
        first = node.start_mark.line + 1
        return first + 1 if getattr(node, "style", None) in ("|", ">") else first


def _yaml_child(node, key):
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return node.value[key]
    if isinstance(node, yaml.MappingNode):
        return next(value for name, value in node.value if name.value == str(key))
    raise KeyError(key)


def _load_json(text: str) -> Document:
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_at(offset: int) -> int:
        return bisect.bisect_left(newlines, offset) + 1

    try:
        data = _scan(text, line_at)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise DocumentError(f"nested deeper than {MAX_DEPTH} levels; refused") from None
    _check_depth(data, line_at)
    return Document(data, lambda path: line_at(_json_offset(data, path)))


def _pairs(pairs: list) -> _Dict:
    result = _Dict()
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _scan(text: str, line_at: Callable[[int], int]) -> Any:
    decoder = json.JSONDecoder(object_pairs_hook=_pairs)

    def parse_object(s_and_end, *args):
        start = s_and_end[1] - 1
        try:
            value, end = json.decoder.JSONObject(s_and_end, *args)
        except _Duplicate as dup:
            raise DocumentError(f"line {line_at(start)}: duplicate key {dup.key!r} in this object") from None
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


def _check_depth(data: Any, line_at: Callable[[int], int]) -> None:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DocumentError(f"line {line_at(value.offset)}: nested deeper than {MAX_DEPTH} levels; refused")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))

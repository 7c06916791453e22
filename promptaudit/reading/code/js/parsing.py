"""Bytes of a JS/TS file to a syntax tree with tree-sitter (the ``[js]`` extra), and the files left out.

The grammar follows the extension: TypeScript for ``.ts``/``.mts``/``.cts``, TSX for ``.tsx``, JavaScript
(with JSX) for the rest. tree-sitter is error-tolerant: a file with syntax errors is still scanned where it
parses, and the module carries one note saying where the first error is. Minified bundles (a line longer
than ``MINIFIED_LINE`` characters in the first 64 KB, or an average line over 500 characters) are skipped
before parsing, as they hold no hand-written prompt and cost the most to parse.
"""

from __future__ import annotations

import codecs

from promptaudit.errors import InputError, SkippedInput
from promptaudit.reading.code.js.module import JsModule

GRAMMARS = {".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx"}
MINIFIED_LINE = 5000
_HEAD = 65536
_PARSERS: dict = {}


def _parser(grammar: str):
    if grammar not in _PARSERS:
        import tree_sitter

        if grammar == "javascript":
            import tree_sitter_javascript as package

            language = package.language()
        else:
            import tree_sitter_typescript as package

            language = package.language_tsx() if grammar == "tsx" else package.language_typescript()
        _PARSERS[grammar] = tree_sitter.Parser(tree_sitter.Language(language))
    return _PARSERS[grammar]


def grammar_for(path: str) -> str:
    """``typescript``, ``tsx`` or ``javascript``, by extension."""
    lowered = path.lower()
    return next((g for ext, g in GRAMMARS.items() if lowered.endswith(ext)), "javascript")


def minified(data: bytes) -> bool:
    """True for a bundle: a very long line near the top, or long lines on average."""
    head = data[:_HEAD]
    lines = head.count(b"\n") + 1
    if len(head) / lines > 500 and len(head) > 2000:
        return True
    return any(len(line) > MINIFIED_LINE for line in head.split(b"\n"))


def checked_bytes(path: str, data: bytes) -> bytes:
    """The bytes to parse: UTF-8 without its byte-order mark, or an InputError naming the first bad byte."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); skipped") from None
    return data


def parse(path: str, data: bytes) -> JsModule:
    """Parse a file's bytes; SkippedInput for a minified bundle, InputError for bytes that are not UTF-8."""
    data = checked_bytes(path, data)
    if minified(data):
        raise SkippedInput(path, "skipped: a minified bundle (very long lines), not hand-written code")
    tree = _parser(grammar_for(path)).parse(data)
    module = JsModule(path, data, tree)
    if tree.root_node.has_error:
        module.notes.append(_error_note(module))
    return module


def _error_note(module: JsModule) -> str:
    """Where the first syntax error is (tree-sitter recovers; the rest of the file is still scanned)."""
    stack = [module.root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            line, column = module.start(node)
            return f"syntax error at line {line}, column {column}; scanned what parses"
        if node.has_error:
            stack.extend(reversed(node.children))
    return "syntax errors; scanned what parses"

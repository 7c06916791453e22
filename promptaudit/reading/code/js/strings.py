"""JS/TS string and template literals as located :class:`~promptaudit.reading.code.text.Text`.

Each run of literal characters and each escape sequence becomes its own piece at its own line and column, so
a finding inside a prompt points at the exact place in the ``.ts`` file even after ``\\n`` escapes. A
template literal's ``${expression}`` is a variable named by its expression, unless the expression is a name
whose value is a known string (a constant), which is then inlined, as f-string fields are in Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from promptaudit.reading.code.text import Piece, Text, variable

SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_HEX = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]+)\})")
Substitution = Callable[[object], "Text | None"]
"""Resolves a template literal's ``${expression}`` node to its text, or None when it is only known at run time."""


def unescape(sequence: str) -> str:
    """The character(s) one JS escape sequence (``\\n``, ``\\x41``, ``\\u{1F600}``, line continuation) stands for."""
    body = sequence[1:]
    if body.startswith(("\n", "\r", "\u2028", "\u2029")):
        return ""  # a backslash before a line break continues the line
    if body[:1] in SIMPLE_ESCAPES and not (body[:1] == "0" and body[1:2].isdigit()):
        return SIMPLE_ESCAPES[body[:1]]
    match = _HEX.fullmatch(sequence)
    if match:
        code = int(next(group for group in match.groups() if group), 16)
        return chr(code) if code <= 0x10FFFF else ""
    return body


def literal_text(module, node, substitute: Substitution, raw: bool = False) -> Text:
    """The text of a ``string`` or ``template_string`` node; ``raw`` keeps escapes as written (``String.raw``)."""
    line, column = module.start(node)
    pieces: list[Piece] = []
    included: set = set()
    template = node.type == "template_string"
    for child in node.children:
        kind = child.type
        if kind in ("string_fragment", "escape_sequence") or (kind == "html_character_reference"):
            pieces.append(_piece(module, child, template, raw))
        elif kind == "template_substitution":
            pieces += _substitution(module, child, substitute, included)
    return Text(tuple(p for p in pieces if p.text), module.path, line, column, frozenset(included))


def _piece(module, child, template: bool, raw: bool) -> Piece:
    text = module.text_of(child)
    if child.type == "escape_sequence" and not raw:
        text = unescape(text)
    elif template:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    line, column = module.start(child)
    return Piece(text, module.path, line, column, multiline=template)


def _substitution(module, child, substitute: Substitution, included: set) -> list[Piece]:
    expression = next((c for c in child.named_children if c.type != "comment"), None)
    if expression is None:
        return []
    known = substitute(expression)
    if known is not None:
        included.update(known.includes | {known.key})
        return list(known.pieces)
    line, column = module.start(child)
    return [variable(" ".join(module.text_of(expression).split()), module.path, line, column)]

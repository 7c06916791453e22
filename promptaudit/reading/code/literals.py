"""String literals and f-strings as located :class:`~promptaudit.reading.code.text.Text`.

The characters come from the parser (``ast``), so escapes and implicit concatenation are exact; the
positions come from the tokens of the expression's source, so each literal of ``("a" "b")`` and each
f-string field keeps its own line and column.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable, Iterator

from promptaudit.reading.code.text import Piece, Text, variable

FSTRING_START = getattr(tokenize, "FSTRING_START", None)
FSTRING_END = getattr(tokenize, "FSTRING_END", None)
Field = Callable[[ast.expr, str, int, int], "Text | None"]
"""Resolves an f-string field: ``(expression, its source, line, column)`` -> its text, or None if unknown."""


def literal_text(module, node: ast.expr, field: Field) -> Text | None:
    """The text of a ``str`` constant or f-string node of ``module``, or None when the source cannot be read."""
    line, column = module.start(node)
    pieces: list[Piece] = []
    included: set = set()

    def noting(expression, text, at_line, at_column):
        found = field(expression, text, at_line, at_column)
        if found is not None:
            included.update(found.includes | {found.key})
        return found

    literals = list(_literals(module.segment(node), line, column))
    for source, at_line, at_column in literals:
        parsed = node if len(literals) == 1 else _parse(source)  # one literal: the module's own node, not parsed again
        if parsed is None:
            return None
        pieces += _pieces(module.path, parsed, source, at_line, at_column, noting)
    return Text(tuple(p for p in pieces if p.text), module.path, line, column, frozenset(included))


def _parse(source: str) -> ast.expr | None:
    try:
        node = ast.parse(source, mode="eval").body
    except SyntaxError:
        return None
    return node if isinstance(node, (ast.Constant, ast.JoinedStr)) else None


def _literals(segment: str, line: int, column: int) -> Iterator[tuple[str, int, int]]:
    """Each literal of an implicitly concatenated string: ``(source, line, column)`` of its first character."""
    wrapped = "(" + segment + ")"  # parentheses let the literals span lines as they do in the file
    lines = wrapped.splitlines(keepends=True)
    depth, start = 0, None
    try:
        for token in tokenize.generate_tokens(io.StringIO(wrapped).readline):
            if token.type == tokenize.STRING and depth == 0:
                yield _slice(lines, token.start, token.end), *_absolute(token.start, line, column)
            elif FSTRING_START is not None and token.type == FSTRING_START:
                depth, start = depth + 1, start if depth else token.start
            elif FSTRING_END is not None and token.type == FSTRING_END:
                depth -= 1
                if depth == 0:
                    yield _slice(lines, start, token.end), *_absolute(start, line, column)
    except (tokenize.TokenError, SyntaxError):
        return


def _slice(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    if start[0] == end[0]:
        return lines[start[0] - 1][start[1] : end[1]]
    middle = "".join(lines[start[0] : end[0] - 1])
    return lines[start[0] - 1][start[1] :] + middle + lines[end[0] - 1][: end[1]]


def _absolute(position: tuple[int, int], line: int, column: int) -> tuple[int, int]:
    row, col = position
    return line + row - 1, (column + col - 1 if row == 1 else col + 1)


def _body(source: str, line: int, column: int) -> tuple[str, int, int, bool]:
    """The literal's body (inside the quotes), where it starts, and whether it is triple-quoted."""
    prefix = len(source) - len(source.lstrip("rRbBuUfF"))
    quote = 3 if source[prefix : prefix + 3] in ('"""', "'''") else 1
    body = source[prefix + quote : len(source) - quote]
    column += prefix + quote
    if body.startswith("\\\n"):  # """\ : the text starts on the next line
        return body[2:], line + 1, 1, True
    return body, line, column, quote == 3


def _pieces(path: str, parsed: ast.expr, source: str, line: int, column: int, field: Field) -> list[Piece]:
    body, line, column, multiline = _body(source, line, column)
    if isinstance(parsed, ast.Constant):
        return [Piece(str(parsed.value), path, line, column, multiline)] if isinstance(parsed.value, str) else []
    runs = list(_runs(body))
    values = parsed.values
    if [kind for kind, _ in runs] != ["field" if isinstance(v, ast.FormattedValue) else "text" for v in values]:
        runs = [("text", 0)] * len(values)  # unusual f-string ({x=}, nested quotes): pieces at the start
    pieces = []
    for value, (kind, offset) in zip(values, runs):
        at = Piece(body, path, line, column, multiline).position(offset)
        if isinstance(value, ast.Constant):
            pieces.append(Piece(str(value.value), path, at[0], at[1], multiline))
            continue
        text = _field_source(body, offset) if kind == "field" else ast.unparse(value.value)
        resolved = field(value.value, text, *at)
        pieces += resolved.pieces if resolved is not None else [variable(text, path, *at)]
    return pieces


def _field_source(body: str, start: int) -> str:
    """The expression of the f-string field at ``start``, without ``!r``, ``:spec`` or ``=``."""
    inner = body[start + 1 : _field_end(body, start) - 1]
    for i, char, depth in _outside_quotes(inner):
        if depth == 0 and char in ":!=" and _ends_expression(inner, i):
            return inner[:i].strip()
    return inner.strip()


def _ends_expression(inner: str, i: int) -> bool:
    """True when the ``:``, ``!`` or ``=`` at ``i`` starts a spec, a conversion or ``{x=}``, not ``!=``/``==``."""
    after, before = inner[i + 1 : i + 2], inner[i - 1 : i]
    if inner[i] == ":":
        return True
    return after != "=" and (inner[i] == "!" or before not in "=!<>")


def _outside_quotes(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """``(index, char, bracket depth after it)`` for each character outside string quotes."""
    depth, quote = 0, None
    for i in range(start, len(text)):
        char = text[i]
        if quote:
            quote = None if char == quote else quote
            continue
        if char in "'\"":
            quote = char
            continue
        depth += 1 if char in "{[(" else -1 if char in "}])" else 0
        yield i, char, depth


def _runs(body: str) -> Iterator[tuple[str, int]]:
    """``("text" | "field", offset)`` for each static run and each ``{field}`` of an f-string body."""
    i, text_start = 0, None
    while i < len(body):
        pair = body[i : i + 2]
        if pair in ("{{", "}}"):
            text_start = i if text_start is None else text_start
            i += 2
        elif body[i] == "{":
            if text_start is not None:
                yield "text", text_start
                text_start = None
            yield "field", i
            i = _field_end(body, i)
        else:
            text_start = i if text_start is None else text_start
            i += 1
    if text_start is not None:
        yield "text", text_start


def _field_end(body: str, start: int) -> int:
    """The offset just after the ``}`` that closes the field opened at ``start``."""
    for i, char, depth in _outside_quotes(body, start):
        if depth == 0 and char == "}":
            return i + 1
    return len(body)

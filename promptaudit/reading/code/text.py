"""Prompt text read from Python source: pieces of static text or variables, each knowing where it is written.

A :class:`Text` is what a string expression evaluates to without running it: static pieces (the exact
characters the provider receives) and variable pieces (an f-string field, a ``str.format`` field, an argument
whose value is only known at run time). Every piece keeps the file, line and column of its first character,
so a finding inside a prompt points at the line of the ``.py`` file that holds the text.
"""

from __future__ import annotations

import bisect
import functools
import re
import textwrap
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Piece:
    """A run of static text, or one variable (``variable`` holds its expression or field name)."""

    text: str
    path: str
    line: int
    column: int
    """1-based line and column (characters) of ``text[0]`` in ``path``."""
    multiline: bool = False
    """True for triple-quoted literals: a newline in the text is a newline in the source."""
    margin: int = 0
    """Indentation removed from every later line (``textwrap.dedent``), so columns still point into the file."""
    variable: str | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column in the source of ``text[offset]``."""
        if not self.multiline or "\n" not in self.text[:offset]:
            return self.line, self.column + offset
        before = self.text[:offset]
        return self.line + before.count("\n"), self.margin + offset - before.rfind("\n")

    def advance(self, count: int) -> Piece:
        """This piece without its first ``count`` characters."""
        line, column = self.position(count)
        return replace(self, text=self.text[count:], line=line, column=column)


def variable(name: str, path: str, line: int, column: int) -> Piece:
    """A variable piece: shown as ``{name}`` in the prompt text."""
    return Piece("{" + name + "}", path, line, column, variable=name)


@dataclass(frozen=True)
class Text:
    """A prompt's text as pieces, located at the expression that produces it (``path``, ``line``, ``column``)."""

    pieces: tuple[Piece, ...]
    path: str
    line: int
    column: int
    includes: frozenset = frozenset()
    """``(path, line, column)`` of the named texts (constants) this one was assembled from."""

    @property
    def key(self) -> tuple[str, int, int]:
        return self.path, self.line, self.column

    @property
    def text(self) -> str:
        """The prompt text, each variable shown as ``{expression}``."""
        return "".join(piece.text for piece in self.pieces)

    @property
    def variables(self) -> list[str]:
        """The variables' expressions (or field names), in order."""
        return [piece.variable for piece in self.pieces if piece.variable is not None]

    @property
    def static_text(self) -> str:
        return "".join(piece.text for piece in self.pieces if piece.variable is None)

    @property
    def has_static(self) -> bool:
        """True when some static text is not whitespace: only then is it a prompt rather than a value."""
        return bool(self.static_text.strip())

    def spans(self) -> list[tuple[int, int, str]]:
        """``(start, end, name)`` of every variable in :attr:`text`."""
        found, offset = [], 0
        for piece in self.pieces:
            if piece.variable is not None:
                found.append((offset, offset + len(piece.text), piece.variable))
            offset += len(piece.text)
        return found

    @functools.cached_property
    def starts(self) -> list[int]:
        """Offset in :attr:`text` where each piece starts (computed once: a text may have 20,000 fields)."""
        return list(_starts(self.pieces))

    def locate(self, offset: int) -> tuple[str, int, int]:
        """File, line and column of character ``offset`` of :attr:`text`."""
        starts = self.starts
        index = max(bisect.bisect_right(starts, offset) - 1, 0)
        if not self.pieces:
            return self.path, self.line, self.column
        piece = self.pieces[index]
        line, column = piece.position(min(offset - starts[index], len(piece.text)))
        return piece.path, line, column

    def at(self, path: str, line: int, column: int) -> Text:
        """The same pieces, located at another expression (which then includes this one)."""
        return Text(self.pieces, path, line, column, self.includes | {self.key})


def _starts(pieces: tuple[Piece, ...]):
    offset = 0
    for piece in pieces:
        yield offset
        offset += len(piece.text)


def joined(texts: list[Text], path: str, line: int, column: int) -> Text:
    """Concatenate texts (``a + b``, ``"".join``) into one located at the whole expression."""
    includes = frozenset(k for t in texts for k in (t.includes | {t.key}))
    return Text(tuple(p for t in texts for p in t.pieces if p.text), path, line, column, includes)


def replaced(text: Text, old: str, new: Text, path: str, line: int, column: int) -> Text:
    """``text.replace(old, new)`` on the static pieces: the static text is kept, each occurrence becomes ``new``
    (its text, or the variable standing for it)."""
    pieces: list[Piece] = []
    for piece in text.pieces:
        if piece.variable is not None or not old or old not in piece.text:
            pieces.append(piece)
            continue
        offset = 0
        for index, chunk in enumerate(piece.text.split(old)):
            if index:
                pieces += new.pieces
                offset += len(old)
            if chunk:
                pieces.append(replace(piece.advance(offset), text=chunk))
            offset += len(chunk)
    includes = text.includes | {text.key} | new.includes
    return Text(tuple(p for p in pieces if p.text), path, line, column, includes)


def strip(text: Text, chars: str | None = None, left: bool = True, right: bool = True) -> Text:
    """``str.strip`` / ``lstrip`` / ``rstrip`` on static pieces at the ends."""
    pieces = list(text.pieces)
    while left and pieces and pieces[0].variable is None:
        kept = pieces[0].text.lstrip(chars)
        if kept:
            pieces[0] = pieces[0].advance(len(pieces[0].text) - len(kept))
            break
        pieces.pop(0)
    while right and pieces and pieces[-1].variable is None:
        kept = pieces[-1].text.rstrip(chars)
        if kept:
            pieces[-1] = replace(pieces[-1], text=kept)
            break
        pieces.pop()
    return Text(tuple(pieces), text.path, text.line, text.column, text.includes)


def dedent(text: Text) -> Text:
    """``textwrap.dedent``: the common indentation of all lines removed, columns kept pointing into the file."""
    whole = text.text
    margin = _margin(whole) if whole.strip() else 0
    if margin == 0:
        return text
    pieces, at_line_start = [], True
    for piece in text.pieces:
        if piece.variable is not None:
            pieces.append(piece)
            at_line_start = False
            continue
        pieces.append(_dedent_piece(piece, margin, at_line_start))
        at_line_start = piece.text.endswith("\n")
    return Text(tuple(p for p in pieces if p.text), text.path, text.line, text.column, text.includes)


def _margin(whole: str) -> int:
    dedented = textwrap.dedent(whole)
    for original, kept in zip(whole.splitlines(), dedented.splitlines()):
        if kept.strip():
            return len(original) - len(kept)
    return 0


def _dedent_piece(piece: Piece, margin: int, at_line_start: bool) -> Piece:
    lines = piece.text.split("\n")
    out = []
    for i, line in enumerate(lines):
        starts = at_line_start if i == 0 else True
        out.append(_cut(line, margin) if starts else line)
    moved = len(lines[0]) - len(out[0])
    return replace(piece, text="\n".join(out), column=piece.column + moved, margin=piece.margin + margin)


def _cut(line: str, margin: int) -> str:
    if not line.strip():
        return ""  # dedent normalises whitespace-only lines to empty
    return line[margin:] if line[:margin].isspace() else line.lstrip(" \t")


FORMAT_FIELD = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_.]*\}(?!\})")
"""A ``str.format`` field (``{name}``, ``{a.b}``); ``{{ x }}`` is Jinja or an escaped brace, not a field."""


def is_format_template(text: Text) -> bool:
    """A constant written as a ``str.format`` template (in any language's source): fixed text with a ``{name}``
    field and no variables of the language's own (f-string or template-literal fields)."""
    return not text.variables and bool(FORMAT_FIELD.search(text.text))

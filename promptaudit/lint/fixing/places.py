"""Where a part of a prompt is written in its file: each character's offset, and an edit of the part as an edit
of the file.

Three kinds of part can be edited: a part that *is* the file (a text, Markdown or template file), a JSON
string or a YAML ``|`` block (their :class:`~promptaudit.reading.formats.spans.StringSpan`: escapes and
indentation are written back as the format needs), and static text of a Python string literal (its
:class:`~promptaudit.reading.code.text.Text` pieces) where the characters are written as they read, without
escapes. Anything else (a YAML plain, quoted or folded scalar, text from another module, a JS/TS source) is
reported, never edited.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from promptaudit.lint.fixing.textfile import Lines


@dataclass(frozen=True, order=True)
class FileEdit:
    """``[start, end)`` of the file's text replaced by ``written``; ``text`` is what the prompt reads there."""

    start: int
    end: int
    written: str
    text: str


class Refused(Exception):
    """An edit that cannot be made with certainty; the message says why, in a few words."""


def positions(part, file_text: str, lines: Lines, path: str) -> list[int] | None:
    """The file offset of every character of ``part.text`` and of its end (``len + 1`` items), or None when
    the part cannot be mapped exactly."""
    if part.source is not None:
        return _code_positions(part.source, lines, path) if len(part.source.text) == len(part.text) else None
    if part.span is not None:
        raw = list(part.span.raw)
        return raw if len(raw) == len(part.text) + 1 else None
    return list(range(len(file_text) + 1)) if part.text == file_text else None


def _code_positions(text, lines: Lines, path: str) -> list[int] | None:
    """Offsets of a Python text's characters: its variables and text written in other files map to -1."""
    found: list[int] = []
    for piece in text.pieces:
        if piece.variable is not None or os.path.abspath(piece.path) != os.path.abspath(path):
            found += [-1] * len(piece.text)
            continue
        found += _piece_positions(piece, lines)
    found.append(found[-1] + 1 if found and found[-1] >= 0 else -1)
    return found


def _piece_positions(piece, lines: Lines) -> list[int]:
    """Each character's offset, walking the piece's lines (a dedented line starts ``margin`` columns in)."""
    offset, out = lines.offset(piece.line, piece.column), []
    line = piece.line
    for char in piece.text:
        out.append(offset)
        if char == "\n" and piece.multiline:
            line += 1
            offset = lines.offset(line, piece.margin + 1)
        else:
            offset += 1
    return out


def place(part, positions: list[int], start: int, end: int, replacement: str, file_text: str, path: str) -> FileEdit:
    """``part.text[start:end]`` replaced by ``replacement``, as an edit of the file; Refused when uncertain."""
    first, last = positions[start], positions[end]
    if first < 0 or last < first or any(p < 0 for p in positions[start:end]):
        raise Refused("text written elsewhere or assembled at run time")
    written = file_text[first:last]
    if part.span is not None:
        return _in_string(part, written, first, last, replacement, path, positions)
    if written != part.text[start:end]:
        raise Refused("the string literal is written with escapes or indentation there")
    if part.source is not None and "\\" in replacement:  # quotes are checked by parsing the module again
        raise Refused("the new text would need escapes in the string literal")
    return FileEdit(first, last, replacement, replacement)


def _in_string(part, written: str, first: int, last: int, replacement: str, path: str, positions) -> FileEdit:
    if path.lower().endswith(".json"):
        return FileEdit(first, last, json.dumps(replacement, ensure_ascii=False)[1:-1], replacement)
    if "\r" in replacement:
        raise Refused("a carriage return in a YAML block")
    return FileEdit(first, last, _indented(replacement, _indent(part, positions, part.span.file_text)), replacement)


def _indent(part, positions: list[int], file_text: str) -> str:
    """A YAML block's indentation: the columns before the first character of any of its non-empty lines."""
    text = part.text
    for index, char in enumerate(text):
        if char != "\n" and (index == 0 or text[index - 1] == "\n"):
            line_start = file_text.rfind("\n", 0, positions[index]) + 1
            return file_text[line_start : positions[index]]
    raise Refused("a YAML block with no text")


def _indented(replacement: str, indent: str) -> str:
    """Text for a YAML block: every line after a break indented, except blank ones; the last always (the text
    after the edit starts after its own line's indentation)."""
    lines = replacement.split("\n")
    tail = [indent + line if line or index == len(lines) - 1 else line for index, line in enumerate(lines[1:], 1)]
    return "\n".join([lines[0], *tail])

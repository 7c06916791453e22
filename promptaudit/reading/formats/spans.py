"""Where each character of a string read from a JSON or YAML file is written in that file.

A JSON string is one line with escapes (``\\n``, ``\\"``, ``\\u00e9``); a YAML ``|`` block is indented. A rule
that flags a sentence inside such a string must point at the sentence in the file, not at the string's
opening quote or at a blank line: :class:`StringSpan` maps an offset in the decoded text to the file's
1-based line and column. It is a part's ``span`` and has the same ``locate`` as the text records of Python
sources (a part's ``source``), so the lint engine treats every part alike through ``Part.locator``.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|.)", re.DOTALL)


@dataclass(frozen=True)
class StringSpan:
    """The file positions of a decoded string's characters: ``raw[i]`` is where character ``i`` is written."""

    path: str
    file_text: str
    raw: tuple[int, ...]

    @functools.cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.file_text)]

    def locate(self, offset: int) -> tuple[str, int, int]:
        """File, line and column of character ``offset`` (the end of the string for offsets past it)."""
        position = self.raw[min(max(offset, 0), len(self.raw) - 1)] if self.raw else 0
        line = bisect.bisect_left(self._newlines, position)
        start = self._newlines[line - 1] + 1 if line else 0
        return self.path, line + 1, position - start + 1


def json_string(path: str, file_text: str, quote: int, decoded: str) -> StringSpan | None:
    """The span of the JSON string whose opening quote is at ``quote``; None if it cannot be followed.

    A ``\\uD83D\\uDE00`` surrogate pair decodes to one character from twelve written ones.
    """
    raw, index = [], quote + 1
    while len(raw) < len(decoded) and index < len(file_text) and file_text[index] != '"':
        escape = _ESCAPE.match(file_text, index)
        width = escape.end() - index if escape else 1
        pair = escape and width == 6 and 0xD800 <= int(file_text[index + 2 : index + 6], 16) < 0xDC00
        raw.append(index)
        index += width + (6 if pair else 0)
    raw.append(index)  # the closing quote: where the text ends
    return StringSpan(path, file_text, tuple(raw)) if len(raw) == len(decoded) + 1 else None


def yaml_block(path: str, file_text: str, first_line: int, decoded: str) -> StringSpan | None:
    """The span of a YAML literal block (``|``) whose content starts on 0-based ``first_line``.

    Each decoded line is the file's line with the block's indentation removed; None if they disagree.
    """
    lines = file_text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    content = [line for line in lines[first_line:] if line.strip()]
    indent = len(content[0]) - len(content[0].lstrip(" ")) if content else 0
    raw = []
    for number, text in enumerate(decoded.split("\n")):
        row = first_line + number
        if row >= len(lines) or (text and lines[row][indent:] != text):
            return None
        raw += [offsets[row] + indent + i for i in range(len(text))] + [
            offsets[row] + min(indent + len(text), len(lines[row]))
        ]
    return StringSpan(path, file_text, tuple(raw[: len(decoded) + 1]))

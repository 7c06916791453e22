"""Where Markdown code is: fenced blocks and inline backtick spans, found in one linear pass.

A fence opens on a line starting (after at most three spaces) with three or more backticks or tildes and
closes on the next line made only of the same character, at least as many times; an unclosed fence runs
to the end of the text, as in CommonMark. Inline code is a single-backtick span within one line.
"""

from __future__ import annotations

import bisect
import re

_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})([^\n]*)$", re.M)
_INLINE = re.compile(r"`[^`\n]+`")

Span = tuple[int, int]


def fenced_blocks(text: str) -> list[Span]:
    """Fenced code blocks as ``(start, end)`` offsets, fence lines included."""
    blocks: list[Span] = []
    opener = None
    for match in _FENCE_LINE.finditer(text):
        marker, rest = match.group(1), match.group(2)
        if opener is None:
            if not (marker[0] == "`" and "`" in rest):  # a backtick fence's info string has no backtick
                opener = match
        elif marker[0] == opener.group(1)[0] and len(marker) >= len(opener.group(1)) and not rest.strip():
            blocks.append((opener.start(), match.end()))
            opener = None
    if opener is not None:
        blocks.append((opener.start(), len(text)))
    return blocks


def code_spans(text: str) -> list[Span]:
    """Fenced blocks and inline code spans, sorted and merged (for :func:`inside`)."""
    blocks = fenced_blocks(text)
    inline = [m.span() for m in _INLINE.finditer(text) if not inside(blocks, m.start())]
    return _merge(blocks + inline)


def inside(spans: list[Span], position: int) -> bool:
    """Whether ``position`` falls in one of ``spans`` (sorted, non-overlapping)."""
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged

"""Split prompt text into sentences with character offsets, Markdown-aware and CJK-aware.

Blocks come first: a blank line, a heading, a list item or a code fence ends a block, so a bullet is
never glued to the line before it. A line of nothing but tags (``<rules>``, ``</userRequest>``) is
structure: it ends a block and is no sentence. Fenced code is skipped (code repeats itself on purpose); as in
CommonMark, only a bare fence of the same kind closes one (```` ```python ```` inside an open fence opens
nothing), so one unclosed fence cannot turn every later code block into prose. Inside a
block, a sentence ends at ``.``, ``!`` or ``?`` followed by whitespace (closing quotes and brackets
stay with it), or at CJK ``。！？``, except after a known abbreviation, an initial, or before a
lower-case word ("e.g. this", "approx. five"); a quotation that ends a sentence inside it and goes on in
lower case (``ask "Does it look good?" using the tool``) is one sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

TEXT, HEADING, ITEM = "text", "heading", "item"

_FENCE = re.compile(r"[ \t]*(```|~~~)")  # fences inside list items are indented deeper than CommonMark's 3
_HEADING = re.compile(r" {0,3}#{1,6}[ \t]+")
_ITEM = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_TAG_LINE = re.compile(r"[ \t]*(?:</?[A-Za-z_][\w:.-]*(?:\s[^<>]*)?/?>[ \t]*)+$")
_RULE_LINE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|[。！？][\"'”’)\]」』]*")
_WORD_BEFORE = re.compile(r"(\S+)$")
ABBREVIATIONS = frozenset(
    "e.g i.e eg ie viz resp etc vs mr mrs ms dr prof sr jr st no nos approx inc ltd co corp fig eq al cf ca dept est "
    "min max a.m p.m u.s u.k jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text as written (trimmed), and its ``[start, end)`` offsets in the source text."""

    text: str
    start: int
    end: int
    kind: str = TEXT

    @functools.cached_property
    def key(self) -> str:
        """:func:`normalize` of the text, computed once: PA101, PA102 and PA103 all compare by it."""
        return normalize(self.text)


def split(text: str) -> list[Sentence]:
    """All sentences of ``text`` in order; headings are their own sentences, code fences are skipped."""
    sentences: list[Sentence] = []
    for start, end, kind in _blocks(text):
        if kind == HEADING:
            sentences.extend(_trimmed(text, start, end, HEADING))
        else:
            sentences.extend(_split_block(text, start, end, kind))
    return sentences


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line
        offset += len(line)


def _blocks(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, kind)`` of every paragraph, list item and heading outside code fences."""
    fence: str | None = None
    start, end, kind = -1, -1, TEXT
    for offset, line in _lines(text):
        marker = _FENCE.match(line)
        if fence is not None:
            closes = marker and marker.group(1) == fence and not line[marker.end() :].strip()
            fence = None if closes else fence
            continue
        body = line.rstrip("\r\n")
        tag_line = _TAG_LINE.match(body)
        opens = (
            marker
            or not body.strip()
            or _HEADING.match(body)
            or _ITEM.match(body)
            or _RULE_LINE.match(body)
            or tag_line
        )
        if opens and start >= 0:
            yield start, end, kind
            start = -1
        if marker:
            fence = marker.group(1)
        elif heading := _HEADING.match(body):
            yield offset + heading.end(), offset + len(body), HEADING
        elif item := _ITEM.match(body):
            start, end, kind = offset + item.end(), offset + len(body), ITEM
        elif body.strip() and not _RULE_LINE.match(body) and not tag_line:
            start, end, kind = (start, offset + len(body), kind) if start >= 0 else (offset, offset + len(body), TEXT)
    if start >= 0:
        yield start, end, kind


def _split_block(text: str, start: int, end: int, kind: str) -> Iterator[Sentence]:
    block = text[start:end]
    position = 0
    for match in _BOUNDARY.finditer(block):
        if match.group(0)[0] == "." and _is_abbreviation(block, match.start()):
            continue
        if _quotation_goes_on(block, match):
            continue
        yield from _trimmed(text, start + position, start + match.end(), kind)
        position = match.end()
    yield from _trimmed(text, start + position, end, kind)


def _is_abbreviation(block: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` ends an abbreviation or initial rather than a sentence."""
    word = _WORD_BEFORE.search(block, max(0, dot - 12), dot)
    token = word.group(1).lower().lstrip("(\"'") if word else ""
    if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return True
    following = block[dot + 1 : dot + 3]
    return "\n" not in following and following.lstrip()[:1].islower()


def _quotation_goes_on(block: str, match: re.Match) -> bool:
    """A closing quote after the stop, then a lower-case word on the same line: the stop ended the quoted
    words, not the sentence around them."""
    if not match.group(0)[1:].startswith(('"', "'", "”", "’")):
        return False
    following = block[match.end() : match.end() + 3]
    return "\n" not in following and following.lstrip()[:1].islower()


def _trimmed(text: str, start: int, end: int, kind: str) -> Iterator[Sentence]:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        yield Sentence(stripped, start + lead, start + lead + len(stripped), kind)


_NOT_WORD = re.compile(r"[^\w\s]+")


def normalize(text: str) -> str:
    """Case, whitespace and punctuation folded away: the key under which two sentences are "the same"."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def shorten(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, for messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"

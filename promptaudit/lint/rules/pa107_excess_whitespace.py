"""PA107 excess-whitespace: spaces at the ends of lines and more than one blank line in a row, where they cost tokens.

Whitespace is billed like words. Each stretch of whitespace that holds a line break is compared with its tidy
form: no spaces or tabs before a line break, at most one blank line, the next line's indentation kept (so
lists and code keep their shape). A finding is reported only where the tidy form is fewer tokens at the target
model, counted on the lines around it: on OpenAI's tokenizers ``"  \\n"`` is usually one token, like ``"\\n"``,
so most trailing spaces cost nothing and are not reported. A prompt is reported only when its stretches together
save at least ``min_tokens_saved`` tokens per request (a stray space or two is not worth a warning), each
stretch then a finding of its own. Spaces that end the prompt without a line break
are left alone: a completion prompt may end in ``"Answer: "`` on purpose, and text sent in pieces is joined
there.

Left alone: fenced code blocks (whitespace may be the example: a diff, a Makefile), whitespace touching a
template tag or variable (``{%- ... -%}`` trims whitespace itself).

Fix: ``promptaudit fix`` writes the tidy form (line endings, ``\\n`` or ``\\r\\n``, as written).

Measured on the real-prompt corpus (docs/rules.md): 191 findings at gpt-4o, every one judged right by reading
(113 of them in the held-out third); ``tests/lint/test_fix_precision.py`` keeps it so.

Anti-pattern::

    Answer in English.\\t\\t
    \\t
    \\t
    \\t
    Cite the article you used.

Best practice::

    Answer in English.

    Cite the article you used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from promptaudit.lint.findings import Edit, Problem
from promptaudit.reading.codespans import fenced_blocks, inside
from promptaudit.reading.templates import STATIC

ID = "PA107"
NAME = "excess-whitespace"
CATEGORY = "size"
SEVERITY = "warning"
OPTIONS = {"min_tokens_saved": 10}
FIX = "Delete the spaces at the ends of lines and keep at most one blank line in a row."
SAVINGS_OVERLAP = True
FIXABLE = True
_STRETCH = re.compile(r"[ \t]*(?:\r?\n[ \t]*)+")
_BREAK = re.compile(r"\r?\n")
_UNTIDY_LINES = re.compile(r"\n(?:[ \t]+\r?\n|\r?\n\r?\n)|\n[ \t]+\Z")
"""A whitespace-only line, a third line break in a row, or indentation after the last break: with spaces before
a break, the only ways a stretch differs from its tidy form (scanning for them first spares the common prompt,
every stretch of which is tidy, a loop over all its line breaks)."""
_TRAILING = (" \n", "\t\n", " \r\n", "\t\r\n")


def may_be_untidy(text: str) -> bool:
    """False only when every whitespace stretch of ``text`` is already in its tidy form."""
    return any(pair in text for pair in _TRAILING) or _UNTIDY_LINES.search(text) is not None


@dataclass(frozen=True)
class Stretch:
    """Whitespace written at ``[start, end)`` of the prompt text, and its tidy form."""

    start: int
    end: int
    tidy: str


def tidy(written: str, at_end: bool) -> str:
    """The tidy form of a whitespace stretch: its first one or two line breaks, then the next line's indentation."""
    breaks = _BREAK.findall(written)
    indent = "" if at_end else written[written.rfind("\n") + 1 :]
    return "".join(breaks[:2]) + indent


def stretches(ctx) -> list[Stretch]:
    """Every whitespace stretch whose tidy form differs, outside fenced code and away from template tags."""
    if not may_be_untidy(ctx.text):
        return []
    text, fences = ctx.text, fenced_blocks(ctx.text)
    tags = [(s.start, s.end) for s in ctx.segments() if s.kind != STATIC]
    found = []
    for match in _STRETCH.finditer(text):
        start, end = match.span()
        fixed = tidy(match.group(), end == len(text))
        if fixed == match.group() or _touches(tags, start, end) or _fenced(fences, start, end):
            continue
        found.append(Stretch(start, end, fixed))
    return found


def _touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= end and b >= start for a, b in spans)


def _fenced(fences: list[tuple[int, int]], start: int, end: int) -> bool:
    return inside(fences, start) or inside(fences, max(start, end - 1)) or _touches(fences, start + 1, end - 1)


def _window(text: str, stretch: Stretch) -> tuple[str, str]:
    """The lines around a stretch as written and as tidied (BPE merges whitespace with the words beside it)."""
    first = text.rfind("\n", 0, stretch.start) + 1
    last = text.find("\n", stretch.end)
    last = len(text) if last < 0 else last
    written = text[first:last]
    return written, text[first : stretch.start] + stretch.tidy + text[stretch.end : last]


def _what(written: str) -> str:
    """What is wasted in a stretch, in words."""
    pieces = written.split("\n")
    trailing = len(pieces) == 1 or any(piece.rstrip("\r") for piece in pieces[:-1])
    extra = len(pieces) - 3
    said = (["spaces at the end of a line"] if trailing else []) + (
        [f"{extra} extra blank line(s)"] if extra > 0 else []
    )
    return " and ".join(said) or "spaces on a blank line"


def check(ctx) -> Iterator[Problem]:
    """Yield one problem per stretch that saves tokens, when together they save at least ``min_tokens_saved``."""
    found = stretches(ctx)
    counts = ctx.count([text for stretch in found for text in _window(ctx.text, stretch)])
    saved = [(stretch, counts[2 * i] - counts[2 * i + 1]) for i, stretch in enumerate(found)]
    saved = [(stretch, tokens) for stretch, tokens in saved if tokens > 0]
    if sum(tokens for _, tokens in saved) < ctx.options["min_tokens_saved"]:
        return
    for stretch, tokens in saved:
        line, column = ctx.locate(stretch.start)
        end_line, end_column = ctx.locate(stretch.end)
        message = _what(ctx.text[stretch.start : stretch.end])
        edit = Edit(stretch.start, stretch.end, stretch.tidy)
        yield Problem(line, column, message, tokens_saved=tokens, end_line=end_line, end_column=end_column, edit=edit)

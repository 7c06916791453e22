"""Prompt text as HTML with findings highlighted in place: nested ``<mark>`` spans and inline markers.

Pure: character offsets in, escaped markup out. Spans may nest (a filler lead-in inside a restated
sentence); when two spans cross, the inner one is closed and reopened around the boundary, so the
markup stays well formed and every piece carries the finding's ``data-finding`` number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape


@dataclass(frozen=True)
class Span:
    """A highlighted ``[start, end)`` range of the text; ``badge`` is printed after it (visible without hover)."""

    start: int
    end: int
    css: str
    tip: str
    badge: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Marker:
    """A labelled point in the text (the end of the cacheable prefix, the cache minimum)."""

    offset: int
    css: str
    text: str


def _attributes(span: Span) -> str:
    data = "".join(f' data-{escape(k)}="{escape(str(v), quote=True)}"' for k, v in span.data.items())
    tip = escape(span.tip, quote=True)  # shown by CSS on hover and focus; read by screen readers as a description
    return f' class="{escape(span.css)}" data-tip="{tip}" aria-description="{tip}"{data}'


def _open_tag(span: Span, continued: bool = False) -> str:
    """The opening tag; the first piece of a span is focusable, so the keyboard reaches its detail too."""
    tag = _attributes(span).replace(' class="', ' class="cont ', 1) if continued else _attributes(span)
    return f"<mark{tag}>" if continued else f'<mark tabindex="0"{tag}>'


def _badge(span: Span) -> str:
    return f'<span class="badge">{escape(span.badge)}</span>' if span.badge else ""


def _marker(marker: Marker) -> str:
    return f'<span class="marker {escape(marker.css)}" role="note">{escape(marker.text)}</span>'


def highlight(text: str, spans: list[Span], markers: list[Marker] = (), first_line: int = 1) -> str:
    """``text`` as one block per line (numbered from ``first_line``), ``spans`` as ``<mark>``, ``markers`` inserted.

    A span that runs over a line break is closed at the end of the line and reopened on the next one.
    """
    text = text[:-1] if text.endswith("\n") else text  # no empty last line after the final newline
    spans = sorted((replace(s, end=min(s.end, len(text))) for s in spans), key=lambda s: (s.start, -s.end))
    spans = [s for s in spans if 0 <= s.start < s.end]
    markers = [replace(m, offset=min(m.offset, len(text))) for m in markers]
    newlines = {i for i, ch in enumerate(text) if ch == "\n"}
    cuts = {0, len(text), *(s.start for s in spans), *(s.end for s in spans), *(m.offset for m in markers)}
    cuts = sorted(cuts | newlines | {i + 1 for i in newlines})
    opening: dict[int, list[Span]] = {}
    for span in spans:
        opening.setdefault(span.start, []).append(span)
    writer = _Writer(first_line)
    for here, following in zip(cuts, cuts[1:] + [None]):
        writer.cut(here, here - 1 in newlines, opening.get(here, []), [m for m in markers if m.offset == here])
        if following is not None:
            writer.out.append(escape(text[here:following].rstrip("\n")))
    return writer.done()


class _Writer:
    """The markup being written: one ``<span class="line">`` per line, and the marks open in it."""

    def __init__(self, first_line: int):
        self.line = first_line
        self.out: list[str] = [_line_start(first_line)]
        self.stack: list[Span] = []

    def cut(self, here: int, new_line: bool, opening: list[Span], markers: list[Marker]) -> None:
        """At offset ``here``: close what ends, start a new line if one starts, add markers, open spans."""
        _close_ending(here, self.stack, self.out)
        if new_line:
            self.line += 1
            self.out.append("</mark>" * len(self.stack) + "</span>" + _line_start(self.line))
            self.out.extend(_open_tag(span, continued=True) for span in self.stack)
        self.out.extend(_marker(m) for m in markers)
        for span in opening:
            self.stack.append(span)
            self.out.append(_open_tag(span))

    def done(self) -> str:
        return "".join(self.out) + "</mark>" * len(self.stack) + "</span>"


def _line_start(number: int) -> str:
    return f'<span class="line" data-n="{number}">'


def _close_ending(here: int, stack: list[Span], out: list[str]) -> None:
    """Close every open span ending at ``here``; spans opened inside one are closed and reopened."""
    while any(span.end == here for span in stack):
        reopen = []
        while stack[-1].end != here:
            reopen.append(stack.pop())
            out.append("</mark>")
        out.append("</mark>" + _badge(stack.pop()))
        for span in reversed(reopen):
            stack.append(span)
            out.append(_open_tag(span, continued=True))

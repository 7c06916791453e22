"""Checks every edit must pass, whatever rule proposes it: one part, no template tag, no control block.

A template's tags decide what is sent: an edit that touches a variable, a statement or a comment could change
what the template renders, and text inside ``{% if %} ... {% endif %}`` (or a Mustache ``{{#section}}``) is
sent only on some requests, so an edit there is a change nobody can judge from the text alone.
"""

from __future__ import annotations

import bisect
import re

from promptaudit.lint.fixing.places import Refused
from promptaudit.reading.templates import LOGIC, STATIC

_JINJA_OPEN = re.compile(r"\{%-?\s*(if|for|macro|call|filter|with|autoescape|trans|block)\b")
_JINJA_SET_BLOCK = re.compile(r"\{%-?\s*set\s+[\w\s,]+-?%\}")
_JINJA_END = re.compile(r"\{%-?\s*end(\w+)")


def locate(part_starts: tuple[int, ...], parts: list, start: int, end: int) -> tuple[int, int, int]:
    """``(part index, start, end)`` of an edit of the prompt's rule text, in the part's own offsets."""
    index = bisect.bisect_right(part_starts, start) - 1
    if index < 0:
        raise Refused("outside the prompt's text")
    offset, part = part_starts[index], parts[index]
    if end > offset + len(part.text):
        raise Refused("crosses from one part of the prompt to the next")
    return index, start - offset, end - offset


def check(part, start: int, end: int) -> None:
    """Refused when ``part.text[start:end]`` touches a template tag or sits inside a control block."""
    segments = part.segments()
    for segment in segments:
        if segment.kind != STATIC and segment.start < end and segment.end > start:
            raise Refused("touches a template tag or variable")
    if _depth_at(segments, start) > 0:
        raise Refused("inside a template control block")


def _depth_at(segments, position: int) -> int:
    """How many control blocks are open at ``position`` (Jinja ``{% if %}``/``{% for %}``/..., Mustache sections)."""
    stack: list[str] = []
    for segment in segments:
        if segment.start >= position:
            break
        if segment.kind == LOGIC:
            _step(stack, segment.text)
    return len(stack)


def _step(stack: list[str], tag: str) -> None:
    if tag.startswith(("{{#", "{{^")):
        stack.append("section")
    elif tag.startswith("{{/"):
        if stack and stack[-1] == "section":
            stack.pop()
    elif opened := _JINJA_OPEN.match(tag):
        stack.append(opened.group(1))
    elif _JINJA_SET_BLOCK.fullmatch(tag):
        stack.append("set")
    elif (closed := _JINJA_END.match(tag)) and stack and stack[-1] == closed.group(1):
        stack.pop()

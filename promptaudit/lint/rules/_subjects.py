"""The subject a line is under, for the ``parallel_sections`` guard: the docs of two tools are read on their own.

A prompt that documents several tools or commands writes each one's doc from the same mould ("Use the current
working directory as the path ..." under ``For the `grep` tool:`` and again under ``For the `file_glob`
tool:``). Such sentences are the same words about different things. A line's subject is the last heading or
title line over it, or the command usage it documents (``<str_replace path="...">``, until the doc block's
blank line); two subjects are *parallel* when both are command usages of different names, or when both name
identifiers and the identifiers differ (```view``` / ```grep-search```). Titles equal but for a word or two
("Answer Start" / "Answer End", "Testing Guidelines" / "Testing Requirements") are not enough: measured on
real prompts, they are as often one topic's sections that restate each other as parallel items.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_USAGE = re.compile(r"\s*<([A-Za-z_][\w.-]*)\s+[\w-]+\s*=\s*[\"'][^<>]*>\s*(?:$|\S.*</\1>\s*$)")
_TITLE = re.compile(r"\s*(?:[-*•]\s+)?(?:\*\*)?([^\s:][^:]{0,60}?):(?:\*\*)?\s*$")
_BACKTICKED = re.compile(r"`([^`]+)`")
_IDENTIFIER = re.compile(r"\b[A-Za-z][\w-]*(?:_[\w-]+|[a-z][A-Z]\w*|\.[A-Za-z]\w*)\b")


def subject_of(line: str) -> str | None:
    """The subject ``line`` opens, if any: a heading's text, a short title ending with a colon, or ``<name>``
    for a command usage with attributes."""
    if heading := _HEADING.match(line):
        return heading.group(1).strip()
    if usage := _USAGE.match(line):
        return f"<{usage.group(1)}>"
    title = _TITLE.match(line)
    if title and len(title.group(1).split()) <= 8:
        return title.group(1).strip()
    return None


def identifiers(title: str) -> frozenset[str]:
    """The names a title carries: backticked spans, snake_case, camelCase and dotted names."""
    found = {name.strip().lower() for name in _BACKTICKED.findall(title)}
    found |= {name.lower() for name in _IDENTIFIER.findall(_BACKTICKED.sub(" ", title))}
    return frozenset(found)


def parallel_subjects(a: str | None, b: str | None) -> bool:
    """Whether two subjects are parallel items (different tools or commands documented from one mould)."""
    if a is None or b is None or a == b:
        return False
    if a.startswith("<") and b.startswith("<"):
        return True
    names_a, names_b = identifiers(a), identifiers(b)
    return bool(names_a) and bool(names_b) and names_a != names_b

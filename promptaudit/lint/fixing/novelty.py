"""Whether a second audit of an edited file reports anything new (or still reports what was fixed).

Findings are compared by place in the file as it was before the round: each later finding's span is mapped
back through the round's edits and must overlap an earlier finding of the same rule and prompt that was not
fixed. Findings about a whole prompt (no span: a cache prefix too short, a budget) are compared by count.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from promptaudit.lint.fixing.places import FileEdit
from promptaudit.lint.fixing.textfile import Lines


def old_offset(offset: int, edits: list[FileEdit]) -> int:
    """Where an offset of the edited text was before ``edits`` (sorted, not overlapping); inside a replacement,
    the start of what it replaced."""
    delta = 0
    for edit in edits:
        start = edit.start + delta
        if offset < start:
            break
        if offset < start + len(edit.written):
            return edit.start
        delta += len(edit.written) - (edit.end - edit.start)
    return offset - delta


def _span(finding, lines: Lines, edits: list[FileEdit] | None) -> tuple[int, int]:
    start = lines.offset(finding.line, finding.column)
    end = lines.offset(finding.end_line, finding.end_column) if finding.end_line else start
    return (start, end) if edits is None else (old_offset(start, edits), old_offset(end, edits))


def new_findings(before: list, fixed: list, after: list, old: Lines, new: Lines, edits: list[FileEdit], path: str):
    """The findings of ``after`` that ``before`` (less ``fixed``) does not account for, in order."""
    gone = {place(f) for f in fixed}
    kept = [f for f in before if place(f) not in gone]
    here = [f for f in kept if _spanned(f, path)]
    spans = {id(f): _span(f, old, None) for f in here}
    whole = Counter(_key(f, path) for f in kept if not _spanned(f, path))
    found = []
    for finding in after:
        if _spanned(finding, path):
            where = _span(finding, new, edits)
            if not any(_same(f, finding) and _overlap(spans[id(f)], where) for f in here):
                found.append(finding)
        elif whole[_key(finding, path)] > 0:
            whole[_key(finding, path)] -= 1
        else:
            found.append(finding)
    return found


_AT_LINE = re.compile(r"@\d+(?::\d+)*$")


def identity(display: str) -> str:
    """A prompt's name without the line a code prompt is named by (``file.py#chat.completions.create@23``):
    an edit above the call moves that line, and the prompt is still the same one."""
    return _AT_LINE.sub("@", display)


def place(finding) -> tuple:
    """A finding's identity within one run: rule, prompt and span (its savings may be shared out)."""
    return finding.rule, finding.path, finding.line, finding.column, finding.end_line, finding.end_column


def _home(reported: str, path: str) -> bool:
    """Whether a finding is located in the file being fixed (code may report text of another module)."""
    return os.path.abspath(reported.split("#", 1)[0]) == os.path.abspath(path)


def _spanned(finding, path: str) -> bool:
    return bool(finding.end_line) and _home(finding.path, path)


def _key(finding, path: str) -> tuple:
    """Whole-prompt findings by rule and prompt; findings in another module also by their (unmoved) place."""
    place = None if _home(finding.path, path) else (finding.line, finding.column)
    return finding.rule, identity(finding.path), place


def _same(a, b) -> bool:
    return a.rule == b.rule and identity(a.path) == identity(b.path)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]

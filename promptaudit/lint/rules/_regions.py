"""Line-level facts of a prompt for the guards of :mod:`._guards`: which sentences the redundancy rules compare.

:func:`comparable` applies every guard (documented in :mod:`._guards`) and returns the sentences PA101 and
PA102 compare, each with its recap flag, ``{% if %}`` branch and conditions, numbered section and subject;
:class:`_Regions` scans the lines once for tool parts, transcripts, examples, code comments, output-spec and
recap sections, and the subject each line is under.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from promptaudit.lint.rules._conditions import Conditions, sent_with
from promptaudit.lint.rules._guards import (
    _BRANCH,
    _EXAMPLE_TAG,
    _LIST_ITEM,
    _MD_HEADING,
    _OUTPUT_SPEC,
    _QA_HEADING,
    _RECAP,
    _SECTION_TAG,
    _SPEAKER,
    _TEMPLATE,
    _VARIABLE_LINE,
    code_line,
    example_lead,
    list_lead_in,
    markup_field,
    parameter_line,
    structure,
    template_logic,
)
from promptaudit.lint.rules._subjects import parallel_subjects, subject_of
from promptaudit.reading.sentences import HEADING, Sentence


@dataclass(frozen=True)
class Comparable:
    """A sentence the redundancy rules compare, and whether it sits in a recap section."""

    sentence: Sentence
    recap: bool = False
    branch: tuple = ()
    """Open ``{% if %}`` blocks around the sentence: ``(block number, branch number)`` pairs."""
    level: str | None = None
    """The numbered section the sentence is in ("## [Score: 4]"), if its heading carries a number."""
    conditions: frozenset = frozenset()
    """The template conditions it is sent under (:mod:`._conditions`)."""
    subject: str | None = None
    """The heading, title or command usage the sentence is under (``parallel_sections``)."""


def exclusive(a: Comparable, b: Comparable) -> bool:
    """Whether the later sentence ``b`` is never a second copy of the earlier ``a``: it can be sent without
    ``a`` (``template_conditions``: different branches of one ``{% if %}``, or conditions ``a`` does not
    share), or the two sit in different numbered sections (``numbered_levels``: score levels of a rubric,
    Step 1 / Step 2) or under parallel subjects (``parallel_sections``: the docs of two tools) that are each
    read on their own."""
    if not sent_with(a.conditions, b.conditions):
        return True
    if a.level is not None and b.level is not None and a.level != b.level:
        return True
    return parallel_subjects(a.subject, b.subject)


def comparable(ctx, min_words: int) -> list[Comparable]:
    """The sentences of ``ctx`` no guard claims, in order (computed once per prompt and ``min_words``)."""
    memo = ctx.__dict__.setdefault("_guarded", {})
    if min_words not in memo:
        memo[min_words] = [item for item in _prose(ctx) if not template_logic(item.sentence.text, min_words)]
    return memo[min_words]


def _prose(ctx) -> list[Comparable]:
    """The sentences no guard claims whatever the word floor (computed once per prompt, shared by the rules)."""
    memo = ctx.__dict__.setdefault("_guarded", {})
    if "prose" not in memo:
        found = regions(ctx)
        memo["prose"] = [
            Comparable(
                s,
                found.in_recap(s.start),
                found.branch(s.start),
                found.level(s.start),
                found.conditions.at(s.start),
                found.subject(s.start),
            )
            for s in ctx.sentences()
            if s.kind != HEADING
            and not found.excluded(s.start)
            and not structure(s.text)
            and not list_lead_in(ctx.text, s)
        ]
    return memo["prose"]


def regions(ctx) -> _Regions:
    """The line-level facts of a prompt (computed once per prompt)."""
    memo = ctx.__dict__.setdefault("_guarded", {})
    if "regions" not in memo:
        memo["regions"] = _Regions(ctx)
    return memo["regions"]


class _Regions:
    """Line-level facts about a prompt: tool parts, transcripts, examples and recap sections."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.line_starts: list[int] = []
        self.excluded_lines: set[int] = set()
        self.recap_lines: set[int] = set()
        self.example_lines: set[int] = set()
        self.levels: list[str | None] = []
        self.subjects: list[str | None] = []
        self.parameter_indent: int | None = None
        self.branch_starts: list[int] = []
        self.branches: list[tuple] = []
        self.conditions = Conditions(ctx.text)
        self._scan(ctx.text)
        self._branches(ctx.text)

    def _line(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def excluded(self, offset: int) -> bool:
        return self._line(offset) in self.excluded_lines or self._in_tool(offset)

    def level(self, offset: int) -> str | None:
        """The numbered heading over ``offset`` ("## [Score: 4]"), if any."""
        return self.levels[self._line(offset)]

    def subject(self, offset: int) -> str | None:
        """The heading, title line or command usage over ``offset``, if any."""
        return self.subjects[self._line(offset)]

    def in_example(self, offset: int) -> bool:
        """Inside an example block (a transcript line may be the live request's slot, so it is not one)."""
        return self._line(offset) in self.example_lines

    def branch(self, offset: int) -> tuple:
        """The ``{% if %}`` branches open at ``offset``."""
        index = bisect.bisect_right(self.branch_starts, offset) - 1
        return self.branches[index] if index >= 0 else ()

    def in_recap(self, offset: int) -> bool:
        return self._line(offset) in self.recap_lines

    def _in_tool(self, offset: int) -> bool:
        part = self.ctx.part_at(offset)
        return part is not None and part.kind == "tool"

    def _branches(self, text: str) -> None:
        """Where each ``{% if/elif/else/endif %}`` changes the open branches: ``(block, branch)`` pairs."""
        blocks: list[list[int]] = []
        count = 0
        for match in _BRANCH.finditer(text):
            tag = match.group(1)
            if tag == "if":
                count += 1
                blocks.append([count, 0])
            elif tag in ("elif", "else") and blocks:
                blocks[-1][1] += 1
            elif tag == "endif" and blocks:
                blocks.pop()
            self.branch_starts.append(match.start())
            self.branches.append(tuple(tuple(block) for block in blocks))

    def _scan(self, text: str) -> None:
        state = _ScanState()
        offset = 0
        for number, line in enumerate(text.split("\n")):
            self.line_starts.append(offset)
            offset += len(line) + 1
            level = _numbered_heading(line)
            self.levels.append(
                level
                if level is not None
                else (self.levels[-1] if self.levels and not _MD_HEADING.match(line) else None)
            )
            self._subject(line)
            if state.step(line):
                self.excluded_lines.add(number)
                if state.example:
                    self.example_lines.add(number)
            elif code_line(line) or markup_field(line) or self._parameter_doc(line):
                self.excluded_lines.add(number)
            if state.recap:
                self.recap_lines.add(number)

    def _parameter_doc(self, line: str) -> bool:
        """A parameter line, or a line nested under one (deeper indented, no blank line between)."""
        indent = len(line) - len(line.lstrip())
        if self.parameter_indent is not None and line.strip() and indent > self.parameter_indent:
            return True
        self.parameter_indent = None
        if parameter_line(" ".join(_TEMPLATE.sub(" ", line).split())):
            self.parameter_indent = indent
            return True
        return False

    def _subject(self, line: str) -> None:
        """A heading or title line sets the subject until the next one; a command usage (``<name attr=...>``)
        sets it until the next blank line (the end of that command's doc block)."""
        previous = self.subjects[-1] if self.subjects else None
        in_usage = previous is not None and previous.startswith("<")
        if in_usage and not line.strip():
            previous = None
        opened = subject_of(line)
        if in_usage and opened is not None and not opened.startswith("<") and not _MD_HEADING.match(line):
            opened = None  # "Parameters:" inside a command's doc block belongs to that command
        self.subjects.append(opened or previous)


class _ScanState:
    """Walks lines once, tracking the open transcript, example and section (for :meth:`_Regions._scan`)."""

    def __init__(self):
        self.transcript = False
        self.qa_section = False
        self.example = False
        self.sections: list[tuple[str, bool, bool]] = []  # (tag name or "#", is a recap, is an output spec)
        self.recap = False
        self.output_spec = False
        self.example_indent = 0
        self.example_in_list = False  # "- **Example**:" ends at its next sibling item; "**Example 2**" does not
        self.closing_example = False
        self.tagged = False  # an <example> block ends only at its closing tag

    def step(self, line: str) -> bool:
        """Update the state for ``line``; True when the line is excluded from comparison."""
        stripped = line.strip()
        self._sections(line)
        if not stripped:
            self.transcript = False
            return False
        if _SPEAKER.match(line):
            self.transcript = True
        if (example := _EXAMPLE_TAG.match(line)) is not None:
            self.example = self.tagged = True  # the tag line itself belongs to the example
            self.closing_example = bool(example.group(1))
            return True
        if self.closing_example:
            self.example = self.closing_example = self.tagged = False
        indent = len(line) - len(line.lstrip())
        if self.tagged:
            pass
        elif example_lead(stripped):
            self.example, self.example_indent, self.example_in_list = True, indent, bool(_LIST_ITEM.match(line))
        elif self.example and self._ends_example(line, indent):
            self.example = False
        return self.transcript or self.qa_section or self.example or self.output_spec

    def _ends_example(self, line: str, indent: int) -> bool:
        """A heading, a section tag, a template variable, or a list item no deeper than the example's lead."""
        if _MD_HEADING.match(line) or _SECTION_TAG.match(line) or _VARIABLE_LINE.search(line):
            return True
        sibling = self.example_in_list and indent == self.example_indent and bool(_LIST_ITEM.match(line))
        return indent < self.example_indent or sibling

    def _sections(self, line: str) -> None:
        heading = _MD_HEADING.match(line)
        tag = _SECTION_TAG.match(line)
        if heading:
            self.qa_section = bool(_QA_HEADING.match(line))
            self._open("#", heading.group(1))
        elif tag and not tag.group(1):
            self.sections.append((tag.group(2), *_kinds(tag.group(2).replace("_", " "))))
        elif tag:
            while self.sections and self.sections.pop()[0] not in (tag.group(2),):
                pass
        elif _is_title(line):
            self._open("#", line)
        self.recap = any(recap for _, recap, _ in self.sections)
        self.output_spec = any(spec for _, _, spec in self.sections)

    def _open(self, name: str, title: str) -> None:
        """A heading or title line replaces the previous one (tag sections stay open around it)."""
        self.sections = [s for s in self.sections if s[0] != "#"] + [(name, *_kinds(title))]


def _numbered_heading(line: str) -> str | None:
    """A Markdown heading that carries a number ("## [Tool Call Accuracy: 4]", "### Step 2"), as written."""
    heading = _MD_HEADING.match(line)
    return heading.group(1).strip() if heading and re.search(r"\d", heading.group(1)) else None


def _kinds(title: str) -> tuple[bool, bool]:
    """Whether a section title names a recap, and whether it names an output specification."""
    return bool(_RECAP.search(title)), bool(_OUTPUT_SPEC.match(title.strip().rstrip(":").strip("*_#< >")))


def _is_title(line: str) -> bool:
    """A plain title line: a few words ending in a colon at the start of a line ("Deliverables:")."""
    stripped = line.strip().strip("*_")
    return line[:1] not in " \t-*•" and stripped.endswith(":") and len(stripped.split()) <= 6

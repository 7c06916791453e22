"""Which sentences PA101 and PA102 compare at all: the precision guards, measured on real prompts.

On real system prompts most "repeats" are structure, not waste (docs/rules.md has the measured figures).
Each guard below is a named function; a sentence that any guard claims is never compared, so it can
neither be flagged nor make another sentence a repeat:

``tool_schema``
    Text of a tool definition (a chat file's ``tools``): parameter docs repeat their wording by design.
``transcript``
    Worked dialogues: lines from a speaker label (``Q:``, ``A:``, ``User:``, ``AI:``, ``Observation:``,
    ``Thought:``, ...) to the next blank line, and ``## Q(user)``-style headings with what follows them.
``example``
    Example blocks: ``<example>`` tags, and from a short lead-in ("Example:", "For example:", "Here are
    some examples") to the next heading, section tag or template variable.
``markup_only``
    Nothing but tags, template syntax and punctuation (``</userRequest>``, ``{% endif %}``).
``template_logic``
    Fewer than ``min_words`` words once template syntax is removed (``{{ agent.name }}: {{ agent.description }}``).
``heading_like``
    A short line in capitals, or a short lead-in ending with a colon ("Chat History:").
``key_value``
    ``key: value`` and parameter-list sentences (``path: (required) The path ...``, ```mode` - one of ...``,
    ```input` → Fill a field``), except emphasis keys such as ``IMPORTANT:`` or ``Note:``. When the key is an
    identifier (``linked_memory_ids``), every sentence on its line is a parameter doc.
``question``
    A question ("What is your next thought or action?"): checklists, closing prompts and example queries ask
    again on purpose.
``example_sentence``
    A sentence that opens an example ("For example, if ...", "Similarly, if you want ...").
``template_branches``
    Two sentences in different branches of one ``{% if %}``/``{% else %}`` block: only one is ever sent.
``output_spec``
    Lines of a section that specifies the output ("Deliverables:", "## Output format", ``<output_format>``):
    its items name what to return, in parallel with the task items they echo, not a second instruction.
``numbered_levels``
    Two sentences under different numbered headings ("## [Score: 4]" / "## [Score: 5]", "Step 1" / "Step 2")
    are not compared: each level of a rubric or step of a procedure is read on its own.
``code_like``
    Code outside fences: assignments, calls, ``def``/``import``/``RUN`` lines, numbered source listings,
    JSON fragments (a high share of brackets, quotes and operators).

``list_lead_in``
    A sentence with no full stop that ends its line right before a list: it introduces the list.

One more guard marks rather than drops: ``recap_section``. A sentence inside a section named like a recap
(summary, reminder, recap, "most important", key points) restates on purpose; its finding is lowered to ``info`` with a "recap?" note, so it never adds savings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from promptaudit.lint.rules._lexicon import content_word
from promptaudit.reading.sentences import HEADING, ITEM, Sentence

_SPEAKER = re.compile(
    r"\s*(?:[-*>]\s*)?(?:\*\*)?(?:q|a|user|human|ai|assistant|system|bot|agent|customer|observation|thought|action|"
    r"action input|final answer|follow up|intermediate answer|person ?#?\d+|khoj|response|output|question|answer|"
    r"(?:user )?query|plan)"
    r"(?:\*\*)?\s*:",
    re.IGNORECASE,
)
_QA_HEADING = re.compile(r"\s*#{1,6}\s*[QA]\b")
_EXAMPLE_LEAD = re.compile(
    r"\W*(?:here (?:is|are) (?:an? |some |a few )?)?(?:examples?|for example|for instance|sample|e\.g\.)\b", re.I
)
_EXAMPLE_TAG = re.compile(r"\s*<(/?)examples?\b[^>]*>", re.IGNORECASE)
_SECTION_TAG = re.compile(r"\s*<(/?)([A-Za-z_][\w.-]*)[^>]*>\s*$")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(.*)")
_VARIABLE_LINE = re.compile(r"\{\{[^}]*\}\}|\{[A-Za-z_]\w*\}|\$\{?[A-Za-z_]\w*")
_OUTPUT_SPEC = re.compile(
    r"^\W*(?:deliverables?|outputs?(?: format| structure| requirements)?|response format|expected output|"
    r"return format|report (?:structure|format)|output_format|response_format)\W*$",
    re.I,
)
_RECAP = re.compile(r"summary|summari[sz]e|reminder|recap|most important|key points|tl;?dr|remember", re.I)
_TAG = re.compile(r"</?[A-Za-z_][\w:.-]*[^<>]*>")
_TEMPLATE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|\{[A-Za-z_][\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|%\(\w+\)s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_KEY_VALUE = re.compile(
    r"\s*(?:[-*•]\s*|\d{1,3}[.)]\s*)?[`*_\"']*([A-Za-z_][\w .#/()'`+-]{0,40}?)[`*_\"']*\s*(?:\([^)]*\))?\s*"
    r"(?::|\s[-–—]\s|\s*(?:→|->|=>)\s*)\s*\S"
)
_EMPHASIS_KEYS = frozenset(
    "important note notes warning critical remember reminder tip rule rules never always caution attention nb "
    "must mandatory requirement constraints constraint goal objective task instructions instruction".split()
)
_CODE_START = re.compile(
    r"\s*(?:def|class|import|from|return|const|let|var|function|async|await|print|if __name__|RUN|COPY|FROM|CMD|ENV|"
    r"WORKDIR|SELECT|INSERT|UPDATE|DELETE|CREATE|MATCH)\b|\s*\d+\s*\||\s*[{}\[\]]|\s*//|\s*#!|\s*\$ "
)
_EXAMPLE_SENTENCE = re.compile(r"\W*(?:for example|for instance|e\.g\.|similarly, if)\b", re.I)
_BRANCH = re.compile(r"\{%-?\s*(if|elif|else|endif)\b")
_CODE_SYMBOLS = re.compile(r"[(){}\[\]=<>;|\"\\+*/]")


@dataclass(frozen=True)
class Comparable:
    """A sentence the redundancy rules compare, and whether it sits in a recap section."""

    sentence: Sentence
    recap: bool = False
    branch: tuple = ()
    """Open ``{% if %}`` blocks around the sentence: ``(block number, branch number)`` pairs."""
    level: str | None = None
    """The numbered section the sentence is in ("## [Score: 4]"), if its heading carries a number."""


def exclusive(a: Comparable, b: Comparable) -> bool:
    """Whether two sentences are never read as one instruction twice: they sit in different branches of one
    ``{% if %}`` block (only one is sent), or in different numbered sections (``numbered_levels``: score
    levels of a rubric, Step 1 / Step 2) that define each level on its own."""
    branches = dict(a.branch)
    if any(block in branches and branches[block] != branch for block, branch in b.branch):
        return True
    return a.level is not None and b.level is not None and a.level != b.level


def comparable(ctx, min_words: int) -> list[Comparable]:
    """The sentences of ``ctx`` no guard claims, in order (computed once per prompt and ``min_words``)."""
    memo = ctx.__dict__.setdefault("_guarded", {})
    if min_words not in memo:
        found = regions(ctx)
        memo[min_words] = [
            Comparable(s, found.in_recap(s.start), found.branch(s.start), found.level(s.start))
            for s in ctx.sentences()
            if s.kind != HEADING
            and not found.excluded(s.start)
            and not guarded(s.text, min_words)
            and not list_lead_in(ctx.text, s)
        ]
    return memo[min_words]


def guarded(text: str, min_words: int) -> bool:
    """Whether one sentence, on its own, is structure rather than prose (see the module docstring)."""
    if markup_only(text) or template_logic(text, min_words):
        return True
    bare = " ".join(_TEMPLATE.sub(" ", text).split())
    return heading_like(bare) or key_value(bare) or code_like(bare) or question(bare) or example_sentence(bare)


def list_lead_in(text: str, sentence: Sentence) -> bool:
    """``list_lead_in`` guard: a sentence with no full stop that ends its line right before a list ("LaTeX
    delimiters as following" + bullets) introduces the list; it is structure, like a heading. In a list item,
    only a list nested deeper counts (the next sibling item is not introduced by this one)."""
    if sentence.text.rstrip("*_ ").endswith((".", "!", "?")):
        return False
    rest = text[sentence.end :]
    if rest.split("\n", 1)[0].strip():
        return False
    following = next((line for line in rest.split("\n")[1:] if line.strip()), "")
    if not _LIST_ITEM.match(following):
        return False
    own = text[text.rfind("\n", 0, sentence.start) + 1 : sentence.start]
    return sentence.kind != ITEM or _indent(following) > _indent(own)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def question(text: str) -> bool:
    """A question rather than an instruction."""
    return text.rstrip("*_ )\"'").endswith("?")


def example_sentence(text: str) -> bool:
    """A sentence that opens an example."""
    return bool(_EXAMPLE_SENTENCE.match(text))


def markup_only(text: str) -> bool:
    """Nothing but tags, template syntax and punctuation."""
    return not _WORD.search(_TEMPLATE.sub(" ", _TAG.sub(" ", text)))


def template_logic(text: str, min_words: int) -> bool:
    """Fewer than ``min_words`` words outside template syntax and tags."""
    return len(_WORD.findall(_TEMPLATE.sub(" ", _TAG.sub(" ", text)))) < min_words


def heading_like(text: str) -> bool:
    """A short line in capitals, or a short lead-in that ends with a colon."""
    words = _WORD.findall(text)
    if len(words) <= 8 and text.rstrip("*_ ").endswith(":"):
        return True
    letters = [c for c in text if c.isalpha()]
    if text.rstrip("*_ ").endswith((".", "!", "?")):  # a sentence in capitals is shouted, not a heading
        return False
    return len(words) <= 8 and len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def key_value(text: str) -> bool:
    """A ``key: value`` or parameter-list line, unless the key is an emphasis word (``IMPORTANT:``)."""
    match = _KEY_VALUE.match(text)
    if match is None:
        return False
    key = match.group(1).strip().lower()
    return len(key.split()) <= 4 and key not in _EMPHASIS_KEYS and not key.startswith(("http", "e.g", "i.e"))


def parameter_line(line: str) -> bool:
    """A ``key: value`` line whose key is an identifier (``path``, ``linked_memory_ids``, ```mode```): every
    sentence on it documents a parameter or a field."""
    match = _KEY_VALUE.match(line)
    if match is None or not key_value(line):
        return False
    key = match.group(1).strip()
    return " " not in key and (key.islower() or "_" in key or "." in key or any(c.isupper() for c in key[1:]))


def prose(text: str) -> str:
    """The text without template syntax and tags, what PA102 reads the meaning of."""
    return " ".join(_TAG.sub(" ", _TEMPLATE.sub(" ", text)).split())


def code_like(text: str) -> bool:
    """Code outside a fence: a code keyword or listing at the start, or mostly brackets and operators."""
    if _CODE_START.match(text):
        return True
    letters = sum(c.isalpha() for c in text)
    return len(_CODE_SYMBOLS.findall(text)) >= max(3, 0.12 * letters)


def regions(ctx) -> _Regions:
    """The line-level facts of a prompt (computed once per prompt)."""
    memo = ctx.__dict__.setdefault("_guarded", {})
    if "regions" not in memo:
        memo["regions"] = _Regions(ctx)
    return memo["regions"]


_SLOT_TOKEN = re.compile(r"\w+(?:[./-]\w+)*")  # file.md, a/b, snake-case; no trailing full stop


def template_slot_parallel(a: str, b: str) -> bool:
    """Whether two sentences are equal but for one or two substituted content words or identifiers.

    Each change must replace at most two tokens with at most two, with a content word (not a stopword or
    negation) on both sides whose canonical forms differ: "to read" / "to modify" is a parallel item,
    "never" / "do not" is not a substitution of content.
    """
    x, y = _SLOT_TOKEN.findall(a.lower()), _SLOT_TOKEN.findall(b.lower())
    changes = [op for op in SequenceMatcher(a=x, b=y, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not 0 < len(changes) <= 2:
        return False
    return all(
        tag == "replace" and i2 - i1 <= 2 and j2 - j1 <= 2 and _substituted(x[i1:i2], y[j1:j2])
        for tag, i1, i2, j1, j2 in changes
    )


def _substituted(old: list[str], new: list[str]) -> bool:
    """Both sides carry content, and different content."""
    before = {content_word(w) for w in old} - {""}
    after = {content_word(w) for w in new} - {""}
    return bool(before) and bool(after) and before != after


class _Regions:
    """Line-level facts about a prompt: tool parts, transcripts, examples and recap sections."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.line_starts: list[int] = []
        self.excluded_lines: set[int] = set()
        self.recap_lines: set[int] = set()
        self.example_lines: set[int] = set()
        self.levels: list[str | None] = []
        self.branch_starts: list[int] = []
        self.branches: list[tuple] = []
        self._scan(ctx.text)
        self._branches(ctx.text)

    def _line(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.line_starts, offset) - 1

    def excluded(self, offset: int) -> bool:
        return self._line(offset) in self.excluded_lines or self._in_tool(offset)

    def level(self, offset: int) -> str | None:
        """The numbered heading over ``offset`` ("## [Score: 4]"), if any."""
        return self.levels[self._line(offset)]

    def in_example(self, offset: int) -> bool:
        """Inside an example block (a transcript line may be the live request's slot, so it is not one)."""
        return self._line(offset) in self.example_lines

    def branch(self, offset: int) -> tuple:
        """The ``{% if %}`` branches open at ``offset``."""
        import bisect

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
            if state.step(line):
                self.excluded_lines.add(number)
                if state.example:
                    self.example_lines.add(number)
            elif parameter_line(" ".join(_TEMPLATE.sub(" ", line).split())):
                self.excluded_lines.add(number)
            if state.recap:
                self.recap_lines.add(number)


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
        elif _EXAMPLE_LEAD.match(line) and len(stripped.split()) <= 10:
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

"""Parse prompt files into prompts made of parts (plain text, template pieces, chat messages, tools).

Every command reads prompts through :func:`promptaudit.reading.loading.load_prompts`, so count, project and audit agree on what a
prompt is. A plain text file is one prompt with one part; a YAML or JSON chat request (OpenAI or
Anthropic style) becomes one part per tool, system block and message content block, in the order the
provider caches them (tools, then system, then messages). The parsers live in :mod:`promptaudit.reading.formats`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from promptaudit.reading.templates import DEFAULT, NONE, Placeholders

STRUCTURED_EXTENSIONS = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Variable:
    """One template placeholder as written: its name, 1-based file line and the placeholder text."""

    name: str
    line: int
    text: str

    def to_json(self) -> dict:
        return {"name": self.name, "line": self.line}


@dataclass(frozen=True)
class Part:
    """One billed piece of a prompt: a file's text, a chat message (or one of its blocks), a tool schema, ..."""

    label: str
    text: str
    line: int = 1
    """1-based line in the original file where ``text`` starts."""
    kind: str = "text"
    """``text`` (a plain or template file), ``system``, ``message`` or ``tool``."""
    role: str | None = None
    """The chat role (``system``, ``user``, ``assistant``, ``tool``, ...) for messages."""
    author: str | None = None
    """The OpenAI message ``name`` field, which the chat format bills (1 token plus the name)."""
    message: int | None = None
    """Index of the chat message this part belongs to (several blocks may share one message)."""
    cache_breakpoint: str | None = None
    """Anthropic ``cache_control`` on this block: its TTL (``5m`` or ``1h``), else None."""
    templated: bool = True
    """False for text that is never a template (tool schemas, tool calls): no variables looked for."""
    placeholders: Placeholders = DEFAULT
    """The placeholder syntax of ``text`` (see :mod:`promptaudit.reading.templates`); chosen per file."""
    lines_match: bool = True
    """True when ``text``'s line breaks are the file's (plain files, YAML ``|`` blocks, triple-quoted
    strings), so a variable's line is ``line`` plus the newlines before it; False when the text was
    written on one line with escapes (a JSON string), where every variable is on ``line``."""
    variable_spans: tuple[tuple[int, int, str], ...] = ()
    """Variables a reader located itself, as ``(start, end, name)`` offsets into ``text`` (f-string fields
    read from Python's syntax tree); when given, they are the variables and ``placeholders`` is not scanned."""
    source: object | None = field(default=None, compare=False)
    """For text read from Python code: the :class:`promptaudit.reading.code.text.Text` it came from, which
    knows the file, line and column of every character (the text may be assembled from several literals)."""
    span: object | None = field(default=None, compare=False)
    """For a JSON string or a YAML ``|`` block: the :class:`promptaudit.reading.formats.spans.StringSpan` that
    knows the file line and column of every character (escapes and indentation included)."""

    @property
    def locator(self):
        """What maps an offset in :attr:`text` to ``(path, line, column)`` in the file, if anything does."""
        return self.source if self.source is not None else self.span

    @property
    def syntax(self) -> Placeholders:
        """The placeholders in effect: none at all for text that is never a template."""
        return self.placeholders if self.templated else NONE

    def segments(self) -> tuple:
        """The text's template segments (:class:`promptaudit.reading.templates.Segment`), in order.

        Computed once per part (counting asks for them several times; a file can hold 20,000 prompts)."""
        found = self.__dict__.get("_segments")
        if found is None:
            from promptaudit.reading.templates import from_spans, split

            templated = self.variable_spans and self.templated
            found = from_spans(self.text, self.variable_spans) if templated else split(self.text, self.syntax)
            self.__dict__["_segments"] = found  # a frozen dataclass: a cache beside its fields, not a field
        return found

    @functools.cached_property
    def static(self) -> bool:
        """True when nothing in the part changes between requests (no variable, no template logic)."""
        return not any(segment.dynamic for segment in self.segments())

    @functools.cached_property
    def variables(self) -> tuple[Variable, ...]:
        """The part's template variables, in order, each with its line in the file."""
        from promptaudit.reading.templates import VARIABLE

        found = [s for s in self.segments() if s.kind == VARIABLE]
        return tuple(Variable(s.name, self._line_of(s.start), s.text) for s in found)

    def _line_of(self, offset: int) -> int:
        return self.line + (self.text.count("\n", 0, offset) if self.lines_match else 0)


@dataclass
class Prompt:
    """One prompt as a provider would bill it."""

    path: str
    parts: list[Part]
    name: str | None = None
    kind: str = "text"
    """``text``, ``template`` (has variables) or ``chat`` (a message file)."""
    model: str | None = None
    max_tokens: int | None = None
    notes: list[str] = field(default_factory=list)
    provider_format: str | None = None
    """``openai`` or ``anthropic`` for chat files; None for text and templates."""
    unparsed: str | None = None
    """For a .json/.yaml file that did not parse as a prompt document: where and why (``line 2, column 1:
    invalid JSON: Extra data``); the file is then counted as plain text. None otherwise."""
    values: dict[str, str] = field(default_factory=dict)
    """Template variable values bound by :func:`promptaudit.reading.formats.variables.bind` (``--var``, config)."""
    origin: object | None = None
    """For prompts read from Python code: the SDK call, template or constant they come from
    (:mod:`promptaudit.reading.code.found`), with its line and column."""
    unresolved: str | None = None
    """For a code call (or template) whose texts are only known at run time: why (``prompt not resolved: built
    at run time``); it then has no parts and counts 0 tokens. None otherwise."""

    @property
    def display(self) -> str:
        """How reports name this prompt: the path, plus ``#name`` inside multi-prompt files."""
        return f"{self.path}#{self.name}" if self.name else self.path

    @property
    def text(self) -> str:
        """All parts' text joined, for rules and for counting plain prompts."""
        return "\n".join(part.text for part in self.parts)

    @property
    def tools(self) -> list[Part]:
        """The tool and function definitions (their schemas are billed as input on every request)."""
        return [part for part in self.parts if part.kind == "tool"]

    @property
    def messages(self) -> int:
        """How many chat messages the prompt sends (0 for plain text)."""
        return len({part.message for part in self.parts if part.message is not None})

    def static_prefix(self) -> str:
        """The text a provider's prompt cache can reuse, in cache order (tools, system, messages).

        It ends at the first template variable or statement; a part holding one contributes the text
        before it.
        """
        from promptaudit.reading.templates import static_prefix

        kept = []
        for part in self.parts:
            if part.static:
                kept.append(part.text)
                continue
            kept.append(static_prefix(part.text, part.syntax))
            break
        return "\n".join(kept)

    def static_prefix_parts(self) -> list[Part]:
        """The parts wholly inside :meth:`static_prefix` (every part before the first variable)."""
        kept = []
        for part in self.parts:
            if not part.static:
                break
            kept.append(part)
        return kept

    @property
    def chars(self) -> int:
        return sum(len(part.text) for part in self.parts)

    @property
    def variables(self) -> list[Variable]:
        """Every template variable of every part, in order."""
        return [variable for part in self.parts for variable in part.variables]


def parse_text(path: str, text: str, placeholders: Placeholders = DEFAULT) -> list[Prompt]:
    """Turn decoded file text into prompts (plain text or a template: one prompt, one part)."""
    part = Part(label="", text=text, placeholders=placeholders)
    return [Prompt(path=path, parts=[part], kind="text" if part.static else "template")]

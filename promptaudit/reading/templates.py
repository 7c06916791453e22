"""Template placeholders, decided per file: which syntax a text uses is declared, never guessed.

A text is split into segments that cover all of it: ``static`` text (billed as written), ``variable``
placeholders (text inserted by the caller), ``logic`` (statements and sections: they decide what is sent
but are not sent themselves) and ``markup`` (comments and raw-block tags: never sent, never dynamic).

Syntaxes (:data:`SYNTAXES`):

``jinja``
    ``{{ name }}`` (filters and calls allowed), ``{% ... %}`` statements, ``{# ... #}`` comments and
    ``{% raw %}`` blocks. Mustache tags inside ``{{ }}`` (``{{#x}}``, ``{{/x}}``, ``{{^x}}``, ``{{!x}}``,
    ``{{>x}}``, ``{{{x}}}``, ``{{&x}}``) are understood too. A ``{{ }}`` that is not a Jinja expression
    (``style={{ marginTop: 8 }}`` in JSX, ``{{ double braces }}`` in prose) is text. Names bound inside the
    template (``{% set %}``, ``{% for %}`` targets, macro arguments, ``loop``) are not inputs: their
    placeholders are logic. This is the default for every file.
``mustache``
    The ``{{ }}`` half of the above, without ``{% %}`` and ``{# #}``.
``python-format``
    ``str.format``/LangChain f-string templates: ``{name}``, ``{name.attr}``, ``{name!r:>10}``; ``{{`` and
    ``}}`` are escaped braces (they render as one brace).
``dollar``
    ``string.Template``/shell style: ``$name`` and ``${name}``; ``$$`` is an escaped dollar.
``angle``
    ``<name>``: a single identifier, not an HTML tag and never closed by ``</name>`` in the same text.

XML-style tags are prompt structure and are never variables unless ``angle`` is declared. With the
default (:data:`DEFAULT`), placeholders inside Markdown code (fenced blocks and inline backticks) are text:
code samples show template syntax far more often than they template. A declared syntax (config glob, a
template extension such as ``.j2``, or a document's ``template_format``) applies everywhere, code
included, because the template engine renders the whole file. Every scanner is linear in the text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from promptaudit.reading.codespans import code_spans, inside
from promptaudit.reading.placeholders import LOGIC, MARKUP, SCANNERS, STATIC, VARIABLE, Match

__all__ = ["LOGIC", "MARKUP", "STATIC", "VARIABLE", "Placeholders", "Segment", "split", "variables"]

SYNTAXES = ("jinja", "mustache", "python-format", "dollar", "angle")
ALIASES = {
    "jinja2": "jinja",
    "handlebars": "mustache",
    "f-string": "python-format",
    "fstring": "python-format",
    "langchain": "python-format",
    "format": "python-format",
    "string-template": "dollar",
}


@dataclass(frozen=True)
class Placeholders:
    """Which placeholder syntaxes a text uses, and whether they apply inside Markdown code too."""

    syntaxes: tuple[str, ...] = ("jinja",)
    in_code: bool = False

    @property
    def label(self) -> str:
        """How reports name the choice: ``jinja (outside code)``, ``python-format``, ``none``."""
        names = "+".join(self.syntaxes) or "none"
        return names if self.in_code or not self.syntaxes else f"{names} (outside code)"


DEFAULT = Placeholders()
NONE = Placeholders(())
EXTENSIONS = {
    ".j2": "jinja",
    ".jinja": "jinja",
    ".jinja2": "jinja",
    ".mustache": "mustache",
    ".hbs": "mustache",
    ".handlebars": "mustache",
}
"""File extensions that declare a syntax (applied everywhere in the file)."""


def syntax_name(name: str) -> str | None:
    """The canonical syntax for a user-written name (``f-string`` -> ``python-format``), or None."""
    key = name.strip().lower()
    return key if key in SYNTAXES else ALIASES.get(key)


def declared(names: tuple[str, ...] | list[str]) -> Placeholders:
    """Placeholders for a declared list of syntax names (``none`` or an empty list: no placeholders)."""
    chosen = tuple(dict.fromkeys(n for n in (syntax_name(x) for x in names) if n))
    return Placeholders(chosen, in_code=True) if chosen else NONE


def for_extension(path: str) -> Placeholders | None:
    """The syntax a template extension declares (``x.md.j2`` -> jinja), else None."""
    lower = path.lower()
    return next((declared([s]) for ext, s in EXTENSIONS.items() if lower.endswith(ext)), None)


@dataclass(frozen=True)
class Segment:
    """A run of text: ``kind`` is static, variable, logic or markup; ``value`` is what an escape renders as."""

    kind: str
    text: str
    start: int
    name: str | None = None
    value: str | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def dynamic(self) -> bool:
        """True when the segment can change between requests (a variable or template logic)."""
        return self.kind in (VARIABLE, LOGIC)

    @property
    def rendered(self) -> str:
        """The text it renders as with no value bound: static text (escapes resolved), else nothing."""
        if self.kind != STATIC:
            return ""
        return self.text if self.value is None else self.value


def split(text: str, placeholders: Placeholders = DEFAULT) -> tuple[Segment, ...]:
    """Split ``text`` into segments covering all of it, in order (memoised: rules ask again and again)."""
    return _split(text, placeholders)


@functools.lru_cache(maxsize=512)
def _split(text: str, placeholders: Placeholders) -> tuple[Segment, ...]:
    matches: list[Match] = []
    for syntax in placeholders.syntaxes:
        matches += SCANNERS[syntax](text)
    if not placeholders.in_code and matches:
        spans = code_spans(text)
        matches = [m for m in matches if not inside(spans, m[0])]
    return _segments(text, _non_overlapping(matches))


def _non_overlapping(matches: list[Match]) -> list[Match]:
    kept: list[Match] = []
    for match in sorted(matches):
        if not kept or match[0] >= kept[-1][1]:
            kept.append(match)
    return kept


def _segments(text: str, matches: list[Match]) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    position = 0
    for start, end, kind, name, value in matches:
        if start > position:
            segments.append(Segment(STATIC, text[position:start], position))
        segments.append(Segment(kind, text[start:end], start, name, value))
        position = end
    if position < len(text):
        segments.append(Segment(STATIC, text[position:], position))
    return tuple(segments)


def from_spans(text: str, spans: tuple[tuple[int, int, str], ...]) -> tuple[Segment, ...]:
    """Segments from variables a reader located itself (``(start, end, name)``, in any order)."""
    matches = [(start, end, VARIABLE, name, None) for start, end, name in spans if 0 <= start < end <= len(text)]
    return _segments(text, _non_overlapping(matches))


def variables(text: str, placeholders: Placeholders = DEFAULT) -> list[Segment]:
    """The variable segments of ``text``, in order."""
    return [s for s in split(text, placeholders) if s.kind == VARIABLE]


def is_static(text: str, placeholders: Placeholders = DEFAULT) -> bool:
    """True when nothing in ``text`` changes between requests (no variable, no template logic)."""
    return not any(s.dynamic for s in split(text, placeholders))


def static_prefix(text: str, placeholders: Placeholders = DEFAULT) -> str:
    """Everything before the first variable or statement: the part a provider's prompt cache can reuse."""
    first = next((s for s in split(text, placeholders) if s.dynamic), None)
    return text if first is None else text[: first.start]


def static_text(text: str, placeholders: Placeholders = DEFAULT) -> str:
    """The text as rendered with every variable and statement left out (escapes resolved)."""
    return "".join(s.rendered for s in split(text, placeholders))


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column

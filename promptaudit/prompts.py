"""Parse prompt files into prompts made of parts (plain text, template pieces, chat messages, tools).

Every command reads prompts through :func:`load_prompts`, so count, project and audit agree on what a
prompt is. A plain text file is one prompt with one part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from promptaudit.sources import Source, read_text


@dataclass(frozen=True)
class Part:
    """One billed piece of a prompt: a file's text, a chat message, a tool schema, ..."""

    label: str
    text: str
    line: int = 1
    """1-based line in the original file where ``text`` starts."""


@dataclass
class Prompt:
    """One prompt as a provider would bill it."""

    path: str
    parts: list[Part]
    name: str | None = None
    kind: str = "text"
    model: str | None = None
    max_tokens: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def display(self) -> str:
        """How reports name this prompt: the path, plus ``#name`` inside multi-prompt files."""
        return f"{self.path}#{self.name}" if self.name else self.path

    @property
    def text(self) -> str:
        """All parts' text joined, for rules and for counting plain prompts."""
        return "\n".join(part.text for part in self.parts)

    def static_prefix(self) -> str:
        """The text a provider's prompt cache can reuse: everything before the first template variable."""
        from promptaudit.templates import static_prefix

        return static_prefix(self.text)

    @property
    def chars(self) -> int:
        return sum(len(part.text) for part in self.parts)


def parse_text(path: str, text: str) -> list[Prompt]:
    """Turn decoded file text into prompts (plain text: one prompt, one part)."""
    return [Prompt(path=path, parts=[Part(label="", text=text)])]


def load_prompts(source: Source) -> list[Prompt]:
    """Read one source and parse it into prompts; raises InputError for unreadable input."""
    return parse_text(source.path, read_text(source))

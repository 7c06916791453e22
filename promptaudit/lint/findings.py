"""What a rule reports: a ``Problem`` from the rule, stamped by the linter into a ``Finding``.

Severities are ordered ``info < warning < error``; ``--fail-on`` compares with :func:`at_or_above`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

SEVERITIES = ("info", "warning", "error")
CATEGORIES = ("input", "redundancy", "caching", "size", "output", "model", "routing")


def severity_rank(severity: str) -> int:
    """Position of ``severity`` in the order info < warning < error (ValueError if unknown)."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Edit:
    """A change ``promptaudit fix`` makes: ``[start, end)`` of the prompt's text (offsets into
    :attr:`promptaudit.lint.linter.RuleContext.text`) replaced by ``replacement`` ("" deletes)."""

    start: int
    end: int
    replacement: str = ""


@dataclass(frozen=True)
class Problem:
    """What a rule's ``check()`` yields: where, what, how to fix, and the tokens a fix removes per request.

    ``severity`` is optional: a rule may lower one problem (a far-too-short prompt gets only ``info``);
    a severity set in config still wins.
    """

    line: int
    column: int
    message: str
    fix: str = ""
    tokens_saved: int = 0
    severity: str | None = None
    end_line: int | None = None
    end_column: int | None = None
    """Where the flagged text ends (the column after its last character); None when it has no extent."""
    edit: Edit | None = None
    """The certain fix of a ``FIXABLE`` rule's problem (see the rule protocol), else None: reported only."""


@dataclass(frozen=True)
class Finding:
    """One reported problem with its rule, place (1-based line and column) and per-request token saving.

    ``tokens_saved`` counts, for the target model, the tokens of the exact text a fix would remove
    (0 for rules whose fix saves money without removing text, such as caching rules). ``end_line`` and
    ``end_column`` close the flagged text (exclusive, as SARIF's ``endColumn``); None for findings about
    the whole prompt.
    """

    rule: str
    name: str
    category: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    fix: str = ""
    tokens_saved: int = 0
    end_line: int | None = None
    end_column: int | None = None

    def to_json(self) -> dict:
        """A JSON-safe dict with every field (built directly: ``asdict`` deep-copies, slow for 100k findings)."""
        return {name: getattr(self, name) for name in _FINDING_FIELDS}

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule)


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


def at_or_above(findings: list[Finding], level: str) -> list[Finding]:
    """The findings whose severity is ``level`` or worse."""
    floor = severity_rank(level)
    return [f for f in findings if severity_rank(f.severity) >= floor]

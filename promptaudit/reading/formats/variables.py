"""Template variable values: ``--var name=value``, then the config's ``vars:``, then a labelled default.

The count of a part as written is exact and primary. This module gives the *rendered* overlay: the
part's text with each variable replaced by its value; a variable with no value counts as
:data:`DEFAULT_VARIABLE_TOKENS` tokens, and a rendered count that uses the default is an estimate.
Jinja statements (``{% if %}``), Mustache sections and comments render to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from promptaudit.errors import UsageError

DEFAULT_VARIABLE_TOKENS = 50
"""Tokens assumed for a variable with no value: a short paragraph of user input (an estimate)."""


@dataclass(frozen=True)
class Rendered:
    """A part's text with its variables filled in, and the variables that fell back to the default."""

    text: str
    defaulted: tuple[str, ...] = ()

    @property
    def default_tokens(self) -> int:
        """Tokens assumed for the defaulted variables."""
        return DEFAULT_VARIABLE_TOKENS * len(self.defaulted)


def parse_assignments(items: list[str] | None) -> dict[str, str]:
    """``["name=value", ...]`` from ``--var`` into a dict; UsageError for an item without ``=``."""
    values = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var expects name=value, got {item!r}")
        values[name.strip()] = value
    return values


def merge(cli_values: dict[str, str], config_values: dict | None) -> dict[str, str]:
    """Config ``vars:`` overridden by ``--var`` (values become strings)."""
    merged = {str(k): "" if v is None else str(v) for k, v in (config_values or {}).items()}
    merged.update(cli_values)
    return merged


def bind(prompts: list, cli_values: dict[str, str] | None = None, config_values: dict | None = None) -> None:
    """Give every prompt the variable values to count with (``Prompt.values``)."""
    values = merge(cli_values or {}, config_values)
    for prompt in prompts:
        prompt.values = values


def _lookup(name: str, values: dict[str, str]) -> str | None:
    if name in values:
        return values[name]
    return values.get(name.split(".", 1)[0].split("[", 1)[0])


def render(part, values: dict[str, str]) -> Rendered:
    """The text a provider is billed for ``part`` once its variables are filled in (an estimate without values).

    Statements, sections and comments render to nothing; escapes (``{{`` in python-format, ``$$``) to the
    character they stand for.
    """
    if part.static and all(s.value is None for s in part.segments()):
        return Rendered(part.text)
    from promptaudit.reading.templates import VARIABLE

    pieces, defaulted = [], []
    for segment in part.segments():
        if segment.kind != VARIABLE:
            pieces.append(segment.rendered)
            continue
        value = _lookup(segment.name, values)
        pieces.append("" if value is None else value)
        if value is None:
            defaulted.append(segment.name)
    return Rendered("".join(pieces), tuple(defaulted))

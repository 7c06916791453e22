"""Why a token count is not exact: the one vocabulary behind every ``~`` mark and its footnote.

A count is exact only when every token in it comes from a public tokenizer applied to text the provider
bills as written. Each way it can fall short has a key here, carried with the count from
:mod:`promptaudit.tokens.counting` to every report, so a footnote names the reason that applies (and only
that one). Claude counts reconstructed with ctok are marked ``≈`` instead (see ``report.common``).
"""

from __future__ import annotations

from collections.abc import Iterable

from promptaudit.reading.formats.variables import DEFAULT_VARIABLE_TOKENS

TOKENIZER = "tokenizer"
"""No public tokenizer for the model: the count is scaled from a public encoding."""
VARIABLES = "variables"
"""A template variable with no value was counted at the default estimate."""
TOOLS = "tools"
"""Tool definitions: the provider renders them into text it does not publish."""
FRAMING = "framing"
"""Claude's per-turn framing, estimated (Anthropic publishes no per-message rule)."""

ORDER = (TOKENIZER, VARIABLES, TOOLS, FRAMING)
FOOTNOTES = {
    TOKENIZER: "no public tokenizer for the model (scaled from a public encoding)",
    VARIABLES: f"template variables without a value, counted at ~{DEFAULT_VARIABLE_TOKENS} tokens each",
    TOOLS: "tool definitions, rendered as the provider bills them as closely as public evidence allows "
    "(docs/counting-and-templates.md gives the measured error)",
    FRAMING: "Claude turn framing, estimated at 3 tokens per turn after the first",
}


def combine(*groups: Iterable[str]) -> tuple[str, ...]:
    """The reasons of several counts together, in the fixed order of :data:`ORDER`."""
    found = {reason for group in groups for reason in group}
    return tuple(reason for reason in ORDER if reason in found)


def footnote(reasons: Iterable[str], mark: str = "~") -> str | None:
    """``~ marks an approximate count: <each reason that applies>.``; None when no count is approximate."""
    found = combine(reasons)
    if not found:
        return None
    return f"{mark} marks an approximate count: " + "; ".join(FOOTNOTES[reason] for reason in found) + "."

"""What sending each prompt once costs as input, per model: token counts joined with list prices.

Counting itself is :mod:`promptaudit.tokens.counting`; this module adds the price and the notes that
``count --detail`` shows (parse notes, defaulted variables, tool approximation, cache breakpoints).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.money import pricing
from promptaudit.reading.loading import default_note
from promptaudit.reading.prompts import Prompt
from promptaudit.tokens import tokenizers as tokens
from promptaudit.tokens.counting import PartCount, measure

CLAUDE_FRAMING_NOTE = (
    "≈ content reconstructed with ctok; framing: ctok's request frame once, plus an estimated 3 tokens per "
    "turn after the first (docs/claude-counts.md)"
)


@dataclass(frozen=True)
class ModelCount:
    """One prompt's token count for one model, with what sending it once costs as input."""

    model: str
    encoding: str
    tokens: int
    exact: bool
    input_cost_per_request: Decimal
    parts: tuple[PartCount, ...] = ()
    priming: int = 0
    rendered_tokens: int | None = None
    """Tokens with template variables filled in (``--var``/config values, else ~50 each); None = ``tokens``."""
    rendered_exact: bool | None = None
    method: str = "exact"
    """``exact``, ``reconstructed`` (Claude via ctok) or ``estimate``."""

    def to_json(self, detail: bool = False) -> dict:
        data = {
            "model": self.model,
            "encoding": self.encoding,
            "tokens": self.tokens,
            "exact": self.exact,
            "method": self.method,
            "rendered_tokens": self.tokens if self.rendered_tokens is None else self.rendered_tokens,
            "rendered_exact": self.exact if self.rendered_exact is None else self.rendered_exact,
            "input_cost_per_request": str(self.input_cost_per_request),
        }
        if detail:
            data["parts"] = [p.to_json() for p in self.parts]
            data["reply_priming"] = self.priming
        return data


@dataclass(frozen=True)
class PromptCount:
    """A prompt with its counts for every requested model."""

    prompt: Prompt
    counts: list[ModelCount]
    notes: tuple[str, ...] = ()
    """With ``detail``: the prompt's parse notes, defaulted variables and cache breakpoint analysis."""

    def to_json(self, detail: bool = False) -> dict:
        data = {
            "path": self.prompt.display,
            "chars": self.prompt.chars,
            "variables": [v.to_json() for v in self.prompt.variables],
            "counts": [c.to_json(detail) for c in self.counts],
        }
        if self.prompt.unparsed:
            data["read_as_text"] = self.prompt.unparsed
        if self.prompt.unresolved:
            data["unresolved"] = self.prompt.unresolved
        if detail:
            data.update(format=self.prompt.provider_format or self.prompt.kind, notes=list(self.notes))
        return data


def variables_note(prompt: Prompt, count: ModelCount) -> str:
    """Where the template variables are and the rendered estimate beside the exact count as written."""
    first_lines: dict[str, int] = {}
    for variable in prompt.variables:
        first_lines.setdefault(variable.name, variable.line)
    listed = [f"{name} (line {line})" for name, line in list(first_lines.items())[:8]]
    more = f" and {len(first_lines) - 8} more" if len(first_lines) > 8 else ""
    mark = "" if count.rendered_exact else "~"
    note = f"template variables {', '.join(listed)}{more}: rendered {mark}{count.rendered_tokens:,} tokens for {count.model}"
    defaulted = sorted({name for p in count.parts for name in p.defaulted})
    return f"{note}; {default_note(defaulted)}" if defaulted else note


def detail_notes(prompt: Prompt, counts: list[ModelCount], models: list[str]) -> tuple[str, ...]:
    """Notes for ``count --detail``: parse notes, defaulted variables, tool approximation, cache breakpoints."""
    from promptaudit.money import cache_breakpoints

    notes = list(prompt.notes)
    if prompt.variables and counts:
        notes.append(variables_note(prompt, counts[0]))
    if prompt.tools:
        notes.append("tool schemas counted as compact JSON: an approximation of how the provider renders tools")
    if prompt.provider_format == "anthropic" and any(tokens.tokenizer_for(c.model).reconstructed for c in counts):
        notes.append(CLAUDE_FRAMING_NOTE)
    if prompt.provider_format == "anthropic":
        notes += cache_breakpoints.notes(prompt, cache_breakpoints.analysis_model(prompt, models))
    return tuple(notes)


def _input_cost(model: str, input_tokens: int) -> Decimal:
    """Input cost of one request, at the price tier its size selects (a tier applies to all its tokens)."""
    return pricing.price_for(model, input_tokens).input_cost(input_tokens)


def count_prompts(prompts: list[Prompt], models: list[str], detail: bool = False) -> list[PromptCount]:
    """Count every prompt for every model; prices come from :mod:`promptaudit.money.pricing`.

    Each result carries :func:`detail_notes` (parse notes, defaulted variables, breakpoints); ``detail``
    is kept for callers that ask for it explicitly and no longer changes what is computed.
    """
    per_model = {}
    for model in models:
        label = tokens.tokenizer_for(model).label
        per_model[model] = [
            ModelCount(
                model,
                label,
                m.total,
                m.exact,
                _input_cost(model, m.total),
                m.parts,
                m.priming,
                m.rendered_total,
                m.rendered_exact,
                m.method,
            )  # fmt: skip
            for m in measure(prompts, model)
        ]
    results = [PromptCount(p, [per_model[m][i] for m in models]) for i, p in enumerate(prompts)]
    return [PromptCount(r.prompt, r.counts, detail_notes(r.prompt, r.counts, models)) for r in results]

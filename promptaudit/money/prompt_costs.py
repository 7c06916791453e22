"""What sending each prompt once costs as input, per model: token counts joined with list prices.

Counting itself is :mod:`promptaudit.tokens.counting`; this module adds the price and the notes that
``count --detail`` shows (parse notes, defaulted variables, tool approximation, cache breakpoints).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.money import pricing
from promptaudit.money.prompt_models import FROM_FILE_MARK, OPTION, ModelChoice
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
    approximations: tuple[str, ...] = ()
    """Why the count as written is not exact (:mod:`promptaudit.tokens.approximations`)."""
    rendered_approximations: tuple[str, ...] = ()
    model_from: str = OPTION
    """Where the model came from: ``file`` (the prompt names it), ``--model``, ``config`` or ``default``."""

    @property
    def label(self) -> str:
        """The model as tables show it, marked when the prompt's own file names it."""
        return f"{self.model} {FROM_FILE_MARK}" if self.model_from == "file" else self.model

    def to_json(self, detail: bool = False) -> dict:
        data = {
            "model": self.model,
            "model_from": self.model_from,
            "encoding": self.encoding,
            "tokens": self.tokens,
            "exact": self.exact,
            "method": self.method,
            "rendered_tokens": self.tokens if self.rendered_tokens is None else self.rendered_tokens,
            "rendered_exact": self.exact if self.rendered_exact is None else self.rendered_exact,
            "approximations": list(self.approximations),
            "rendered_approximations": list(self.rendered_approximations),
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
        notes.append(tools_note(prompt, counts))
    if prompt.provider_format == "anthropic" and any(tokens.tokenizer_for(c.model).reconstructed for c in counts):
        notes.append(CLAUDE_FRAMING_NOTE)
    if prompt.provider_format == "anthropic":
        notes += cache_breakpoints.notes(prompt, cache_breakpoints.analysis_model(prompt, models))
    return tuple(notes)


def _input_cost(model: str, input_tokens: int) -> Decimal:
    """Input cost of one request, at the price tier its size selects (a tier applies to all its tokens)."""
    return pricing.price_for(model, input_tokens).input_cost(input_tokens)


def tools_note(prompt: Prompt, counts: list[ModelCount]) -> str:
    """How the prompt's tool definitions were counted, for each kind of model it was counted at."""
    if prompt.provider_format == "openai" and any(tokens.tokenizer_for(c.model).exact for c in counts):
        return ("tool definitions counted as OpenAI renders functions (TypeScript-like declarations) plus a measured "
                "overhead: an approximation (docs/counting-and-templates.md gives its error)")  # fmt: skip
    return "tool schemas counted as compact JSON: an approximation of how the provider renders tools"


def _model_counts(model: str, prompts: list[Prompt], model_from: list[str]) -> list[ModelCount]:
    """Every prompt of one model's group counted in one batch."""
    label = tokens.tokenizer_for(model).label
    return [
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
            m.approximations,
            m.rendered_approximations,
            source,
        )  # fmt: skip
        for m, source in zip(measure(prompts, model), model_from)
    ]


def count_prompts(prompts: list[Prompt], choice: ModelChoice | list[str], detail: bool = False) -> list[PromptCount]:
    """Count every prompt at its models (:class:`ModelChoice`: its own, else the chosen; a list: those for all).

    Each model's prompts are counted in one batch. Each result carries :func:`detail_notes` (parse notes,
    defaulted variables, breakpoints); ``detail`` no longer changes what is computed.
    """
    if not isinstance(choice, ModelChoice):
        choice = ModelChoice(tuple(choice), OPTION)
    counted: dict[tuple[int, str], ModelCount] = {}
    for model in choice.needed(prompts):
        members = [i for i, p in enumerate(prompts) if model in choice.for_prompt(p)]
        sources = [choice.source_for(prompts[i]) for i in members]
        for i, count in zip(members, _model_counts(model, [prompts[i] for i in members], sources)):
            counted[(i, model)] = count
    results = [PromptCount(p, [counted[(i, m)] for m in choice.for_prompt(p)]) for i, p in enumerate(prompts)]
    return [PromptCount(r.prompt, r.counts, detail_notes(r.prompt, r.counts, [c.model for c in r.counts]))
            for r in results]  # fmt: skip

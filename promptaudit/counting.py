"""Count prompts for several models: the shared step from prompts to tokens and input cost."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit import pricing, tokens
from promptaudit.prompts import Prompt


@dataclass(frozen=True)
class ModelCount:
    """One prompt's token count for one model, with what sending it once costs as input."""

    model: str
    encoding: str
    tokens: int
    exact: bool
    input_cost_per_request: Decimal

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "encoding": self.encoding,
            "tokens": self.tokens,
            "exact": self.exact,
            "input_cost_per_request": str(self.input_cost_per_request),
        }


@dataclass(frozen=True)
class PromptCount:
    """A prompt with its counts for every requested model."""

    prompt: Prompt
    counts: list[ModelCount]

    def to_json(self) -> dict:
        return {
            "path": self.prompt.display,
            "chars": self.prompt.chars,
            "counts": [c.to_json() for c in self.counts],
        }


def prompt_tokens(prompts: list[Prompt], model: str) -> list[tokens.TokenCount]:
    """Tokens of each prompt for ``model``: the sum of its parts (chat overhead added by the parser)."""
    flat = [part.text for prompt in prompts for part in prompt.parts]
    counted = tokens.count_texts(flat, model) if flat else []
    results, offset = [], 0
    for prompt in prompts:
        chunk = counted[offset : offset + len(prompt.parts)]
        offset += len(prompt.parts)
        total = sum(c.tokens for c in chunk) + prompt_overhead(prompt, model)
        tokenizer = tokens.tokenizer_for(model)
        results.append(tokens.TokenCount(model, tokenizer.label, total, tokenizer.exact))
    return results


def prompt_overhead(prompt: Prompt, model: str) -> int:
    """Billing overhead beyond the parts' text (chat message framing); 0 for plain text."""
    return 0


def count_prompts(prompts: list[Prompt], models: list[str]) -> list[PromptCount]:
    """Count every prompt for every model; prices come from :mod:`promptaudit.pricing`."""
    per_model = {}
    for model in models:
        price = pricing.price_for(model)
        per_model[model] = [
            ModelCount(model, c.encoding, c.tokens, c.exact, price.input_cost(c.tokens))
            for c in prompt_tokens(prompts, model)
        ]
    return [PromptCount(p, [per_model[m][i] for m in models]) for i, p in enumerate(prompts)]

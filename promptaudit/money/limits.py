"""Whether a request's input leaves the model's base price tier or exceeds its context window.

A tier applies per request to ALL of its tokens (genai-prices' model, and the providers' bills): a Claude
Sonnet 4.5 request of 210,000 input tokens pays the >200k rates on every token. A request above the context
window is refused by the provider, so it is an error, not a cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from promptaudit.money import pricing


@dataclass(frozen=True)
class SizeProblem:
    """One line to tell the user; ``fatal`` when the request cannot be sent at all."""

    message: str
    fatal: bool


def size_problem(where: str, model: str, input_tokens: int, exact: bool = True) -> SizeProblem | None:
    """The tier warning or window error for one request of ``input_tokens`` to ``model``, or None."""
    priced = pricing.schedule_for(model)
    count = f"{'' if exact else '~'}{input_tokens:,} input tokens"
    window = priced.context_window
    if window and input_tokens > window:
        return SizeProblem(f"{where}: {count} exceed {model}'s context window of {window:,} tokens", True)
    crossed = [threshold for threshold in priced.thresholds() if input_tokens > threshold]
    if not crossed:
        return None
    price = priced.price_at(input_tokens)
    rates = f"${price.input_mtok}/M input, ${price.output_mtok}/M output"
    text = f"{where}: {count} on {model} exceed its {crossed[-1]:,}-token price tier: every token bills at {rates}"
    return SizeProblem(text, False)


def size_problems(requests) -> list[SizeProblem]:
    """Problems of ``(where, model, input_tokens, exact)`` requests, errors first, each said once."""
    found = [size_problem(*request) for request in requests]
    unique = list(dict.fromkeys(problem for problem in found if problem is not None))
    return sorted(unique, key=lambda problem: not problem.fatal)

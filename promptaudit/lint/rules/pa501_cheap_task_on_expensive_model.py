"""PA501 cheap-task-on-expensive-model: a one-word or fixed-label task sent to an expensive model.

Classifiers, routers and extractors whose reply is a label or a word (their instructions say so, or
they cap the reply at ``max_tokens`` <= 20) rarely need a frontier model. The finding names the
cheapest model of the same provider family and what switching would save per month at the configured
volume (per request when no volume is set), assuming as many output tokens per request as the prompt's
``max_tokens``, else the label limit (``max_label_tokens``); the message says which. The prompt is judged at
the model it is counted at: the one its file or SDK call names, unless ``--model`` overrides it. Check
quality on a sample before switching.
In Python code the finding points at the SDK call, and only calls that name their model are judged
(a prompt constant has no model of its own; an unknown model name is skipped).

Anti-pattern::

    model: claude-opus-4-5
    max_tokens: 5
    messages:
      - {role: system, content: "Classify the ticket as billing, shipping or other. Reply with one word."}

Best practice::

    model: claude-haiku-4-5
    max_tokens: 5
    messages:
      - {role: system, content: "Classify the ticket as billing, shipping or other. Reply with one word."}
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from promptaudit.lint.findings import Problem

ID = "PA501"
NAME = "cheap-task-on-expensive-model"
CATEGORY = "routing"
SEVERITY = "warning"
OPTIONS: dict = {"max_label_tokens": 20, "min_price_ratio": 4}
FIX = "Route this task to {cheap} (check its accuracy on a sample first)."
LABEL_TASK = re.compile(
    r"\b(?:reply|respond|answer|output|return)\s+(?:with\s+)?(?:only\s+)?(?:one|a single)\s+(?:word|label)"
    r"|\b(?:reply|respond|answer|output|return)\s+(?:with\s+)?only\s+(?:the|a|one)\s+\w+"
    r"|\banswer\s+(?:only\s+)?(?:yes|true)\s+or\s+(?:no|false)\b"
    r"|\bclassify\b",
    re.I,
)


def _is_label_task(ctx) -> bool:
    cap = ctx.prompt.max_tokens
    return (cap is not None and cap <= ctx.options.get("max_label_tokens", 20)) or bool(LABEL_TASK.search(ctx.text))


def _cheapest(model: str, provider: str):
    from promptaudit.errors import UnknownModelError
    from promptaudit.money import pricing, providers

    best = None
    for candidate in providers.catalog(provider):
        try:
            price = pricing.price_for(candidate)
        except UnknownModelError:
            continue
        if best is None or price.input_mtok + price.output_mtok < best.input_mtok + best.output_mtok:
            best = price
    return best


def _price(ctx):
    """The price of the model the prompt is counted at; in code only calls that name a model are judged."""
    from promptaudit.errors import UnknownModelError
    from promptaudit.money import pricing

    if ctx.prompt.origin is not None and ctx.prompt.model is None:
        return None
    try:
        return pricing.price_for(ctx.model)
    except UnknownModelError:
        return None


def check(ctx) -> Iterator[Problem]:
    """Yield one problem when a label-sized task runs on a model several times the family's cheapest."""
    if not _is_label_task(ctx):
        return
    price = _price(ctx)
    if price is None:
        return
    model = ctx.model
    cheap = _cheapest(model, price.provider)
    if cheap is None or cheap.input_mtok * ctx.options.get("min_price_ratio", 4) > price.input_mtok:
        return
    output, why = _assumed_output(ctx)
    per_request = price.input_cost(ctx.total_tokens) - cheap.input_cost(ctx.total_tokens)
    per_request += price.output_cost(output) - cheap.output_cost(output)
    message = _message(model, cheap.model, per_request, ctx.volume, f"{output:,} output tokens per request ({why})")
    yield Problem(*ctx.anchor, message, FIX.format(cheap=cheap.model))


def _assumed_output(ctx) -> tuple[int, str]:
    """The output tokens per request the saving assumes, and why: the prompt's ``max_tokens``, else the limit."""
    if ctx.prompt.max_tokens:
        return ctx.prompt.max_tokens, "its max_tokens"
    return ctx.options.get("max_label_tokens", 20), "the label limit, max_label_tokens"


def _message(model: str, cheap: str, per_request: Decimal, volume, output: str) -> str:
    from promptaudit.money.amounts import money

    if volume is None:
        saving = f"{money(per_request)} per request (set a volume for a monthly figure)"
    else:
        saving = f"{money(per_request * volume.requests_per_month)} per month ({volume.origin})"
    return f"a one-word/label task on {model}; {cheap} would save {saving}, assuming {output}"

"""The routing what-if that ``project`` shows without ``--route-to``: a default assumption, said as such.

Routing easy requests to a cheaper model is often the biggest lever, so the savings table always prices it:
against the cheapest model of the same provider (from the curated catalog in data/providers.yaml) whose
context window holds every prompt's request and, when a prompt declares tools, that supports tools; at a
stated route share and fallback rate (``--route-share``/``--fallback-rate``, else config ``routing:``, else
50% routed and 10% falling back). Cheapest means the lowest list-price cost of this very workload (each
candidate counts the prompts with its own tokenizer). The row is not part of the "all levers" scenario.
"""

from __future__ import annotations

from decimal import Decimal

from promptaudit.errors import PromptauditError
from promptaudit.money import pricing, providers
from promptaudit.money.economics import NO_LEVERS
from promptaudit.money.levers import Case, Plan, Routing, scenario_daily
from promptaudit.money.projection import Traffic, cases_for
from promptaudit.money.volume import Volume
from promptaudit.reading.prompts import Prompt

DEFAULT_SHARE = Decimal("0.5")
DEFAULT_FALLBACK = Decimal("0.1")


def candidates(model: str, wants_tools: bool) -> list[str]:
    """Catalog models of ``model``'s provider, other than itself, that can take the prompt's tools."""
    provider = pricing.price_for(model).provider
    listed = [m for m in providers.catalog(provider) if pricing.price_key(m) != pricing.price_key(model)]
    return [m for m in listed if not wants_tools or providers.supports_tools(m)]


def _fits(cases: list[Case], model: str) -> bool:
    window = pricing.schedule_for(model).context_window
    return window is None or all(case.workload.input_tokens <= window for case in cases)


def _priced(name: str, prompts: list[Prompt], volumes: list[Volume], traffic: Traffic, plan: Plan):
    try:
        cases = cases_for(name, prompts, volumes, traffic)
    except PromptauditError:  # a catalog model missing from the installed price snapshot
        return None
    return (scenario_daily(cases, NO_LEVERS, plan), name, cases) if _fits(cases, name) else None


def cheapest(model: str, prompts: list[Prompt], volumes: list[Volume], traffic: Traffic, plan: Plan):
    """``(target, its cases)`` for the cheapest fitting same-provider model, or None when none is cheaper."""
    own = scenario_daily(cases_for(model, prompts, volumes, traffic), NO_LEVERS, plan)
    wants_tools = any(prompt.tools for prompt in prompts)
    options = [
        found for name in candidates(model, wants_tools) if (found := _priced(name, prompts, volumes, traffic, plan))
    ]
    best = min(options, key=lambda option: (option[0], option[1]), default=None)
    if best is None or best[0] >= own:
        return None
    return best[1], best[2]


def assumption(share: Decimal | None, fallback: Decimal | None, target: str) -> Routing:
    """The default what-if's routing: the given share and fallback, else the defaults."""
    chosen_share = DEFAULT_SHARE if share is None else share
    chosen_fallback = DEFAULT_FALLBACK if fallback is None else fallback
    return Routing(target, chosen_share, chosen_fallback, assumed=True)

"""From prompts, traffic and the user's levers to per-model costs and savings (``promptaudit project``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.money import economics as econ
from promptaudit.money import limits, pricing, providers
from promptaudit.money.levers import Case, Plan, Priced, Saving, rates_for, savings, scenario_daily
from promptaudit.money.volume import Volume
from promptaudit.reading.prompts import Prompt
from promptaudit.tokens import counting
from promptaudit.tokens import tokenizers as tokens


@dataclass(frozen=True)
class Traffic:
    """Per-request token assumptions shared by every prompt."""

    user_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class ModelProjection:
    """One model's costs over every prompt: without levers, with caching, and each lever's saving."""

    model: str
    exact: bool
    cases: list[Case]
    baseline_daily: Decimal
    cached_daily: Decimal
    savings: list[Saving]
    method: str = "exact"
    """How the prompts' tokens were counted: ``exact``, ``reconstructed`` or ``estimate``."""
    label: str = ""
    """The model as tables show it, marked ``(from file)`` when the prompts' files name it."""
    model_from: str = "default"
    """``file``, ``mixed`` (some prompts name it), ``--model``, ``config`` or ``default``."""

    @property
    def requests_per_day(self) -> Decimal:
        return sum((c.workload.requests_per_day for c in self.cases), Decimal(0))

    @property
    def approximations(self) -> tuple[str, ...]:
        """Why the Prompt column is not exact (every case's reasons; variables are the Variable column's)."""
        from promptaudit.tokens.approximations import combine

        return combine(*(case.approximations for case in self.cases))

    @property
    def variables_estimated(self) -> bool:
        """True when a template variable without a value put the default estimate in the Variable column."""
        return any(case.variables_estimated for case in self.cases)

    def mean_tokens(self, attribute: str) -> int:
        """A per-request token figure averaged over prompts, weighted by their traffic."""
        weighted = sum(Decimal(getattr(c.workload, attribute)) * c.workload.requests_per_day for c in self.cases)
        return int((weighted / self.requests_per_day).to_integral_value()) if self.requests_per_day else 0

    def cached_tokens(self) -> int:
        """Cacheable prefix tokens per request, traffic-weighted."""
        rpd = self.requests_per_day
        weighted = sum(
            econ.cacheable_tokens(c.workload.prefix_tokens, c.priced.cache) * c.workload.requests_per_day
            for c in self.cases
        )
        return int((weighted / rpd).to_integral_value()) if rpd else 0

    def per_request(self, daily: Decimal) -> Decimal:
        return daily / self.requests_per_day if self.requests_per_day else Decimal(0)


def priced(model: str, input_tokens: int = 0) -> Priced:
    """Rates and cache rules for a model at the price tier a request of ``input_tokens`` selects (raises
    UnknownModelError). Tiers apply per request to all of its tokens, so a prompt above a threshold is
    projected at that tier's rates."""
    price = pricing.price_for(model, input_tokens)
    facts = providers.facts_for(model, price.provider, price.price_id)
    return Priced(model, rates_for(price, facts), facts.cache)


def cases_for(model: str, prompts: list[Prompt], volumes: list[Volume], traffic: Traffic) -> list[Case]:
    """One Case per prompt: its tokens on ``model``, its traffic, and the rates of its request size.

    The Prompt column is what every request sends (the text without its template variables: exact); what
    the variables add (their values, else the default estimate) goes to the Variable column with
    ``--user-tokens``. A plain file's Prompt column is its count as written.
    """
    measured = counting.measure(prompts, model)
    prefixes = tokens.count_texts([p.static_prefix() for p in prompts], model)
    return [
        Case(
            econ.Workload(
                m.static_total,
                min(prefix.tokens, m.static_total),
                traffic.user_tokens + max(m.rendered_total - m.static_total, 0),
                traffic.output_tokens,
                volume.requests_per_day,
            ),
            priced(model, m.rendered_total + traffic.user_tokens),
            m.rendered_exact,
            prompt.display,
            m.rendered_method,
            m.approximations,
            "variables" in m.rendered_approximations,
        )
        for prompt, m, prefix, volume in zip(prompts, measured, prefixes, volumes)
    ]


def size_problems(models: list[str], prompts: list[Prompt], user_tokens: int) -> list[limits.SizeProblem]:
    """Tier warnings and context-window errors for every prompt's request (prompt plus variable input)."""
    requests = [
        (prompt.display, model, total.tokens + user_tokens, total.exact)
        for model in models
        for prompt, total in zip(prompts, counting.prompt_tokens(prompts, model, rendered=True))
    ]  # a request carries its template variables filled in
    return limits.size_problems(requests)


def project_model(
    model: str, cases: list[Case], plan: Plan, targets: list[Case] | None, default: tuple | None | bool = False
) -> ModelProjection:
    """Baseline, cached cost and every lever's saving for one model (``default``: see levers.savings)."""
    exact = tokens.tokenizer_for(model).exact and all(case.exact for case in cases)
    baseline = scenario_daily(cases, econ.NO_LEVERS, plan)
    cached = scenario_daily(cases, econ.Levers(caching=True, hit_rate=plan.hit_rate), plan)
    method = tokens.combine_methods([tokens.tokenizer_for(model).method, *(case.method for case in cases)])
    return ModelProjection(model, exact, cases, baseline, cached, savings(cases, plan, targets, default), method)

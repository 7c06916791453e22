"""What each cost lever saves: one scenario per lever, each priced against the same baseline.

The baseline pulls no lever (list prices, no cache). Each lever row is ``baseline - scenario`` with only
that lever pulled; the final "all levers" row prices one combined scenario, because levers interact
(trimming shrinks the cached prefix, caching shrinks what batching and routing can save).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from promptaudit.money import economics as econ
from promptaudit.money.economics import NO_LEVERS, Levers, Rates, Workload
from promptaudit.money.providers import CacheRules, ModelFacts
from promptaudit.money.rates import batch_prices
from promptaudit.money.schedule import Prices

ONE = Decimal(1)


@dataclass(frozen=True)
class Priced:
    """One model's rates and cache rules, ready for the arithmetic."""

    model: str
    rates: Rates
    cache: CacheRules | None


@dataclass(frozen=True)
class Case:
    """One prompt on one model (``exact`` is False when its token count is an estimate; ``name`` is the prompt's)."""

    workload: Workload
    priced: Priced
    exact: bool = True
    name: str = ""
    method: str = "exact"
    approximations: tuple[str, ...] = ()
    """Why the Prompt tokens (what every request sends) are not exact (tokens.approximations keys)."""
    variables_estimated: bool = False
    """True when a template variable had no value: the Variable tokens include the default estimate."""

    def daily(self, levers: Levers = NO_LEVERS) -> Decimal:
        return econ.daily_cost(self.workload, self.priced.rates, self.priced.cache, levers)

    def per_request(self, levers: Levers = NO_LEVERS, requests_per_day: Decimal | None = None) -> Decimal:
        work = self.workload if requests_per_day is None else replace(self.workload, requests_per_day=requests_per_day)
        return econ.request_cost(work, self.priced.rates, self.priced.cache, levers)


@dataclass(frozen=True)
class Routing:
    """Send ``share`` of traffic to the cheaper model; ``fallback`` of those are retried on the strong one."""

    target: str
    share: Decimal
    fallback: Decimal
    assumed: bool = False  # the default what-if (money.default_route), not a route the user asked for


@dataclass(frozen=True)
class Saving:
    """One row of the savings table."""

    lever: str
    daily: Decimal
    percent: Decimal
    note: str = ""
    break_even_fallback: Decimal | None = None
    assumed: bool = False  # a default assumption (the routing what-if), not a lever the user asked for
    route: Routing | None = None  # for routing rows: where, how much, how often it falls back
    in_all: bool = True
    """Whether the "all levers" scenario includes this lever (what-ifs the user did not ask for are left out)."""
    includes: tuple[str, ...] = ()
    """For the "all levers" row: the levers its one combined scenario pulls."""
    excludes: tuple[str, ...] = ()
    """For the "all levers" row: the what-if rows above it that it leaves out."""


@dataclass(frozen=True)
class Plan:
    """The levers the user asked to evaluate."""

    hit_rate: Decimal | None = None
    trim_tokens: tuple[int, ...] | None = None
    batch_share: Decimal = Decimal(0)
    max_output: int | None = None
    """``--max-tokens``: one output cap for every prompt."""
    routing: Routing | None = None
    route_target: str | None = None
    """``--route-to``: the model :attr:`routing` sends traffic to, once its share and fallback are settled."""
    route_share: Decimal | None = None  # --route-share / config for the default routing what-if
    route_fallback: Decimal | None = None  # --fallback-rate / config for the default routing what-if
    declared_caps: tuple[int | None, ...] | None = None
    """Each prompt's own ``max_tokens`` (from its request file), used where ``max_output`` is None."""
    output_known: bool = True
    """False when neither ``--output-tokens`` nor a usage log gave the average output."""

    def output_cap(self, index: int) -> int | None:
        """The output cap to evaluate for prompt ``index``: ``--max-tokens``, else the file's ``max_tokens``."""
        if self.max_output is not None or not self.declared_caps:
            return self.max_output
        return self.declared_caps[index]

    @property
    def caps(self) -> tuple[int, ...]:
        """The distinct output caps in play (empty when no prompt has one)."""
        if self.max_output is not None:
            return (self.max_output,)
        return tuple(sorted({cap for cap in self.declared_caps or () if cap is not None}))


def rates_for(price, facts: ModelFacts) -> Rates:
    """Rates from a pricing.ModelPrice; gaps filled from the provider's multipliers, batch by money.rates' rule."""
    cache = facts.cache
    read = price.cache_read_mtok or (price.input_mtok * cache.read_multiplier if cache else price.input_mtok)
    write = price.cache_write_mtok or (price.input_mtok * cache.write_multiplier if cache else price.input_mtok)
    standard = Prices(price.input_mtok, price.output_mtok, read, write)
    batch = batch_prices(price, standard, facts)
    return Rates(
        input=price.input_mtok,
        output=price.output_mtok,
        cache_read=read,
        cache_write=write,
        batch_input=batch.input_mtok,
        batch_output=batch.output_mtok,
        batch_cache_read=batch.cache_read_mtok,
        batch_cache_write=batch.cache_write_mtok,
    )


def routed_daily(strong: Case, cheap: Case, routing: Routing, levers: Levers) -> Decimal:
    """Daily cost with routing; each model's cache hit rate follows the traffic it actually receives."""
    volume = strong.workload.requests_per_day
    strong_volume = volume * (ONE - routing.share + routing.share * routing.fallback)
    cheap_volume = volume * routing.share
    strong_cost = strong.per_request(levers, strong_volume) if strong_volume else Decimal(0)
    cheap_cost = cheap.per_request(levers, cheap_volume) if cheap_volume else Decimal(0)
    return volume * econ.routed_cost(strong_cost, cheap_cost, routing.share, routing.fallback)


def _prompt_levers(levers: Levers, plan: Plan, index: int, trim: bool, cap: bool) -> Levers:
    if trim and plan.trim_tokens:
        levers = replace(levers, trim_tokens=plan.trim_tokens[index])
    return replace(levers, max_output=plan.output_cap(index)) if cap else levers


def scenario_daily(
    cases: list[Case],
    levers: Levers,
    plan: Plan,
    trim: bool = False,
    targets: list[Case] | None = None,
    cap: bool = False,
) -> Decimal:
    """Daily cost over every prompt; ``trim`` and ``cap`` apply the plan's per-prompt trims and output caps.

    With ``targets`` the traffic is routed per ``plan.routing``.
    """
    total = Decimal(0)
    for index, case in enumerate(cases):
        prompt_levers = _prompt_levers(levers, plan, index, trim, cap)
        if targets and plan.routing:
            total += routed_daily(case, targets[index], plan.routing, prompt_levers)
        else:
            total += case.daily(prompt_levers)
    return total


def _row(lever: str, baseline: Decimal, scenario: Decimal, note: str = "", **extra) -> Saving:
    saved = baseline - scenario
    return Saving(lever, saved, econ.percent_of(saved, baseline), note, **extra)


def caching_note(cases: list[Case], plan: Plan) -> str:
    """Why caching saves what it does: cacheable tokens and hit rate, or how far below the minimum."""
    work, rules = cases[0].workload, cases[0].priced.cache
    if rules is None:
        return "no prompt-cache rules known for this provider"
    if len(cases) > 1:
        short = sum(1 for c in cases if econ.cacheable_tokens(c.workload.prefix_tokens, c.priced.cache) == 0)
        return f"{short} of {len(cases)} prompts below the {rules.min_tokens:,}-token cache minimum" if short else ""
    cached = econ.cacheable_tokens(work.prefix_tokens, rules)
    if not cached:
        short = econ.tokens_short(work.prefix_tokens, rules)
        return f"static prefix {work.prefix_tokens:,} tokens is {short:,} short of the {rules.min_tokens:,} minimum"
    rate = econ.hit_rate(work, rules, Levers(caching=True, hit_rate=plan.hit_rate))
    how = "given" if plan.hit_rate is not None else f"modelled, TTL {rules.ttl_seconds // 60} min"
    return f"{cached:,} of {work.prefix_tokens:,} prefix tokens cacheable; hit rate {rate:.1%} ({how})"


def _batch_row(cases: list[Case], plan: Plan, baseline: Decimal) -> Saving:
    share = plan.batch_share or ONE
    scenario = scenario_daily(cases, Levers(batch_share=share), plan)
    if plan.batch_share:
        return _row("batch", baseline, scenario, f"on {share:.0%} of traffic (--batch-share)")
    note = "what-if: if all traffic could wait 24 h (--batch-share)"
    return _row("batch", baseline, scenario, note, in_all=False)


def _routing_row(cases: list[Case], targets: list[Case], plan: Plan, baseline: Decimal) -> Saving:
    routing = plan.routing
    scenario = scenario_daily(cases, Levers(), plan, targets=targets)
    break_even = econ.break_even_fallback(baseline, scenario_daily(targets, Levers(), plan))
    note = f"{routing.share:.0%} to {routing.target}, {routing.fallback:.0%} fall back; break-even {break_even:.1%}"
    if routing.assumed:
        note = f"what-if: {note}"
    extra = {"break_even_fallback": break_even, "assumed": routing.assumed, "route": routing}
    extra["in_all"] = not routing.assumed
    return _row("routing", baseline, scenario, note, **extra)


def default_routing_row(cases: list[Case], plan: Plan, default: tuple[Routing, list[Case]] | None) -> Saving:
    """The routing what-if row shown without ``--route-to`` (a default assumption; see money.default_route)."""
    baseline = scenario_daily(cases, Levers(), plan)
    if default is None:
        note = "what-if: no cheaper model of this provider fits"
        return Saving("routing", Decimal(0), Decimal(0), note, None, True, in_all=False)
    routing, targets = default
    return _routing_row(cases, targets, replace(plan, routing=routing), baseline)


def _output_cap_note(cases: list[Case], plan: Plan) -> str:
    if not plan.output_known:
        return "average output unknown: give --output-tokens or --calibrate to price the cap"
    capped = [(c, plan.output_cap(i)) for i, c in enumerate(cases)]
    if not any(cap is not None and c.workload.output_tokens > cap for c, cap in capped):
        return "average output is already within the cap"
    source = "" if plan.max_output is not None else " (the file's max_tokens)"
    if len(plan.caps) > 1:
        return "output capped at each file's max_tokens"
    return f"output capped at {plan.caps[0]:,} tokens{source}"


def _output_cap_row(cases: list[Case], plan: Plan, baseline: Decimal) -> Saving:
    scenario = scenario_daily(cases, Levers(), plan, cap=True)
    return _row("output_cap", baseline, scenario, _output_cap_note(cases, plan))


LABELS = {
    "caching": "caching",
    "trimming": "trimming",
    "batch": "Batch API",
    "routing": "routing",
    "output_cap": "output cap",
}
"""Lever names as the "all levers" note lists them."""


def _all_levers(cases: list[Case], plan: Plan, baseline: Decimal, targets: list[Case] | None, rows) -> Saving:
    levers = Levers(caching=True, hit_rate=plan.hit_rate, batch_share=plan.batch_share)
    scenario = scenario_daily(cases, levers, plan, trim=True, targets=targets, cap=True)
    included = tuple(row.lever for row in rows if row.in_all)
    excluded = tuple(row.lever for row in rows if not row.in_all)
    note = " + ".join(LABELS[lever] for lever in included) + " together (rows do not add up)"
    if excluded:
        note += "; leaves out the what-ifs: " + ", ".join(LABELS[lever] for lever in excluded)
    return _row("all", baseline, scenario, note, includes=included, excludes=excluded)


def savings(
    cases: list[Case], plan: Plan, targets: list[Case] | None = None, default: tuple | None | bool = False
) -> list[Saving]:
    """One row per lever the plan can evaluate, then the combined "all levers" row.

    Without a route in the plan, ``default`` (``(Routing, target cases)``, or None when no cheaper model fits)
    adds the routing what-if row; it is left out of the "all levers" scenario. ``False``: no such row.
    """
    baseline = scenario_daily(cases, Levers(), plan)
    caching = scenario_daily(cases, Levers(caching=True, hit_rate=plan.hit_rate), plan)
    rows = [_row("caching", baseline, caching, caching_note(cases, plan))]
    if plan.trim_tokens is not None:
        trimmed = scenario_daily(cases, Levers(), plan, trim=True)
        rows.append(_row("trimming", baseline, trimmed, f"{sum(plan.trim_tokens):,} removable tokens (audit)"))
    rows.append(_batch_row(cases, plan, baseline))
    if plan.routing and targets:
        rows.append(_routing_row(cases, targets, plan, baseline))
    elif default is not False:
        rows.append(default_routing_row(cases, plan, default))  # type: ignore[arg-type]
    if plan.caps:
        rows.append(_output_cap_row(cases, plan, baseline))
    return rows + [_all_levers(cases, plan, baseline, targets, rows)]

"""The cost arithmetic: tokens and traffic in, Decimal dollars out. Pure functions, no I/O.

Model of a request: ``prompt_tokens`` from the prompt file (of which the first ``prefix_tokens`` are the
static, cacheable prefix), plus ``user_tokens`` of variable input, plus ``output_tokens`` of output.

Cache model: requests for one prompt arrive as a Poisson process at ``rate = requests_per_day / 86,400``
per second. A cache entry lives ``ttl`` seconds and every hit refreshes it (Anthropic documents this;
OpenAI evicts after an idle time, which behaves the same). So a request hits when the previous request
came less than ``ttl`` seconds before it: ``hit_rate = 1 - exp(-rate * ttl)``. Every miss is the first
request of a new window and writes the prefix, paying the write price (1.25x input on Anthropic; the
plain input price where writes are free).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from promptaudit.money.providers import CacheRules

MILLION = Decimal(1_000_000)
SECONDS_PER_DAY = Decimal(86_400)
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class Rates:
    """USD per million tokens a scenario pays; gaps in the price source already filled."""

    input: Decimal
    output: Decimal
    cache_read: Decimal
    cache_write: Decimal
    batch_input: Decimal
    batch_output: Decimal
    batch_cache_read: Decimal | None = None  # None: batch traffic keeps the interactive cache rates
    batch_cache_write: Decimal | None = None


@dataclass(frozen=True)
class Workload:
    """One prompt on one model: tokens per request and traffic."""

    prompt_tokens: int
    prefix_tokens: int
    user_tokens: int
    output_tokens: int
    requests_per_day: Decimal

    @property
    def input_tokens(self) -> int:
        return self.prompt_tokens + self.user_tokens


@dataclass(frozen=True)
class Levers:
    """Which cost levers a scenario pulls. The default pulls none: list prices, no cache."""

    caching: bool = False
    hit_rate: Decimal | None = None
    trim_tokens: int = 0
    batch_share: Decimal = ZERO
    max_output: int | None = None


NO_LEVERS = Levers()


def tokens_cost(tokens: int | Decimal, rate_mtok: Decimal) -> Decimal:
    """Dollars for ``tokens`` at ``rate_mtok`` USD per million."""
    return Decimal(tokens) * rate_mtok / MILLION


def monthly_cost_of_tokens(tokens: int, price, volume) -> Decimal:
    """$/month of sending ``tokens`` uncached input tokens on every request at ``volume`` (a volume.Volume).

    ``price`` is a pricing.ModelPrice. Use it for "what do these tokens cost at the configured volume".
    """
    return tokens_cost(tokens, price.input_mtok) * volume.requests_per_month


def daily_cost_of_tokens(tokens: int, price, volume) -> Decimal:
    """$/day of sending ``tokens`` uncached input tokens on every request at ``volume``."""
    return tokens_cost(tokens, price.input_mtok) * volume.requests_per_day


def cacheable_tokens(prefix_tokens: int, rules: CacheRules | None) -> int:
    """How much of a static prefix a provider caches: nothing below its minimum, then whole increments."""
    if rules is None or prefix_tokens < rules.min_tokens:
        return 0
    return prefix_tokens - prefix_tokens % rules.increment


def tokens_short(prefix_tokens: int, rules: CacheRules | None) -> int:
    """How many tokens the prefix lacks to reach the provider's cache minimum (0 when it qualifies)."""
    return 0 if rules is None else max(rules.min_tokens - prefix_tokens, 0)


def modelled_hit_rate(requests_per_day: Decimal, ttl_seconds: int) -> Decimal:
    """P(previous request came within the TTL) under Poisson arrivals: ``1 - exp(-rate * ttl)``."""
    rate_per_second = Decimal(requests_per_day) / SECONDS_PER_DAY
    return ONE - (-rate_per_second * ttl_seconds).exp()


def hit_rate(workload: Workload, rules: CacheRules | None, levers: Levers) -> Decimal:
    """The given hit rate, else the modelled one (0 without cache rules)."""
    if levers.hit_rate is not None:
        return levers.hit_rate
    return ZERO if rules is None else modelled_hit_rate(workload.requests_per_day, rules.ttl_seconds)


def trimmed(workload: Workload, trim_tokens: int) -> Workload:
    """The workload after removing ``trim_tokens`` from the static prompt (taken from the prefix first)."""
    trim = min(trim_tokens, workload.prompt_tokens)
    return replace(
        workload, prompt_tokens=workload.prompt_tokens - trim, prefix_tokens=max(workload.prefix_tokens - trim, 0)
    )


def _input_cost(workload: Workload, rates: Rates, rules: CacheRules | None, levers: Levers, batch: bool) -> Decimal:
    cached = cacheable_tokens(workload.prefix_tokens, rules) if levers.caching else 0
    uncached_rate = rates.batch_input if batch else rates.input
    cost = tokens_cost(workload.input_tokens - cached, uncached_rate)
    if cached:
        hits = hit_rate(workload, rules, levers)
        read, write = rates.cache_read, rates.cache_write
        if batch:
            read = read if rates.batch_cache_read is None else rates.batch_cache_read
            write = write if rates.batch_cache_write is None else rates.batch_cache_write
        cost += tokens_cost(cached, hits * read + (ONE - hits) * write)
    return cost


def request_cost(workload: Workload, rates: Rates, rules: CacheRules | None, levers: Levers = NO_LEVERS) -> Decimal:
    """Expected cost of one request with ``levers`` pulled.

    Batch traffic pays the batch rates of money.rates' one batch rule, cache rates included (the source's
    batch cache prices; else Anthropic's discount stacks on cache reads and writes, OpenAI's and Google's not).
    """
    work = trimmed(workload, levers.trim_tokens)
    output = work.output_tokens if levers.max_output is None else min(work.output_tokens, levers.max_output)
    interactive = _input_cost(work, rates, rules, levers, False) + tokens_cost(output, rates.output)
    if not levers.batch_share:
        return interactive
    batch = _input_cost(work, rates, rules, levers, True) + tokens_cost(output, rates.batch_output)
    return (ONE - levers.batch_share) * interactive + levers.batch_share * batch


def daily_cost(workload: Workload, rates: Rates, rules: CacheRules | None, levers: Levers = NO_LEVERS) -> Decimal:
    """Expected cost per day: cost per request times requests per day."""
    return request_cost(workload, rates, rules, levers) * workload.requests_per_day


def routed_cost(strong_cost: Decimal, cheap_cost: Decimal, share: Decimal, fallback: Decimal) -> Decimal:
    """Cost per request when ``share`` goes to the cheap model and ``fallback`` of those retry on the strong one.

    ``share * (cheap + fallback * strong) + (1 - share) * strong``.
    """
    return share * (cheap_cost + fallback * strong_cost) + (ONE - share) * strong_cost


def break_even_fallback(strong_cost: Decimal, cheap_cost: Decimal) -> Decimal:
    """The fallback rate at which routing stops saving: ``1 - cheap / strong`` (0 if cheap is not cheaper)."""
    if strong_cost <= 0 or cheap_cost >= strong_cost:
        return ZERO
    return ONE - cheap_cost / strong_cost


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole`` (0 when there is no whole)."""
    return ZERO if whole == 0 else part * 100 / whole


def hit_rate_from_token_share(token_share: float, input_tokens: int, cacheable: int) -> Decimal:
    """A per-request hit rate from a measured share of input tokens read from cache.

    Logs measure ``cached input / input``; each hit reads ``cacheable`` tokens, so
    ``hit_rate = share * input_tokens / cacheable``, capped at 1.
    """
    if cacheable <= 0:
        return ZERO
    return min(ONE, Decimal(str(token_share)) * input_tokens / cacheable)

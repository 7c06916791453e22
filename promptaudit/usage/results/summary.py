"""Per-group results with money: cost split, caching's effect, output percentiles, cap hits, routing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.money.rates import NO_CACHED_PRICE
from promptaudit.usage.records.aggregate import (
    CACHE_READ,
    CAPPED,
    INPUT,
    OUTPUT,
    REQUESTS,
    STOP_KNOWN,
    WEB_SEARCHES,
    WRITE_1H,
    WRITE_5M,
    Group,
)
from promptaudit.usage.results.costing import Cost, PriceBook, cost_of
from promptaudit.usage.results.stats import mean, percentiles, suggested_cap, tokens_over


@dataclass(frozen=True)
class Summary:
    """One group's measured traffic and what it cost; money is None when a model in it has no price."""

    key: str
    requests: int
    input_tokens: int
    cached_tokens: int
    cache_write_tokens: int
    output_tokens: int
    cost: Cost | None
    unpriced_requests: int
    output_p50: int | None
    output_p95: int | None
    output_p99: int | None
    output_max: int | None
    cap_hit_rate: float | None
    suggested_max_tokens: int | None
    max_tokens_saving: Decimal | None
    requests_known: bool = True  # False when a usage report in the group does not count its requests

    @property
    def cache_hit_rate(self) -> float | None:
        return self.cached_tokens / self.input_tokens if self.input_tokens else None

    @property
    def cost_per_request(self) -> Decimal | None:
        if self.cost is None or not self.requests or not self.requests_known:
            return None
        return self.cost.total / self.requests

    @property
    def output_mean(self) -> int | None:
        return mean(self.output_tokens, self.requests) if self.requests_known else None

    @property
    def cache_paid_off(self) -> bool | None:
        """Whether reads saved more than writes' premium cost; None when nothing was written to a cache."""
        if self.cost is None or not self.cache_write_tokens:
            return None
        return self.cost.cache_saving > self.cost.write_premium


def summarise(group: Group, book: PriceBook) -> Summary:
    """Price one group's counters and compute its output statistics."""
    cost, unpriced = _group_cost(group, book)
    # A usage report's bucket has no output lengths: a group holding one cannot give percentiles at all.
    hist = {} if group.bucket_rows else group.output_hist
    marks = percentiles(hist, (50, 95, 99))
    cap = suggested_cap(marks[99])
    stops = group.total(STOP_KNOWN)
    return Summary(
        key=group.key,
        requests=group.total(REQUESTS),
        input_tokens=group.total(INPUT),
        cached_tokens=group.total(CACHE_READ),
        cache_write_tokens=group.total(WRITE_5M) + group.total(WRITE_1H),
        output_tokens=group.total(OUTPUT),
        cost=cost,
        unpriced_requests=unpriced,
        output_p50=marks[50],
        output_p95=marks[95],
        output_p99=marks[99],
        output_max=max(hist, default=None),
        cap_hit_rate=group.total(CAPPED) / stops if stops else None,
        suggested_max_tokens=cap,
        max_tokens_saving=_cap_saving(group, cost, cap),
        requests_known=not group.unknown_request_rows,
    )


def _group_cost(group: Group, book: PriceBook) -> tuple[Cost | None, int]:
    total, unpriced = Cost(), 0
    for klass, counts in group.classes.items():
        rates = book.rates(klass)
        if rates is None:
            unpriced += counts[REQUESTS]
            continue
        if counts[WEB_SEARCHES] and rates.web_search is None:
            book.note(f"{klass[0]}: web searches have no price in the source; not billed")
        if counts[CACHE_READ] and not rates.cache_read_priced:
            book.note(NO_CACHED_PRICE.format(model=klass[0]))
        total = total + cost_of(counts, rates)
    return (None if unpriced else total), unpriced


def _cap_saving(group: Group, cost: Cost | None, cap: int | None) -> Decimal | None:
    """Output tokens beyond the suggested cap, at the group's average output price."""
    output = group.total(OUTPUT)
    if cost is None or cap is None or not output:
        return None
    return Decimal(tokens_over(group.output_hist, cap)) * cost.output / output


@dataclass(frozen=True)
class Routing:
    """What routing did, from records carrying a route tag (values containing "fallback" are fallbacks)."""

    first_requests: int
    fallback_requests: int
    first_cost_per_request: Decimal | None
    fallback_cost_per_request: Decimal | None

    @property
    def fallback_rate(self) -> float | None:
        return self.fallback_requests / self.first_requests if self.first_requests else None

    @property
    def break_even_fallback_rate(self) -> float | None:
        """Fallback rate at which routing costs as much as sending everything to the fallback model."""
        first, strong = self.first_cost_per_request, self.fallback_cost_per_request
        return float(1 - first / strong) if first is not None and strong else None

    @property
    def saving(self) -> Decimal | None:
        """First attempts priced as if sent to the fallback model, minus what first tries and fallbacks cost."""
        first, strong = self.first_cost_per_request, self.fallback_cost_per_request
        if first is None or strong is None:
            return None
        return self.first_requests * strong - (self.first_requests * first + self.fallback_requests * strong)


def routing(routes: dict[str, Group], book: PriceBook) -> Routing | None:
    """The routing summary, or None when no record carried a route tag."""
    if not routes:
        return None
    first = summarise(routes.get("first", Group("first")), book)
    fallback = summarise(routes.get("fallback", Group("fallback")), book)
    return Routing(first.requests, fallback.requests, first.cost_per_request, fallback.cost_per_request)

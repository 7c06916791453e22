"""Before and after: cost per request, cache hit rate and output length, with the change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.usage.results.summary import Summary

Number = Decimal | float | int


@dataclass(frozen=True)
class Change:
    """One metric before and after; ``delta`` is after minus before, ``percent`` relative to before."""

    metric: str
    before: Number | None
    after: Number | None

    @property
    def delta(self) -> Number | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before  # type: ignore[operator]

    @property
    def percent(self) -> float | None:
        if self.delta is None or not self.before:
            return None
        return round(float(self.delta) / float(self.before) * 100, 1)


def changes(before: Summary, after: Summary) -> list[Change]:
    """The before/after metrics of a prompt change, in report order."""
    return [
        Change("requests", before.requests, after.requests),
        Change("cost_per_request", before.cost_per_request, after.cost_per_request),
        Change("input_tokens_mean", _mean(before.input_tokens, before), _mean(after.input_tokens, after)),
        Change("cache_hit_rate", before.cache_hit_rate, after.cache_hit_rate),
        Change("output_tokens_mean", before.output_mean, after.output_mean),
        Change("output_p95", before.output_p95, after.output_p95),
        Change("cap_hit_rate", before.cap_hit_rate, after.cap_hit_rate),
    ]


def _mean(tokens: int, summary: Summary) -> int | None:
    return round(tokens / summary.requests) if summary.requests and summary.requests_known else None

"""Accumulate records into groups with integer counters only; money is computed once at the end.

Each group keeps, per price class (model, mode, tier, period: see ``PriceClass``), the request, token and
web-search counts, plus an exact
histogram of output lengths (length -> requests). The histogram is exact and its memory is bounded by the
number of distinct output lengths (at most the largest ``max_tokens`` in use), not by the number of lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Counter(IntEnum):
    """The counters kept per price class, as indexes into its list (a plain list is the cheapest thing to
    increment, and an ``IntEnum`` indexes it as fast as an int)."""

    REQUESTS = 0
    INPUT = 1
    CACHE_READ = 2
    WRITE_5M = 3
    WRITE_1H = 4
    OUTPUT = 5
    CAPPED = 6
    STOP_KNOWN = 7
    WEB_SEARCHES = 8


# The members by name, for the counting loops (a module global is found faster than a class attribute).
REQUESTS, INPUT, CACHE_READ, WRITE_5M, WRITE_1H, OUTPUT, CAPPED, STOP_KNOWN, WEB_SEARCHES = Counter
COUNTERS = len(Counter)
NO_MODEL = "(no model)"

# A price class: (model, mode, tier, period). ``mode`` is "standard", "batch", "flex" or "priority";
# ``tier`` and ``period`` place the records in the model's price schedule (money.schedule.Classifier.key),
# both 0 when the model's prices for that mode do not depend on prompt size or time.
PriceClass = tuple[str, str, int, int]


def price_mode(batch: bool, service_tier: str | None) -> str:
    """A record's processing mode: batch, else its reported service tier (flex, priority), else standard."""
    return "batch" if batch else (service_tier or "standard")


@dataclass
class Group:
    """Everything counted for one group key (a model, a tag, a day, or "all")."""

    key: str
    classes: dict[PriceClass, list[int]] = field(default_factory=dict)
    output_hist: dict[int, int] = field(default_factory=dict)
    first: float | None = None
    last: float | None = None
    bucket_rows: int = 0  # pre-aggregated rows counted here: no output lengths, maybe no request count
    unknown_request_rows: int = 0

    def counters(self, klass: PriceClass) -> list[int]:
        """The counters of one price class, created empty on first use."""
        counts = self.classes.get(klass)
        if counts is None:
            counts = self.classes[klass] = [0] * COUNTERS
        return counts

    def see_time(self, stamp: float) -> None:
        """Widen the group's time span to include ``stamp``."""
        if self.first is None or stamp < self.first:
            self.first = stamp
        if self.last is None or stamp > self.last:
            self.last = stamp

    def total(self, index: Counter) -> int:
        """One counter summed over every price class."""
        return sum(counts[index] for counts in self.classes.values())

    def merge(self, other: Group) -> None:
        """Add another group's counts into this one (used for the overall total)."""
        for klass, counts in other.classes.items():
            mine = self.classes.setdefault(klass, [0] * COUNTERS)
            for i, value in enumerate(counts):
                mine[i] += value
        for length, requests in other.output_hist.items():
            self.output_hist[length] = self.output_hist.get(length, 0) + requests
        self.bucket_rows += other.bucket_rows
        self.unknown_request_rows += other.unknown_request_rows
        for stamp in (other.first, other.last):
            if stamp is not None:
                self.see_time(stamp)


def combined(groups: list[Group], key: str = "total") -> Group:
    """One group holding the sum of ``groups``."""
    whole = Group(key)
    for group in groups:
        whole.merge(group)
    return whole

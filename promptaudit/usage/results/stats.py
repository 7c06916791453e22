"""Exact output-length percentiles from a histogram (length -> requests), and a suggested ``max_tokens``.

Percentiles use the nearest-rank method: the p-th percentile is the smallest length L such that at
least p% of requests produced L tokens or fewer. It is exact, and works on the histogram in
O(distinct lengths) time and memory, whatever the number of requests.
"""

from __future__ import annotations

import math

CAP_STEP = 64  # suggested caps round up to a multiple of this
CAP_HEADROOM = 1.25  # over the p99, so a normal long reply is never cut


def percentiles(hist: dict[int, int], points: tuple[float, ...] = (50, 95, 99)) -> dict[float, int | None]:
    """Nearest-rank percentiles of the lengths in ``hist``; None for every point when it is empty."""
    total = sum(hist.values())
    if not total:
        return {p: None for p in points}
    ranks = {p: max(1, math.ceil(p / 100 * total)) for p in points}
    found: dict[float, int | None] = {}
    seen = 0
    for length in sorted(hist):
        seen += hist[length]
        for p, rank in ranks.items():
            if p not in found and seen >= rank:
                found[p] = length
        if len(found) == len(points):
            break
    return found


def suggested_cap(p99: int | None) -> int | None:
    """A ``max_tokens`` with headroom over the p99, rounded up to a multiple of 64."""
    if not p99:
        return None
    return math.ceil(p99 * CAP_HEADROOM / CAP_STEP) * CAP_STEP


def tokens_over(hist: dict[int, int], cap: int | None) -> int:
    """Output tokens beyond ``cap`` (what the cap would have saved), summed over every request."""
    if cap is None:
        return 0
    return sum((length - cap) * requests for length, requests in hist.items() if length > cap)


def mean(total: int, count: int) -> int | None:
    """The rounded mean, or None when there is nothing to average."""
    return round(total / count) if count else None

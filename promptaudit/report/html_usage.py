"""The "Measured spend" section, from the documents ``usage --by day --format json`` prints.

Cost per day, cache hit rate per day, the output-length distribution with the suggested
``max_tokens`` marked, and the before/after change when the logs are split (``--split-at``).
"""

from __future__ import annotations

import math
from decimal import Decimal

from promptaudit.report import svg
from promptaudit.report.common import money
from promptaudit.report.svg import esc

BINS = 24
CHANGE_LABELS = {
    "requests": "Requests",
    "cost_per_request": "$/request",
    "input_tokens_mean": "Input tokens (mean)",
    "cache_hit_rate": "Cache hit rate",
    "output_tokens_mean": "Output tokens (mean)",
    "output_p95": "Output p95",
}


def _money(value: str | None) -> str:
    return money(Decimal(value)) if value is not None else "?"


def _rate(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "n/a"


def _cost_chart(days: list[dict]) -> str:
    bars = [
        svg.Bar(
            d["key"][5:], float(Decimal(d["cost"] or 0)), _money(d["cost"]), data={"day": d["key"], "cost": d["cost"]}
        )
        for d in days
    ]
    desc = "; ".join(f"{d['key']}: {_money(d['cost'])}" for d in days)
    return svg.columns("chart-usage-cost", bars, "Measured cost per day (UTC)", desc)


def _hit_chart(days: list[dict]) -> str:
    bars = [
        svg.Bar(d["key"][5:], d["cache_hit_rate"] or 0, _rate(d["cache_hit_rate"]), 1, {"day": d["key"]}) for d in days
    ]
    desc = "; ".join(f"{d['key']}: {_rate(d['cache_hit_rate'])}" for d in days)
    return svg.columns("chart-usage-hits", bars, "Share of input tokens read from the cache, per day", desc)


def bin_width(hist: dict[int, int], cap: int | None) -> int:
    """A round bin width that spreads the lengths (and the suggested cap) over about ``BINS`` bins."""
    top = max([*hist, cap or 0, 1])
    raw = top / BINS
    step = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    return next(step * m for m in (1, 2, 5, 10) if step * m >= raw)


def _length_chart(hist: dict[int, int], cap: int | None) -> str:
    width = bin_width(hist, cap)
    counts: dict[int, int] = {}
    for length, requests in hist.items():
        counts[length // width] = counts.get(length // width, 0) + requests
    last = max([*counts, (cap or 0) // width])
    bars = [
        svg.Bar(
            f"{i * width:,}",
            counts.get(i, 0),
            f"{counts.get(i, 0):,}",
            2,
            {"from": i * width, "requests": counts.get(i, 0)},
        )
        for i in range(last + 1)
    ]
    marker = (cap / width, f"suggested max_tokens {cap:,}") if cap else None
    desc = f"Requests per output length, in bins of {width:,} tokens" + (
        f"; suggested max_tokens {cap:,}." if cap else "."
    )
    return svg.columns("chart-usage-lengths", bars, "Output length distribution", desc, marker=marker)


def _figures(total: dict) -> str:
    tiles = [
        ("Measured spend", _money(total["cost"]), f"{total['requests']:,} requests", "cost", total["cost"]),
        (
            "Per request",
            _money(total["cost_per_request"]),
            "mean over the logs",
            "cost_per_request",
            total["cost_per_request"],
        ),
        (
            "Cache hit rate",
            _rate(total["cache_hit_rate"]),
            "input tokens read from cache",
            "cache_hit_rate",
            total["cache_hit_rate"],
        ),
        (
            "Suggested max_tokens",
            f"{total['suggested_max_tokens']:,}" if total["suggested_max_tokens"] else "n/a",
            f"p50 {total['output_p50']}, p95 {total['output_p95']}, p99 {total['output_p99']} tokens",
            "suggested_max_tokens",
            total["suggested_max_tokens"],
        ),
    ]
    return (
        '<div class="kpis inner">'
        + "".join(
            f'<div class="kpi" data-usage="{key}" data-value="{esc(value)}"><div class="k">{esc(k)}</div>'
            f'<div class="v">{esc(v)}</div><div class="s">{esc(s)}</div></div>'
            for k, v, s, key, value in tiles
        )
        + "</div>"
    )


def _format(metric: str, value) -> str:
    if value is None:
        return "n/a"
    if metric == "cost_per_request":
        return money(Decimal(str(value)))
    if metric == "cache_hit_rate":
        return f"{value:.1%}"
    return f"{value:,}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}%"


def _comparison(change: dict) -> str:
    rows = "".join(
        f'<tr data-metric="{esc(metric)}"><td>{esc(CHANGE_LABELS.get(metric, metric))}</td>'
        f'<td class="n">{_format(metric, c["before"])}</td><td class="n">{_format(metric, c["after"])}</td>'
        f'<td class="n">{_percent(c["percent"])}</td></tr>'
        for metric, c in change.items()
    )
    head = '<tr><th>Metric</th><th class="n">Before</th><th class="n">After</th><th class="n">Change</th></tr>'
    return f"<h3>Before and after the split</h3><table>{head}{rows}</table>"


def section(daily: dict, hist: dict[int, int], comparison: dict | None, sources: str) -> str:
    """The section from a ``usage --by day`` JSON document, the total output histogram and a comparison."""
    days, total = daily["groups"], daily["total"]
    body = [
        _figures(total),
        "<h3>Cost per day</h3>",
        _cost_chart(days),
        "<h3>Cache hit rate per day</h3>",
        _hit_chart(days),
        "<h3>Output length</h3>",
        _length_chart(hist, total["suggested_max_tokens"]),
    ]
    saving = total.get("max_tokens_saving")
    if saving is not None:
        body.append(
            f'<p class="muted">Capping at the suggested max_tokens would have saved {esc(_money(saving))} over these logs.</p>'
        )
    if comparison is not None:
        body.append(_comparison(comparison["change"]))
    lead = f"Measured from {esc(sources)}, priced per record as <code>usage</code> prices it (days in UTC)."
    return (
        '<section class="card" id="usage" aria-labelledby="usage-h"><h2 id="usage-h">Measured spend</h2>'
        f'<p class="lead">{lead}</p>{"".join(body)}</section>'
    )

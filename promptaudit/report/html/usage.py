"""The "Measured spend" section, from the documents ``usage --by day --format json`` prints.

Cost per day, cache hit rate per day, the output-length distribution with the suggested
``max_tokens`` marked, and the before/after change when the logs are split (``--split-at``).
"""

from __future__ import annotations

import math
from decimal import Decimal

from promptaudit.report.common import money
from promptaudit.report.html import svg
from promptaudit.report.html.common import esc, table

BINS = 24


def _money(value: str | None) -> str:
    return money(Decimal(value)) if value is not None else "?"


def _rate(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "n/a"


def _split(days: list[dict], split: str | None) -> tuple[float, str] | None:
    """Where the split falls among the day columns (the start of its day), labelled."""
    if split is None:
        return None
    position = sum(1 for d in days if d["key"] < split[:10])
    return position, f"split {split}"


def _cost_chart(days: list[dict], split: str | None) -> str:
    bars = [
        svg.Bar(
            d["key"][5:], float(Decimal(d["cost"] or 0)), _money(d["cost"]), data={"day": d["key"], "cost": d["cost"]}
        )
        for d in days
    ]
    desc = "; ".join(f"{d['key']}: {_money(d['cost'])}" for d in days)
    return svg.columns(
        "chart-usage-cost", bars, "Measured cost per day (UTC)", desc, svg.Scale(marker=_split(days, split))
    )


def _hit_chart(days: list[dict], split: str | None) -> str:
    bars = [
        svg.Bar(d["key"][5:], d["cache_hit_rate"] or 0, _rate(d["cache_hit_rate"]), 1, {"day": d["key"]}) for d in days
    ]
    desc = "; ".join(f"{d['key']}: {_rate(d['cache_hit_rate'])}" for d in days)
    title = "Share of input tokens read from the cache, per day"
    return svg.columns("chart-usage-hits", bars, title, desc, svg.Scale(top=1, marker=_split(days, split)))


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
    scale = svg.Scale(edges=True, marker=marker)
    return svg.columns("chart-usage-lengths", bars, "Output length distribution", desc, scale)


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
            f'<div class="kpi" data-usage="{key}" data-value="{esc("" if value is None else value)}"><div class="k">{esc(k)}</div>'
            f'<div class="v">{esc(v)}</div><div class="s">{esc(s)}</div></div>'
            for k, v, s, key, value in tiles
        )
        + "</div>"
    )


def _comparison(comparison) -> str:
    """The before/after table, row for row as ``usage --split-at`` prints it."""
    from promptaudit.report.usage import _change_rows

    rows = [
        f'<tr data-metric="{esc(metric)}"><td>{esc(metric)}</td>'
        + "".join(f'<td class="n">{esc(cell)}</td>' for cell in cells)
        + "</tr>"
        for metric, *cells in _change_rows(comparison)
    ]
    return "<h3>Before and after the split</h3>" + table(["Metric", "#Before", "#After", "#Change"], rows)


def section(daily: dict, hist: dict[int, int], comparison, sources: str, split: str | None = None) -> str:
    """The section from a ``usage --by day`` JSON document, the output histogram and a usage Comparison."""
    days, total = daily["groups"], daily["total"]
    body = [
        _figures(total),
        "<h3>Cost per day</h3>",
        _cost_chart(days, split),
        "<h3>Cache hit rate per day</h3>",
        _hit_chart(days, split),
        "<h3>Output length</h3>",
        _length_chart(hist, total["suggested_max_tokens"]),
    ]
    saving = total.get("max_tokens_saving")
    if saving is not None:
        body.append(
            f'<p class="muted">Capping at the suggested max_tokens would have saved {esc(_money(saving))} over these logs.</p>'
        )
    if comparison is not None:
        body.append(_comparison(comparison))
    lead = f"Measured from {esc(sources)}, priced per record as <code>usage</code> prices it (days in UTC)."
    return (
        '<section class="card" id="usage" aria-labelledby="usage-h"><h2 id="usage-h">Measured spend</h2>'
        f'<p class="lead">{lead}</p>{"".join(body)}</section>'
    )

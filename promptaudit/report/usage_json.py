"""The ``usage`` JSON documents: money as exact decimal strings, rates as numbers rounded to 4 places."""

from __future__ import annotations

from decimal import Decimal

from promptaudit.money.pricing import PriceSource
from promptaudit.usage.results.assemble import Comparison, UsageReport
from promptaudit.usage.results.summary import Routing, Summary
from promptaudit.usage.scan import Scan

MONEY_PLACES = Decimal("1e-10")


def report(rep: UsageReport, scan: Scan, prices: PriceSource) -> dict:
    """``{"groups": [...], "total": {...}, "unparsed_lines": n, ..., "prices": {...}}``."""
    return {
        "by": rep.by,
        "groups": [group(s) for s in rep.groups],
        "total": group(rep.total),
        "routing": routing(rep.routing),
        **scan_info([scan]),
        "prices": prices.to_json(),
    }


def comparison(comp: Comparison, scans: list[Scan], prices: PriceSource) -> dict:
    """Before and after reports plus the change in each headline metric."""
    return {
        "by": comp.before.by,
        "before": {"groups": [group(s) for s in comp.before.groups], "total": group(comp.before.total)},
        "after": {"groups": [group(s) for s in comp.after.groups], "total": group(comp.after.total)},
        "change": {
            c.metric: {"before": _num(c.before), "after": _num(c.after), "delta": _num(c.delta), "percent": c.percent}
            for c in comp.changes
        },
        **scan_info(scans),
        "prices": prices.to_json(),
    }


def group(s: Summary) -> dict:
    """One group; ``cost`` and the split are null when a model in the group has no price."""
    c = s.cost
    return {
        "key": s.key,
        "requests": s.requests,
        "input_tokens": s.input_tokens,
        "cached_tokens": s.cached_tokens,
        "cache_write_tokens": s.cache_write_tokens,
        "output_tokens": s.output_tokens,
        "cost": _money(c.total if c else None),
        "cost_split": None
        if c is None
        else {
            "uncached_input": _money(c.uncached_input),
            "cached_input": _money(c.cached_input),
            "cache_writes": _money(c.cache_writes),
            "output": _money(c.output),
            "server_tools": _money(c.server_tools),
        },
        "cost_per_request": _money(s.cost_per_request),
        "unpriced_requests": s.unpriced_requests,
        "cache_hit_rate": _rate(s.cache_hit_rate),
        "cache_saving": _money(c.cache_saving if c else None),
        "cache_write_premium": _money(c.write_premium if c else None),
        "cache_paid_off": s.cache_paid_off,
        "output_p50": s.output_p50,
        "output_p95": s.output_p95,
        "output_p99": s.output_p99,
        "output_max": s.output_max,
        "cap_hit_rate": _rate(s.cap_hit_rate),
        "suggested_max_tokens": s.suggested_max_tokens,
        "max_tokens_saving": _money(s.max_tokens_saving),
    }


def routing(r: Routing | None) -> dict | None:
    """The observed fallback rate and the saving it implies, or null without route tags."""
    if r is None:
        return None
    return {
        "first_requests": r.first_requests,
        "fallback_requests": r.fallback_requests,
        "fallback_rate": _rate(r.fallback_rate),
        "break_even_fallback_rate": _rate(r.break_even_fallback_rate),
        "saving": _money(r.saving),
    }


def scan_info(scans: list[Scan]) -> dict:
    """Lines that matched no format, formats seen, and every input with how reading it ended."""
    unparsed = {"invalid_json": 0, "no_usage": 0}
    formats: dict[str, int] = {}
    for scan in scans:
        for reason, count in scan.unparsed.items():
            unparsed[reason] += count
        for name, count in scan.formats.items():
            formats[name] = formats.get(name, 0) + count
    first = [where for scan in scans for where in scan.first_unparsed][:5]
    inputs = [
        {"path": f.path, "lines": f.lines, "truncated": f.truncated, "read_as": s.engines.get(f.path)}
        for s in scans
        for f in s.files
    ]
    return {
        "unparsed_lines": sum(unparsed.values()),
        "unparsed": {**unparsed, "first_lines": first},
        **_set_aside(scans),
        "formats": dict(sorted(formats.items())),
        "inputs": inputs,
        "records_without_timestamp": sum(scan.no_timestamp for scan in scans),
    }


def _set_aside(scans: list[Scan]) -> dict:
    """Records refused for bad values, set aside on purpose, and pre-aggregated rows counted."""
    skipped: dict[str, int] = {}
    for scan in scans:
        for reason, count in scan.skipped.items():
            skipped[reason] = skipped.get(reason, 0) + count
    return {
        "refused_records": sum(s.refused for s in scans),
        "refused_first": [why for s in scans for why in s.first_refused][:5],
        "skipped_records": dict(sorted(skipped.items())),
        "pre_aggregated_rows": sum(s.bucket_rows for s in scans),
    }


def _money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.quantize(MONEY_PLACES).normalize(), "f")


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _num(value):
    if isinstance(value, Decimal):
        return _money(value)
    return round(value, 4) if isinstance(value, float) else value

"""Measured traffic for ``project --calibrate LOG``: volume, output lengths and cache hit rate from real logs.

No Rich here and no prices: calibration only counts. Unreadable inputs raise InputError (exit 2 via the
command) as InputError; a log with no usage records raises UsageError.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from decimal import Decimal

from promptaudit.errors import UsageError
from promptaudit.usage.records.aggregate import CACHE_READ, INPUT, OUTPUT, REQUESTS, Group, combined
from promptaudit.usage.results.stats import mean, percentiles
from promptaudit.usage.scan import ScanOptions, scan

SECONDS_PER_DAY = Decimal(86_400)


@dataclass(frozen=True)
class Calibration:
    """What the logs measured; a field is None when the logs cannot say (e.g. no timestamps)."""

    source: str  # e.g. "app.jsonl: 12,345 requests, 2026-11-01 to 2026-11-07"
    requests_per_day: Decimal | None  # from the timestamps' span, when present
    output_tokens_mean: int | None
    output_tokens_p95: int | None
    cache_hit_rate: float | None  # cached input / input
    input_tokens_mean: int | None


def calibrate(paths: list[str], model: str | None = None, columns: str | dict | None = None) -> Calibration:
    """Measure ``paths`` (any usage-log format ``usage`` reads, gzip or ``-``), optionally only the records of
    ``model``; ``columns`` maps a table's columns as ``usage --columns`` does."""
    from promptaudit.usage.sources.tabular import parse_columns

    result = scan(paths, ScanOptions(by="all", only_model=model, span=True, columns=parse_columns(columns)))
    if result.errors:
        raise result.errors[0]
    total = combined(result.groups())
    requests = total.total(REQUESTS)
    if total.unknown_request_rows:
        raise UsageError(
            f"{', '.join(paths)}: usage-report rows that do not count their requests cannot calibrate "
            "a projection (requests per day and per-request means are unknown)"
        )
    if not requests:
        which = f" for model {model!r}" if model else ""
        raise UsageError(f"{', '.join(paths)}: no usage records{which} to calibrate from")
    return Calibration(
        source=describe(paths, total),
        requests_per_day=requests_per_day(total),
        output_tokens_mean=mean(total.total(OUTPUT), requests),
        output_tokens_p95=None if total.bucket_rows else percentiles(total.output_hist, (95,))[95],
        cache_hit_rate=_hit_rate(total),
        input_tokens_mean=mean(total.total(INPUT), requests),
    )


def requests_per_day(group: Group) -> Decimal | None:
    """Requests per day over the span of the group's timestamps; None without at least a minute's span."""
    if group.first is None or group.last is None or group.last - group.first < 60:
        return None
    span_days = Decimal(str(group.last - group.first)) / SECONDS_PER_DAY
    return (Decimal(group.total(REQUESTS)) / span_days).quantize(Decimal("0.01"))


def _hit_rate(group: Group) -> float | None:
    total_input = group.total(INPUT)
    return group.total(CACHE_READ) / total_input if total_input else None


def describe(paths: list[str], group: Group) -> str:
    """``app.jsonl: 12,345 requests, 2026-11-01 to 2026-11-07`` (dates only when the records carry them)."""
    names = ", ".join("stdin" if p == "-" else os.path.basename(p) for p in paths)
    text = f"{names}: {group.total(REQUESTS):,} requests"
    if group.first is not None and group.last is not None:
        text += f", {_day(group.first)} to {_day(group.last)}"
    return text


def _day(stamp: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(stamp))

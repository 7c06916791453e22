"""Render ``usage`` reports as a Rich table, JSON or Markdown, and the progress bar for long inputs."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal

from rich.table import Table

from promptaudit.money.pricing import PriceSource
from promptaudit.report import usage_json
from promptaudit.report.common import (
    longest_word,
    money,
    money_column,
    print_json,
    stderr_console,
    stdout_console,
    write_text,
)
from promptaudit.usage.results.assemble import Comparison, UsageReport
from promptaudit.usage.results.summary import Summary
from promptaudit.usage.scan import Scan

PROGRESS_MIN_BYTES = 16 * 1024 * 1024

COST_COLUMNS = (
    "Requests",
    "Input tok",
    "Hit rate",
    "Output tok",
    "Uncached in",
    "Cached in",
    "Cache writes",
    "Output",
    "Tools",
    "Total",
    "$/request",
)
OUTPUT_COLUMNS = ("Requests", "p50", "p95", "p99", "Max", "Cap hits", "Suggested max_tokens", "Its saving")


def render(report: UsageReport, scan: Scan, prices: PriceSource, fmt: str) -> None:
    """Print one usage report in ``fmt`` (table, json or markdown)."""
    if fmt == "json":
        print_json(usage_json.report(report, scan, prices))
    elif fmt == "markdown":
        write_text(_markdown(report, prices))
    else:
        _table(report, prices)


def render_comparison(comparison: Comparison, scans: list[Scan], prices: PriceSource, fmt: str) -> None:
    """Print a before/after comparison in ``fmt``."""
    if fmt == "json":
        print_json(usage_json.comparison(comparison, scans, prices))
        return
    if fmt == "markdown":
        write_text(_markdown(comparison.before, prices) + "\n" + _markdown(comparison.after, prices))
        write_text("\n" + _change_markdown(comparison))
        return
    _table(comparison.before, prices)
    _table(comparison.after, prices)
    stdout_console().print(_change_table(comparison))


def _rows(report: UsageReport, cells) -> list[list[str]]:
    """Every group's cells and the total's last, money columns at one precision each."""
    return aligned([cells(s) for s in [*report.groups, report.total]])


def _cost_cells(s: Summary) -> list[str]:
    c = s.cost
    split = [c.uncached_input, c.cached_input, c.cache_writes, c.output, c.server_tools, c.total] if c else ["?"] * 6
    per_request = s.cost_per_request if s.cost_per_request is not None else "?"
    tokens = [f"{s.input_tokens:,}", _pct(s.cache_hit_rate), f"{s.output_tokens:,}"]
    return [f"{s.requests:,}", *tokens, *split, per_request]


def _output_cells(s: Summary) -> list[str]:
    marks = [_int(v) for v in (s.output_p50, s.output_p95, s.output_p99, s.output_max)]
    saving = "-" if s.max_tokens_saving is None else s.max_tokens_saving
    return [f"{s.requests:,}", *marks, _pct(s.cap_hit_rate), _int(s.suggested_max_tokens), saving]


def aligned(rows: list[list]) -> list[list[str]]:
    """Rows of cells (text, or Decimal dollars) as text, each money column at one precision (money_column)."""
    columns = [list(column) for column in zip(*rows)] if rows else []
    for column in columns:
        amounts = [cell for cell in column if isinstance(cell, Decimal)]
        shown = iter(money_column(amounts))
        column[:] = [next(shown) if isinstance(cell, Decimal) else cell for cell in column]
    return [list(row) for row in zip(*columns)]


def _table(report: UsageReport, prices: PriceSource) -> None:
    console = stdout_console()
    for title, columns, cells in _SECTIONS:
        rows = _rows(report, cells)
        table = Table(title=f"{title} by {report.by} ({report.label})", show_footer=True)
        keys = [s.key for s in report.groups]
        table.add_column(report.by.capitalize(), footer="Total", min_width=longest_word(keys + ["Total"]))
        for name, footer in zip(columns, rows[-1]):
            table.add_column(name, justify="right", footer=footer)
        for key, row in zip(keys, rows):
            table.add_row(key, *row)
        console.print(table)
    for line in [_caption(prices), *_findings(report)]:
        console.print(line)


def _findings(report: UsageReport) -> list[str]:
    """Plain sentences under the table: caching's effect and routing."""
    lines = []
    cost = report.total.cost
    if cost is not None and (cost.cache_saving or cost.write_premium):
        lines.append(f"Caching saved {money(cost.cache_saving)} on cached input.")
    if cost is not None and report.total.cache_write_tokens:
        verdict = "paid off" if report.total.cache_paid_off else "did not pay off"
        lines.append(f"Cache writes cost a premium of {money(cost.write_premium)} over input: caching {verdict}.")
    if report.routing is not None:
        lines.append(_routing_line(report))
    return lines


def _routing_line(report: UsageReport) -> str:
    r = report.routing
    text = (
        f"Routing: {r.fallback_requests:,} of {r.first_requests:,} first attempts fell back ({_pct(r.fallback_rate)})"
    )
    if r.saving is not None:
        text += f"; saved {money(r.saving)} against sending all to the fallback model"
        text += f"; break-even fallback rate {_pct(r.break_even_fallback_rate)}"
    return text + "."


def _change_table(comparison: Comparison) -> Table:
    table = Table(title="Before and after")
    for name in ("Metric", "Before", "After", "Change"):
        table.add_column(name, justify="left" if name == "Metric" else "right")
    for row in _change_rows(comparison):
        table.add_row(*row)
    return table


def _change_rows(comparison: Comparison) -> list[list[str]]:
    rows = []
    for ch in comparison.changes:
        fmt = _FORMATTERS.get(ch.metric, _int)
        delta = "" if ch.delta is None else _signed(fmt(ch.delta))
        percent = f" ({ch.percent:+.1f}%)" if ch.percent is not None and ch.metric != "cache_hit_rate" else ""
        rows.append([ch.metric.replace("_", " "), fmt(ch.before), fmt(ch.after), delta + percent])
    return rows


def _signed(text: str) -> str:
    return text if text.startswith("-") else f"+{text}"


def _markdown(report: UsageReport, prices: PriceSource) -> str:
    lines = []
    for title, columns, cells in _SECTIONS:
        header = [report.by.capitalize(), *columns]
        lines += [f"### {title} by {report.by} ({report.label})", "", _row(header), _row(["---"] * len(header))]
        rows = _rows(report, cells)
        lines += [_row([s.key, *row]) for s, row in zip(report.groups, rows)]
        lines += [_row(["**Total**", *rows[-1]]), ""]
    lines += [_caption(prices)] + [f"\n{line}" for line in _findings(report)]
    return "\n".join(lines) + "\n"


def _change_markdown(comparison: Comparison) -> str:
    lines = ["### Before and after", "", _row(["Metric", "Before", "After", "Change"]), _row(["---"] * 4)]
    return "\n".join(lines + [_row(r) for r in _change_rows(comparison)]) + "\n"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _caption(prices: PriceSource) -> str:
    return f"Cost at {prices.source} prices, as of {prices.as_of}. ? = model without a price."


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def _int(value) -> str:
    return "-" if value is None else f"{value:,}"


def _money_or_dash(value: Decimal | None) -> str:
    return "-" if value is None else money(value)


_FORMATTERS: dict[str, Callable] = {
    "cost_per_request": _money_or_dash,
    "cache_hit_rate": _pct,
    "cap_hit_rate": _pct,
}


_SECTIONS = (("Cost", COST_COLUMNS, _cost_cells), ("Output lengths", OUTPUT_COLUMNS, _output_cells))


@contextlib.contextmanager
def progress(total_bytes: int) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on stderr for long inputs; yields None (no bar) when stderr is not a terminal."""
    if total_bytes < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    columns = ("Reading logs", BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=stderr_console(), transient=True) as bar:
        task = bar.add_task("read", total=total_bytes)
        yield lambda done: bar.update(task, completed=done)

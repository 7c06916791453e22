"""Render ``count`` results as a Rich table, JSON or CSV."""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from typing import TYPE_CHECKING

from promptaudit.money.pricing import PriceSource
from promptaudit.money.prompt_costs import PromptCount
from promptaudit.report import plain
from promptaudit.report.common import RECONSTRUCTED_NOTE, money, print_json, stdout_console, tokens
from promptaudit.tokens.tokenizers import combine_methods, tokenizer_for

if TYPE_CHECKING:
    from rich.table import Table


def prepare(fmt: str) -> None:
    """Import what rendering ``fmt`` needs: Rich's table for ``table``; JSON and CSV need no Rich at all.

    (It was called early so the import overlapped a vocabulary loading in the background; nothing loads in
    the background any more, so it could move into :func:`render`.)
    """
    if fmt == "table":
        import rich.table  # noqa: F401 (also for the plain layout's small tables: --detail)


def render(results: list[PromptCount], models: list[str], prices: PriceSource, fmt: str, detail: bool = False) -> None:
    """Print the count report in ``fmt`` (table, json or csv); ``detail`` adds per-part rows and notes."""
    if fmt == "json":
        print_json({"files": [r.to_json(detail) for r in results], "prices": prices.to_json()})
        return
    {"table": _table, "csv": _csv}[fmt](results, models, prices)
    if detail and fmt == "table":
        for result in results:
            _detail_table(result, models)


def _detail_table(result: PromptCount, models: list[str]) -> None:
    """One row per tool, system block and message part; framing and notes below."""
    from rich.table import Table

    table = Table(title=result.prompt.display, title_justify="left", caption_justify="left")
    table.add_column("Part", no_wrap=True)
    for name in ("Line", "Kind", "Static", "Cache"):
        table.add_column(name, justify="right" if name == "Line" else "left")
    for model in models:
        table.add_column(f"{model}\ntokens", justify="right")
    for i, part in enumerate(result.prompt.parts):
        cells = [part.label or "(text)", str(part.line), part.role or part.kind, "yes" if part.static else "no"]
        cells.append(part.cache_breakpoint or "")
        table.add_row(*cells, *(_part_cell(c.parts[i], c.model) for c in result.counts))
    if any(c.priming for c in result.counts):
        table.add_row("(reply priming)", "", "framing", "", "", *(tokens(c.priming) for c in result.counts))
    table.caption = "\n".join(f"note: {note}" for note in result.notes) or None
    stdout_console().print(table)


def _part_cell(part, model: str) -> str:
    """A part's content tokens, marked by how they were counted, plus its framing."""
    method = "estimate" if part.defaulted else tokenizer_for(model).method
    return tokens(part.tokens, method == "exact", method) + (f" + {part.framing}" if part.framing else "")


def _csv(results: list[PromptCount], models: list[str], prices: PriceSource) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["path", "chars", "model", "encoding", "tokens", "exact", "input_cost_per_request", "method"])
    for result in results:
        for c in result.counts:
            writer.writerow(
                [
                    result.prompt.display,
                    result.prompt.chars,
                    c.model,
                    c.encoding,
                    c.tokens,
                    str(c.exact).lower(),
                    str(c.input_cost_per_request),
                    c.method,
                ]
            )


def _table(results: list[PromptCount], models: list[str], prices: PriceSource) -> None:
    """Models side by side; when that cannot fit the terminal, one row per file and model instead.

    Above :data:`.plain.PLAIN_ROWS` files the same cells are printed in the plain layout (linear time)."""
    if plain.too_long(len(results)):
        _plain_table(results, models, prices)
        return
    console = stdout_console()
    table = _wide_table(results, models, prices)
    if _unfoldable_width(table) > console.width:
        table = _long_table(results, models, prices)
    console.print(table)


def _unfoldable_width(table: Table) -> int:
    """Columns after Path must not wrap: their widest cell, plus borders, plus Path's minimum."""
    widths = [table.columns[0].min_width or 8]
    for column in table.columns[1:]:
        texts = [*str(column.header).split("\n"), str(column.footer), *map(str, column._cells)]
        widths.append(max(len(t) for t in texts))
    return sum(widths) + 3 * len(widths) + 1


def _wide_table(results: list[PromptCount], models: list[str], prices: PriceSource) -> Table:
    from rich.table import Table

    table = Table(title="Token count", caption=_caption(results, prices), show_footer=True)
    width = max((len(r.prompt.display) for r in results), default=4)
    table.add_column("Path", footer="Total", min_width=min(width, 24), overflow="fold")
    table.add_column("Chars", justify="right", footer=f"{sum(r.prompt.chars for r in results):,}")
    for i, model in enumerate(models):
        column = [r.counts[i] for r in results]
        table.add_column(f"{model}\ntokens", justify="right", footer=_total_tokens(column))
        table.add_column(f"{model}\n$/request", justify="right", footer=_total_cost(column))
    for result in results:
        table.add_row(*_wide_cells(result))
    return table


def _plain_table(results: list[PromptCount], models: list[str], prices: PriceSource) -> None:
    columns = [plain.Column("Path"), plain.Column("Chars", right=True)]
    footer = ["Total", f"{sum(r.prompt.chars for r in results):,}"]
    for i, model in enumerate(models):
        column = [r.counts[i] for r in results]
        columns += [plain.Column(f"{model} tokens", right=True), plain.Column(f"{model} $/request", right=True)]
        footer += [_total_tokens(column), _total_cost(column)]
    rows = [_wide_cells(result) for result in results]
    note = f" Plain layout: more than {plain.PLAIN_ROWS:,} rows; --format csv or json for machine use."
    plain.print_table("Token count", columns, rows, footer, _caption(results, prices) + note)


def _wide_cells(result: PromptCount) -> list[str]:
    cells = [result.prompt.display, f"{result.prompt.chars:,}"]
    for c in result.counts:
        cells += [tokens(c.tokens, c.exact, c.method), money(c.input_cost_per_request)]
    return cells


def _long_table(results: list[PromptCount], models: list[str], prices: PriceSource) -> Table:
    from rich.table import Table

    table = Table(title="Token count", caption=_caption(results, prices), show_footer=False)
    table.add_column("Path", overflow="fold")
    table.add_column("Model", overflow="fold")
    table.add_column("Tokens", justify="right")
    table.add_column("$/request", justify="right")
    for i, model in enumerate(models):
        column = [r.counts[i] for r in results]
        for result, count in zip(results, column):
            table.add_row(
                result.prompt.display,
                model,
                tokens(count.tokens, count.exact, count.method),
                money(count.input_cost_per_request),
            )
        table.add_row("Total", model, _total_tokens(column), _total_cost(column), end_section=True)
    return table


def _total_tokens(column: list) -> str:
    return tokens(
        sum(c.tokens for c in column), all(c.exact for c in column), combine_methods(c.method for c in column)
    )


def _total_cost(column: list) -> str:
    return money(sum((c.input_cost_per_request for c in column), Decimal(0)))


def _caption(results: list[PromptCount], prices: PriceSource) -> str:
    estimated = any(c.method == "estimate" for r in results for c in r.counts)
    note = " ~ marks an estimate: no public tokenizer for the model." if estimated else ""
    if any(c.method == "reconstructed" for r in results for c in r.counts):
        note += " " + RECONSTRUCTED_NOTE
    return f"Input cost per request at {prices.source} prices, as of {prices.as_of}.{note}"

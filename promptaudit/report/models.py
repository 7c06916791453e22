"""Render ``models``: a Rich table or JSON."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from promptaudit.money.catalog import ModelRow
from promptaudit.money.pricing import PriceSource
from promptaudit.money.providers import as_of
from promptaudit.report.common import print_json, stdout_console

HEADERS = ("Model", "Input", "Cached", "Write", "Output", "Batch in/out", "Context", "Cache min")


def render(rows: list[ModelRow], prices: PriceSource, fmt: str) -> None:
    """Print the catalog in ``fmt`` (table or json)."""
    if fmt == "json":
        print_json({"models": [r.to_json() for r in rows], "prices": prices.to_json(), "facts_as_of": as_of()})
    else:
        _table(rows, prices)


def _rate(value: Decimal | None) -> str:
    """A price per million tokens: at least two decimals, more only when the price has them."""
    if value is None:
        return "–"
    text = f"{value.normalize():f}"
    return f"{value:.2f}" if len(text.partition(".")[2]) <= 2 else text


def _context(tokens: int | None) -> str:
    if not tokens:
        return "–"
    if tokens % 1_000_000 == 0:
        return f"{tokens // 1_000_000}M"
    return f"{tokens / 1000:,.0f}k"


def _batch(row: ModelRow) -> str:
    if row.batch_input_mtok is None:
        return "–"
    mark = "*" if row.batch_derived else ""
    return f"{_rate(row.batch_input_mtok)}/{_rate(row.batch_output_mtok)}{mark}"


def _cache_min(row: ModelRow) -> str:
    cache = row.facts.cache
    if cache is None:
        return "–"
    step = f" +{cache.increment}" if cache.increment > 1 else ""
    return f"{cache.min_tokens:,}{step}"


def _cells(row: ModelRow) -> list[str]:
    p = row.price
    tier = "†" if p.tiered else ""
    return [
        p.model,
        _rate(p.input_mtok) + tier,
        _rate(p.cache_read_mtok),
        _rate(p.cache_write_mtok),
        _rate(p.output_mtok),
        _batch(row),
        _context(p.context_window),
        _cache_min(row),
    ]


def _table(rows: list[ModelRow], prices: PriceSource) -> None:
    table = Table(title="Models: USD per million tokens", caption=_caption(rows, prices), caption_justify="left")
    for header in HEADERS:
        left = header == "Model"
        table.add_column(header, justify="left" if left else "right", no_wrap=True)
    table.add_column("Tokens", no_wrap=True)
    for index, row in enumerate(rows):
        if index and row.price.provider != rows[index - 1].price.provider:
            table.add_section()
        table.add_row(*_cells(row), {"exact": "exact", "reconstructed": "≈rec."}.get(row.method, "~est."))
    console = stdout_console()
    if not console.is_terminal:  # piped or captured: a full row beats an ellipsis
        console.width = max(console.width, 110)
    console.print(table)


def _caption(rows: list[ModelRow], prices: PriceSource) -> str:
    notes = [f"Prices: {prices.source}, as of {prices.as_of}.", f"Cache facts: providers.yaml, researched {as_of()}."]
    if any(r.batch_derived for r in rows):
        notes.append("* batch price = the provider's 50% discount on list prices (the price source has none).")
    notes.append("Write: 5-minute cache write (– : no write premium). † tiered: base tier shown.")
    notes.append(
        "Cache min: smallest cacheable prefix (+N: cached in N-token steps). ~est.: token counts are estimates (no public tokenizer)."
    )
    return "\n".join(notes)

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


def _places(value: Decimal | None) -> int:
    """Decimal places a price needs: at least two, more only when the price has them."""
    if value is None:
        return 2
    return max(2, len(f"{value.normalize():f}".partition(".")[2]))


PLACES: dict[str, int] = {}
"""Decimal places per price column for the table being drawn (one precision per column)."""


def _rate(value: Decimal | None, column: str = "") -> str:
    """A price per million tokens, at its column's precision (:data:`PLACES`), else at its own."""
    if value is None:
        return "–"
    return f"{value:.{PLACES.get(column, _places(value))}f}"


def _column_places(rows: list[ModelRow]) -> dict[str, int]:
    """One precision per price column: the most places any of its prices needs."""
    columns = {
        "input": [r.price.input_mtok for r in rows],
        "cached": [r.price.cache_read_mtok for r in rows],
        "write": [r.price.cache_write_mtok for r in rows],
        "output": [r.price.output_mtok for r in rows],
        "batch": [v for r in rows for v in (r.batch_input_mtok, r.batch_output_mtok)],
    }
    return {name: max(map(_places, values), default=2) for name, values in columns.items()}


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
    return f"{_rate(row.batch_input_mtok, 'batch')}/{_rate(row.batch_output_mtok, 'batch')}{mark}"


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
        _rate(p.input_mtok, "input") + tier,
        _rate(p.cache_read_mtok, "cached"),
        _rate(p.cache_write_mtok, "write"),
        _rate(p.output_mtok, "output"),
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
    PLACES.clear()
    PLACES.update(_column_places(rows))
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
        "Context: the price source's window for the model (another provider's entry of it where its own has none)."
    )
    marks = ["Cache min: smallest cacheable prefix (+N: cached in N-token steps)."]
    if any(r.method == "estimate" for r in rows):
        marks.append("~est.: token counts are estimates (no public tokenizer).")
    if any(r.method == "reconstructed" for r in rows):
        marks.append("≈rec.: Claude counts reconstructed offline with ctok.")
    notes.append(" ".join(marks))
    return "\n".join(notes)

"""Render ``count`` results as a Rich table, JSON or CSV."""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from typing import TYPE_CHECKING

from promptaudit.money.pricing import PriceSource
from promptaudit.money.prompt_costs import ModelCount, PromptCount
from promptaudit.report import plain
from promptaudit.report.common import RECONSTRUCTED_NOTE, money_column, print_json, stdout_console, tokens
from promptaudit.tokens import approximations
from promptaudit.tokens.tokenizers import combine_methods, tokenizer_for

if TYPE_CHECKING:
    from rich.table import Table

CSV_HEADER = ("path", "chars", "model", "encoding", "tokens", "exact", "input_cost_per_request", "method", "model_from")


def prepare(fmt: str) -> None:
    """Import what rendering ``fmt`` needs: Rich's table for ``table``; JSON and CSV need no Rich at all.

    (It was called early so the import overlapped a vocabulary loading in the background; nothing loads in
    the background any more, so it could move into :func:`render`.)
    """
    if fmt == "table":
        import rich.table  # noqa: F401 (also for the plain layout's small tables: --detail)


def render(results: list[PromptCount], prices: PriceSource, fmt: str, detail: bool = False) -> None:
    """Print the count report in ``fmt`` (table, json or csv); ``detail`` adds per-part rows and notes."""
    if fmt == "json":
        print_json({"files": [r.to_json(detail) for r in results], "prices": prices.to_json()})
        return
    {"table": _table, "csv": _csv}[fmt](results, prices)
    if detail and fmt == "table":
        for result in results:
            _detail_table(result)


def _detail_table(result: PromptCount) -> None:
    """One row per tool, system block and message part; framing and notes below."""
    from rich.table import Table

    table = Table(title=result.prompt.display, title_justify="left", caption_justify="left")
    table.add_column("Part", no_wrap=True)
    for name in ("Line", "Kind", "Static", "Cache"):
        table.add_column(name, justify="right" if name == "Line" else "left")
    for count in result.counts:
        table.add_column(_header(count.label, "tokens"), justify="right")
    for i, part in enumerate(result.prompt.parts):
        cells = [part.label or "(text)", str(part.line), part.role or part.kind, "yes" if part.static else "no"]
        cells.append(part.cache_breakpoint or "")
        table.add_row(*cells, *(_part_cell(c.parts[i], c) for c in result.counts))
    if any(c.priming for c in result.counts):
        table.add_row("(reply priming)", "", "framing", "", "", *(tokens(c.priming) for c in result.counts))
    table.caption = "\n".join(f"note: {note}" for note in result.notes) or None
    stdout_console().print(table)


def _part_cell(part, count: ModelCount) -> str:
    """A part's content tokens, marked by how they were counted, plus its framing."""
    approximate = part.defaulted or (part.part.kind == "tool" and approximations.TOOLS in count.approximations)
    method = "estimate" if approximate else tokenizer_for(count.model).method
    return tokens(part.tokens, method == "exact", method) + (f" + {part.framing}" if part.framing else "")


def _csv(results: list[PromptCount], prices: PriceSource) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_HEADER)
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
                    c.model_from,
                ]
            )


def _table(results: list[PromptCount], prices: PriceSource) -> None:
    """Models side by side when every prompt is counted at the same models; else (prompts at the models
    their files name, or a table too wide for the terminal) one row per prompt and model, grouped by model.

    Above :data:`.plain.PLAIN_ROWS` rows the same cells are printed in the plain layout (linear time)."""
    wide = _same_models(results)
    if plain.too_long(len(results)):
        _plain_table(results, prices, wide)
        return
    console = stdout_console()
    table = _wide_table(results, prices) if wide else None
    if table is None or _unfoldable_width(table) > console.width:
        table = _long_table(results, prices)
    console.print(table)


def _same_models(results: list[PromptCount]) -> bool:
    """True when every prompt has the same models, from the same place (they can then share columns)."""
    return len({tuple((c.model, c.model_from) for c in r.counts) for r in results}) <= 1


def _unfoldable_width(table: Table) -> int:
    """Columns after Path must not wrap: their widest cell, plus borders, plus Path's minimum."""
    widths = [table.columns[0].min_width or 8]
    for column in table.columns[1:]:
        texts = [*str(column.header).split("\n"), str(column.footer), *map(str, column._cells)]
        widths.append(max(len(t) for t in texts))
    return sum(widths) + 3 * len(widths) + 1


def _header(label: str, unit: str) -> str:
    """A column header: the model, its mark on a line of its own (a name is never cut mid-word), the unit."""
    return "\n".join([*label.split(" ", 1), unit])


def _wide_table(results: list[PromptCount], prices: PriceSource) -> Table:
    from rich.table import Table

    table = Table(title="Token count", caption=_caption(results, prices), show_footer=True)
    width = max((len(r.prompt.display) for r in results), default=4)
    headers, rows, footer = _wide_cells(results)
    table.add_column("Path", footer=footer[0], min_width=min(width, 24), overflow="fold")
    table.add_column("Chars", justify="right", footer=footer[1])
    for (label, unit), total in zip(headers, footer[2:]):
        table.add_column(_header(label, unit), justify="right", footer=total)
    for row in rows:
        table.add_row(*row)
    return table


def _wide_cells(results: list[PromptCount]) -> tuple[list[tuple[str, str]], list[list[str]], list[str]]:
    """The side-by-side layout's cells: (model label, unit) per column after Path and Chars, rows, footer."""
    headers, columns, footer = [], [], ["Total", f"{sum(r.prompt.chars for r in results):,}"]
    for i, first in enumerate(results[0].counts if results else []):
        counts = [r.counts[i] for r in results]
        costs = money_column([c.input_cost_per_request for c in counts] + [_cost(counts)])
        headers += [(first.label, "tokens"), (first.label, "$/request")]
        footer += [_total_tokens(counts), costs[-1]]
        columns.append((counts, costs))
    rows = []
    for row, result in enumerate(results):
        cells = [_shown(result.prompt), f"{result.prompt.chars:,}"]
        for counts, costs in columns:
            cells += [_count_cell(counts[row]), costs[row]]
        rows.append(cells)
    return headers, rows, footer


def _plain_table(results: list[PromptCount], prices: PriceSource, wide: bool) -> None:
    """The same cells as the Rich layouts, aligned in one linear pass (:mod:`.plain`)."""
    note = f" Plain layout: more than {plain.PLAIN_ROWS:,} rows; --format csv or json for machine use."
    if wide:
        headers, rows, footer = _wide_cells(results)
        columns = [plain.Column("Path"), plain.Column("Chars", right=True)]
        columns += [plain.Column(f"{label} {unit}", right=True) for label, unit in headers]
    else:
        rows, footer = [row for row, _ in _long_cells(results)], None
        columns = [plain.Column("Path"), plain.Column("Model"), plain.Column("Tokens", right=True)]
        columns.append(plain.Column("$/request", right=True))
    plain.print_table("Token count", columns, rows, footer, _caption(results, prices) + note)


def _shown(prompt) -> str:
    """The row's name; a code call whose prompt is built at run time says so (it counts 0 tokens)."""
    return f"{prompt.display} ({prompt.unresolved})" if prompt.unresolved else prompt.display


def _long_table(results: list[PromptCount], prices: PriceSource) -> Table:
    """One section per model: its prompts and their total (a model's mark says whose file names it)."""
    from rich.table import Table

    table = Table(title="Token count", caption=_caption(results, prices), show_footer=False)
    table.add_column("Path", overflow="fold")
    table.add_column("Model", overflow="fold")
    table.add_column("Tokens", justify="right")
    table.add_column("$/request", justify="right")
    for row, end_section in _long_cells(results):
        table.add_row(*row, end_section=end_section)
    return table


def _long_cells(results: list[PromptCount]) -> list[tuple[list[str], bool]]:
    """The one-row-per-prompt-and-model layout's rows, each model's section closed by its total row."""
    sections = _by_model(results)
    amounts = [c.input_cost_per_request for _, rows in sections for _, c in rows]
    shown = money_column(amounts + [_cost([c for _, c in rows]) for _, rows in sections])
    row_costs, totals = iter(shown[: len(amounts)]), shown[len(amounts) :]
    found = []
    for (model, rows), total in zip(sections, totals):
        found += [([_shown(r.prompt), c.label, _count_cell(c), next(row_costs)], False) for r, c in rows]
        found.append((["Total", model, _total_tokens([c for _, c in rows]), total], True))
    return found


def _by_model(results: list[PromptCount]) -> list[tuple[str, list[tuple[PromptCount, ModelCount]]]]:
    """(model, its prompts with their count), models in order of first use."""
    sections: dict[str, list] = {}
    for result in results:
        for count in result.counts:
            sections.setdefault(count.model, []).append((result, count))
    return list(sections.items())


def _count_cell(count: ModelCount) -> str:
    return tokens(count.tokens, count.exact, count.method)


def _total_tokens(counts: list[ModelCount]) -> str:
    return tokens(
        sum(c.tokens for c in counts), all(c.exact for c in counts), combine_methods(c.method for c in counts)
    )


def _cost(counts: list[ModelCount]) -> Decimal:
    return sum((c.input_cost_per_request for c in counts), Decimal(0))


def _caption(results: list[PromptCount], prices: PriceSource) -> str:
    counts = [c for r in results for c in r.counts]
    notes = [f"Input cost per request at {prices.source} prices, as of {prices.as_of}."]
    notes.append(approximations.footnote(c2 for c in counts for c2 in c.approximations) or "")
    if any(c.method == "reconstructed" for c in counts):
        notes.append(RECONSTRUCTED_NOTE)
    if any(c.model_from == "file" for c in counts):
        notes.append("(from file): the model the prompt's own file or code call names (--model overrides it).")
    return " ".join(note for note in notes if note)

"""What every section of the HTML report shares: escaping, money, cards and tables."""

from __future__ import annotations

from decimal import Decimal

from promptaudit.report.common import money
from promptaudit.report.html.svg import esc

__all__ = ["card", "column", "dec", "esc", "money_cell", "table"]


def column(rows: list[dict], field: str) -> list[str]:
    """A JSON money field of every row, shown at one precision for the whole column (report.common)."""
    from promptaudit.report.common import money_column

    return money_column([dec(row[field]) for row in rows])


def dec(value: str | None) -> Decimal:
    """A JSON money string as Decimal (None as 0)."""
    return Decimal(value) if value is not None else Decimal(0)


def card(key: str, title: str, lead: str, body: str, css: str = "") -> str:
    """One section of the page; ``lead`` is trusted markup (callers escape what they put in it)."""
    return (
        f'<section class="card {css}" id="{key}" aria-labelledby="{key}-h"><h2 id="{key}-h">{esc(title)}</h2>'
        f'<p class="lead">{lead}</p>{body}</section>'
    )


def table(headers: list[str], rows: list[str], css: str = "") -> str:
    """A table; a header starting with ``#`` is a number column (right-aligned), ``rows`` are ``<tr>`` markup."""
    cells = "".join(f'<th class="n">{esc(h[1:])}</th>' if h.startswith("#") else f"<th>{esc(h)}</th>" for h in headers)
    return f'<table class="{css}"><tr>{cells}</tr>{"".join(rows)}</table>'


def money_cell(value: str, field: str, suffix: str = "", shown: str | None = None) -> str:
    """A money cell: ``shown`` (the column's precision), else the terminal's formatting; the JSON value in
    ``data-value``."""
    text = money(dec(value)) if shown is None else shown
    return f'<td class="n" data-field="{field}" data-value="{esc(value)}">{esc(text + suffix)}</td>'

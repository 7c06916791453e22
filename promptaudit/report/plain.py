"""Tables too long for Rich: the same cells, aligned in one linear pass.

Rich measures every cell of every column before it draws a row (and wraps, folds and crops each one), which
takes about a millisecond per row: 26 s for a file of 20,000 named prompts. Above :data:`PLAIN_ROWS` rows a
table is printed here instead: the same title, headers, cells, totals and caption, each column padded to its
widest cell, nothing folded (a pipe or a pager shows long lines whole). The numbers are the very strings the
Rich table would show; only the frame differs. Control characters are escaped as everywhere else.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from promptaudit.report.terminal import printable

PLAIN_ROWS = 2_000
"""Above this many rows a table is printed plainly (Rich takes about 2 s per 2,000 rows on a small machine)."""


@dataclass(frozen=True)
class Column:
    """One column: its header (lines joined by a space) and whether its cells are right-aligned."""

    header: str
    right: bool = False


def too_long(rows: int) -> bool:
    """Whether a table of ``rows`` rows is printed plainly."""
    return rows > PLAIN_ROWS


def print_table(title: str, columns: list[Column], rows: list[list[str]], footer: list[str] | None, caption: str):
    """Write the table to stdout: title, headers, a rule, the rows, a rule and the footer, then the caption."""
    headers = [printable(c.header.replace("\n", " ")) for c in columns]
    body = [[printable(cell) for cell in row] for row in rows]
    total = [printable(cell) for cell in footer] if footer else None
    widths = [max(len(cell) for cell in column) for column in zip(headers, *body, *([total] if total else []))]
    rule = "  ".join("─" * width for width in widths)
    lines = [printable(title), _line(headers, columns, widths), rule]
    lines += [_line(row, columns, widths) for row in body]
    if total:
        lines += [rule, _line(total, columns, widths)]
    sys.stdout.write("\n".join([*lines, printable(caption)]) + "\n")


def _line(cells: list[str], columns: list[Column], widths: list[int]) -> str:
    padded = (c.rjust(w) if col.right else c.ljust(w) for c, col, w in zip(cells, columns, widths))
    return "  ".join(padded).rstrip()

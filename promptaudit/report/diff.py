"""Render a ``diff`` report as a Rich table, a Markdown table for pull-request comments, or JSON."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from promptaudit.gate.budgets import decimal_text
from promptaudit.report.common import RECONSTRUCTED_NOTE, money, print_json, stdout_console, tokens, write_text

NO_VOLUME = "volume not configured"


def render(report, fmt: str) -> None:
    """Print the diff report in ``fmt`` (table, markdown or json)."""
    {"table": _table, "markdown": _markdown, "json": _json}[fmt](report)


def to_json(report) -> dict:
    """The JSON report: base, model, every changed file, skipped files and totals."""
    cost = report.monthly_cost_change
    base = {"ref": report.base_ref, "commit": report.base_commit} if report.base_commit else None
    return {
        "base": base,
        "model": report.model,
        "files": [f.to_json() for f in report.files],
        "skipped": [{"path": path, "reason": reason} for path, reason in report.skipped],
        "total": {"tokens_change": report.tokens_change, "monthly_cost_change": decimal_text(cost)},
    }


def _json(report) -> None:
    print_json(to_json(report))


def signed_tokens(change: int, exact: bool = True) -> str:
    """A token change with its sign: ``+150``, ``-20``, ``0``."""
    return ("" if exact else "~") + (f"{change:+,}" if change else "0")


def signed_money(value: Decimal | None) -> str:
    """A $/month change with its sign, or a dash when no volume is configured."""
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + money(value)


def _name(item) -> str:
    return f"{item.old_path} → {item.path}" if item.status == "renamed" else item.path


def _title(report) -> str:
    if report.base_commit is None:
        return f"Prompt token changes ({report.model})"
    return f"Prompt token changes ({report.model}, vs {report.base_ref} @ {report.base_commit[:8]})"


def _rows(report) -> list[list[str]]:
    rows = []
    for f in report.files:
        cells = [tokens(f.tokens_before, f.exact, f.method), tokens(f.tokens_after, f.exact, f.method)]
        rows.append([_name(f), f.status, *cells, signed_tokens(f.change, f.exact), signed_money(f.monthly_cost_change)])
    return rows


def _totals(report) -> list[str]:
    before = sum(f.tokens_before for f in report.files)
    after = sum(f.tokens_after for f in report.files)
    exact = all(f.exact for f in report.files)
    change = signed_tokens(report.tokens_change, exact)
    return ["Total", "", tokens(before, exact), tokens(after, exact), change, signed_money(report.monthly_cost_change)]


def _notes(report) -> list[str]:
    volumes = sorted({f.requests_per_day for f in report.files if f.requests_per_day is not None})
    notes = [f"$/month at {', '.join(f'{v.normalize():,f}' for v in volumes)} requests/day."] if volumes else []
    if any(f.monthly_cost_change is None for f in report.files):
        notes.append(f"$/month: {NO_VOLUME} for some prompts (set volume: or traffic: in the config).")
    if any(f.method == "estimate" for f in report.files):
        notes.append("~ marks an estimated count (see promptaudit count for why).")
    if any(f.method == "reconstructed" for f in report.files):
        notes.append(RECONSTRUCTED_NOTE)
    notes += [f"Skipped {path}: {reason}." for path, reason in report.skipped]
    return notes


HEADERS = ["Prompt", "Status", "Tokens before", "Tokens after", "Change", "$/month change"]


def _markdown(report) -> None:
    lines = [f"### {_title(report)}", ""]
    if not report.files:
        lines.append("No prompt files changed.")
    else:
        lines += ["| " + " | ".join(HEADERS) + " |", "|---|---|--:|--:|--:|--:|"]
        for row in _rows(report):
            lines.append("| " + " | ".join([f"`{row[0]}`", *row[1:]]) + " |")
        lines.append("| " + " | ".join(f"**{cell}**" if cell else "" for cell in _totals(report)) + " |")
    notes = _notes(report)
    lines += [""] + notes if notes else []
    write_text("\n".join(lines) + "\n")


def _table(report) -> None:
    console = stdout_console()
    if not report.files:
        console.print(f"{_title(report)}: no prompt files changed.")
    else:
        table = Table(title=_title(report), show_footer=len(report.files) > 1)
        for header, footer in zip(HEADERS, _totals(report)):
            table.add_column(header, footer=footer, justify="left" if header in HEADERS[:2] else "right")
        for row in _rows(report):
            table.add_row(*row)
        console.print(table)
    for note in _notes(report):
        console.print(note)

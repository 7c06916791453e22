"""Render the audit report for a terminal: findings grouped by file, then a Rich savings table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from promptaudit.report.audit.common import AuditReport, FileSummary
from promptaudit.report.common import money, printable, stdout_console, tokens

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(report: AuditReport) -> None:
    """Print each file's findings as ``path:line:col RULE message (saves N tokens)``, then the table."""
    console = stdout_console()
    listed = {summary.path for summary in report.files}
    for summary in report.files:
        for f in report.findings_for(summary.path):
            console.print(_finding_line(f), soft_wrap=True)
    for f in (f for f in report.findings if f.path not in listed):  # text a prompt in code sends from another module
        console.print(_finding_line(f), soft_wrap=True)
    if not report.findings:
        console.print("No findings.")
    console.print(_table(report))
    for note in report.notes:
        console.print(Text(printable(f"Note: {note}")))


def _finding_line(f) -> Text:
    line = Text(printable(f"{f.path}:{f.line}:{f.column} "))
    line.append(f.rule, style=_STYLE[f.severity])
    line.append(printable(f" [{f.severity}] {f.message}"))
    if f.tokens_saved:
        line.append(f" (saves {f.tokens_saved:,} tokens)")
    return line


def _monthly(summary: FileSummary) -> str:
    return "n/a" if summary.monthly_saving is None else money(summary.monthly_saving)


def _table(report: AuditReport) -> Table:
    model = report.model.replace(" (from file)", ", from file")  # one pair of brackets in the title
    table = Table(title=f"Savings if fixed ({model})", show_footer=len(report.files) > 1)
    total_tokens = sum(f.tokens for f in report.files)
    exact, method = all(f.exact for f in report.files), report.method
    saving = report.monthly_saving
    width = max((len(f.path) for f in report.files), default=4)
    table.add_column("File", footer="Total", overflow="fold", min_width=min(width, 32))
    table.add_column("Tokens", justify="right", footer=tokens(total_tokens, exact, method))
    table.add_column("Removable", justify="right", footer=f"{report.tokens_saved:,}")
    table.add_column("%", justify="right", footer=_percent(report.tokens_saved, total_tokens))
    monthly = _monthly_column([*(f.monthly_saving for f in report.files), saving])
    table.add_column("$/month", justify="right", footer=monthly[-1])
    for f, month in zip(report.files, monthly):
        table.add_row(f.path, tokens(f.tokens, f.exact, f.method), f"{f.tokens_saved:,}", f"{f.percent_saved}%", month)
    return table


def _monthly_column(values: list) -> list[str]:
    """$/month cells at one precision (``n/a`` where there is no volume)."""
    from promptaudit.report.common import money_column

    shown = iter(money_column([v for v in values if v is not None]))
    return ["n/a" if v is None else next(shown) for v in values]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0.0%"

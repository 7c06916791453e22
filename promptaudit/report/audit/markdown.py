"""Render the audit report as Markdown, fit for a pull-request comment."""

from __future__ import annotations

from promptaudit.report.audit.common import AuditReport
from promptaudit.report.common import money, tokens, write_text

_ICON = {"error": "🔴", "warning": "🟡", "info": "🔵"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def lines(report: AuditReport) -> list[str]:
    """The Markdown document, line by line."""
    saving = report.monthly_saving
    out = [
        f"## promptaudit: {len(report.findings)} finding(s) for {report.model}",
        "",
        "| File | Tokens | Removable | % | $/month |",
        "|---|---:|---:|---:|---:|",
    ]
    for f in report.files:
        monthly = "n/a" if f.monthly_saving is None else money(f.monthly_saving)
        out.append(
            f"| `{f.path}` | {tokens(f.tokens, f.exact, f.method)} | {f.tokens_saved:,} | {f.percent_saved}% | {monthly} |"
        )
    out.append(f"| **Total** | | **{report.tokens_saved:,}** | | **{'n/a' if saving is None else money(saving)}** |")
    if report.findings:
        out += ["", "| | Where | Rule | Finding | Saves |", "|---|---|---|---|---:|"]
        for f in report.findings:
            where = f"`{f.path}:{f.line}:{f.column}`"
            out.append(
                f"| {_ICON[f.severity]} | {where} | {f.rule} {f.name} | {_cell(f.message)} | {f.tokens_saved:,} |"
            )
    out += [""] + [f"> {note}" for note in report.notes]
    return out


def render(report: AuditReport) -> None:
    """Print the Markdown report on stdout."""
    write_text("\n".join(lines(report)).rstrip() + "\n")

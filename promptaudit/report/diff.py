"""Render a ``diff`` report as a Rich table, as the Markdown a pull-request comment shows, or as JSON.

The Markdown is short on purpose: the rows whose $/month moves most first (policy breakers before them),
at most ``MAX_ROWS``, then the policy violations, the top findings the change introduces, the totals and
the price source; what it leaves out it counts. JSON has every row.
"""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from promptaudit.gate.budgets import decimal_text
from promptaudit.report.common import RECONSTRUCTED_NOTE, money, print_json, stdout_console, tokens, write_text

NO_VOLUME = "volume not configured"
MAX_ROWS = 50
MAX_VIOLATIONS = 20
MAX_FINDINGS = 5
MARKDOWN_LIMIT = 60_000
"""Characters of Markdown at most: GitHub refuses a comment over 65,536, and the comment adds a header."""


def render(report, fmt: str) -> None:
    """Print the diff report in ``fmt`` (table, markdown or json)."""
    {"table": _table, "markdown": _markdown, "json": _json}[fmt](report)


def _side_json(side) -> dict | None:
    if side is None:
        return None
    return {"name": side.name, "model": side.model, "tokens": side.tokens, "method": side.method,
            "max_tokens": side.cap, "tools": side.tools, "in_code": side.in_code,
            "cost_per_request": decimal_text(side.per_request)}  # fmt: skip


def row_json(row) -> dict:
    """One changed prompt: both sides, the $/month change and the policies it breaks."""
    return {
        "key": row.key,
        "name": row.name,
        "path": row.path,
        "old_path": row.old_path,
        "status": row.status,
        "before": _side_json(row.before),
        "after": _side_json(row.after),
        "tokens_before": row.tokens_before,
        "tokens_after": row.tokens_after,
        "tokens_change": row.tokens_after - row.tokens_before,
        "method": row.method,
        "requests_per_day": decimal_text(row.requests_per_day),
        "monthly_before": decimal_text(row.monthly_before),
        "monthly_after": decimal_text(row.monthly_after),
        "monthly_cost_change": decimal_text(row.monthly_change),
        "violations": [v.to_json() for v in row.violations],
    }


def to_json(report) -> dict:
    """The JSON report: base, model, prices, every changed prompt, policies broken, findings introduced, totals."""
    base = {"ref": report.base_ref, "commit": report.base_commit} if report.base_commit else None
    source = report.price_source.to_json() if report.price_source else None
    return {
        "base": base,
        "model": report.model,
        "prices": source,
        "passed": report.passed,
        "prompts": [row_json(r) for r in report.rows],
        "skipped": [{"path": path, "reason": reason} for path, reason in report.skipped],
        "violations": [v.to_json() for v in report.violations],
        "findings_introduced": [f.to_json() for f in report.findings],
        "total": {
            "prompts": len(report.rows),
            "tokens_change": report.tokens_change,
            "monthly_before": decimal_text(report.monthly_before),
            "monthly_after": decimal_text(report.monthly_after),
            "monthly_cost_change": decimal_text(report.monthly_cost_change),
            "bill_before": decimal_text(report.bill_before),
            "bill_after": decimal_text(report.bill_after),
        },
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


def _money_or_dash(value: Decimal | None) -> str:
    return "—" if value is None else money(value)


def percent(before: Decimal | None, after: Decimal | None) -> str:
    """`` (+12.5%)`` beside a change; empty where there is no before to compare with."""
    if before is None or after is None or before <= 0:
        return ""
    return f" ({(after - before) * 100 / before:+,.1f}%)"


def what_changed(row) -> str:
    """The cost drivers that moved besides the text: model, output cap, tools."""
    before, after = row.before, row.after
    if before is None or after is None:
        return ""
    moved = []
    if before.model != after.model:
        moved.append(f"model {before.model} → {after.model}")
    if before.cap != after.cap:
        moved.append(f"max_tokens {_cap(before.cap)} → {_cap(after.cap)}")
    if before.tools != after.tools:
        moved.append(f"tools {before.tools} → {after.tools}")
    return "; ".join(moved)


def _cap(cap: int | None) -> str:
    return "none" if cap is None else f"{cap:,}"


def _exact(row) -> bool:
    return row.method == "exact"


def token_cells(row) -> tuple[str, str]:
    return tokens(row.tokens_before, _exact(row), row.method), tokens(row.tokens_after, _exact(row), row.method)


def change_cell(row) -> str:
    """The $/month change with its percent, else (no volume or no price) the token change."""
    if row.monthly_change is None:
        return signed_tokens(row.tokens_after - row.tokens_before, _exact(row)) + " tokens"
    return signed_money(row.monthly_change) + percent(row.monthly_before, row.monthly_after)


def verdict(row, report) -> str:
    """✅ within every policy, ❌ and the policies it breaks, or a dash when no policy is configured."""
    if row.violations:
        return "❌ " + ", ".join(dict.fromkeys(v.policy for v in row.violations))
    return "✅" if report.policies_set else "—"


def ordered(rows: list) -> list:
    """Policy breakers first, then by how much $/month moved (else tokens), then by key: stable for a PR."""

    def weight(row) -> tuple:
        money_moved = abs(row.monthly_change) if row.monthly_change is not None else Decimal(0)
        return (not row.violations, -money_moved, -abs(row.tokens_after - row.tokens_before), row.key)

    return sorted(rows, key=weight)


def title(report) -> str:
    """The headline: the verdict when policies are set, else what the table is."""
    if report.violations:
        return f"promptaudit: ❌ {len(report.violations)} cost policy violation(s)"
    if report.policies_set:
        return "promptaudit: ✅ within the cost policies"
    return "promptaudit: prompt cost changes"


def compared_with(report) -> str:
    """What the comparison is against, and at which model."""
    model = f"default model {report.model}" + ("" if report.forced_model else " (a prompt's own model wins)")
    if report.base_commit is None:
        return f"Compared two files at {model}."
    if report.base_ref == report.base_commit:  # the action passes the merge base's commit id
        return f"Compared with the base `{report.base_commit[:8]}`, {model}."
    return f"Compared with {report.base_ref} @ `{report.base_commit[:8]}`, {model}."


def notes(report) -> list[str]:
    """Volumes, how output is priced, estimates, unpriced models, skipped files, prices and their date."""
    rows = report.rows
    volumes = sorted({r.requests_per_day for r in rows if r.requests_per_day is not None})
    found = [f"$/month at {', '.join(f'{v.normalize():,f}' for v in volumes)} requests/day."] if volumes else []
    if any(r.requests_per_day is None for r in rows):
        found.append(f"$/month: {NO_VOLUME} for some prompts (set volume: or traffic: in the config).")
    if any(side is not None and side.cap for r in rows for side in (r.before, r.after)):
        found.append("A request is priced as its input plus its output at max_tokens (the most a reply can cost).")
    unknown = sorted({s.model for r in rows for s in (r.before, r.after) if s is not None and not s.known})
    if unknown:
        found.append(f"No price for {', '.join(unknown)}: those prompts are not priced (never $0).")
    if any(r.method == "estimate" for r in rows):
        found.append("~ marks an estimated count (see promptaudit count for why).")
    if any(r.method == "reconstructed" for r in rows):
        found.append(RECONSTRUCTED_NOTE)
    found += [f"Skipped {path}: {reason}." for path, reason in report.skipped]
    if report.bill_before is not None:
        bill = f"{money(report.bill_before)} → {money(report.bill_after)}"
        found.append(f"The bill in scope (every prompt under the paths compared): {bill}/month.")
    if report.price_source is not None:
        source = report.price_source
        found.append(f"Prices: {source.source}, as of {source.as_of}.")
    return found


def _total_money(report) -> tuple[str, str]:
    before, after = report.monthly_before, report.monthly_after
    bill = percent(report.bill_before, report.bill_after)
    change = signed_money(report.monthly_cost_change) + (bill[:-1] + " of the bill)" if bill else "")
    return f"{_money_or_dash(before)} → {_money_or_dash(after)}", change


def markdown(report, max_rows: int = MAX_ROWS) -> str:
    """The pull-request comment's body (without the comment's marker and link)."""
    lines = [f"### {title(report)}", "", compared_with(report), ""]
    if not report.rows:
        lines.append("No prompt changed.")
    else:
        lines += _markdown_table(report, max_rows)
    lines += _markdown_list("Policy violations", [f"`{v.line()}`" for v in report.violations], MAX_VIOLATIONS)
    finding_lines = [f"`{f.path}:{f.line}:{f.column}` {f.rule} [{f.severity}] {f.message}" for f in report.findings]
    lines += _markdown_list("Findings this change introduces", finding_lines, MAX_FINDINGS)
    lines += [""] + notes(report)
    text = "\n".join(lines) + "\n"
    return text if len(text) <= MARKDOWN_LIMIT or max_rows == 0 else markdown(report, max_rows // 2)


def _markdown_table(report, max_rows: int) -> list[str]:
    rows = ordered(report.rows)
    lines = ["| Prompt | Tokens before → after | $/month before → after | Change | Policy |", "|---|--:|--:|--:|---|"]
    for row in rows[:max_rows]:
        lines.append("| " + " | ".join(_markdown_row(row, report)) + " |")
    before, after = (sum(getattr(r, side) for r in rows) for side in ("tokens_before", "tokens_after"))
    exact = all(_exact(r) for r in rows)
    cost, change = _total_money(report)
    name = f"**Total ({len(rows)} changed prompt{'s' if len(rows) != 1 else ''})**"
    lines.append(f"| {name} | **{tokens(before, exact)} → {tokens(after, exact)}** | **{cost}** | **{change}** | |")
    if len(rows) > max_rows:
        lines += ["", f"… and {len(rows) - max_rows:,} more changed prompts (smaller changes): see the full report."]
    return lines


def _markdown_row(row, report) -> list[str]:
    name = f"`{_escape(row.name)}`" + ("" if row.status == "modified" else f" ({row.status})")
    moved = what_changed(row)
    name += f"<br>{_escape(moved)}" if moved else ""
    before, after = token_cells(row)
    cost = f"{_money_or_dash(row.monthly_before)} → {_money_or_dash(row.monthly_after)}"
    return [name, f"{before} → {after}", cost, change_cell(row), verdict(row, report)]


def _escape(text: str) -> str:
    """Table-safe: a pipe would end the cell, a backtick the code span."""
    return text.replace("|", "\\|").replace("`", "'")


def _markdown_list(heading: str, items: list[str], limit: int) -> list[str]:
    if not items:
        return []
    shown = f" ({limit} of {len(items):,})" if len(items) > limit else ""
    lines = ["", f"**{heading}**{shown}", ""] + [f"- {item}" for item in items[:limit]]
    return lines + ([f"- … and {len(items) - limit:,} more in the full report"] if len(items) > limit else [])


def _markdown(report) -> None:
    write_text(markdown(report))


HEADERS = ["Prompt", "Status", "Tokens before → after", "$/month before → after", "Change"]


def _table_row(row, report) -> list[str]:
    before, after = token_cells(row)
    cost = f"{_money_or_dash(row.monthly_before)} → {_money_or_dash(row.monthly_after)}"
    cells = [row.name, row.status, f"{before} → {after}", cost, change_cell(row)]
    return cells + ([verdict(row, report)] if report.policies_set else [])


def _table_total(report) -> list[str]:
    exact = all(_exact(r) for r in report.rows)
    before, after = (sum(getattr(r, side) for r in report.rows) for side in ("tokens_before", "tokens_after"))
    cost, change = _total_money(report)
    cells = ["Total", "", f"{tokens(before, exact)} → {tokens(after, exact)}", cost, change]
    return cells + ([""] if report.policies_set else [])


def _table(report) -> None:
    console = stdout_console()
    heading = title(report).removeprefix("promptaudit: ")
    if not report.rows:
        console.print(f"{heading}: no prompt changed. {compared_with(report)}")
    else:
        table = Table(title=heading[:1].upper() + heading[1:], caption=compared_with(report))
        for header in HEADERS + (["Policy"] if report.policies_set else []):
            left = header in ("Prompt", "Status", "Policy")
            table.add_column(
                header,
                justify="left" if left else "right",
                overflow="fold",
                min_width=24 if header == "Prompt" else None,
            )
        total = len(report.rows) > 1
        for index, row in enumerate(report.rows):
            table.add_row(*_table_row(row, report), end_section=total and index == len(report.rows) - 1)
        if total:
            table.add_row(*_table_total(report))
        console.print(table)
    for violation in report.violations:
        console.print(violation.line())
    if report.findings:
        console.print(f"{len(report.findings)} finding(s) introduced; promptaudit audit explains each.")
    for note in notes(report):
        console.print(note)

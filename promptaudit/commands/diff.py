"""``promptaudit diff``: tokens and $/month before and after, per changed prompt, for pull requests.

Git mode compares a ref (default: the merge base of HEAD with the default branch) with the working tree,
including untracked files; added, deleted and renamed prompts count, binary files are skipped. With
exactly two existing files and no ``--base``, it compares those two files instead (no git needed).
Rows, matching and prices are :mod:`promptaudit.gate.costdiff`; the config's ``policies:`` are
:mod:`promptaudit.gate.policies`. It fails (exit 1) when a policy or a ``--fail-above-*`` gate is broken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from promptaudit import exitcodes
from promptaudit.commands._common import ConfigOption, choose_models, load_settings, user_errors, warn

MAX_COMMENT_ROWS = 50
"""Rows the Markdown report (the pull-request comment) shows; the rest are counted, and are in the JSON."""


class DiffFormat(str, Enum):
    """Output formats of ``diff``."""

    table = "table"
    markdown = "markdown"
    json = "json"


@dataclass
class DiffReport:
    """Everything ``diff`` prints: the base, the changed prompts, policies broken and findings introduced."""

    model: str
    base_ref: str | None
    base_commit: str | None
    rows: list
    skipped: list[tuple[str, str]]
    forced_model: bool = False
    violations: list = field(default_factory=list)
    """Policy violations, per prompt (their rows carry them too) and for the total."""
    findings: list = field(default_factory=list)
    """Audit findings the head has that the base did not (per file, by rule and message)."""
    bill_before: Decimal | None = None
    bill_after: Decimal | None = None
    """$/month of every prompt in scope, before and after (set when a total percent limit needs it)."""
    price_source: object = None
    policies_set: bool = False

    @property
    def tokens_change(self) -> int:
        return sum(r.tokens_after - r.tokens_before for r in self.rows)

    @property
    def monthly_before(self) -> Decimal | None:
        return _sum(r.monthly_before for r in self.rows)

    @property
    def monthly_after(self) -> Decimal | None:
        return _sum(r.monthly_after for r in self.rows)

    @property
    def monthly_cost_change(self) -> Decimal | None:
        """Sum over rows with a volume and a price; None when no row has both."""
        return _sum(r.monthly_change for r in self.rows)

    @property
    def passed(self) -> bool:
        return not self.violations


def _sum(values) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def resolve_base(ref: str | None) -> tuple[str, str]:
    """The label and commit to compare with: ``--base``, else the merge base with the default branch."""
    from promptaudit.gate import gitutil

    if ref is not None:
        return ref, gitutil.resolve_ref(ref)
    branch = gitutil.default_branch()
    return f"merge-base with {branch}", gitutil.merge_base(branch)


def is_file_pair(paths: list[str], base: str | None) -> bool:
    """``diff OLD NEW``: exactly two existing files and no ``--base``."""
    return base is None and len(paths) == 2 and all(Path(p).is_file() for p in paths)


def build_report(paths: list[str], base: str | None, ctx, extensions: tuple[str, ...]) -> DiffReport:
    """Compare two files, or the git base with the working tree."""
    from promptaudit.gate import costdiff, gitutil, versions
    from promptaudit.reading.sources import Source, read_bytes

    if is_file_pair(paths, base):
        old, new = (read_bytes(Source(p)) for p in paths)
        ctx.root = Path.cwd()
        version = versions.FileVersions(gitutil.Change(gitutil.MODIFIED, paths[1], paths[0]), old, new)
        skipped: list = []
        return _report(ctx, None, None, costdiff.rows_for([version], ctx, skipped), skipped)
    ctx.root = gitutil.toplevel()
    label, commit = resolve_base(base)
    changed, skipped = versions.changed_versions(commit, paths, ctx.root, extensions)
    report = _report(ctx, label, commit, costdiff.rows_for(changed, ctx, skipped), skipped)
    report.findings = introduced_findings(changed, ctx)
    return report


def _report(ctx, label, commit, rows, skipped) -> DiffReport:
    from promptaudit.money import pricing

    ordered = sorted(rows, key=lambda r: (r.path, r.key))
    return DiffReport(ctx.default_model, label, commit, ordered, skipped, ctx.forced_model is not None,
                      price_source=pricing.price_source())  # fmt: skip


def apply_policies(report: DiffReport, policies, unchanged) -> None:
    """Evaluate every policy on every row and on the total; rows and the report keep their violations."""
    from dataclasses import replace

    from promptaudit.gate import policies as rules

    report.policies_set = policies != rules.Policies(origin=policies.origin)
    checked = []
    for row in report.rows:
        found = row_violations(row, policies)
        checked.append(replace(row, violations=tuple(found)))
        report.violations += found
    report.rows = checked
    report.violations += total_violations(report, policies, unchanged)


def row_violations(row, policies) -> list:
    """The policies one changed prompt breaks (growth, unknown model, $/request ceiling, output cap)."""
    from promptaudit.gate import policies as rules

    found = []
    if row.priced:
        before, after = row.per_request(row.before), row.per_request(row.after)
        found += rules.increase_violations(row.name, before, after, row.requests_per_month, policies.per_prompt,
                                           "max_increase")  # fmt: skip
    side = row.after
    if side is None:
        return found
    if not side.known:
        found += rules.unknown_model(row.name, side.model, policies)
    found += rules.request_ceiling(row.name, side.per_request, side.cap is not None, policies)
    return found + rules.output_cap(row.name, side.in_code, side.capped, policies)


def total_violations(report: DiffReport, policies, unchanged) -> list:
    """The total's growth against ``max_total_increase`` (else ``max_increase``), over the whole bill in scope."""
    from promptaudit.gate import policies as rules

    limit = policies.total
    if limit is None or not report.rows:
        return []
    monthly = all(r.requests_per_month is not None for r in report.rows if r.priced)
    if monthly:
        before, after, per_month = report.monthly_before, report.monthly_after, Decimal(1)
    else:  # no volume: every prompt weighs one request (the usd limit then says it needs a volume)
        before = _sum(r.per_request(r.before) for r in report.rows if r.priced)
        after, per_month = _sum(r.per_request(r.after) for r in report.rows if r.priced), None
    if before is None or after is None:
        return []
    rest = unchanged(monthly) if limit.percent is not None else Decimal(0)
    if monthly:
        report.bill_before, report.bill_after = before + rest, after + rest
    return rules.increase_violations("total", before + rest, after + rest, per_month, limit,
                                     "max_total_increase" if policies.total is not policies.per_prompt
                                     else "max_increase")  # fmt: skip


def introduced_findings(versions: list, ctx) -> list:
    """Findings in the head's version of each changed file that its base version did not have.

    A finding is the same finding when its file, rule and message (numbers aside: line references
    move) match; each base finding excuses one head finding.
    """
    from collections import Counter

    from promptaudit.gate import costdiff
    from promptaudit.lint.linter import lint, settings_from

    settings = settings_from(ctx.config, model=ctx.default_model, ignore=["PA301"])
    introduced = []
    for version in versions:
        if version.after is None:
            continue
        change = version.change
        heads = costdiff.load_version(change.path, version.after)
        bases = costdiff.load_version(change.old_path or change.path, version.before)
        seen = Counter(_finding_key(f) for f in lint(bases, settings)) if bases else Counter()
        for finding in lint(heads, settings) if heads else []:
            key = _finding_key(finding)
            if seen[key]:
                seen[key] -= 1
            else:
                introduced.append(_relocated(finding, change.path))
    return sorted(introduced, key=lambda f: (f.path, f.line, f.column, f.rule))


def _finding_key(finding) -> tuple:
    name = finding.path.split("#", 1)[1] if "#" in finding.path else ""
    return finding.rule, re.sub(r"@\d+$", "", name), re.sub(r"\d+", "#", finding.message)


def _relocated(finding, path: str):
    """A finding read from a temporary copy, named by the file's path in the repository."""
    from dataclasses import replace

    name = finding.path.split("#", 1)[1] if "#" in finding.path else ""
    return replace(finding, path=f"{path}#{name}" if name else path)


def gate(report: DiffReport, max_tokens: int | None, max_cost: str | None) -> list[str]:
    """Why the diff fails its command-line gate (empty when it passes or no gate was asked for)."""
    from promptaudit.errors import UsageError
    from promptaudit.money.volume import to_decimal

    reasons = []
    if max_tokens is not None and report.tokens_change > max_tokens:
        reasons.append(f"prompts grew {report.tokens_change:,} tokens, above --fail-above-tokens {max_tokens:,}")
    if max_cost is not None:
        limit, cost = to_decimal(max_cost, "--fail-above-cost"), report.monthly_cost_change
        if cost is None and report.rows:
            raise UsageError("--fail-above-cost needs a request volume: set volume: in config or pass --per-day")
        if cost is not None and cost > limit:
            reasons.append(f"$/month grew by {cost:.2f}, above --fail-above-cost {limit}")
    return reasons


@user_errors
def diff_command(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Paths to limit the comparison to, or OLD_FILE NEW_FILE.")
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", help="Git ref to compare with (default: merge base with main).")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model to count and price for.")] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="table, markdown or json.")
    ] = DiffFormat.table,
    per_day: Annotated[str | None, typer.Option("--per-day", help="Requests per day (overrides config).")] = None,
    fail_above_tokens: Annotated[
        int | None, typer.Option("--fail-above-tokens", help="Exit 1 if prompts grow by more tokens than this.")
    ] = None,
    fail_above_cost: Annotated[
        str | None, typer.Option("--fail-above-cost", help="Exit 1 if $/month grows by more than this.")
    ] = None,
    config_file: ConfigOption = None,
) -> None:
    """Show tokens and $/month before and after for every changed prompt; fail on a broken cost policy."""
    from promptaudit.gate import costdiff, policies
    from promptaudit.money import volume
    from promptaudit.reading.code import configure
    from promptaudit.reading.loading import extensions_from

    config = load_settings(config_file)
    chosen = choose_models([model] if model else None, config)[0]
    ctx = costdiff.Context(chosen, model, config, volume.from_cli({"per_day": per_day}), Path.cwd())
    configure(config.get("python"), str(config.path or "config"))
    extensions = extensions_from(config, None)
    report = build_report(list(paths or []), base, ctx, extensions)
    changed = {r.path for r in report.rows} | {r.old_path for r in report.rows if r.old_path}

    def unchanged(monthly: bool) -> Decimal:
        return costdiff.unchanged_monthly(list(paths or []), changed, ctx, extensions) if monthly else Decimal(0)

    apply_policies(report, policies.from_config(config), unchanged)
    reasons = gate(report, fail_above_tokens, fail_above_cost)
    from promptaudit.report import diff as render

    render.render(report, output_format.value)
    for reason in reasons:
        warn(f"diff gate failed: {reason}")
    raise typer.Exit(exitcodes.FINDINGS if reasons or report.violations else exitcodes.OK)

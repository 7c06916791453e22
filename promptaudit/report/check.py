"""Render ``check`` results: one line per failing prompt and a summary, or nothing at all when all pass.

Plain text, no Rich: ``check`` runs on every commit, and the report must read well in a hook's log.
"""

from __future__ import annotations

from promptaudit.gate.budgets import BudgetResult
from promptaudit.report.common import money, print_json, tokens, write_text


def render(results: list[BudgetResult], findings: list, model: str, fmt: str, violations: tuple = ()) -> None:
    """Print the check report in ``fmt`` (text or json)."""
    if fmt == "json":
        print_json(to_json(results, findings, model, violations))
    else:
        _text(results, findings, model, violations)


def to_json(results: list[BudgetResult], findings: list, model: str, violations: tuple = ()) -> dict:
    """The JSON report: every prompt checked, failing or not, the findings at or above the fail level and
    the cost policies broken."""
    failed = [r for r in results if r.failed]
    return {
        "model": model,
        "passed": not failed and not findings and not violations,
        "failed": len(failed),
        "prompts": [r.to_json() for r in results],
        "findings": [f.to_json() for f in findings],
        "violations": [v.to_json() for v in violations],
    }


def _text(results: list[BudgetResult], findings: list, model: str, violations: tuple) -> None:
    failed = [r for r in results if r.failed]
    if not failed and not findings and not violations:
        return  # quiet when everything passes: a hook prints nothing on success
    lines = [failure_line(r) for r in failed]
    lines += [v.line() for v in violations]
    lines += [f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.severity}] {f.message}" for f in findings]
    if failed:
        lines.append(f"{len(failed)} of {len(results)} prompt(s) over budget, counted for {_models(failed, model)}.")
    if violations:
        lines.append(f"{len(violations)} cost policy violation(s) (policies: in the config).")
    if findings:
        lines.append(f"{len(findings)} finding(s) at or above the fail level; see promptaudit audit for fixes.")
    write_text("\n".join(lines) + "\n")


def _models(failed: list[BudgetResult], model: str) -> str:
    """The model(s) the failing prompts were counted at (each prompt's own when its file names one)."""
    models = list(dict.fromkeys(r.model or model for r in failed))
    return models[0] if len(models) == 1 else ", ".join(models) + " (each prompt at the model its file names)"


def failure_line(result: BudgetResult) -> str:
    """Which prompt, by how much, against what, and what the excess costs per month."""
    budget = result.budget
    assert budget is not None  # only prompts with a budget can fail
    count = tokens(result.tokens, result.exact, result.method)
    if result.baseline is not None and result.baseline > budget.tokens:
        why = f"grew {result.excess:,} past its baseline of {result.baseline:,} (budget {budget.tokens:,})"
    else:
        why = f"is {result.excess:,} over its budget of {budget.tokens:,}"
    return f"{result.path}: {count} tokens {why}, from {budget.origin}; {_cost(result)}"


def _cost(result: BudgetResult) -> str:
    if result.excess_monthly_cost is None:
        return "volume not configured, so no $/month"
    per_day = f"{result.requests_per_day.normalize():,f}" if result.requests_per_day is not None else "?"
    return f"the excess costs {money(result.excess_monthly_cost)}/month at {per_day} requests/day"

"""Render the audit report as SARIF 2.1.0, for code-scanning upload (GitHub and others)."""

from __future__ import annotations

from promptaudit import __version__
from promptaudit.report.audit.common import AuditReport
from promptaudit.report.common import print_json

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def _rule(module) -> dict:
    return {
        "id": module.ID,
        "name": module.NAME,
        "shortDescription": {"text": _first_line(module.__doc__)},
        "fullDescription": {"text": (module.__doc__ or "").strip()},
        "help": {"text": getattr(module, "FIX", "")},
        "defaultConfiguration": {"level": LEVELS[module.SEVERITY]},
        "properties": {"category": module.CATEGORY},
    }


def _result(finding, index: dict[str, int]) -> dict:
    location = {
        "artifactLocation": {"uri": finding.path.split("#", 1)[0]},
        "region": {"startLine": finding.line, "startColumn": finding.column},
    }
    if finding.end_line is not None:
        location["region"].update(endLine=finding.end_line, endColumn=finding.end_column)
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}. {finding.fix}".strip()},
        "locations": [{"physicalLocation": location}],
        "properties": {"tokens_saved": finding.tokens_saved, "category": finding.category},
    }


def document(report: AuditReport) -> dict:
    """The SARIF log: one run, the rules that ran, one result per finding."""
    index = {module.ID: i for i, module in enumerate(report.rules)}
    driver = {
        "name": "promptaudit",
        "version": __version__,
        "informationUri": "https://pypi.org/project/promptaudit/",
        "rules": [_rule(m) for m in report.rules],
    }
    run = {"tool": {"driver": driver}, "results": [_result(f, index) for f in report.findings]}
    run["properties"] = {"model": report.model, "token_count_method": report.method}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: AuditReport) -> None:
    """Print the SARIF document, and nothing else, on stdout."""
    print_json(document(report))

"""Render the audit report as one JSON document (money as strings)."""

from __future__ import annotations

from promptaudit.report.audit.common import AuditReport
from promptaudit.report.common import print_json


def payload(report: AuditReport) -> dict:
    """The JSON document: files, findings, totals and notes."""
    saving = report.monthly_saving
    return {
        "model": report.model,
        "files": [f.to_json() for f in report.files],
        "findings": [f.to_json() for f in report.findings],
        "summary": {
            "findings": len(report.findings),
            "tokens_saved": report.tokens_saved,
            "monthly_saving": None if saving is None else str(saving),
        },
        "notes": report.notes,
    }


def render(report: AuditReport) -> None:
    """Print the JSON document, and nothing else, on stdout."""
    print_json(payload(report))

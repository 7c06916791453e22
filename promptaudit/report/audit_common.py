"""The audit report as data, shared by every audit renderer: files, findings and what fixing them saves."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.lint.findings import Finding

RENDERERS = {"text": "audit_text", "json": "audit_json", "markdown": "audit_markdown", "sarif": "audit_sarif"}


@dataclass(frozen=True)
class FileSummary:
    """One prompt: its tokens, the tokens its findings would remove, and their $/month (None: no volume)."""

    path: str
    tokens: int
    exact: bool
    tokens_saved: int
    monthly_saving: Decimal | None
    requests_per_day: Decimal | None
    method: str = "exact"
    """How ``tokens`` was counted: ``exact``, ``reconstructed`` (Claude via ctok) or ``estimate``."""

    @property
    def percent_saved(self) -> Decimal:
        return (Decimal(100) * self.tokens_saved / self.tokens).quantize(Decimal("0.1")) if self.tokens else Decimal(0)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "tokens": self.tokens,
            "exact": self.exact,
            "method": self.method,
            "tokens_saved": self.tokens_saved,
            "percent_saved": str(self.percent_saved),
            "requests_per_day": None if self.requests_per_day is None else str(self.requests_per_day),
            "monthly_saving": None if self.monthly_saving is None else str(self.monthly_saving),
        }


@dataclass(frozen=True)
class AuditReport:
    """Everything a renderer prints; ``notes`` are caveats shown with the report."""

    model: str
    files: list[FileSummary]
    findings: list[Finding]
    rules: list
    notes: list[str]

    @property
    def tokens_saved(self) -> int:
        return sum(f.tokens_saved for f in self.files)

    @property
    def monthly_saving(self) -> Decimal | None:
        known = [f.monthly_saving for f in self.files if f.monthly_saving is not None]
        return sum(known, Decimal(0)) if known else None

    @property
    def method(self) -> str:
        """How the files' tokens were counted, taken together."""
        from promptaudit.tokens.tokenizers import combine_methods

        return combine_methods(f.method for f in self.files)

    def findings_for(self, path: str) -> list[Finding]:
        return [f for f in self.findings if f.path == path]


def render(report: AuditReport, fmt: str) -> None:
    """Print ``report`` in ``fmt`` (text, json, markdown or sarif) on stdout."""
    import importlib

    importlib.import_module(f"promptaudit.report.{RENDERERS[fmt]}").render(report)

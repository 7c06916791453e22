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

    @property
    def percent_saved(self) -> Decimal:
        return (Decimal(100) * self.tokens_saved / self.tokens).quantize(Decimal("0.1")) if self.tokens else Decimal(0)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "tokens": self.tokens,
            "exact": self.exact,
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

    def findings_for(self, path: str) -> list[Finding]:
        return [f for f in self.findings if f.path == path]


def build(prompts: list, findings: list, settings) -> AuditReport:
    """Per-file token totals and savings (tokens and $/month at each file's volume) for the renderers."""
    from promptaudit.lint.linter import active_rules
    from promptaudit.money import economics, pricing
    from promptaudit.tokens.counting import prompt_tokens

    price = pricing.price_for(settings.model)
    files = []
    for prompt, count in zip(prompts, prompt_tokens(prompts, settings.model) if prompts else []):
        saved = sum(f.tokens_saved for f in findings if f.path == prompt.display)
        volume = settings.volume_for(prompt.path)
        monthly = economics.monthly_cost_of_tokens(saved, price, volume) if volume else None
        per_day = volume.requests_per_day if volume else None
        files.append(FileSummary(prompt.display, count.tokens, count.exact, saved, monthly, per_day))
    return AuditReport(settings.model, files, findings, active_rules(settings), _notes(settings, files))


def _notes(settings, files) -> list[str]:
    from promptaudit.tokens import tokenizers as tokens

    notes = []
    if not tokens.tokenizer_for(settings.model).exact:
        notes.append(f"token counts for {settings.model} are estimates (no public tokenizer)")
    if any(f.monthly_saving is None for f in files):
        notes.append("$/month needs a volume: --per-day N, or volume: in the config file")
    return notes


def render(report: AuditReport, fmt: str) -> None:
    """Print ``report`` in ``fmt`` (text, json, markdown or sarif) on stdout."""
    import importlib

    importlib.import_module(f"promptaudit.report.{RENDERERS[fmt]}").render(report)

"""The audit report as data, shared by every audit renderer: files, findings and what fixing them saves."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.lint.findings import Finding

RENDERERS = ("text", "json", "markdown", "sarif")  # modules of promptaudit.report.audit


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
    model: str = ""
    """The model the prompt is counted and priced at."""
    model_from: str = "default"
    """``file`` when the prompt's own file or SDK call names the model, else ``--model``, ``config`` or ``default``."""

    @property
    def model_from_file(self) -> bool:
        return self.model_from == "file"

    @property
    def percent_saved(self) -> Decimal:
        return (Decimal(100) * self.tokens_saved / self.tokens).quantize(Decimal("0.1")) if self.tokens else Decimal(0)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "tokens": self.tokens,
            "exact": self.exact,
            "method": self.method,
            "model": self.model,
            "model_from": self.model_from,
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


def build(prompts: list, findings: list, settings) -> AuditReport:
    """Per-file token totals and savings (tokens and $/month at each file's volume) for the renderers."""
    from promptaudit.lint.linter import active_rules, totals_at_own_models
    from promptaudit.money import economics, pricing

    files = []
    for prompt, count in zip(prompts, totals_at_own_models(prompts, settings)):
        saved = sum(f.tokens_saved for f in findings if f.path == prompt.display)
        volume = settings.volume_of(prompt)
        price = pricing.price_for(count.model)
        monthly = economics.monthly_cost_of_tokens(saved, price, volume) if volume else None
        per_day = volume.requests_per_day if volume else None
        files.append(FileSummary(prompt.display, count.tokens, count.exact, saved, monthly, per_day, count.method,
                                 count.model, _from_file(prompt, settings)))  # fmt: skip
    return AuditReport(_model_label(files, settings), files, findings, active_rules(settings), _notes(settings, files))


def _from_file(prompt, settings) -> str:
    return "file" if settings.own_models and prompt.model else settings.model_source


def _model_label(files: list, settings) -> str:
    """The model the report names: the one every file is counted at (marked when their files name it)."""
    from promptaudit.money.prompt_models import FROM_FILE_MARK

    models = {f.model for f in files}
    if len(models) > 1:
        return "each prompt at its own model"
    if files and all(f.model_from_file for f in files):
        return f"{files[0].model} {FROM_FILE_MARK}"
    return next(iter(models), settings.model)


def _notes(settings, files) -> list[str]:
    from promptaudit.tokens import tokenizers as tokens

    notes = []
    for model in dict.fromkeys(f.model for f in files) or [settings.model]:
        method = tokens.tokenizer_for(model).method
        if method == "reconstructed":
            notes.append(f"token counts for {model} are reconstructed offline with ctok (no public tokenizer)")
        elif method == "estimate":
            notes.append(f"token counts for {model} are estimates (no public tokenizer)")
    if any(f.model_from_file for f in files) and len({f.model for f in files}) > 1:
        notes.append("each prompt is counted at the model its file names (--model to count all at one)")
    if any(f.monthly_saving is None for f in files):
        notes.append("$/month needs a volume: --per-day N (per prompt), --total-per-day N, or volume: in the config")
    return notes


def render(report: AuditReport, fmt: str) -> None:
    """Print ``report`` in ``fmt`` (text, json, markdown or sarif) on stdout."""
    import importlib

    if fmt not in RENDERERS:
        raise KeyError(fmt)
    importlib.import_module(f"promptaudit.report.audit.{fmt}").render(report)

"""What a fix saves: tokens per request before and after (the audit's own count, chat framing included) and
$/month at each prompt's volume and model (the money code audit uses)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Saving:
    """One file's tokens per request before and after its fix, and the fix's $/month (None: no volume)."""

    path: str
    tokens_before: int
    tokens_after: int
    monthly: Decimal | None
    requests_per_day: Decimal | None
    method: str = "exact"
    """How the tokens were counted: ``exact``, ``reconstructed`` (Claude via ctok) or ``estimate``."""
    models: tuple[str, ...] = ()

    @property
    def tokens_saved(self) -> int:
        return self.tokens_before - self.tokens_after

    def to_json(self) -> dict:
        return {
            "tokens_before": self.tokens_before,
            "tokens_after": self.tokens_after,
            "tokens_saved": self.tokens_saved,
            "method": self.method,
            "models": list(self.models),
            "requests_per_day": None if self.requests_per_day is None else str(self.requests_per_day),
            "monthly_saving": None if self.monthly is None else str(self.monthly),
        }


def saving(fix, settings) -> Saving:
    """The saving of one :class:`~promptaudit.lint.fixing.engine.FileFix`: each prompt at its own model and volume."""
    from promptaudit.lint.linter import totals_at_own_models
    from promptaudit.money import economics, pricing
    from promptaudit.tokens.tokenizers import combine_methods

    before, after = totals_at_own_models(fix.before, settings), totals_at_own_models(fix.after, settings)
    volumes = [settings.volume_of(prompt) for prompt in fix.before]
    monthly = [
        economics.monthly_cost_of_tokens(old.tokens - new.tokens, pricing.price_for(old.model), volume)
        for old, new, volume in zip(before, after, volumes)
        if volume is not None
    ]
    known = bool(volumes) and all(v is not None for v in volumes)
    per_day = sum((v.requests_per_day for v in volumes if v is not None), Decimal(0)) if known else None
    return Saving(
        fix.path,
        sum(count.tokens for count in before),
        sum(count.tokens for count in after),
        sum(monthly, Decimal(0)) if known else None,
        per_day,
        combine_methods(count.method for count in [*before, *after]) if before else "exact",
        tuple(dict.fromkeys(count.model for count in before)),
    )

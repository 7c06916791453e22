"""Token budgets: how many tokens a prompt may have, resolved once for ``check`` and the audit rule PA301.

Precedence: ``--max-tokens`` on the command line, else the first ``budgets:`` glob (in file order) that
matches the prompt's path, else the config's ``max_tokens``, else no budget. Globs are relative to the
config file's folder, like every other glob in the config.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.errors import ConfigError


@dataclass(frozen=True)
class Budget:
    """A token limit and where it came from (shown to users so they know what to edit)."""

    tokens: int
    origin: str


def budget_for(path: str, config, max_tokens: int | None = None) -> Budget | None:
    """The budget that applies to the prompt file at ``path``, or None when nothing limits it."""
    from promptaudit.money.volume import glob_matches

    if max_tokens is not None:
        return Budget(_positive(max_tokens, "--max-tokens"), "--max-tokens")
    for pattern, limit in (config.get("budgets") or {}).items():
        if glob_matches(pattern, path, config.root):
            return Budget(_positive(limit, f"{config.path}: budgets {pattern!r}"), f"budgets {pattern!r}")
    default = config.get("max_tokens")
    return Budget(default, "max_tokens") if default is not None else None


def _positive(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{name} must be a positive whole number of tokens, got {value!r}")
    return value


def over_by(tokens: int, budget: Budget | None) -> int:
    """How many tokens over ``budget`` a count is (0 when within it or when there is no budget)."""
    return max(0, tokens - budget.tokens) if budget else 0


@dataclass(frozen=True)
class BudgetResult:
    """One prompt measured against its budget (and its baseline entry, if any) by ``check``."""

    path: str
    tokens: int
    exact: bool
    budget: Budget | None
    baseline: int | None = None
    requests_per_day: Decimal | None = None
    excess_monthly_cost: Decimal | None = None
    method: str = "exact"
    """How ``tokens`` was counted: ``exact``, ``reconstructed`` (Claude via ctok) or ``estimate``."""
    model: str = ""
    """The model ``tokens`` was counted at (the prompt's own when its file names one, unless ``--model``)."""

    @property
    def allowed(self) -> int | None:
        """The most tokens that pass: the budget, raised to the baseline's count for a recorded prompt."""
        if self.budget is None:
            return None
        return max(self.budget.tokens, self.baseline or 0)

    @property
    def excess(self) -> int:
        """Tokens to remove for the prompt to pass (0 when it passes)."""
        return max(0, self.tokens - self.allowed) if self.allowed is not None else 0

    @property
    def failed(self) -> bool:
        return self.excess > 0

    def to_json(self) -> dict:
        """A JSON-safe dict; money as a string so no precision is lost."""
        cost = self.excess_monthly_cost
        return {
            "path": self.path,
            "tokens": self.tokens,
            "exact": self.exact,
            "method": self.method,
            "model": self.model,
            "budget": self.budget.tokens if self.budget else None,
            "budget_source": self.budget.origin if self.budget else None,
            "baseline": self.baseline,
            "excess": self.excess,
            "requests_per_day": decimal_text(self.requests_per_day),
            "excess_monthly_cost": decimal_text(cost),
            "failed": self.failed,
        }


def decimal_text(value: Decimal | None) -> str | None:
    """A Decimal for JSON: full precision, no exponent, no trailing zeros (None stays None)."""
    return None if value is None else format(value.normalize(), "f")

"""Cost policies from the config's ``policies:`` section, and the violations they find.

``check`` enforces the policies a tree can break on its own (an unknown model, a request above its
$/request ceiling, a call in code without an output cap); ``diff`` enforces those on the prompts a change
touches, plus the limits on growth (``max_increase`` per prompt, ``max_total_increase`` or else
``max_increase`` for the total), which need a base to compare with. The keys and their types are
validated where every config key is (:data:`promptaudit.config.POLICY_SCHEMA`); this module reads them.

A relative limit compares $/month before and after (at one volume, the same as comparing $/request, so it
works without a configured volume); a prompt that did not exist before has no relative change and meets
only the absolute limit. An absolute limit needs a volume, and says so (exit 2) when there is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.errors import ConfigError

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Increase:
    """The most $/month may grow: relative (percent of before) and absolute (dollars a month)."""

    percent: Decimal | None = None
    usd_per_month: Decimal | None = None


@dataclass(frozen=True)
class Policies:
    """Every configured policy; an empty config configures none (the gate is then budgets and findings)."""

    per_prompt: Increase | None = None
    total: Increase | None = None
    block_unknown_models: bool = False
    max_usd_per_request: Decimal | None = None
    require_output_cap: bool = False
    origin: str = "config"
    """The config file the policies come from, for error messages."""


@dataclass(frozen=True)
class Violation:
    """One broken policy: which prompt (or ``total``), the figure, the limit and the policy's key.

    ``unit`` says how the figure and limit read: ``usd_month`` (a $/month increase), ``percent``,
    ``usd_request`` ($ per request), or ``text`` (``figure_text`` says it, there is no number).
    """

    prompt: str
    policy: str
    unit: str
    figure: Decimal | None = None
    limit: Decimal | None = None
    figure_text: str = ""

    def line(self) -> str:
        """One line: the prompt, the figure and the limit (``app.txt: $/month grew 35.0%, above ... (20%)``)."""
        key = f"policies.{self.policy}"
        if self.unit == "text":
            return f"{self.prompt}: {self.figure_text} ({key})"
        return f"{self.prompt}: {self.describe()}, above {key} ({self.limit_text()})"

    def describe(self) -> str:
        """The figure in words: ``$/month grew 35.0%``, ``$/month grew by $620.00``, ``$0.072 per request``."""
        from promptaudit.money.amounts import money

        if self.unit == "percent":
            return f"$/month grew {self.figure:,.1f}%"
        if self.unit == "usd_month":
            return f"$/month grew by {money(self.figure)}"
        if self.unit == "usd_request":
            return f"{money(self.figure)} per request ({self.figure_text})"
        return self.figure_text

    def limit_text(self) -> str:
        """The limit as configured: ``20%``, ``$500.00``, ``$0.05``."""
        from promptaudit.money.amounts import money

        if self.limit is None:
            return ""
        return f"{self.limit.normalize():f}%" if self.unit == "percent" else money(self.limit)

    def to_json(self) -> dict:
        """JSON-safe: numbers as strings so no precision is lost, and the line people read."""
        return {"prompt": self.prompt, "policy": self.policy, "unit": self.unit, "figure": _text(self.figure),
                "limit": _text(self.limit), "detail": self.figure_text, "message": self.line()}  # fmt: skip


def _text(value: Decimal | None) -> str | None:
    from promptaudit.gate.budgets import decimal_text

    return decimal_text(value)


def _increase(value: dict | None) -> Increase | None:
    if not value:
        return None
    return Increase(*(Decimal(str(value[k])) if k in value else None for k in ("percent", "usd_per_month")))


def from_config(config) -> Policies:
    """The policies the config sets (validated at load: see :func:`promptaudit.config.validate`)."""
    section = config.get("policies") or {}
    per_prompt = _increase(section.get("max_increase"))
    ceiling = section.get("max_usd_per_request")
    return Policies(
        per_prompt=per_prompt,
        total=_increase(section.get("max_total_increase")) or per_prompt,
        block_unknown_models=section.get("block_unknown_models", False),
        max_usd_per_request=Decimal(str(ceiling)) if ceiling is not None else None,
        require_output_cap=section.get("require_output_cap", False),
        origin=str(config.path or "config"),
    )


def increase_violations(
    prompt: str, before: Decimal | None, after: Decimal | None, per_month: Decimal | None, limit: Increase | None,
    key: str,
) -> list[Violation]:  # fmt: skip
    """How a $/request change from ``before`` to ``after`` breaks ``limit`` (at ``per_month`` requests a month).

    ``key`` is the policy's name (``max_increase``); unpriced sides (None) break nothing here.
    """
    if limit is None or before is None or after is None or after <= before:
        return []
    found = []
    if limit.percent is not None and before > 0:
        percent = (after - before) * HUNDRED / before
        if percent > limit.percent:
            found.append(Violation(prompt, f"{key}.percent", "percent", percent, limit.percent))
    if limit.usd_per_month is not None:
        if per_month is None:
            raise ConfigError(
                f"{_where(key)} usd_per_month needs a request volume: set volume: or traffic: in the config, "
                "or pass --per-day"
            )
        monthly = (after - before) * per_month
        if monthly > limit.usd_per_month:
            found.append(Violation(prompt, f"{key}.usd_per_month", "usd_month", monthly, limit.usd_per_month))
    return found


def _where(key: str) -> str:
    return f"policies.{key}:"


def unknown_model(prompt: str, model: str, policies: Policies) -> list[Violation]:
    """A prompt whose model has no price breaks ``block_unknown_models`` (when it is on)."""
    if not policies.block_unknown_models:
        return []
    return [Violation(prompt, "block_unknown_models", "text", figure_text=f"model {model!r} has no known price")]


def request_ceiling(prompt: str, cost: Decimal | None, capped: bool, policies: Policies) -> list[Violation]:
    """A request whose cost (input, plus output at its cap) is above ``max_usd_per_request``."""
    ceiling = policies.max_usd_per_request
    if ceiling is None or cost is None or cost <= ceiling:
        return []
    how = "input + output at max_tokens" if capped else "input only: no output cap"
    return [Violation(prompt, "max_usd_per_request", "usd_request", cost, ceiling, how)]


def output_cap(prompt: str, in_code: bool, capped: bool, policies: Policies) -> list[Violation]:
    """A call in code that states no output cap, when ``require_output_cap`` is on."""
    if not (policies.require_output_cap and in_code and not capped):
        return []
    return [Violation(prompt, "require_output_cap", "text", figure_text="call sets no max_tokens")]

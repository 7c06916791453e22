"""Request volume: from ``--rps/--rpm/--per-day/--per-month`` or config, normalised to requests per day.

Config may give one default ``volume:`` and per-glob ``traffic:`` entries (globs relative to the config
file's folder); the first matching glob wins over the default, and a command-line flag wins over both.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from promptaudit.config import glob_matches  # noqa: F401  (re-exported: every config glob matches alike)
from promptaudit.errors import UsageError

SECONDS_PER_DAY = Decimal(86_400)
MINUTES_PER_DAY = Decimal(1_440)
DEFAULT_DAYS_PER_MONTH = Decimal(30)
MAX_REQUESTS_PER_DAY = Decimal(10) ** 10  # 115,000 requests/s: beyond any single deployment we have seen
UNITS = {"rps": SECONDS_PER_DAY, "rpm": MINUTES_PER_DAY, "per_day": Decimal(1), "per_month": None}


@dataclass(frozen=True)
class Volume:
    """Requests per day, plus where the figure came from (for reports)."""

    requests_per_day: Decimal
    days_per_month: Decimal = DEFAULT_DAYS_PER_MONTH
    origin: str = "command line"

    @property
    def requests_per_month(self) -> Decimal:
        return self.requests_per_day * self.days_per_month


def to_decimal(value: object, name: str) -> Decimal:
    """Parse a user-supplied number, or raise UsageError naming the option."""
    if isinstance(value, bool):
        raise UsageError(f"{name} must be a number, got {value!r}")
    try:
        number = Decimal(str(value).strip().replace("_", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise UsageError(f"{name} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise UsageError(f"{name} must be a finite number, got {value!r}")
    return number


def days_per_month(value: object = DEFAULT_DAYS_PER_MONTH) -> Decimal:
    """Validate ``--days-per-month`` (1 to 31)."""
    days = to_decimal(value, "--days-per-month")
    if not Decimal(1) <= days <= Decimal(31):
        raise UsageError(f"--days-per-month must be between 1 and 31, got {value}")
    return days


def from_unit(unit: str, value: object, days: Decimal = DEFAULT_DAYS_PER_MONTH, origin: str = "command line") -> Volume:
    """Build a Volume from one of rps / rpm / per_day / per_month, validating the number."""
    label = (
        "--" + unit.replace("_", "-")
        if origin == "command line"
        else origin
        if origin.startswith("--")
        else f"{origin} {unit}"
    )
    number = to_decimal(value, label)
    if number <= 0:
        raise UsageError(f"{label} must be greater than zero, got {value}")
    # Compared before any arithmetic: 1e999999999 requests would overflow Decimal's exponent range.
    if number > _most_for(unit, days):
        raise UsageError(
            f"{label} {value} is more than {MAX_REQUESTS_PER_DAY:,.0f} requests a day, which is not a plausible volume"
        )
    per_day = number / days if UNITS[unit] is None else number * UNITS[unit]
    return Volume(per_day, days, origin)


def _most_for(unit: str, days: Decimal) -> Decimal:
    """The largest plausible value in ``unit`` (MAX_REQUESTS_PER_DAY converted)."""
    return MAX_REQUESTS_PER_DAY * days if UNITS[unit] is None else MAX_REQUESTS_PER_DAY / UNITS[unit]


def from_mapping(settings: dict, days: Decimal, origin: str) -> Volume | None:
    """A Volume from a config mapping such as ``{per_day: 10000}``; None if it names no volume."""
    given = [key for key in UNITS if key in settings]
    if len(given) > 1:
        raise UsageError(f"{origin}: give only one of {', '.join(UNITS)}, got {', '.join(given)}")
    return from_unit(given[0], settings[given[0]], days, origin) if given else None


def from_cli(flags: dict[str, object | None], days: Decimal = DEFAULT_DAYS_PER_MONTH) -> Volume | None:
    """The volume given on the command line (``{'rps': 5, 'rpm': None, ...}``), or None."""
    given = {unit: value for unit, value in flags.items() if value is not None}
    if len(given) > 1:
        raise UsageError(f"give only one of --rps, --rpm, --per-day, --per-month (got {len(given)})")
    if not given:
        return None
    ((unit, value),) = given.items()
    return from_unit(unit, value, days)


def from_config(path: str, config, days: Decimal = DEFAULT_DAYS_PER_MONTH) -> Volume | None:
    """The configured volume for a prompt path: the first matching ``traffic`` glob, else ``volume``."""
    for pattern, settings in (config.get("traffic") or {}).items():
        if isinstance(settings, dict) and glob_matches(pattern, path, config.root):
            found = from_mapping(settings, days, f"{config.path}: traffic {pattern!r}")
            if found:
                return found
    default = config.get("volume")
    return from_mapping(default, days, f"{config.path}: volume") if default else None


MAX_TOKENS_PER_REQUEST = 10_000_000  # beyond every model's context window


def fraction(value: object, name: str) -> Decimal:
    """A share or rate between 0 and 1 (``--batch-share``, ``--cache-hit-rate``, ...)."""
    number = to_decimal(value, name)
    if not Decimal(0) <= number <= Decimal(1):
        raise UsageError(f"{name} must be between 0 and 1, got {value}")
    return number


def token_count(value: object, name: str, minimum: int = 0) -> int:
    """A whole number of tokens per request, from ``minimum`` up to a plausible maximum."""
    number = to_decimal(value, name)
    if number != number.to_integral_value():
        raise UsageError(f"{name} must be a whole number of tokens, got {value}")
    if not minimum <= number <= MAX_TOKENS_PER_REQUEST:
        raise UsageError(f"{name} must be between {minimum:,} and {MAX_TOKENS_PER_REQUEST:,} tokens, got {value}")
    return int(number)

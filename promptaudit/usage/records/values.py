"""Values in usage records, checked where records are normalised: token counts, model names, timestamps.

A log is data from elsewhere, so every value is checked before it is counted. A token count is a whole
number from 0 to a bound: a JSON integer, an integral float (``12.0``, some exporters write doubles) or a
string of digits (OTLP/JSON writes 64-bit integers as strings; CSV cells are text). ``null`` or absent means
not reported (0). Anything else (negative, fractional, ``1e300``, ``Infinity``, ``10**40``, a boolean)
refuses the record with a BadValue naming the field; the scan counts refused records and says why, so a
damaged line can never print negative spend or a hit rate above 100%.
"""

from __future__ import annotations

from datetime import datetime, timezone

MAX_REQUEST_TOKENS = 10**9  # no model takes a billion tokens in one request
MAX_BUCKET_TOKENS = 10**15  # pre-aggregated usage reports: a day of a very large organisation
MAX_MODEL_CHARS = 200
TIME_KEYS = ("timestamp", "ts", "time", "created_at", "created", "createTime", "date")
CAP_REASONS = frozenset(("length", "max_tokens", "MAX_TOKENS", "max_output_tokens"))
SERVICE_TIERS = frozenset(("flex", "priority"))  # tiers priced apart from standard; batch is its own flag
_DIGITS = frozenset("0123456789")


class BadValue(ValueError):
    """A usage record holds a value no provider writes; ``reason`` says which and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def tokens(value: object, field: str, limit: int = MAX_REQUEST_TOKENS) -> int:
    """A token count as an int (0 when absent or null); BadValue when it is not one."""
    if value is None:
        return 0
    if value.__class__ is int:  # the common case first: one identity check
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and 0 < len(value) <= 16 and _DIGITS.issuperset(value):
        number = int(value)
    else:
        raise BadValue(f"{field} is not a whole number ({_show(value)})")
    if number < 0:
        raise BadValue(f"{field} is negative ({number})")
    if number > limit:
        raise BadValue(f"{field} is beyond {limit:,} ({_show(value)})")
    return number  # type: ignore[return-value]


def required_tokens(container: dict, key: str, field: str | None = None) -> int:
    """``tokens`` for a field the format requires: absent or null is refused too."""
    value = container.get(key)
    if value is None:
        raise BadValue(f"{field or key} is missing")
    return tokens(value, field or key)


def model_name(value: object) -> str | None:
    """The model as logged: a non-empty string, or None when the record names none."""
    if value is None or value == "":
        return None
    if value.__class__ is not str:
        raise BadValue(f"model is not a string ({_show(value)})")
    if len(value) > MAX_MODEL_CHARS:  # type: ignore[arg-type]
        raise BadValue(f"model name is longer than {MAX_MODEL_CHARS} characters")
    return value  # type: ignore[return-value]


def checked(counts: tuple[int, int, int, int, int]) -> tuple[int, int, int, int, int]:
    """The five counts (input, cache read, 5m write, 1h write, output) when cached and written tokens fit in
    the input; BadValue otherwise (the uncached part would be negative)."""
    total, read, write_5m, write_1h, _ = counts
    if read + write_5m + write_1h > total:
        raise BadValue(f"cached and written tokens ({read + write_5m + write_1h:,}) exceed the input ({total:,})")
    return counts


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def timestamp_of(obj: dict) -> float | None:
    """Seconds since the epoch from the first time field present (Unix seconds or ms, or ISO 8601)."""
    for key in TIME_KEYS:
        value = obj.get(key)
        if value is not None:
            if value.__class__ is int or value.__class__ is float:  # to_epoch's common case, without the call
                return _from_number(value)
            return to_epoch(value)
    return None


MAX_EPOCH_MS = 1e15  # year 33658 in milliseconds: anything larger is not a timestamp (and may not fit a float)


def _from_number(value: int | float) -> float | None:
    """Seconds from Unix seconds or milliseconds; None for a value no clock produces (negative, huge, NaN)."""
    if not 0 <= value < MAX_EPOCH_MS:
        return None
    return value / 1000 if value > 1e11 else float(value)


def to_epoch(value: object) -> float | None:
    """Unix seconds from a number (seconds or milliseconds) or an ISO 8601 string; None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_number(value)
    if not isinstance(value, str):
        return None
    try:
        return to_epoch(float(value))
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()

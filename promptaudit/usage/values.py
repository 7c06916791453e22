"""Values in usage records, checked where records are normalised: token counts and model names.

A log is data from elsewhere, so every value is checked before it is counted. A token count is a whole
number from 0 to a bound: a JSON integer, an integral float (``12.0``, some exporters write doubles) or a
string of digits (OTLP/JSON writes 64-bit integers as strings; CSV cells are text). ``null`` or absent means
not reported (0). Anything else (negative, fractional, ``1e300``, ``Infinity``, ``10**40``, a boolean)
refuses the record with a BadValue naming the field; the scan counts refused records and says why, so a
damaged line can never print negative spend or a hit rate above 100%.
"""

from __future__ import annotations

MAX_REQUEST_TOKENS = 10**9  # no model takes a billion tokens in one request
MAX_BUCKET_TOKENS = 10**15  # pre-aggregated usage reports: a day of a very large organisation
MAX_MODEL_CHARS = 200
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

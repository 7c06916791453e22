"""Money for people: how amounts of dollars are written in every report and message."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def money(value: Decimal) -> str:
    """Dollars for people: cents for amounts of a cent or more, two significant digits below that."""
    if value == 0:
        return "$0.00"
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= Decimal("0.01"):
        return f"{sign}${value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    exponent = value.adjusted() - 1  # keep two significant digits
    return f"{sign}${value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP):f}"


def decimals_for(value: Decimal) -> int:
    """Decimal places :func:`money` shows for ``value``: 2 (cents), more for amounts below a cent."""
    value = abs(value)
    if value == 0 or value >= Decimal("0.01"):
        return 2
    return -value.adjusted() + 1  # two significant digits


def money_at(value: Decimal, decimals: int) -> str:
    """Dollars at a fixed number of decimal places (``$1,234.5600``)."""
    sign = "-" if value < 0 else ""
    step = Decimal(1).scaleb(-decimals)
    shown = abs(value).quantize(step, rounding=ROUND_HALF_UP)
    return f"{sign if shown else ''}${shown:,f}"


def money_column(values: list[Decimal]) -> list[str]:
    """A table column of dollars at one precision: enough places for its smallest amount's two significant
    digits, cents at least, so the figures line up and compare at a glance."""
    decimals = max((decimals_for(value) for value in values), default=2)
    return [money_at(value, decimals) for value in values]

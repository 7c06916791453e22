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

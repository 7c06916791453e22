"""Formatting shared by every renderer: money, numbers, and the Rich consoles (stdout and stderr)."""

from __future__ import annotations

import json
import sys
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


def tokens(count: int, exact: bool = True) -> str:
    """A token count with thousands separators; estimates are prefixed with ``~``."""
    return f"{'' if exact else '~'}{count:,}"


def print_json(payload: dict) -> None:
    """Write one JSON document, and nothing else, to stdout."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


PIPE_WIDTH = 160
"""Width for reports written to a pipe or file when COLUMNS is unset: CI logs should not be cut at 80."""


def stdout_console():
    """A Rich console on stdout (colour decided once: NO_COLOR and non-tty respected by Rich)."""
    import os

    from rich.console import Console

    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(highlight=False, width=PIPE_WIDTH if wide else None)


def stderr_console():
    """A Rich console on stderr, for progress and notes that must not pollute machine output."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)

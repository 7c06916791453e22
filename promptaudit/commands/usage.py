"""``promptaudit usage``: placeholder until its issue lands; the owning developer replaces this module."""

from __future__ import annotations

import typer

from promptaudit import exitcodes
from promptaudit.commands._common import warn


def usage_command() -> None:
    """Not implemented yet."""
    warn("error: 'usage' is not implemented yet")
    raise typer.Exit(exitcodes.USAGE)

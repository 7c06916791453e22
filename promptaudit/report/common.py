"""Formatting shared by every renderer: money, numbers, and the Rich consoles (stdout and stderr)."""

from __future__ import annotations

import json
import sys

from promptaudit.money.amounts import money  # noqa: F401 - re-exported for the renderers

RECONSTRUCTED_MARK = "≈"
RECONSTRUCTED_NOTE = (
    "≈ marks a Claude count reconstructed offline with ctok (Claude's tokenizer is not public; ctok matched "
    "Anthropic's count_tokens exactly on ~960,000 texts)."
)


def tokens(count: int, exact: bool = True, method: str | None = None) -> str:
    """A token count with thousands separators; estimates are prefixed ``~``, reconstructions ``≈``."""
    mark = RECONSTRUCTED_MARK if method == "reconstructed" else "" if exact else "~"
    return f"{mark}{count:,}"


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

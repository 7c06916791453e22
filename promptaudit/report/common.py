"""Formatting shared by every renderer: money, numbers, and the Rich consoles (stdout and stderr)."""

from __future__ import annotations

import json
import sys

from promptaudit.money.amounts import money, money_column  # noqa: F401 - re-exported for the renderers
from promptaudit.report.terminal import printable

RECONSTRUCTED_MARK = "≈"
RECONSTRUCTED_NOTE = (
    "≈ marks a Claude count reconstructed offline with ctok (Claude's tokenizer is not public; ctok matched "
    "Anthropic's count_tokens exactly on ~960,000 texts)."
)


def tokens(count: int, exact: bool = True, method: str | None = None) -> str:
    """A token count with thousands separators; estimates are prefixed ``~``, reconstructions ``≈``."""
    mark = RECONSTRUCTED_MARK if method == "reconstructed" else "" if exact else "~"
    return f"{mark}{count:,}"


def longest_word(cells) -> int:
    """The width a column needs so that Rich wraps its cells only between words (a model name is never cut)."""
    return max((len(word) for cell in cells for word in str(cell).split()), default=1)


def print_json(payload: dict) -> None:
    """Write one JSON document, and nothing else, to stdout."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def write_text(text: str) -> None:
    """Write a human report (Markdown, plain text) to stdout, control characters escaped."""
    sys.stdout.write(printable(text))


PIPE_WIDTH = 160
"""Width for reports written to a pipe or file when COLUMNS is unset: CI logs should not be cut at 80."""


def stdout_console():
    """A Rich console on stdout (colour decided once: NO_COLOR and non-tty respected by Rich)."""
    import os

    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    console = _safe_console_class()(highlight=False, width=PIPE_WIDTH if wide else None)
    console.on_broken_pipe = _broken_pipe  # Rich would exit 1; the command layer exits 0 (``| head``)
    return console


def _broken_pipe() -> None:
    raise BrokenPipeError("stdout closed by its reader")


def stderr_console():
    """A Rich console on stderr, for progress and notes that must not pollute machine output."""
    return _safe_console_class()(stderr=True, highlight=False)


def _safe_console_class():
    """A Rich Console whose every plain string (printed or in a table cell) has control characters escaped."""
    from rich.console import Console

    class SafeConsole(Console):
        def render_str(self, text: str, **kwargs):
            return super().render_str(printable(text), **kwargs)

    return SafeConsole

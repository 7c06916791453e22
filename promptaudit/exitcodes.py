"""Exit codes, defined once for every command."""

OK = 0
"""Clean: nothing at or above the fail level, no budget exceeded."""

FINDINGS = 1
"""Findings at or above ``--fail-on``, or a budget exceeded (a gate failed)."""

USAGE = 2
"""Usage, config or input error: a user's mistake, reported in one line on stderr."""

INTERNAL = 3
"""An unexpected error (a bug, not the user's mistake): one line on stderr naming the saved traceback."""

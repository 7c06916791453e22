"""The console-script entry point: let the tokens layer start its start-up work, then run the Typer app.

Typer and Rich take a large share of a short run; the tokens layer gets to start (for example a worker
process building a vocabulary on the other core) before they are imported.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point (``promptaudit`` and ``python -m promptaudit``)."""
    from promptaudit.tokens import prefetch

    prefetch.speculate_safely(sys.argv[1:])
    from promptaudit.cli import main as cli_main

    cli_main()

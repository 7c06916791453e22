"""``python -m promptaudit``: the same entry point as the console script (start-up work included)."""

from promptaudit.console import main

main()

"""``python -m promptaudit``: the same entry point as the console script (start-up worker included)."""

from promptaudit.prefetch import main

main()

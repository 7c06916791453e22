"""``python -m promptaudit``."""

from promptaudit.cli import main

main()

"""Small helpers for the command-line tools: prompts on the terminal, not for a model."""

import getpass
import sys

PASSWORD_PROMPT = "Password: "
CONFIRM_PROMPT = "Are you sure? [y/N] "
USAGE_INSTRUCTIONS = "Run `acme sync --help` for usage."


def ask_password() -> str:
    return getpass.getpass(PASSWORD_PROMPT)


def confirm() -> bool:
    sys.stderr.write(CONFIRM_PROMPT)
    return sys.stdin.readline().strip().lower() in ("y", "yes")

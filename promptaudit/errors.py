"""Errors that are a user's mistake: each becomes one clear line on stderr and exit code 2."""


class PromptauditError(Exception):
    """Base for every error the CLI reports as one line and exit code 2 (never a traceback)."""


class InputError(PromptauditError):
    """A file or stream that cannot be read as a prompt (missing, binary, empty, not UTF-8, ...)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnknownModelError(PromptauditError):
    """A model the price source and the tokenizer map do not know; suggests close names."""

    def __init__(self, model: str, suggestions: list[str] | None = None, reason: str = ""):
        hint = f" (did you mean: {', '.join(suggestions)}?)" if suggestions else ""
        why = f": {reason}" if reason else ""
        super().__init__(f"unknown model {model!r}{why}{hint}")
        self.model = model
        self.suggestions = suggestions or []


class ConfigError(PromptauditError):
    """A config file that is broken, hostile, or has unknown keys or wrong types."""


class UsageError(PromptauditError):
    """Bad command-line values (negative volume, share outside 0..1, ...)."""


class SkippedInput(InputError):
    """A file met in a folder scan and left out (a FIFO, socket or device): said as a note, not a failure."""


class MissingInput(InputError):
    """A file that does not exist (or a path through something that is not a folder).

    Callers that treat an absent file as empty (a baseline not written yet) catch this one; every other
    InputError is still an error.
    """


class OutputError(PromptauditError):
    """A file or stream promptaudit cannot write: not a regular file, a full disk, no permission."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

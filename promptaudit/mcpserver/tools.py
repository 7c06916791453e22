"""Tool arguments -> promptaudit command lines. :data:`FLAGS` is the one table that maps them.

A tool's arguments are the command's options under their JSON names (``per_day`` is ``--per-day``); the
prompt itself is ``paths`` (files or folders inside the workspace) or ``text`` (sent on standard input).
Options are passed as ``--option=value`` and the paths after ``--``, so no value is ever read as an option.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from promptaudit.errors import UsageError
from promptaudit.mcpserver.runner import CliRun
from promptaudit.mcpserver.workspace import Workspace, check_files, check_git_links, confine_all

MAX_TEXT_BYTES = 4 * 1024 * 1024
"""Most UTF-8 bytes of ``text`` (about a million tokens, more than any model's context window)."""
MAX_REF_CHARS = 256

VALUE, REPEAT, PAIRS = "value", "repeat", "pairs"

COMMANDS = {
    "count_tokens": "count",
    "project_cost": "project",
    "audit_prompt": "audit",
    "list_models": "models",
    "usage_summary": "usage",
    "diff_cost": "diff",
}
"""Tool name -> the promptaudit command it runs."""


@dataclass(frozen=True)
class Flag:
    """How one tool argument becomes command-line options.

    ``value``: ``--option=V``; ``repeat``: one ``--option=V`` per list item; ``pairs``: one ``--option=K=V``
    per mapping entry. ``check`` validates a value the CLI would take in a form the server must not pass on.
    """

    option: str
    kind: str = VALUE
    check: Callable[[str], str] | None = None


def git_ref(value: str) -> str:
    """A git ref as ``diff --base`` takes it; refuse what cannot be one (an option, control characters)."""
    if not value or value.startswith("-") or len(value) > MAX_REF_CHARS or any(c.isspace() or c < " " for c in value):
        raise UsageError(f"base: {value[:80]!r} is not a git ref")
    return value


FLAGS: dict[str, Flag] = {
    "models": Flag("--model", REPEAT),
    "model": Flag("--model"),
    "vars": Flag("--var", PAIRS),
    "per_day": Flag("--per-day"),
    "per_month": Flag("--per-month"),
    "rps": Flag("--rps"),
    "rpm": Flag("--rpm"),
    "total_per_day": Flag("--total-per-day"),
    "shares": Flag("--share", PAIRS),
    "output_tokens": Flag("--output-tokens"),
    "user_tokens": Flag("--user-tokens"),
    "max_tokens": Flag("--max-tokens"),
    "cache_hit_rate": Flag("--cache-hit-rate"),
    "batch_share": Flag("--batch-share"),
    "route_to": Flag("--route-to"),
    "route_share": Flag("--route-share"),
    "fallback_rate": Flag("--fallback-rate"),
    "days_per_month": Flag("--days-per-month"),
    "select": Flag("--select", REPEAT),
    "ignore": Flag("--ignore", REPEAT),
    "provider": Flag("--provider"),
    "by": Flag("--by"),
    "since": Flag("--since"),
    "until": Flag("--until"),
    "base": Flag("--base", check=git_ref),
}
"""Tool argument name -> the command-line option it becomes (a renamed CLI option changes one line here)."""


def options(arguments: dict[str, object]) -> list[str]:
    """The command-line options for a tool's arguments (``None`` means not given)."""
    found: list[str] = []
    for name, value in arguments.items():
        if value is None:
            continue
        flag = FLAGS[name]
        if flag.kind == REPEAT:
            found += [f"{flag.option}={_text(item, name)}" for item in value]  # type: ignore[union-attr]
        elif flag.kind == PAIRS:
            found += [f"{flag.option}={_key(key, name)}={_text(item, name)}" for key, item in value.items()]  # type: ignore[union-attr]
        else:
            text = _text(value, name)
            found.append(f"{flag.option}={flag.check(text) if flag.check else text}")
    return found


def _text(value: object, name: str) -> str:
    """A value as the CLI reads it: numbers in plain decimal (``10000``, ``0.00001``), strings as given."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    text = str(value)
    if "\x00" in text:
        raise UsageError(f"{name}: a value cannot contain a NUL character")
    return text


def _key(key: str, name: str) -> str:
    if not key or "=" in key:
        raise UsageError(f"{name}: {key!r} is not a usable name (empty, or it contains '=')")
    return _text(key, name)


def prompt_input(paths: list[str] | None, text: str | None, workspace: Workspace) -> tuple[list[str], bytes | None]:
    """The positional arguments and standard input for ``paths`` or ``text`` (exactly one of them)."""
    if (paths is None) == (text is None):
        raise UsageError("give either paths (files or folders in the workspace) or text (the prompt itself)")
    if text is None:
        if not paths:
            raise UsageError("paths is empty: name at least one file or folder")
        return confine_all(list(paths), workspace), None
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_TEXT_BYTES:
        raise UsageError(
            f"text is {len(data):,} bytes; the most is {MAX_TEXT_BYTES:,} (about a million tokens): "
            "save it to a file in the workspace and pass its path"
        )
    return ["-"], data


def prompt_arguments(paths: list[str] | None, text: str | None, workspace: Workspace, config: Path):
    """:func:`prompt_input`, with every file of a named folder checked the way the CLI will walk it."""
    positional, stdin = prompt_input(paths, text, workspace)
    if stdin is None:
        check_files(positional, workspace, _extensions(config))
    return positional, stdin


def _extensions(config: Path) -> tuple[str, ...]:
    """The extensions the CLI picks from folders with this config (its ``extensions:``, else the defaults)."""
    from promptaudit.config import load_config
    from promptaudit.reading.loading import extensions_from

    return extensions_from(load_config(config), None)


def diff_arguments(paths: list[str] | None, workspace: Workspace) -> list[str]:
    """The paths ``diff`` compares (default: the first root, so a root below the repository top is respected),
    refused if a changed file there leads outside the workspace."""
    named = confine_all(list(paths), workspace) if paths else ["."]
    check_git_links(named, workspace)
    return named


def command(tool: str, config: Path, flags: list[str], positional: list[str], home: Path, stdin: bytes | None = None):
    """The :class:`CliRun` for a tool: ``promptaudit COMMAND --format=json --config=CONFIG FLAGS -- POSITIONAL``."""
    return CliRun((COMMANDS[tool], "--format=json", f"--config={config}", *flags, "--", *positional), home, stdin)

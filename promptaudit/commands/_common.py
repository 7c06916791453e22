"""What every command shares: error handling, diagnostics on stderr, output formats, model lists."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, TypeVar

import typer

from promptaudit import exitcodes
from promptaudit.errors import PromptauditError

F = TypeVar("F", bound=Callable)

ConfigOption = Annotated[str | None, typer.Option("--config", help="Config file to use instead of discovery.")]
"""``--config FILE``, shared by every command that reads the config file."""

VarOption = Annotated[
    list[str] | None, typer.Option("--var", help="Template variable value as name=value; repeatable.")
]
"""``--var name=value``, shared by every command that counts templates."""
from promptaudit.money.prompt_models import DEFAULT_MODEL  # noqa: E402,F401 - the one default, re-exported


def warn(message: str) -> None:
    """One diagnostic line on stderr (never on stdout, which holds only the report)."""
    from promptaudit.report.terminal import printable

    sys.stderr.write(f"promptaudit: {printable(message)}\n")
    sys.stderr.flush()


def user_errors(func: F) -> F:
    """Turn a user's mistake (PromptauditError) into one stderr line and exit code 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except PromptauditError as exc:
            warn(f"error: {exc}")
            raise typer.Exit(exitcodes.USAGE) from None
        except BrokenPipeError:  # ``promptaudit ... | head``: the reader has all it wanted
            stdout_closed()
            raise typer.Exit(exitcodes.OK) from None

    return wrapper  # type: ignore[return-value]


def stdout_closed() -> None:
    """Point stdout at /dev/null: what was left to print has no reader (``promptaudit ... | head``)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class TableFormat(str, Enum):
    """Output formats of commands that print a table."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def load_settings(config_file: str | None):
    """Load the config file and install its ``prices:`` overrides: every command that shows money needs both."""
    from promptaudit.config import load_config
    from promptaudit.money import price_config

    config = load_config(config_file)
    price_config.apply_config(config)
    return config


def choose_models(cli_models: list[str] | None, config) -> list[str]:
    """Models from ``--model``, else the config's ``models``, else the default (gpt-4o)."""
    from promptaudit.money.prompt_models import choose

    return list(choose(cli_models, config).models)


def model_choice(cli_models: list[str] | None, config):
    """The command's :class:`~promptaudit.money.prompt_models.ModelChoice` (``--model`` overrides files)."""
    from promptaudit.money.prompt_models import choose

    return choose(cli_models, config)


def usable_prompts(prompts: list, choice) -> tuple[list, object, int]:
    """Keep the chosen models that have a tokenizer and a price, and the prompts whose own model has both.

    A prompt whose file names an unknown model is left out with one error line naming it (never counted at
    $0 or quietly at another model); returns ``(prompts, choice, failures)``.
    """
    from dataclasses import replace

    models, failures = usable_models(list(choice.models))
    choice = replace(choice, models=tuple(models))
    known = {model: _known(model) for model in {p.model for p in prompts if p.model and not choice.overrides}}
    kept = []
    for prompt in prompts:
        if prompt.model and not choice.overrides and known[prompt.model] is not None:
            warn(f"error: {prompt.display}: {known[prompt.model]}, named in the file; give --model to count it "
                 "at a known model, or price it under prices: in the config")  # fmt: skip
            failures += 1
            continue
        kept.append(prompt)
    return kept, choice, failures


def lint_settings(config, choice, prompts: list, volumes: list | None = None, **options):
    """Lint settings that judge each prompt at its own model (unless ``--model``) and at its resolved volume."""
    from dataclasses import replace

    from promptaudit.lint import linter

    settings = linter.settings_from(config, model=choice.models[0], own_models=not choice.overrides, **options)
    settings = replace(settings, model_source=choice.source)
    if volumes is None:
        return settings
    return replace(settings, volumes={p.display: v for p, v in zip(prompts, volumes) if v is not None})


def _known(model: str) -> str | None:
    """None when ``model`` has a price and a tokenizer, else why not."""
    from promptaudit.errors import UnknownModelError
    from promptaudit.money import pricing
    from promptaudit.tokens import tokenizers as tokens

    try:
        pricing.price_for(model)
        tokens.tokenizer_for(model)
    except UnknownModelError as exc:
        return str(exc)
    return None


def read_prompts(
    paths: list[str], config, ext, var, announce: bool = True, warn_unparsed: bool = True
) -> tuple[list, int]:
    """Read prompts and bind template variables (``--var``, then config ``vars:``, else a labelled default).

    Each file's placeholder syntax is the config's ``placeholders:`` glob, else its extension, else the
    default. With ``announce``, parse notes and defaulted variables are said on stderr (``count`` says
    them itself, with its other notes, after counting). With ``warn_unparsed``, each .json/.yaml file
    read as plain text gets one warning (``check`` stays silent unless it fails).
    """
    from promptaudit.reading.code import configure
    from promptaudit.reading.formats.variables import bind, parse_assignments
    from promptaudit.reading.loading import extensions_from, fallback_warnings, gather_prompts, reading_notes

    configure(config.get("python"), str(config.path or "config"))
    values = parse_assignments(var)
    from promptaudit.errors import SkippedInput

    declared = functools.partial(_declared, config=config) if config.get("placeholders") else None
    prompts, errors = gather_prompts(paths, extensions_from(config, ext), declared=declared)
    skipped = [error for error in errors if isinstance(error, SkippedInput)]
    errors = [error for error in errors if not isinstance(error, SkippedInput)]
    for error in errors:
        warn(f"error: {error}")
    for note in skipped:
        warn(f"note: {note}")
    for warning in fallback_warnings(prompts) if warn_unparsed else ():
        warn(f"warning: {warning}")
    bind(prompts, values, config.get("vars"))
    for note in reading_notes(prompts) if announce else ():
        warn(f"note: {note}")
    return prompts, len(errors)


def _declared(path: str, config):
    from promptaudit.config import placeholders_for

    return placeholders_for(path, config)


def usable_models(models: list[str]) -> tuple[list[str], int]:
    """Keep the models that have a tokenizer and a price; report the rest on stderr."""
    from promptaudit.errors import UnknownModelError
    from promptaudit.money import pricing
    from promptaudit.tokens import tokenizers as tokens

    usable, failures = [], 0
    for model in models:
        try:
            pricing.price_for(model)
            tokens.tokenizer_for(model)
            usable.append(model)
        except UnknownModelError as exc:
            warn(f"error: {exc}")
            failures += 1
    from promptaudit.tokens import claude

    hint = claude.reconstruct_hint(usable)
    if hint:
        warn(f"note: {hint}")
    return usable, failures


def report_sizes(problems: list) -> bool:
    """Say (one line each) which requests leave the base price tier or exceed the context window; return
    whether any exceeds the window (then the command exits 2)."""
    for problem in problems:
        warn(f"{'error' if problem.fatal else 'warning'}: {problem.message}")
    return any(problem.fatal for problem in problems)

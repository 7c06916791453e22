"""``promptaudit audit``: lint prompts for wasted tokens and broken caching, with what each fix saves."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from promptaudit.commands._common import ConfigOption, VarOption, load_settings, user_errors
from promptaudit.commands._options import ExtOption, ModelOption, PerDayOption, ShareOption, TotalPerDayOption


class AuditFormat(str, Enum):
    """Output formats of ``audit``."""

    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"


class FailOn(str, Enum):
    """Lowest severity that makes the exit code 1."""

    info = "info"
    warning = "warning"
    error = "error"


def _ids(values: list[str] | None) -> list[str]:
    """``--select PA1,PA201 --select PA3`` -> ``['PA1', 'PA201', 'PA3']``."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@user_errors
def audit_command(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (searched recursively) or - for stdin.")],
    model: ModelOption = None,
    output_format: Annotated[
        AuditFormat, typer.Option("--format", "-f", help="text, json, markdown or sarif.")
    ] = AuditFormat.text,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="Exit 1 on findings at or above this (default: warning).")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Rule IDs or prefixes to run (PA1,PA201).")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Rule IDs or prefixes to skip.")] = None,
    config_file: ConfigOption = None,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens", help="Token budget per prompt (PA301).")] = None,
    per_day: PerDayOption = None,
    total_per_day: TotalPerDayOption = None,
    share: ShareOption = None,
    var: VarOption = None,
    ext: ExtOption = None,
) -> None:
    """Find wasted tokens and broken caching in prompts; say what each fix saves per request and per month."""
    from promptaudit import exitcodes
    from promptaudit.commands._common import lint_settings, model_choice, read_prompts, usable_prompts
    from promptaudit.lint import linter
    from promptaudit.lint.findings import at_or_above
    from promptaudit.money import pricing, traffic, volume
    from promptaudit.report.audit.common import build, render
    from promptaudit.tokens import tokenizers as tokens

    config = load_settings(config_file)
    options = traffic.from_cli({"per_day": per_day}, total_per_day, share, volume.DEFAULT_DAYS_PER_MONTH)
    choice = model_choice([model] if model else None, config)
    pricing.price_for(choice.models[0]), tokens.tokenizer_for(choice.models[0])
    prompts, failures = read_prompts(paths, config, ext, var)
    prompts, choice, model_failures = usable_prompts(prompts, choice)
    volumes = traffic.prompt_volumes(prompts, options, config, volume.DEFAULT_DAYS_PER_MONTH)
    settings = lint_settings(
        config, choice, prompts, volumes, select=_ids(select), ignore=_ids(ignore), max_tokens=max_tokens
    )
    findings = linter.lint(prompts, settings)
    render(build(prompts, findings, settings), output_format.value)
    level = fail_on.value if fail_on else config.get("fail_on", "warning")
    if failures or model_failures:
        raise typer.Exit(exitcodes.USAGE)
    raise typer.Exit(exitcodes.FINDINGS if at_or_above(findings, level) else exitcodes.OK)

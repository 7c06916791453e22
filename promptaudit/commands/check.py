"""``promptaudit check``: the gate for pre-commit and CI. Silent and exit 0 when every prompt passes.

A prompt fails when it is over its token budget (``--max-tokens``, else a ``budgets:`` glob, else
``max_tokens`` in config) and, if it is recorded in the baseline file, has grown past its recorded count.
Findings fail the gate only at or above the fail level, which is ``error`` by default: advice (warnings
such as filler or a cheaper model) never fails a commit unless ``--fail-on warning`` or the config's
``fail_on:`` asks for it.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from promptaudit import exitcodes
from promptaudit.commands._common import ConfigOption, load_settings, user_errors, warn
from promptaudit.commands._options import ModelOption, PerDayOption
from promptaudit.gate.baseline import OUTSIDE_FLAG

DEFAULT_FAIL_ON = "error"
"""check fails on budgets and on error findings; warnings and info are advice (``audit`` shows them)."""


class FailOn(str, Enum):
    """Severities ``--fail-on`` accepts."""

    info = "info"
    warning = "warning"
    error = "error"


def failing_findings(prompts: list, choice, config, max_tokens: int | None, level: str) -> list:
    """Audit findings at or above ``level``; PA301 (over budget) is left out because check owns budgets."""
    from promptaudit.commands._common import lint_settings
    from promptaudit.lint.findings import at_or_above
    from promptaudit.lint.linter import lint

    settings = lint_settings(config, choice, prompts, ignore=["PA301"], max_tokens=max_tokens)
    return at_or_above(lint(prompts, settings), level) if prompts else []


class CheckFormat(str, Enum):
    """Output formats of ``check``."""

    text = "text"
    json = "json"


def measure(prompts: list, choice, config, max_tokens: int | None, recorded, cli_volume=None) -> list:
    """Each prompt's tokens (at its own model unless ``--model``) against its budget and baseline entry, with
    the monthly cost of any excess at that model's price.

    The volume is ``--per-day`` (per prompt) when given, else the config's ``traffic:``/``volume:`` for the
    prompt (a config total is split among the prompts checked, as ``project`` splits it).
    """
    from dataclasses import replace

    from promptaudit.gate import budgets
    from promptaudit.money import economics, pricing, traffic

    options = traffic.TrafficOptions(per_prompt=cli_volume)
    volumes = traffic.prompt_volumes(prompts, options, config, traffic.volumes.DEFAULT_DAYS_PER_MONTH)
    results = []
    for prompt, count, volume in zip(prompts, _counts(prompts, choice), volumes):
        budget = budgets.budget_for(prompt.path, config, max_tokens)
        result = budgets.BudgetResult(
            prompt.display, count.tokens, count.exact, budget, _recorded(recorded, prompt), _per_day(volume)
        )
        result = replace(result, method=count.method, model=count.model)
        price = pricing.price_for(count.model)
        cost = economics.monthly_cost_of_tokens(result.excess, price, volume) if volume else None
        results.append(replace(result, excess_monthly_cost=cost))
    return results


def _counts(prompts: list, choice) -> list:
    """Each prompt's token count at its model (its file's own, unless ``--model``; else the chosen one)."""
    from promptaudit.lint.linter import LintSettings, totals_at_own_models

    settings = LintSettings(model=choice.models[0], own_models=not choice.overrides)
    return totals_at_own_models(prompts, settings)


def _recorded(baseline, prompt) -> int | None:
    if baseline is None or prompt.path == "-":
        return None
    return baseline.recorded(baseline.key(prompt.path, prompt.name))


def _per_day(traffic):
    return traffic.requests_per_day if traffic else None


def write_baseline(baseline, prompts: list, choice):
    """Record every checked prompt's count at its model (other entries are kept); return the baseline as written.

    The baseline's ``model`` is the one for prompts that name none; a prompt that names its model is recorded
    at that model, so the same file counts the same whichever ``--model`` default is in force."""
    from promptaudit.gate import baseline as baselines

    counts = {
        baseline.key(prompt.path, prompt.name): count.tokens
        for prompt, count in zip(prompts, _counts(prompts, choice))
        if prompt.path != "-"
    }
    written, dropped = baselines.record(baseline.path, counts, choice.models[0])
    for key in dropped:
        warn(f"dropped {key} from the baseline: the file no longer exists")
    kept = sum(1 for key in counts if key in written.tokens)
    warn(f"wrote the token counts of {kept} prompt(s) to {baseline.path}")
    return written


def open_baseline(cli_path: str | None, config, model: str, writing: bool, allow_outside: bool = False):
    """The baseline in effect (an empty one when the default file does not exist)."""
    from promptaudit.gate import baseline as baselines

    path, named = baselines.locate(cli_path, config, allow_outside)
    recorded = baselines.load(path, required=named and not writing)
    if not writing:
        baselines.check_model(recorded, model)
    return recorded


def policy_violations(prompts: list, model: str, forced: bool, config) -> list:
    """What every prompt breaks of the policies a tree can break alone: unknown model, $/request, output cap.

    Each prompt is priced at its own model (``--model`` overrides), as ``diff`` prices it.
    """
    from promptaudit.gate import costdiff, policies

    rules = policies.from_config(config)
    if not (rules.block_unknown_models or rules.max_usd_per_request or rules.require_output_cap):
        return []
    ctx = costdiff.Context(model, model if forced else None, config, None, config.root)
    found = []
    for prompt in prompts:
        side = costdiff.price([prompt], prompt.path, ctx)[0]
        if not side.known:
            found += policies.unknown_model(side.name, side.model, rules)
        found += policies.request_ceiling(side.name, side.per_request, side.cap is not None, rules)
        found += policies.output_cap(side.name, side.in_code, side.capped, rules)
    return found


@user_errors
def check_command(
    paths: Annotated[list[str], typer.Argument(help="Prompt files or directories (searched recursively).")],
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", min=1, help="Token budget for every prompt (overrides config).")
    ] = None,
    model: ModelOption = None,
    baseline_file: Annotated[
        str | None, typer.Option("--baseline", help="Baseline file (default: .promptaudit-baseline.json).")
    ] = None,
    write_baseline_flag: Annotated[
        bool, typer.Option("--write-baseline", help="Record every prompt's tokens so only growth fails later.")
    ] = False,
    allow_outside: Annotated[
        bool,
        typer.Option(OUTSIDE_FLAG, help="Use a config or linked baseline that lies outside the repository."),
    ] = False,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Fail on findings at or above this (default: error; advice is warning/info)."),
    ] = None,
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text or json.")] = CheckFormat.text,
    per_day: PerDayOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Fail (exit 1) on a prompt over its token budget or with findings; print nothing when all pass."""
    from promptaudit.commands._common import model_choice, read_prompts, report_sizes
    from promptaudit.money import volume
    from promptaudit.money.limits import size_problems

    config = load_settings(config_file)
    choice = model_choice([model] if model else None, config)
    chosen = choice.models[0]
    _check_model(chosen)
    # a passing gate is silent, even about files read as plain text
    # a prompt naming a model no price source knows is counted at the default (the policies decide on it)
    prompts, input_failures = read_prompts(paths, config, None, None, announce=False, warn_unparsed=False)
    recorded = open_baseline(baseline_file, config, chosen, write_baseline_flag, allow_outside)
    if write_baseline_flag and input_failures:
        raise typer.Exit(exitcodes.USAGE)  # never record a partial baseline
    if write_baseline_flag:
        recorded = write_baseline(recorded, prompts, choice)
    results = measure(prompts, choice, config, max_tokens, recorded, volume.from_cli({"per_day": per_day}))
    level = fail_on.value if fail_on else config.get("fail_on", DEFAULT_FAIL_ON)
    findings = failing_findings(prompts, choice, config, max_tokens, level)
    violations = policy_violations(prompts, chosen, model is not None, config)
    from promptaudit.report import check as report

    report.render(results, findings, chosen, output_format.value, violations)
    too_big = report_sizes(size_problems((r.path, r.model, r.tokens, r.exact) for r in results))
    raise typer.Exit(_exit_code(results, findings + violations, input_failures or too_big))


def _check_model(model: str) -> None:
    """An unknown chosen model is one error line and exit 2, before any file is read."""
    from promptaudit.money import pricing
    from promptaudit.tokens import tokenizers as tokens

    pricing.price_for(model), tokens.tokenizer_for(model)


def _exit_code(results: list, failures: list, input_failures: int) -> int:
    if input_failures:  # unreadable input, or a prompt above the model's context window
        return exitcodes.USAGE
    return exitcodes.FINDINGS if failures or any(r.failed for r in results) else exitcodes.OK

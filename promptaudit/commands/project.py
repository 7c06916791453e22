"""``promptaudit project``: cost per request, day and month at real volume, and what each lever saves."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from promptaudit.commands._common import ConfigOption, VarOption, load_settings, model_choice, user_errors
from promptaudit.commands._projection import (
    DaysOption,
    ExtOption,
    ModelsOption,
    OutputTokensOption,
    PerDayOption,
    PerMonthOption,
    RpmOption,
    RpsOption,
    ShareOption,
    TotalPerDayOption,
    UserTokensOption,
    build_plan,
    compute,
    traffic_from,
)
from promptaudit.money.default_route import DEFAULT_FALLBACK, DEFAULT_SHARE


class ProjectFormat(str, Enum):
    """Output formats of ``project``."""

    table = "table"
    json = "json"
    markdown = "markdown"


Opt = typer.Option
SHARE, FALLBACK = (f"{value.normalize():f}" for value in (DEFAULT_SHARE, DEFAULT_FALLBACK))


@user_errors
def project_command(
    paths: Annotated[list[str], typer.Argument(help="Prompt files, directories or - for stdin.")],
    rps: RpsOption = None,
    rpm: RpmOption = None,
    per_day: PerDayOption = None,
    per_month: PerMonthOption = None,
    total_per_day: TotalPerDayOption = None,
    share: ShareOption = None,
    model: ModelsOption = None,
    user_tokens: UserTokensOption = None,
    output_tokens: OutputTokensOption = None,
    max_tokens: Annotated[str | None, Opt("--max-tokens", help="Output cap to evaluate.")] = None,
    cache_hit_rate: Annotated[str | None, Opt("--cache-hit-rate", help="0-1; overrides the model.")] = None,
    batch_share: Annotated[str | None, Opt("--batch-share", help="0-1 share that can wait 24 h.")] = None,
    route_to: Annotated[str | None, Opt("--route-to", help="Cheaper model to route to (in All levers).")] = None,
    route_share: Annotated[str | None, Opt("--route-share", help=f"0-1 share routed (default {SHARE}).")] = None,
    fallback_rate: Annotated[
        str | None, Opt("--fallback-rate", help=f"0-1 of routed requests retried on the model (default {FALLBACK}).")
    ] = None,
    days_per_month: DaysOption = "30",
    calibrate: Annotated[list[str] | None, Opt("--calibrate", help="Usage log to measure; repeatable.")] = None,
    output_format: Annotated[ProjectFormat, Opt("--format", "-f", help="table, json or markdown.")] = (
        ProjectFormat.table
    ),
    ext: ExtOption = None,
    config_file: ConfigOption = None,
    var: VarOption = None,
) -> None:
    """Project cost per request, day and month per model, and what each cost lever saves.

    Each prompt is priced at the model its file or SDK call names ("(from file)"), unless --model. The
    volume is per prompt (--per-day: a folder of 4 prompts sends 4x), or --total-per-day split by --share.
    The output-cap lever evaluates --max-tokens, else the max_tokens each request file declares.
    """
    from promptaudit import exitcodes
    from promptaudit.commands._common import read_prompts, usable_models, usable_prompts
    from promptaudit.money import traffic as traffic_basis
    from promptaudit.money import volume

    config = load_settings(config_file)
    days = volume.days_per_month(days_per_month)
    flags = {"rps": rps, "rpm": rpm, "per_day": per_day, "per_month": per_month}
    options = traffic_basis.from_cli(flags, total_per_day, share, days)
    plan = build_plan(cache_hit_rate, batch_share, max_tokens, route_to, route_share, fallback_rate)
    traffic = traffic_from(user_tokens, output_tokens)
    prompts, failures = read_prompts(paths, config, ext, var)
    prompts, choice, model_failures = usable_prompts(prompts, model_choice(model, config))
    route_failures = usable_models([route_to])[1] if route_to else 0
    if failures or model_failures or route_failures or not prompts or not choice.models:
        raise typer.Exit(exitcodes.USAGE)
    run(prompts, choice, options, days, config, traffic, plan, calibrate, output_format.value)


def run(prompts, choice, options, days, config, traffic, plan, logs, fmt) -> None:
    """Measure, count, price and render (after every option has been validated)."""
    from promptaudit.money import pricing
    from promptaudit.report import project as report

    done = compute(prompts, choice, options, days, config, traffic, plan, logs)
    report.render(done, days, pricing.price_source(), fmt)

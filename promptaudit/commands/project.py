"""``promptaudit project``: cost per request, day and month at real volume, and what each lever saves."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from promptaudit.commands._common import ConfigOption, VarOption, choose_models, load_settings, user_errors
from promptaudit.commands._projection import (
    DaysOption,
    ExtOption,
    ModelsOption,
    OutputTokensOption,
    PerDayOption,
    PerMonthOption,
    RpmOption,
    RpsOption,
    UserTokensOption,
    build_plan,
    compute,
    traffic_from,
)


class ProjectFormat(str, Enum):
    """Output formats of ``project``."""

    table = "table"
    json = "json"
    markdown = "markdown"


Opt = typer.Option


@user_errors
def project_command(
    paths: Annotated[list[str], typer.Argument(help="Prompt files, directories or - for stdin.")],
    rps: RpsOption = None,
    rpm: RpmOption = None,
    per_day: PerDayOption = None,
    per_month: PerMonthOption = None,
    model: ModelsOption = None,
    user_tokens: UserTokensOption = None,
    output_tokens: OutputTokensOption = None,
    max_tokens: Annotated[str | None, Opt("--max-tokens", help="Output cap to evaluate.")] = None,
    cache_hit_rate: Annotated[str | None, Opt("--cache-hit-rate", help="0-1; overrides the model.")] = None,
    batch_share: Annotated[str | None, Opt("--batch-share", help="0-1 share that can wait 24 h.")] = None,
    route_to: Annotated[str | None, Opt("--route-to", help="Cheaper model for the routing what-if.")] = None,
    route_share: Annotated[str | None, Opt("--route-share", help="0-1 share routed (default 0.5).")] = None,
    fallback_rate: Annotated[str | None, Opt("--fallback-rate", help="0-1 routed share retried.")] = None,
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

    The output-cap lever evaluates ``--max-tokens``, else the ``max_tokens`` each request file declares.
    """
    from promptaudit import exitcodes
    from promptaudit.commands._common import read_prompts, usable_models
    from promptaudit.money import volume

    config = load_settings(config_file)
    days = volume.days_per_month(days_per_month)
    cli_volume = volume.from_cli({"rps": rps, "rpm": rpm, "per_day": per_day, "per_month": per_month}, days)
    plan = build_plan(cache_hit_rate, batch_share, max_tokens, route_to, route_share, fallback_rate)
    traffic = traffic_from(user_tokens, output_tokens)
    prompts, failures = read_prompts(paths, config, ext, var)
    models, model_failures = usable_models(choose_models(model, config) + ([route_to] if route_to else []))
    if failures or model_failures or not prompts:
        raise typer.Exit(exitcodes.USAGE)
    models = [m for m in models if m != route_to] or models
    run(prompts, models, cli_volume, days, config, traffic, plan, calibrate, output_format.value)


def run(prompts, models, cli_volume, days, config, traffic, plan, logs, fmt) -> None:
    """Measure, count, price and render (after every option has been validated)."""
    from promptaudit.money import pricing
    from promptaudit.report import project as report

    done = compute(prompts, models, cli_volume, days, config, traffic, plan, logs)
    report.render(done.results, done.volumes, done.plan, days, done.calibration, pricing.price_source(), fmt)

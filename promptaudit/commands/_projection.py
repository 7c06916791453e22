"""The projection pipeline ``project`` and ``report`` share: volumes, the levers plan, calibration and trims.

``report`` must show exactly the numbers ``project`` prints, so both commands compute them here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated

import typer

from promptaudit.commands._common import warn

Opt = typer.Option
RpsOption = Annotated[str | None, Opt("--rps", help="Requests per second.")]
RpmOption = Annotated[str | None, Opt("--rpm", help="Requests per minute.")]
PerDayOption = Annotated[str | None, Opt("--per-day", help="Requests per day.")]
PerMonthOption = Annotated[str | None, Opt("--per-month", help="Requests per month.")]
ModelsOption = Annotated[list[str] | None, Opt("--model", "-m", help="Model; repeat for side by side.")]
UserTokensOption = Annotated[str | None, Opt("--user-tokens", help="Average variable input tokens.")]
OutputTokensOption = Annotated[str | None, Opt("--output-tokens", help="Average output tokens.")]
DaysOption = Annotated[str, Opt("--days-per-month", help="Days in a month.")]
ExtOption = Annotated[list[str] | None, Opt("--ext", help="Extension to pick from directories.")]
"""The options ``project`` and ``report`` share (declared once, so their help and spelling agree)."""


@dataclass(frozen=True)
class Projected:
    """What :func:`compute` returns: one ModelProjection per model and the assumptions behind them."""

    results: list
    volumes: list
    plan: object
    calibration: object | None


def calibration_for(logs: list[str] | None, model: str, config=None):
    """Measured traffic from usage logs (``--calibrate``), or None when no log is given."""
    if not logs:
        return None
    try:
        from promptaudit.usage.calibrate import calibrate
    except ImportError:
        from promptaudit.errors import UsageError

        raise UsageError("--calibrate needs promptaudit.usage.calibrate, which this install lacks") from None
    usage = (config.get("usage") if config is not None else None) or {}
    return calibrate(list(logs), model, columns=usage.get("columns"))


def prompt_volumes(prompts: list, cli_volume, config, days, calibration) -> list:
    """Each prompt's volume: command line, else config (glob, then default), else the calibration logs."""
    from promptaudit.errors import UsageError
    from promptaudit.money import volume

    measured = calibration.requests_per_day if calibration else None
    found = []
    for prompt in prompts:
        chosen = cli_volume or volume.from_config(prompt.path, config, days)
        if chosen is None and measured:
            chosen = volume.Volume(measured, days, f"calibrated from {calibration.source}")
        if chosen is None:
            raise UsageError(
                f"{prompt.display}: no request volume; give --rps, --rpm, --per-day or --per-month, "
                "or set volume: in the config"
            )
        found.append(chosen)
    return found


def trim_tokens(prompts: list, model: str, config) -> tuple[int, ...] | None:
    """Per prompt, the tokens a trim removes (:func:`promptaudit.lint.linter.removable_tokens`: findings at
    warning or above of rules whose savings are deleted text); None without the linter."""
    try:
        from promptaudit.lint import linter
    except ImportError:
        return None
    removable = linter.removable_tokens(linter.lint(prompts, linter.settings_from(config, model=model)))
    return tuple(removable.get(p.display, 0) for p in prompts)


def build_plan(hit_rate, batch_share, max_tokens, route_to, route_share, fallback_rate):
    """Validate the lever options into a levers.Plan.

    The output cap is ``--max-tokens``; without it each request file's own ``max_tokens`` (see :func:`run`).
    The config's ``max_tokens`` is not an output cap: it is the prompt's token budget (``check``, PA301).
    """
    from promptaudit.money import volume
    from promptaudit.money.levers import Plan, Routing

    cap = volume.token_count(max_tokens, "--max-tokens", 1) if max_tokens is not None else None
    routing = None
    if route_to:
        share = volume.fraction(route_share if route_share is not None else "0.5", "--route-share")
        routing = Routing(route_to, share, volume.fraction(fallback_rate or "0", "--fallback-rate"))
    return Plan(
        hit_rate=volume.fraction(hit_rate, "--cache-hit-rate") if hit_rate is not None else None,
        batch_share=volume.fraction(batch_share or "0", "--batch-share"),
        max_output=cap,
        routing=routing,
        route_share=volume.fraction(route_share, "--route-share") if route_share is not None else None,
        route_fallback=volume.fraction(fallback_rate, "--fallback-rate") if fallback_rate is not None else None,
    )


def what_if_settings(plan, config):
    """The default routing what-if's share and fallback: flags, else config ``routing:``, else the defaults."""
    from promptaudit.money import volume

    settings = config.get("routing") or {}
    share, fallback = plan.route_share, plan.route_fallback
    if share is None and "share" in settings:
        share = volume.fraction(str(settings["share"]), "config routing.share")
    if fallback is None and "fallback_rate" in settings:
        fallback = volume.fraction(str(settings["fallback_rate"]), "config routing.fallback_rate")
    return replace(plan, route_share=share, route_fallback=fallback)


def calibrated(traffic, plan, calibration, prompts, model):
    """Replace guessed traffic with measured values where the user gave none; say so on stderr."""
    from promptaudit.money import economics
    from promptaudit.tokens import counting

    if calibration is None:
        return traffic, plan
    warn(f"calibrated from {calibration.source}")
    mean_prompt = sum(t.tokens for t in counting.prompt_tokens(prompts, model, rendered=True)) // max(len(prompts), 1)
    if traffic.output_tokens is None and calibration.output_tokens_mean is not None:
        traffic = replace(traffic, output_tokens=calibration.output_tokens_mean)
    if traffic.user_tokens is None and calibration.input_tokens_mean is not None:
        traffic = replace(traffic, user_tokens=max(calibration.input_tokens_mean - mean_prompt, 0))
    if plan.hit_rate is None and calibration.cache_hit_rate is not None and calibration.input_tokens_mean:
        rate = economics.hit_rate_from_token_share(
            calibration.cache_hit_rate, calibration.input_tokens_mean, mean_prompt
        )
        plan = replace(plan, hit_rate=rate)
    return traffic, plan


def traffic_from(user_tokens, output_tokens):
    """Per-request token options; None where not given (calibration may fill them)."""
    from promptaudit.money import volume
    from promptaudit.money.projection import Traffic

    return Traffic(
        volume.token_count(user_tokens, "--user-tokens") if user_tokens is not None else None,
        volume.token_count(output_tokens, "--output-tokens") if output_tokens is not None else None,
    )


def settle(traffic):
    """Fill what neither the user nor a log gave with 0, and warn that output is then not costed."""
    if traffic.output_tokens is None:
        warn("no --output-tokens given: output is costed at 0 tokens per request")
    return replace(traffic, user_tokens=traffic.user_tokens or 0, output_tokens=traffic.output_tokens or 0)


def projections(prompts, models, volumes, traffic, plan, config):
    """One ModelProjection per model; the routing target is counted with its own tokenizer."""
    from promptaudit.money.projection import cases_for, project_model

    target = plan.routing.target if plan.routing else None
    targets = cases_for(target, prompts, volumes, traffic) if target else None
    results = []
    for model in models:
        trims = trim_tokens(prompts, model, config)
        model_plan = replace(plan, trim_tokens=trims)
        default = False if target else default_route(model, prompts, volumes, traffic, model_plan)
        cases = cases_for(model, prompts, volumes, traffic)
        results.append(project_model(model, cases, model_plan, targets, default))
    return results


def default_route(model, prompts, volumes, traffic, plan):
    """The routing what-if target and its cases, or None (see money.default_route)."""
    from promptaudit.money import default_route as routes

    found = routes.cheapest(model, prompts, volumes, traffic, plan)
    if found is None:
        return None
    target, cases = found
    return routes.assumption(plan.route_share, plan.route_fallback, target), cases


def compute(prompts, models, cli_volume, days, config, traffic, plan, logs) -> Projected:
    """Measure, count and price (after every option has been validated).

    A request above a model's context window cannot be sent: that is said on stderr and the command exits 2.
    """
    from promptaudit import exitcodes
    from promptaudit.commands._common import report_sizes
    from promptaudit.money.projection import size_problems

    calibration = calibration_for(logs, models[0], config)
    traffic, plan = calibrated(traffic, plan, calibration, prompts, models[0])
    plan = replace(
        plan, declared_caps=tuple(p.max_tokens for p in prompts), output_known=traffic.output_tokens is not None
    )
    volumes = prompt_volumes(prompts, cli_volume, config, days, calibration)
    traffic, plan = settle(traffic), what_if_settings(plan, config)
    target = [plan.routing.target] if plan.routing else []
    if report_sizes(size_problems(models + target, prompts, traffic.user_tokens)):
        raise typer.Exit(exitcodes.USAGE)
    return Projected(projections(prompts, models, volumes, traffic, plan, config), volumes, plan, calibration)

"""The projection pipeline ``project`` and ``report`` share: volumes, the levers plan, calibration and trims.

``report`` must show exactly the numbers ``project`` prints, so both commands compute them here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated

import typer

from promptaudit.commands._common import warn
from promptaudit.commands._options import (  # noqa: F401 - re-exported: project and report declare them once
    ExtOption,
    ModelsOption,
    PerDayOption,
    PerMonthOption,
    RpmOption,
    RpsOption,
    ShareOption,
    TotalPerDayOption,
)

Opt = typer.Option
UserTokensOption = Annotated[str | None, Opt("--user-tokens", help="Average variable input tokens.")]
OutputTokensOption = Annotated[str | None, Opt("--output-tokens", help="Average output tokens.")]
DaysOption = Annotated[str, Opt("--days-per-month", help="Days in a month.")]
"""The options ``project`` and ``report`` share (declared once, so their help and spelling agree)."""


@dataclass(frozen=True)
class Projected:
    """What :func:`compute` returns: one ModelProjection per model and the assumptions behind them."""

    results: list
    volumes: list
    plan: object
    calibration: object | None
    basis: str = "per prompt"
    """The volume basis: ``per prompt`` or ``total`` (money.traffic)."""
    partition: bool = False
    """True when each prompt is projected at one model only: the models' bills then add up to one total."""
    traffic: object | None = None
    """The per-request token assumptions used (money.projection.Traffic, settled)."""
    sources: dict | None = None
    """Where each assumption came from: ``{"output_tokens": "--output-tokens", "hit_rate": "modelled", ...}``."""


def calibration_for(logs: list[str] | None, model: str, config=None):
    """Measured traffic from usage logs (``--calibrate``), or None when no log is given."""
    if not logs:
        return None
    try:
        from promptaudit.usage.results.calibrate import calibrate
    except ImportError:
        from promptaudit.errors import UsageError

        raise UsageError("--calibrate needs promptaudit.usage.results.calibrate, which this install lacks") from None
    usage = (config.get("usage") if config is not None else None) or {}
    return calibrate(list(logs), model, columns=usage.get("columns"))


def prompt_volumes(prompts: list, options, config, days, calibration) -> list:
    """Each prompt's volume (money.traffic: per prompt, or a total split by shares), else the calibration
    logs' measured requests as a total split the same way."""
    from dataclasses import replace

    from promptaudit.errors import UsageError
    from promptaudit.money import traffic
    from promptaudit.money.volume import Volume

    found = traffic.prompt_volumes(prompts, options, config, days)
    if any(v is None for v in found) and calibration and calibration.requests_per_day:
        measured = Volume(calibration.requests_per_day, days, f"calibrated from {calibration.source}")
        found = traffic.prompt_volumes(prompts, replace(options, total=measured), config, days)
    for prompt, chosen in zip(prompts, found):
        if chosen is None:
            raise UsageError(
                f"{prompt.display}: no request volume; give --total-per-day (all prompts together), or --rps, "
                "--rpm, --per-day or --per-month (each prompt), or set volume: in the config"
            )
    return found


def trim_tokens(prompts: list, model: str, config) -> tuple[int, ...] | None:
    """Per prompt, the tokens a trim removes (:func:`promptaudit.lint.linter.removable_tokens`: findings at
    warning or above of rules whose savings are deleted text); None without the linter."""
    try:
        from promptaudit.lint import linter
    except ImportError:
        return None
    findings = linter.lint(prompts, linter.settings_from(config, model=model, own_models=False))
    removable = linter.removable_tokens(findings)
    return tuple(removable.get(p.display, 0) for p in prompts)


def build_plan(hit_rate, batch_share, max_tokens, route_to, route_share, fallback_rate):
    """Validate the lever options into a levers.Plan.

    The output cap is ``--max-tokens``; without it each request file's own ``max_tokens`` (see :func:`run`).
    The config's ``max_tokens`` is not an output cap: it is the prompt's token budget (``check``, PA301).
    ``--route-to`` and the default routing what-if share one default share and fallback rate
    (money.default_route; the config's ``routing:`` changes both, see :func:`what_if_settings`).
    """
    from promptaudit.money import volume
    from promptaudit.money.levers import Plan

    cap = volume.token_count(max_tokens, "--max-tokens", 1) if max_tokens is not None else None
    return Plan(
        hit_rate=volume.fraction(hit_rate, "--cache-hit-rate") if hit_rate is not None else None,
        batch_share=volume.fraction(batch_share or "0", "--batch-share"),
        max_output=cap,
        route_target=route_to or None,
        route_share=volume.fraction(route_share, "--route-share") if route_share is not None else None,
        route_fallback=volume.fraction(fallback_rate, "--fallback-rate") if fallback_rate is not None else None,
    )


def what_if_settings(plan, config):
    """The routing share and fallback (for ``--route-to`` and the default what-if alike): flags, else config
    ``routing:``, else the defaults of money.default_route."""
    from promptaudit.money import volume
    from promptaudit.money.default_route import assumption

    settings = config.get("routing") or {}
    share, fallback = plan.route_share, plan.route_fallback
    if share is None and "share" in settings:
        share = volume.fraction(str(settings["share"]), "config routing.share")
    if fallback is None and "fallback_rate" in settings:
        fallback = volume.fraction(str(settings["fallback_rate"]), "config routing.fallback_rate")
    plan = replace(plan, route_share=share, route_fallback=fallback)
    if plan.route_target:
        plan = replace(plan, routing=replace(assumption(share, fallback, plan.route_target), assumed=False))
    return plan


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


def projections(prompts, choice, volumes, traffic, plan, config) -> list:
    """One ModelProjection per model group (money.prompt_models): each prompt at its own model, else the chosen
    ones; the routing target is counted with its own tokenizer."""
    from promptaudit.money import prompt_models

    return [
        _group_projection(
            group,
            [prompts[i] for i in group.indices],
            [volumes[i] for i in group.indices],
            traffic,
            replace(plan, declared_caps=tuple(plan.declared_caps[i] for i in group.indices)),
            config,
        )  # fmt: skip
        for group in prompt_models.groups(prompts, choice)
    ]


def _group_projection(group, prompts, volumes, traffic, plan, config):
    from promptaudit.money.projection import cases_for, project_model

    target = plan.routing.target if plan.routing else None
    targets = cases_for(target, prompts, volumes, traffic) if target else None
    model_plan = replace(plan, trim_tokens=trim_tokens(prompts, group.model, config))
    default = False if target else default_route(group.model, prompts, volumes, traffic, model_plan)
    cases = cases_for(group.model, prompts, volumes, traffic)
    found = project_model(group.model, cases, model_plan, targets, default)
    return replace(found, label=group.label, model_from=group.model_from)


def default_route(model, prompts, volumes, traffic, plan):
    """The routing what-if target and its cases, or None (see money.default_route)."""
    from promptaudit.money import default_route as routes

    found = routes.cheapest(model, prompts, volumes, traffic, plan)
    if found is None:
        return None
    target, cases = found
    return routes.assumption(plan.route_share, plan.route_fallback, target), cases


def compute(prompts, choice, options, days, config, traffic, plan, logs) -> Projected:
    """Measure, count and price (after every option has been validated).

    ``choice`` is the command's :class:`~promptaudit.money.prompt_models.ModelChoice`; ``options`` its
    :class:`~promptaudit.money.traffic.TrafficOptions`. A request above a model's context window cannot be
    sent: that is said on stderr and the command exits 2.
    """
    from promptaudit import exitcodes
    from promptaudit.commands._common import report_sizes
    from promptaudit.money import prompt_models
    from promptaudit.money import traffic as traffic_basis

    first = prompt_models.groups(prompts, choice)[0].model
    calibration = calibration_for(logs, first, config)
    given = {"output_tokens": traffic.output_tokens, "user_tokens": traffic.user_tokens, "hit_rate": plan.hit_rate}
    traffic, plan = calibrated(traffic, plan, calibration, prompts, first)
    sources = _sources(given, traffic, plan, calibration)
    plan = replace(
        plan, declared_caps=tuple(p.max_tokens for p in prompts), output_known=traffic.output_tokens is not None
    )
    volumes = prompt_volumes(prompts, options, config, days, calibration)
    traffic, plan = settle(traffic), what_if_settings(plan, config)
    if report_sizes(_size_problems(prompts, choice, plan, traffic)):
        raise typer.Exit(exitcodes.USAGE)
    basis = traffic_basis.basis(options, config) if not calibration else traffic_basis.TOTAL
    results = projections(prompts, choice, volumes, traffic, plan, config)
    partition = prompt_models.partitions(prompts, choice)
    return Projected(results, volumes, plan, calibration, basis, partition, traffic, sources)


FLAGS = {"output_tokens": "--output-tokens", "user_tokens": "--user-tokens", "hit_rate": "--cache-hit-rate"}


def _sources(given: dict, traffic, plan, calibration) -> dict:
    """Where each per-request assumption came from: its flag, the calibration logs, or nowhere (``none``)."""
    now = {"output_tokens": traffic.output_tokens, "user_tokens": traffic.user_tokens, "hit_rate": plan.hit_rate}
    found = {}
    for key, value in now.items():
        if given[key] is not None:
            found[key] = FLAGS[key]
        elif value is not None and calibration is not None:
            found[key] = f"calibrated from {calibration.source}"
        else:
            found[key] = "none"
    return found


def _size_problems(prompts, choice, plan, traffic) -> list:
    """Tier warnings and context-window errors for each prompt at its models (and the routing target)."""
    from promptaudit.money import prompt_models
    from promptaudit.money.projection import size_problems

    found = []
    for group in prompt_models.groups(prompts, choice):
        models = [group.model] + ([plan.routing.target] if plan.routing else [])
        found += size_problems(models, [prompts[i] for i in group.indices], traffic.user_tokens)
    return found

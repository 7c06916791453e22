"""Render ``project``: per-model costs and the savings table, as Rich tables, JSON or Markdown.

Every $ figure's assumptions are printed with it: the volume basis (per prompt or a total split by shares),
output and variable tokens, the cache hit rate, the batch share and the routing share and fallback
(:mod:`promptaudit.report.project_notes`). A model that the prompts' own files name is marked ``(from file)``;
when each prompt is projected at one model (its own) and there are several, a Total row adds them up.
"""

from __future__ import annotations

from decimal import Decimal

from promptaudit.money.economics import Levers, cacheable_tokens
from promptaudit.money.levers import Case, Plan, Saving
from promptaudit.money.pricing import PriceSource
from promptaudit.money.projection import ModelProjection
from promptaudit.report.common import longest_word, money_column, print_json, stdout_console, tokens, write_text
from promptaudit.report.project_notes import assumptions, caption, title

LABELS = {
    "caching": "Prompt caching",
    "trimming": "Trimming (audit)",
    "batch": "Batch API",
    "routing": "Routing",
    "output_cap": "Output cap",
    "all": "All levers",
}
COST_HEADERS = ("Model", "Req/day", "Prompt", "Variable", "Output", "$/request", "$/day", "$/month", "$/month cached")
JSON_MONEY_STEP = Decimal("1e-10")
SAVING_HEADERS = ("Lever", "$/day", "$/month", "% of bill", "Note")


def render(done, days: Decimal, prices: PriceSource, fmt: str) -> None:
    """Print the projection ``done`` (commands._projection.Projected) in ``fmt`` (table, json or markdown)."""
    if fmt == "json":
        print_json(payload(done, days, prices))
        return
    rows = {"costs": cost_rows(done, days), "savings": {r.label or r.model: r.savings for r in done.results}}
    notes = [caption(done, prices), *assumptions(done, days)]
    (_markdown if fmt == "markdown" else _tables)(rows, days, title(done), "\n".join(notes))


def _number(value: Decimal) -> int | float:
    """A JSON number: an int when whole, else a float rounded for display (money stays a string)."""
    return int(value) if value == value.to_integral_value() else round(float(value), 4)


def _money(value: Decimal) -> str:
    """Money for JSON: a plain decimal string to 1e-10 dollars (hides exp() residue), no exponent."""
    text = f"{value.quantize(JSON_MONEY_STEP).normalize():f}"
    return "0" if text in ("-0", "0") else text


def model_json(r: ModelProjection, days: Decimal) -> dict:
    """One entry of ``models`` in the JSON output."""
    return {
        "model": r.model,
        "model_from": r.model_from,
        "requests_per_day": _number(r.requests_per_day),
        "input_tokens_per_request": r.mean_tokens("input_tokens"),
        "output_tokens_per_request": r.mean_tokens("output_tokens"),
        "prompt_tokens_per_request": r.mean_tokens("prompt_tokens"),
        "static_prefix_tokens": r.mean_tokens("prefix_tokens"),
        "cacheable_tokens": r.cached_tokens(),
        "user_tokens_per_request": r.mean_tokens("user_tokens"),
        "exact": r.exact,
        "method": r.method,
        "approximations": list(r.approximations),
        "variables_estimated": r.variables_estimated,
        "cost_per_request": _money(r.per_request(r.baseline_daily)),
        "daily_cost": _money(r.baseline_daily),
        "monthly_cost": _money(r.baseline_daily * days),
        "cached_cost_per_request": _money(r.per_request(r.cached_daily)),
        "daily_cost_cached": _money(r.cached_daily),
        "monthly_cost_cached": _money(r.cached_daily * days),
    }


def saving_json(model: str, s: Saving, days: Decimal) -> dict:
    """One entry of ``savings`` in the JSON output."""
    data = {
        "model": model,
        "lever": s.lever,
        "daily_saving": _money(s.daily),
        "monthly_saving": _money(s.daily * days),
        "percent": round(float(s.percent), 2),
        "note": s.note,
    }
    if s.lever == "all":
        data |= {"includes": list(s.includes), "excludes": list(s.excludes)}
    else:
        data["in_all_levers"] = s.in_all
    if s.break_even_fallback is not None:
        data["break_even_fallback"] = round(float(s.break_even_fallback), 4)
    if s.route is not None:
        data |= {"to": s.route.target, "share": _number(s.route.share), "fallback_rate": _number(s.route.fallback)}
    if s.assumed:
        data["default_assumption"] = True  # the routing what-if, not a lever that was asked for
    return data


def prompt_json(r: ModelProjection, case: Case, plan: Plan, days: Decimal) -> dict:
    """One entry of ``prompts``: one prompt's share of one model's bill (they add up to the model's)."""
    work, cached = case.workload, case.daily(Levers(caching=True, hit_rate=plan.hit_rate))
    return {
        "model": r.model,
        "model_from": r.model_from,
        "prompt": case.name,
        "requests_per_day": _number(work.requests_per_day),
        "prompt_tokens": work.prompt_tokens,
        "static_prefix_tokens": work.prefix_tokens,
        "cacheable_tokens": cacheable_tokens(work.prefix_tokens, case.priced.cache),
        "exact": case.exact,
        "approximations": list(case.approximations),
        "daily_cost": _money(case.daily()),
        "monthly_cost": _money(case.daily() * days),
        "monthly_cost_cached": _money(cached * days),
    }


def scenario_json(done, days: Decimal) -> dict:
    """What the projection assumed (each figure with where it came from)."""
    plan, routing = done.plan, done.plan.routing
    volumes = done.volumes
    return {
        "days_per_month": _number(days),
        "volume_basis": done.basis,
        "total_requests_per_day": _number(sum((v.requests_per_day for v in volumes), Decimal(0))),
        "volumes": [{"requests_per_day": _number(v.requests_per_day), "origin": v.origin} for v in volumes],
        "cache_hit_rate": None if plan.hit_rate is None else _number(plan.hit_rate),
        "batch_share": _number(plan.batch_share),
        "max_tokens": plan.caps[0] if len(plan.caps) == 1 else None,
        "routing": None
        if routing is None
        else {"to": routing.target, "share": _number(routing.share), "fallback_rate": _number(routing.fallback)},
        "calibration": done.calibration.source if done.calibration else None,
        "sources": dict(done.sources or {}),
    }


def total_json(done, days: Decimal) -> dict | None:
    """The bill over every model, when each prompt is projected at one model only (else None)."""
    if not done.partition:
        return None
    daily = sum((r.baseline_daily for r in done.results), Decimal(0))
    cached = sum((r.cached_daily for r in done.results), Decimal(0))
    return {
        "requests_per_day": _number(sum((r.requests_per_day for r in done.results), Decimal(0))),
        "daily_cost": _money(daily),
        "monthly_cost": _money(daily * days),
        "monthly_cost_cached": _money(cached * days),
    }


def payload(done, days: Decimal, prices: PriceSource) -> dict:
    """The whole JSON document."""
    results = done.results
    return {
        "scenario": scenario_json(done, days),
        "models": [model_json(r, days) for r in results],
        "total": total_json(done, days),
        "prompts": [prompt_json(r, case, done.plan, days) for r in results for case in r.cases],
        "savings": [saving_json(r.model, s, days) for r in results for s in r.savings],
        "assumptions": assumptions(done, days),
        "prices": prices.to_json(),
    }


def cost_rows(done, days: Decimal) -> list[list[str]]:
    """The per-model cost table (each money column at one precision), with a Total row when models add up."""
    results = done.results
    figures = [_figures(r, days) for r in results]
    total = _total_figures(done, days) if done.partition and len(results) > 1 else None
    columns = list(zip(*(figures + ([total] if total else []))))
    shown = list(zip(*(money_column(list(column)) for column in columns))) if columns else []
    rows = [_cells(r) + list(money) for r, money in zip(results, shown)]
    if total:
        volume = sum((r.requests_per_day for r in results), Decimal(0))
        rows.append(["Total", f"{volume:,.0f}", "", "", "", *shown[-1]])
    return rows


def _figures(r: ModelProjection, days: Decimal) -> list[Decimal]:
    daily = r.baseline_daily
    return [r.per_request(daily), daily, daily * days, r.cached_daily * days]


def _total_figures(done, days: Decimal) -> list[Decimal]:
    daily = sum((r.baseline_daily for r in done.results), Decimal(0))
    volume = sum((r.requests_per_day for r in done.results), Decimal(0))
    cached = sum((r.cached_daily for r in done.results), Decimal(0))
    return [daily / volume if volume else Decimal(0), daily, daily * days, cached * days]


def _cells(r: ModelProjection) -> list[str]:
    """The model and its token columns; each count marked when it is not exact."""
    from promptaudit.tokens.tokenizers import tokenizer_for

    method = "estimate" if r.approximations else tokenizer_for(r.model).method  # the Prompt column's own
    prompt = tokens(r.mean_tokens("prompt_tokens"), method == "exact", method)
    variable = f"{'~' if r.variables_estimated else ''}{r.mean_tokens('user_tokens'):,}"
    return [r.label or r.model, f"{r.requests_per_day:,.0f}", prompt, variable, f"{r.mean_tokens('output_tokens'):,}"]


def saving_rows(savings: list[Saving], days: Decimal) -> list[list[str]]:
    """The rows of one savings table, each money column at one precision."""
    daily = money_column([s.daily for s in savings])
    monthly = money_column([s.daily * days for s in savings])
    return [
        [LABELS.get(s.lever, s.lever), day, month, f"{s.percent:.1f}%", s.note]
        for s, day, month in zip(savings, daily, monthly)
    ]


def _tables(rows: dict, days: Decimal, heading: str, note: str) -> None:
    from rich.table import Table

    console = stdout_console()
    if not console.is_terminal:  # piped or captured: a full row beats an ellipsis
        console.width = max(console.width, 120)
    costs = Table(title=heading, caption=note, caption_justify="left")
    for header in COST_HEADERS:
        if header == "Model":  # wraps only between words: a model name is never cut
            costs.add_column(header, min_width=longest_word(row[0] for row in rows["costs"]))
        else:
            costs.add_column(header, justify="right", no_wrap=True)
    total = rows["costs"][-1][0] == "Total"
    for cells in rows["costs"]:
        costs.add_row(*cells, end_section=total and cells is rows["costs"][-2])
    console.print(costs)
    for model, savings in rows["savings"].items():
        table = Table(title=f"Savings on {model}")
        for header in SAVING_HEADERS:
            table.add_column(header, justify="left" if header in ("Lever", "Note") else "right")
        for s, cells in zip(savings, saving_rows(savings, days)):
            table.add_row(*cells, end_section=s.lever != "all" and s is savings[-2])
        console.print(table)


def _markdown(rows: dict, days: Decimal, heading: str, note: str) -> None:
    out = [f"## {heading}", "", _md_table(COST_HEADERS, rows["costs"])]
    for model, savings in rows["savings"].items():
        out += ["", f"## Savings on {model}", "", _md_table(SAVING_HEADERS, saving_rows(savings, days))]
    out += ["", note.replace("\n", "  \n")]
    write_text("\n".join(out) + "\n")


def _md_table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)

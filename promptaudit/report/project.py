"""Render ``project``: per-model costs and the savings table, as Rich tables, JSON or Markdown."""

from __future__ import annotations

from decimal import Decimal

from promptaudit.money.economics import Levers, cacheable_tokens
from promptaudit.money.levers import Case, Plan, Saving
from promptaudit.money.pricing import PriceSource
from promptaudit.money.projection import ModelProjection
from promptaudit.report.common import RECONSTRUCTED_NOTE, money, print_json, stdout_console, tokens, write_text

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


def render(results, volumes, plan: Plan, days: Decimal, calibration, prices: PriceSource, fmt: str) -> None:
    """Print the projection in ``fmt`` (table, json or markdown)."""
    if fmt == "json":
        print_json(payload(results, volumes, plan, days, calibration, prices))
        return
    rows = {"costs": [cost_cells(r, days) for r in results], "savings": {r.model: r.savings for r in results}}
    (_markdown if fmt == "markdown" else _tables)(rows, days, caption(results, calibration, prices))


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
        "requests_per_day": _number(r.requests_per_day),
        "input_tokens_per_request": r.mean_tokens("input_tokens"),
        "output_tokens_per_request": r.mean_tokens("output_tokens"),
        "prompt_tokens_per_request": r.mean_tokens("prompt_tokens"),
        "static_prefix_tokens": r.mean_tokens("prefix_tokens"),
        "cacheable_tokens": r.cached_tokens(),
        "user_tokens_per_request": r.mean_tokens("user_tokens"),
        "exact": r.exact,
        "method": r.method,
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
    if s.break_even_fallback is not None:
        data["break_even_fallback"] = round(float(s.break_even_fallback), 4)
    if s.route is not None:
        data |= {"to": s.route.target, "share": _number(s.route.share), "fallback_rate": _number(s.route.fallback)}
    if s.assumed:
        data["default_assumption"] = True  # the routing what-if, not a lever that was asked for
    return data


def prompt_json(model: str, case: Case, plan: Plan, days: Decimal) -> dict:
    """One entry of ``prompts``: one prompt's share of one model's bill (they add up to the model's)."""
    work, cached = case.workload, case.daily(Levers(caching=True, hit_rate=plan.hit_rate))
    return {
        "model": model,
        "prompt": case.name,
        "requests_per_day": _number(work.requests_per_day),
        "prompt_tokens": work.prompt_tokens,
        "static_prefix_tokens": work.prefix_tokens,
        "cacheable_tokens": cacheable_tokens(work.prefix_tokens, case.priced.cache),
        "exact": case.exact,
        "daily_cost": _money(case.daily()),
        "monthly_cost": _money(case.daily() * days),
        "monthly_cost_cached": _money(cached * days),
    }


def scenario_json(volumes, plan: Plan, days: Decimal, calibration) -> dict:
    """What the projection assumed."""
    routing = plan.routing
    return {
        "days_per_month": _number(days),
        "volumes": [{"requests_per_day": _number(v.requests_per_day), "origin": v.origin} for v in volumes],
        "cache_hit_rate": None if plan.hit_rate is None else _number(plan.hit_rate),
        "batch_share": _number(plan.batch_share),
        "max_tokens": plan.caps[0] if len(plan.caps) == 1 else None,
        "routing": None
        if routing is None
        else {"to": routing.target, "share": _number(routing.share), "fallback_rate": _number(routing.fallback)},
        "calibration": calibration.source if calibration else None,
    }


def payload(results, volumes, plan, days, calibration, prices: PriceSource) -> dict:
    """The whole JSON document."""
    return {
        "scenario": scenario_json(volumes, plan, days, calibration),
        "models": [model_json(r, days) for r in results],
        "prompts": [prompt_json(r.model, case, plan, days) for r in results for case in r.cases],
        "savings": [saving_json(r.model, s, days) for r in results for s in r.savings],
        "prices": prices.to_json(),
    }


def cost_cells(r: ModelProjection, days: Decimal) -> list[str]:
    """One row of the per-model cost table."""
    return [
        r.model,
        f"{r.requests_per_day:,.0f}",
        tokens(r.mean_tokens("prompt_tokens"), r.exact, r.method),
        f"{r.mean_tokens('user_tokens'):,}",
        f"{r.mean_tokens('output_tokens'):,}",
        money(r.per_request(r.baseline_daily)),
        money(r.baseline_daily),
        money(r.baseline_daily * days),
        money(r.cached_daily * days),
    ]


def saving_cells(s: Saving, days: Decimal) -> list[str]:
    """One row of a savings table."""
    return [LABELS.get(s.lever, s.lever), money(s.daily), money(s.daily * days), f"{s.percent:.1f}%", s.note]


def caption(results, calibration, prices: PriceSource) -> str:
    """Where the prices came from, and what is estimated or measured."""
    lines = [f"Prices: {prices.source}, as of {prices.as_of}. Without levers: list prices, no cache."]
    if any(r.method == "estimate" for r in results):
        lines.append("~ marks estimated token counts (no public tokenizer).")
    if any(r.method == "reconstructed" for r in results):
        lines.append(RECONSTRUCTED_NOTE)
    if calibration is not None:
        lines.append(f"Measured from {calibration.source}.")
    return "\n".join(lines)


def _tables(rows: dict, days: Decimal, note: str) -> None:
    from rich.table import Table

    console = stdout_console()
    if not console.is_terminal:  # piped or captured: a full row beats an ellipsis
        console.width = max(console.width, 120)
    costs = Table(title="Cost per model (tokens per request)", caption=note, caption_justify="left")
    for header in COST_HEADERS:
        costs.add_column(header, justify="left" if header == "Model" else "right", no_wrap=True)
    for cells in rows["costs"]:
        costs.add_row(*cells)
    console.print(costs)
    for model, savings in rows["savings"].items():
        table = Table(title=f"Savings on {model}")
        for header in SAVING_HEADERS:
            table.add_column(header, justify="left" if header in ("Lever", "Note") else "right")
        for s in savings:
            table.add_row(*saving_cells(s, days), end_section=s.lever != "all" and s is savings[-2])
        console.print(table)


def _markdown(rows: dict, days: Decimal, note: str) -> None:

    out = ["## Cost per model", "", _md_table(COST_HEADERS, rows["costs"])]
    for model, savings in rows["savings"].items():
        out += ["", f"## Savings on {model}", "", _md_table(SAVING_HEADERS, [saving_cells(s, days) for s in savings])]
    out += ["", note.replace("\n", "  \n")]
    write_text("\n".join(out) + "\n")


def _md_table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)

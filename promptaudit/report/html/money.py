"""The money sections of the HTML report: cost by prompt and savings by lever, from ``project``'s JSON."""

from __future__ import annotations

from promptaudit.report.common import money
from promptaudit.report.html import svg
from promptaudit.report.html.common import card, column, dec, esc, money_cell, table
from promptaudit.report.project import LABELS


def costs(project: dict) -> str:
    """The cost-by-prompt section: bars per prompt (and model), the totals, the numbers as a table."""
    rows = project.get("prompts", [])
    models = [m["model"] for m in project["models"]]
    order = sorted(
        {r["prompt"] for r in rows}, key=lambda p: -max(dec(r["monthly_cost"]) for r in rows if r["prompt"] == p)
    )
    rows = sorted(rows, key=lambda r: (order.index(r["prompt"]), models.index(r["model"])))
    bars = [_cost_bar(r, models) for r in rows]
    totals = "; ".join(f"{_label(m)} {money(dec(m['monthly_cost']))} per month" for m in project["models"])
    chart = svg.bars("chart-costs", bars, "Cost per month by prompt", f"Total: {totals}.")
    legend = _series_legend(models) if len(models) > 1 else ""
    return card(
        "costs",
        "Cost by prompt",
        "What each prompt file costs per month at the volume below, at list prices with no cache (as <code>project</code> prices it).",
        legend + chart + "".join(_total(m) for m in project["models"]) + _cost_table(rows),
    )


def _label(model: dict) -> str:
    """A model as the page names it, marked when the prompts' own files name it."""
    from promptaudit.money.prompt_models import FROM_FILE_MARK

    return f"{model['model']} {FROM_FILE_MARK}" if model.get("model_from") == "file" else model["model"]


def _total(model: dict) -> str:
    """One model's total line: $/month (its JSON value in data-value), $/day, $/request, $/month with caching."""

    def figure(key: str) -> str:
        return esc(money(dec(model[key])))

    return (
        f'<p class="total" data-model="{esc(model["model"])}" data-field="monthly_cost" '
        f'data-value="{esc(model["monthly_cost"])}"><b>Total on {esc(_label(model))}: {figure("monthly_cost")}/month</b> '
        f'<span class="muted">({figure("daily_cost")}/day, {figure("cost_per_request")} per request; '
        f"{figure('monthly_cost_cached')}/month with caching)</span></p>"
    )


def _cost_bar(row: dict, models: list[str]) -> svg.Bar:
    """One prompt on one model; with several models the prompt is named once and each value names its model."""
    series = models.index(row["model"])
    shown = money(dec(row["monthly_cost"])) + "/mo" + (f" · {row['model']}" if len(models) > 1 else "")
    data = {"prompt": row["prompt"], "model": row["model"], "monthly-cost": row["monthly_cost"]}
    tip = f"{row['prompt']} on {row['model']}: {shown}"
    return svg.Bar("" if series else row["prompt"], float(dec(row["monthly_cost"])), shown, series, data, tip)


def _series_legend(models: list[str]) -> str:
    items = "".join(f"<span>{svg.swatch(i)}{esc(m)}</span>" for i, m in enumerate(models))
    return f'<div class="legend">{items}</div>'


def _cost_table(rows: list[dict]) -> str:
    monthly, cached = column(rows, "monthly_cost"), column(rows, "monthly_cost_cached")
    body = [
        f'<tr data-prompt="{esc(r["prompt"])}" data-model="{esc(r["model"])}"><td>{esc(r["prompt"])}</td>'
        f'<td>{esc(_label(r))}</td><td class="n">{r["requests_per_day"]:,}</td>'
        f'<td class="n">{"" if r["exact"] else "~"}{r["prompt_tokens"]:,}</td>'
        f"{money_cell(r['monthly_cost'], 'monthly_cost', shown=month)}"
        f"{money_cell(r['monthly_cost_cached'], 'monthly_cost_cached', shown=month_cached)}</tr>"
        for r, month, month_cached in zip(rows, monthly, cached)
    ]
    return table(["Prompt", "Model", "#Req/day", "#Prompt tokens", "#$/month", "#$/month cached"], body, "data")


def savings(project: dict) -> str:
    """The savings section: per model, a waterfall of project's lever rows and its savings table."""
    blocks = []
    for number, model in enumerate(project["models"]):
        rows = [s for s in project["savings"] if s["model"] == model["model"]]
        blocks.append(_waterfall(number, model, rows) + _savings_table(rows))
    lead = (
        "Each lever is priced alone against today's bill, exactly as <code>project</code> prints it; "
        "levers overlap, so the steps do not add up to “All levers”, which prices every lever together. "
        "Hatched: a what-if that “All levers” does not include (each “All levers” note names what it pulls and "
        "what it leaves out)."
    )
    return card("savings", "Savings by lever", lead, "".join(blocks))


def _what_if(row: dict) -> bool:
    """A row "All levers" leaves out: the default routing what-if, or Batch for all traffic (no --batch-share)."""
    return row.get("in_all_levers") is False


def _waterfall(number: int, model: dict, rows: list[dict]) -> str:
    bill = dec(model["monthly_cost"])
    steps = [
        svg.Step(
            "Today", float(bill), money(bill) + "/mo", "total", data={"lever": "today", "value": model["monthly_cost"]}
        )
    ]
    for row in rows:
        saved = dec(row["monthly_saving"])
        data = {"lever": row["lever"], "value": row["monthly_saving"], "percent": row["percent"]}
        if row["lever"] == "all":
            after = bill - saved
            text = f"{money(after)}/mo\n−{row['percent']:.1f}%"
            steps.append(svg.Step("All levers", float(after), text, "result", row["note"], data))
        else:
            kind = "what-if" if _what_if(row) else "saving"
            text = f"{'−' if saved else ''}{money(saved)}/mo\n{row['percent']:.1f}%"
            steps.append(svg.Step(LABELS.get(row["lever"], row["lever"]), float(saved), text, kind, row["note"], data))
    desc = "; ".join(f"{s.label}: {s.text.replace(chr(10), ', ')}" for s in steps)
    return f"<h3>On {esc(_label(model))}</h3>" + svg.waterfall(
        f"chart-savings-{number}",
        steps,
        f"Savings by lever on {model['model']}",
        desc,
    )


def _savings_table(rows: list[dict]) -> str:
    daily, monthly = column(rows, "daily_saving"), column(rows, "monthly_saving")
    body = [
        f'<tr data-lever="{esc(r["lever"])}"{" class=total" if r["lever"] == "all" else ""}>'
        f"<td>{esc(LABELS.get(r['lever'], r['lever']))}</td>"
        f"{money_cell(r['daily_saving'], 'daily_saving', shown=day)}"
        f"{money_cell(r['monthly_saving'], 'monthly_saving', shown=month)}"
        f'<td class="n" data-field="percent" data-value="{r["percent"]}">{r["percent"]:.1f}%</td>'
        f'<td class="note">{esc(r["note"])}</td></tr>'
        for r, day, month in zip(rows, daily, monthly)
    ]
    return table(["Lever", "#$/day", "#$/month", "#% of bill", "Note"], body)

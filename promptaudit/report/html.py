"""Render the HTML report: one self-contained page (inline CSS and SVG, no script, no network).

The page is drawn from the very documents ``project --format json`` and ``audit --format json`` print
(:func:`promptaudit.report.project.payload`, :func:`promptaudit.report.audit_json.payload`), so every
number on it is one of theirs, formatted as the terminal formats it. Each figure also carries its
machine value in a ``data-*`` attribute, which the browser tests compare with the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

from promptaudit.report import svg
from promptaudit.report.common import money
from promptaudit.report.svg import esc

LABELS = {
    "caching": "Prompt caching",
    "trimming": "Trimming (audit)",
    "batch": "Batch API",
    "routing": "Routing",
    "output_cap": "Output cap",
    "all": "All levers",
}


@dataclass(frozen=True)
class Page:
    """Everything the page shows; ``project`` and ``audit`` are the commands' JSON documents."""

    command: str
    generated: str
    project: dict
    audit: dict
    waste_html: str
    usage_html: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def render(page: Page) -> str:
    """The whole HTML document."""
    css = resources.files("promptaudit.report").joinpath("html.css").read_text(encoding="utf-8")
    sections = [_costs(page.project), _savings(page.project), page.waste_html, page.usage_html, _sources(page)]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">'
        f"<title>promptaudit report</title><style>{css}</style></head><body>"
        f'{_header(page)}<main class="wrap">{svg.patterns()}{_kpis(page)}{"".join(sections)}</main>'
        f'<footer class="page">Made by promptaudit offline: this page loads nothing from the network.</footer>'
        "</body></html>\n"
    )


def _header(page: Page) -> str:
    models = ", ".join(m["model"] for m in page.project["models"])
    prompts = len(page.audit["files"])
    links = [("costs", "Cost by prompt"), ("savings", "Savings by lever"), ("waste", "Waste in the text")]
    links += [("usage", "Measured spend")] if page.usage_html else []
    links += [("sources", "Prices and assumptions")]
    nav = "".join(f'<a href="#{key}">{esc(text)}</a>' for key, text in links)
    return (
        f'<header class="top"><div class="wrap"><h1>Prompt cost report</h1>'
        f"<p>{prompts} prompt{'s' if prompts != 1 else ''} on {esc(models)} · generated {esc(page.generated)} · "
        f'<code>{esc(page.command)}</code></p><nav class="toc" aria-label="Sections">{nav}</nav></div></header>'
    )


def _d(value: str | None) -> Decimal:
    return Decimal(value) if value is not None else Decimal(0)


def _all_row(project: dict, model: str) -> dict:
    return next(s for s in project["savings"] if s["model"] == model and s["lever"] == "all")


def _tile(label: str, shown: str, sub: str, key: str, value: object, css: str = "") -> str:
    return (
        f'<div class="kpi {css}" data-kpi="{key}" data-value="{esc(value)}"><div class="k">{esc(label)}</div>'
        f'<div class="v">{esc(shown)}</div><div class="s">{esc(sub)}</div></div>'
    )


def _kpis(page: Page) -> str:
    """The headline figures: today's bill and the all-levers bill on the first model, and audit's waste."""
    first = page.project["models"][0]
    bill = _d(first["monthly_cost"])
    combined = _all_row(page.project, first["model"])
    saved = _d(combined["monthly_saving"])
    summary = page.audit["summary"]
    waste = summary["monthly_saving"]
    tiles = [
        _tile("Today's bill", f"{money(bill)}/mo", f"{first['model']}, list prices, no cache", "monthly_cost", bill),
        _tile(
            "With all levers",
            f"{money(bill - saved)}/mo",
            f"−{combined['percent']:.1f}% ({money(saved)}/mo less)",
            "all_levers_monthly",
            bill - saved,
            "good",
        ),
        _tile(
            "Removable tokens",
            f"{summary['tokens_saved']:,}",
            f"per request, in {summary['findings']} findings",
            "tokens_saved",
            summary["tokens_saved"],
        ),
        _tile(
            "Waste in the text",
            f"{money(_d(waste))}/mo" if waste is not None else "n/a",
            "what removing the flagged text saves" if waste is not None else "needs a volume",
            "waste_monthly",
            waste or "",
        ),
    ]
    return f'<div class="kpis">{"".join(tiles)}</div>'


def _card(key: str, title: str, lead: str, body: str, css: str = "") -> str:
    return (
        f'<section class="card {css}" id="{key}" aria-labelledby="{key}-h"><h2 id="{key}-h">{esc(title)}</h2>'
        f'<p class="lead">{lead}</p>{body}</section>'
    )


def _money_cell(value: str, field_name: str, suffix: str = "") -> str:
    return f'<td class="n" data-field="{field_name}" data-value="{esc(value)}">{esc(money(_d(value)) + suffix)}</td>'


def _costs(project: dict) -> str:
    rows = project.get("prompts", [])
    models = [m["model"] for m in project["models"]]
    order = sorted(
        {r["prompt"] for r in rows}, key=lambda p: -max(_d(r["monthly_cost"]) for r in rows if r["prompt"] == p)
    )
    rows = sorted(rows, key=lambda r: (order.index(r["prompt"]), models.index(r["model"])))
    bars = [_cost_bar(r, models) for r in rows]
    totals = "; ".join(f"{m['model']} {money(_d(m['monthly_cost']))} per month" for m in project["models"])
    chart = svg.bars("chart-costs", bars, "Cost per month by prompt", f"Total: {totals}.")
    legend = _series_legend(models) if len(models) > 1 else ""
    total_line = "".join(
        f'<p class="total" data-model="{esc(m["model"])}" data-field="monthly_cost" data-value="{esc(m["monthly_cost"])}">'
        f"<b>Total on {esc(m['model'])}: {esc(money(_d(m['monthly_cost'])))}/month</b> "
        f'<span class="muted">({esc(money(_d(m["daily_cost"])))}/day, {esc(money(_d(m["cost_per_request"])))} per request; '
        f"{esc(money(_d(m['monthly_cost_cached'])))}/month with caching)</span></p>"
        for m in project["models"]
    )
    return _card(
        "costs",
        "Cost by prompt",
        "What each prompt file costs per month at the volume below, at list prices with no cache (as <code>project</code> prices it).",
        legend + chart + total_line + _cost_table(rows),
    )


def _cost_bar(row: dict, models: list[str]) -> svg.Bar:
    """One prompt on one model; with several models the prompt is named once and each value names its model."""
    series = models.index(row["model"])
    shown = money(_d(row["monthly_cost"])) + "/mo" + (f" · {row['model']}" if len(models) > 1 else "")
    data = {"prompt": row["prompt"], "model": row["model"], "monthly-cost": row["monthly_cost"]}
    tip = f"{row['prompt']} on {row['model']}: {shown}"
    return svg.Bar("" if series else row["prompt"], float(_d(row["monthly_cost"])), shown, series, data, tip)


def _series_legend(models: list[str]) -> str:
    items = "".join(f"<span>{svg.swatch(i)}{esc(m)}</span>" for i, m in enumerate(models))
    return f'<div class="legend">{items}</div>'


def _cost_table(rows: list[dict]) -> str:
    head = "<tr><th>Prompt</th><th>Model</th><th class=n>Req/day</th><th class=n>Prompt tokens</th><th class=n>$/month</th><th class=n>$/month cached</th></tr>"
    body = "".join(
        f'<tr data-prompt="{esc(r["prompt"])}" data-model="{esc(r["model"])}"><td>{esc(r["prompt"])}</td><td>{esc(r["model"])}</td>'
        f'<td class="n">{r["requests_per_day"]:,}</td><td class="n">{"" if r["exact"] else "~"}{r["prompt_tokens"]:,}</td>'
        f"{_money_cell(r['monthly_cost'], 'monthly_cost')}{_money_cell(r['monthly_cost_cached'], 'monthly_cost_cached')}</tr>"
        for r in rows
    )
    return f'<table class="data">{head}{body}</table>'


def _savings(project: dict) -> str:
    blocks = []
    for number, model in enumerate(project["models"]):
        rows = [s for s in project["savings"] if s["model"] == model["model"]]
        blocks.append(_waterfall(number, model, rows) + _savings_table(rows))
    lead = (
        "Each lever is priced alone against today's bill, exactly as <code>project</code> prints it; "
        "levers overlap, so the steps do not add up to “All levers”, which prices every lever together. "
        "Hatched: a what-if that “All levers” does not include."
    )
    return _card("savings", "Savings by lever", lead, "".join(blocks))


def _what_if(row: dict) -> bool:
    return row["lever"] == "batch" and "if all traffic" in row["note"]


def _waterfall(number: int, model: dict, rows: list[dict]) -> str:
    bill = _d(model["monthly_cost"])
    steps = [
        svg.Step(
            "Today", float(bill), money(bill) + "/mo", "total", data={"lever": "today", "value": model["monthly_cost"]}
        )
    ]
    for row in rows:
        saved = _d(row["monthly_saving"])
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
    return f"<h3>On {esc(model['model'])}</h3>" + svg.waterfall(
        f"chart-savings-{number}",
        steps,
        f"Savings by lever on {model['model']}",
        desc,
    )


def _savings_table(rows: list[dict]) -> str:
    head = (
        "<tr><th>Lever</th><th class=n>$/day</th><th class=n>$/month</th><th class=n>% of bill</th><th>Note</th></tr>"
    )
    body = "".join(
        f'<tr data-lever="{esc(r["lever"])}"{" class=total" if r["lever"] == "all" else ""}><td>{esc(LABELS.get(r["lever"], r["lever"]))}</td>'
        f"{_money_cell(r['daily_saving'], 'daily_saving')}{_money_cell(r['monthly_saving'], 'monthly_saving')}"
        f'<td class="n" data-field="percent" data-value="{r["percent"]}">{r["percent"]:.1f}%</td><td class="note">{esc(r["note"])}</td></tr>'
        for r in rows
    )
    return f"<table>{head}{body}</table>"


def _sources(page: Page) -> str:
    scenario, prices = page.project["scenario"], page.project["prices"]
    items = [
        f'Prices: <b data-field="price-source">{esc(prices["source"])}</b>, as of <b data-field="price-date">{esc(prices["as_of"])}</b>. Without levers: list prices, no cache.'
    ]
    volumes = {(v["requests_per_day"], v["origin"]) for v in scenario["volumes"]}
    items += [
        f"Volume: {rpd:,} requests per day per prompt ({esc(origin)}); {scenario['days_per_month']} days per month."
        for rpd, origin in sorted(volumes)
    ]
    for m in page.project["models"]:
        items.append(
            f"Per request on {esc(m['model'])}: {m['prompt_tokens_per_request']:,} prompt tokens, "
            f"{m['user_tokens_per_request']:,} variable input tokens, {m['output_tokens_per_request']:,} output tokens "
            f"(traffic-weighted averages); static prefix {m['static_prefix_tokens']:,}, of which {m['cacheable_tokens']:,} cacheable."
        )
    hit = scenario["cache_hit_rate"]
    items.append(
        "Cache hit rate: "
        + (f"{hit:.0%} (given)." if hit is not None else "modelled from volume and the provider's cache TTL.")
    )
    if any(not m["exact"] for m in page.project["models"]):
        items.append(
            '<span class="est">~</span> marks estimated token counts (no public tokenizer, or a template variable counted at the default estimate).'
        )
    items += [esc(note) for note in page.notes]
    body = '<ul class="assumptions">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    return _card("sources", "Prices and assumptions", "Where every number on this page comes from.", body)

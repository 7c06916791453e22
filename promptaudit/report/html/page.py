"""Render the HTML report: one self-contained page (inline CSS and SVG, no script, no network).

The page is drawn from the very documents ``project --format json`` and ``audit --format json`` print
(:func:`promptaudit.report.project.payload`, :func:`promptaudit.report.audit.json.payload`), so every
number on it is one of theirs, formatted as the terminal formats it. Each figure also carries its
machine value in a ``data-*`` attribute, which the browser tests compare with the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

from promptaudit.report.common import money
from promptaudit.report.html import svg
from promptaudit.report.html.common import card, dec, esc
from promptaudit.report.html.money import costs, savings
from promptaudit.tokens import approximations


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
    css = resources.files("promptaudit.report.html").joinpath("page.css").read_text(encoding="utf-8")
    sections = [costs(page.project), savings(page.project), page.waste_html, page.usage_html, _sources(page)]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
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


def _all_row(project: dict, model: str) -> dict:
    return next(s for s in project["savings"] if s["model"] == model and s["lever"] == "all")


def _tile(label: str, shown: str, sub: str, key: str, value: object, css: str = "") -> str:
    return (
        f'<div class="kpi {css}" data-kpi="{key}" data-value="{esc(value)}"><div class="k">{esc(label)}</div>'
        f'<div class="v">{esc(shown)}</div><div class="s">{esc(sub)}</div></div>'
    )


def _headline(project: dict) -> tuple[Decimal, Decimal, str]:
    """(today's bill, what all levers save, whose bill): the total over every model when each prompt is priced
    at one model (its own), else the first model's."""
    models = project["models"] if project.get("total") else project["models"][:1]
    bill = sum((dec(m["monthly_cost"]) for m in models), Decimal(0))
    saved = sum((dec(_all_row(project, m["model"])["monthly_saving"]) for m in models), Decimal(0))
    whom = "all prompts, each at its model" if len(models) > 1 else models[0]["model"]
    return bill, saved, whom


def _kpis(page: Page) -> str:
    """The headline figures: today's bill and the all-levers bill (in total, or on the first model), and waste."""
    bill, saved, whom = _headline(page.project)
    percent = saved * 100 / bill if bill else Decimal(0)
    summary = page.audit["summary"]
    waste = summary["monthly_saving"]
    tiles = [
        _tile("Today's bill", f"{money(bill)}/mo", f"{whom}, list prices, no cache", "monthly_cost", bill),
        _tile(
            "With all levers",
            f"{money(bill - saved)}/mo",
            f"−{percent:.1f}% ({money(saved)}/mo less)",
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
            f"{money(dec(waste))}/mo" if waste is not None else "n/a",
            "what removing the flagged text saves" if waste is not None else "needs a volume",
            "waste_monthly",
            waste or "",
        ),
    ]
    return f'<div class="kpis">{"".join(tiles)}</div>'


def _sources(page: Page) -> str:
    prices = page.project["prices"]
    items = [
        f'Prices: <b data-field="price-source">{esc(prices["source"])}</b>, as of <b data-field="price-date">{esc(prices["as_of"])}</b>. Without levers: list prices, no cache.'
    ]
    items += [esc(sentence) for sentence in page.project.get("assumptions", [])]
    for m in page.project["models"]:
        items.append(
            f"Per request on {esc(m['model'])}: {m['prompt_tokens_per_request']:,} prompt tokens, "
            f"{m['user_tokens_per_request']:,} variable input tokens, {m['output_tokens_per_request']:,} output tokens "
            f"(traffic-weighted averages); static prefix {m['static_prefix_tokens']:,}, of which {m['cacheable_tokens']:,} cacheable."
        )
    reasons = [r for m in page.project["models"] for r in m.get("approximations", [])]
    reasons += ["variables"] if any(m.get("variables_estimated") for m in page.project["models"]) else []
    note = approximations.footnote(reasons)
    if note:
        items.append('<span class="est">~</span>' + esc(note.removeprefix("~")))
    items += [esc(note) for note in page.notes]
    body = '<ul class="assumptions">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    return card("sources", "Prices and assumptions", "Where every number on this page comes from.", body)

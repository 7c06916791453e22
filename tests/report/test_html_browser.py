"""The HTML report as a person sees it: rendered by headless Chromium, checked through the DOM.

The installed console script writes the page for the sample prompts; Chromium loads it from a file://
URL, dumps the DOM, takes a screenshot and prints it to PDF. Every number on the page must equal
``project --format json``'s, every highlight one of ``audit --format json``'s findings, every chart
must be drawn, and the page must make no request at all.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from promptaudit.report.common import money, money_column
from tests.report import browser

pytestmark = pytest.mark.slow  # headless Chromium: skipped by the quick subset (docs/development.md)

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = Path(sys.executable).with_name("promptaudit")
VOLUME = ["--per-day", "10000"]

if browser.chromium() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the HTML report's browser tests (.ci/run does)")
    pytest.skip("headless Chromium is not installed (apt-get install chromium)", allow_module_level=True)


def run_console(*args: str, home: Path, ok=(0,)) -> subprocess.CompletedProcess:
    """The installed console script, from the repository root, with its own HOME and caches."""
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    done = subprocess.run([str(CONSOLE), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode in ok, done.stderr
    return done


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample prompts' report, rendered once for every test here, with project's and audit's JSON."""
    work = tmp_path_factory.mktemp("report")
    home = tmp_path_factory.mktemp("home")
    page = work / "report.html"
    run_console("report", "sample_prompts/", *VOLUME, "-o", str(page), home=home)
    project = json.loads(run_console("project", "sample_prompts/", *VOLUME, "--format", "json", home=home).stdout)
    audit = run_console("audit", "sample_prompts/", *VOLUME, "--format", "json", home=home, ok=(0, 1)).stdout
    dom, requests = browser.dump_dom(page, work)
    return {
        "page": page,
        "dom": browser.parse(dom),
        "requests": requests,
        "project": project,
        "audit": json.loads(audit),
    }


def _shown_money(value: str, suffix: str = "") -> str:
    return money(Decimal(value)) + suffix


def test_every_chart_is_drawn_with_labelled_non_empty_bars(sample):
    charts = {svg.attrs["data-chart"]: svg for svg in sample["dom"].find_all("svg", class_="chart")}
    assert set(charts) == {"bars", "waterfall"}
    for svg in charts.values():
        assert svg.attrs["role"] == "img" and svg.find_all("title") and svg.find_all("desc")
        shapes = [r for g in svg.find_all("g") for r in g.find_all("rect")]
        assert shapes and all(float(r.attrs["width"]) > 0 and float(r.attrs["height"]) > 0 for r in shapes)
        assert all(text.text().strip() for text in svg.find_all("text", class_="value"))


def test_cost_bars_and_totals_equal_projects_json(sample):
    project, dom = sample["project"], sample["dom"]
    bars = dom.find_all("g", class_="bar")
    assert sorted((b.attrs["data-prompt"], b.attrs["data-monthly-cost"]) for b in bars) == sorted(
        (r["prompt"], r["monthly_cost"]) for r in project["prompts"]
    )
    for bar in bars:
        assert bar.find_all("text", class_="value")[0].text() == _shown_money(bar.attrs["data-monthly-cost"], "/mo")
    (model,) = project["models"]
    (total,) = dom.find_all("p", class_="total")
    assert total.attrs["data-value"] == model["monthly_cost"]  # hand-checked with genai-prices 0.2.5: 1611
    assert _shown_money(model["monthly_cost"], "/month") in total.text()
    (bill,) = dom.find_all(data_kpi="monthly_cost")
    shown = _shown_money(model["monthly_cost"], "/mo")
    assert Decimal(bill.attrs["data-value"]) == Decimal(model["monthly_cost"]) and shown in bill.text()


def test_savings_waterfall_and_table_equal_projects_json(sample):
    project, dom = sample["project"], sample["dom"]
    savings = {s["lever"]: s for s in project["savings"]}
    steps = {g.attrs["data-lever"]: g for g in dom.find_all("g", class_="step")}
    assert set(steps) == {"today", *savings}
    bill = Decimal(project["models"][0]["monthly_cost"])
    for lever, row in savings.items():
        step = steps[lever]
        assert (step.attrs["data-value"], float(step.attrs["data-percent"])) == (row["monthly_saving"], row["percent"])
        label = step.find_all("text", class_="value")[0].text()
        shown = (
            _shown_money(str(bill - Decimal(row["monthly_saving"])))
            if lever == "all"
            else "−" + _shown_money(row["monthly_saving"])
        )
        assert label.startswith(shown + "/mo") and f"{row['percent']:.1f}%" in label
        table_row = dom.find_all("tr", data_lever=lever)[0]
        cells = {td.attrs["data-field"]: td for td in table_row.find_all("td") if "data-field" in td.attrs}
        assert cells["monthly_saving"].attrs["data-value"] == row["monthly_saving"]
        daily = money_column([Decimal(r["daily_saving"]) for r in savings.values()])  # one precision per column
        assert cells["daily_saving"].text() == daily[list(savings).index(lever)]
        assert row["note"] in table_row.text()
    what_ifs = {
        lever for lever, row in savings.items() if row.get("default_assumption") or "if all traffic" in row["note"]
    }
    assert what_ifs and {lever for lever, g in steps.items() if "what-if" in g.attrs["class"].split()} == what_ifs
    (after,) = dom.find_all(data_kpi="all_levers_monthly")
    assert Decimal(after.attrs["data-value"]) == bill - Decimal(savings["all"]["monthly_saving"])


def _file_slice(path: str, finding: dict) -> str:
    lines = (ROOT / path).read_text(encoding="utf-8").split("\n")
    if finding["line"] == finding["end_line"]:
        return lines[finding["line"] - 1][finding["column"] - 1 : finding["end_column"] - 1]
    middle = lines[finding["line"] : finding["end_line"] - 1]
    return "\n".join(
        [
            lines[finding["line"] - 1][finding["column"] - 1 :],
            *middle,
            lines[finding["end_line"] - 1][: finding["end_column"] - 1],
        ]
    )


def test_highlighted_spans_are_audits_findings_with_their_text(sample):
    findings = [f for f in sample["audit"]["findings"] if f["end_line"] is not None]
    assert len(findings) >= 9
    pieces: dict[str, list] = {}
    for mark in sample["dom"].find_all("mark"):
        if "data-finding" in mark.attrs:
            pieces.setdefault(mark.attrs["data-finding"], []).append(mark)
    shown = {}
    for marks in pieces.values():
        a = marks[0].attrs
        key = (
            a["data-rule"],
            int(a["data-line"]),
            int(a["data-column"]),
            int(a["data-end-line"]),
            int(a["data-end-column"]),
        )
        shown[key] = (int(a["data-tokens-saved"]), "\n".join(_own_text(m) for m in marks))
    expected = {(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"]): f for f in findings}
    assert set(shown) == set(expected)
    for key, finding in expected.items():
        saved, text = shown[key]
        assert saved == finding["tokens_saved"]
        assert text == _file_slice(finding["path"], finding)


def _own_text(mark) -> str:
    """A mark's text without the badges of marks nested in it."""
    return "".join(
        c if isinstance(c, str) else _own_text(c) for c in mark.children if isinstance(c, str) or c.tag == "mark"
    )


def test_each_prompt_shows_audits_removable_tokens(sample):
    summary = sample["audit"]["summary"]
    (waste,) = sample["dom"].find_all(data_kpi="waste_monthly")
    (removable,) = sample["dom"].find_all(data_kpi="tokens_saved")
    assert (waste.attrs["data-value"], removable.attrs["data-value"]) == (
        summary["monthly_saving"],
        str(summary["tokens_saved"]),
    )
    assert _shown_money(summary["monthly_saving"], "/mo") in waste.text() and "105" in removable.text()
    prompts = {a.attrs["data-path"]: a for a in sample["dom"].find_all("article", class_="prompt")}
    for file in sample["audit"]["files"]:
        facts = prompts[file["path"]].find_all("span", class_="facts")[0]
        assert int(facts.attrs["data-tokens-saved"]) == file["tokens_saved"]
        assert facts.attrs["data-monthly-saving"] == file["monthly_saving"]
        assert f"{file['tokens_saved']:,} removable per request ({file['percent_saved']}%)" in facts.text()


def test_cache_minimum_and_prefix_end_are_marked_in_the_text(sample):
    docs = [
        a for a in sample["dom"].find_all("article") if a.attrs.get("data-path") == "sample_prompts/docs_assistant.md"
    ][0]
    markers = {m.attrs["class"]: m.text() for m in docs.find_all("span", class_="marker")}
    assert markers == {
        "marker cache-min": "▲ 1,024-token cache minimum",
        "marker prefix-end": "◆ cacheable prefix ends: 1,280 tokens",
    }


def test_price_source_date_and_estimates_are_labelled(sample):
    prices = sample["project"]["prices"]
    (source,) = sample["dom"].find_all(data_field="price-source")
    (date,) = sample["dom"].find_all(data_field="price-date")
    assert (source.text(), date.text()) == (prices["source"], prices["as_of"])
    sources = sample["dom"].find_all("section", id="sources")[0].text()
    assert "~ marks an approximate count: template variables without a value" in sources  # the real reason
    assert "no public tokenizer" not in sources and "10,000 requests/day for each of the 4 prompts" in sources
    assert "no --output-tokens given: output is costed at 0 tokens per request" in sources


def test_the_page_made_no_request_and_loads_nothing(sample):
    assert sample["requests"] == []
    html = sample["page"].read_text(encoding="utf-8")
    assert "content=\"default-src 'none'; style-src 'unsafe-inline'\"" in html  # the page forbids every load
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for element in sample["dom"].iter():
        for name in ("src", "href"):
            assert element.attrs.get(name, "#").startswith("#"), element


def test_the_request_check_sees_a_request_when_a_page_makes_one(tmp_path):
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><p>x</p><img src="http://127.0.0.1:9/pixel.png">', encoding="utf-8")
    _, requests = browser.dump_dom(page, tmp_path)
    assert requests == ["http://127.0.0.1:9/pixel.png"]


def test_the_screenshot_shows_the_whole_page(sample, tmp_path):
    data = browser.screenshot(sample["page"], tmp_path / "report.png")
    assert browser.png_size(data) == (1280, 3600) and len(data) > 100_000  # text and charts, not a blank page


def test_the_page_prints(sample, tmp_path):
    pdf = browser.print_pdf(sample["page"], tmp_path / "report.pdf")
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert pdf.startswith(b"%PDF") and len(pages) >= 4  # the sample prompts' text runs over several pages


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """The report with ten days of usage logs split where the prompt changed, and usage's own outputs."""
    from tests.report import usage_log

    work = tmp_path_factory.mktemp("measured")
    home = tmp_path_factory.mktemp("home")
    log = str(usage_log.write(work / "usage.jsonl"))
    page = work / "report.html"
    split = ["--split-at", usage_log.SPLIT]
    run_console("report", "sample_prompts/classifier.txt", *VOLUME, "--usage", log, *split, "-o", str(page), home=home)
    daily = json.loads(run_console("usage", log, "--by", "day", "--format", "json", home=home).stdout)
    markdown = run_console("usage", log, *split, "--format", "markdown", home=home).stdout
    dom, requests = browser.dump_dom(page, work)
    return {"dom": browser.parse(dom), "requests": requests, "daily": daily, "markdown": markdown}


def test_measured_spend_is_drawn_from_usages_own_figures(measured):
    section = measured["dom"].find_all("section", id="usage")[0]
    charts = {svg.attrs["id"]: svg for svg in section.find_all("svg", class_="chart")}
    assert set(charts) == {"chart-usage-cost", "chart-usage-hits", "chart-usage-lengths"}
    days = measured["daily"]["groups"]
    cost_bars = charts["chart-usage-cost"].find_all("g", class_="bar")
    assert [(b.attrs["data-day"], b.attrs["data-cost"]) for b in cost_bars] == [(d["key"], d["cost"]) for d in days]
    assert len(charts["chart-usage-hits"].find_all("g", class_="bar")) == len(days) == 10
    lengths = charts["chart-usage-lengths"].find_all("g", class_="bar")
    assert sum(int(b.attrs["data-requests"]) for b in lengths) == measured["daily"]["total"]["requests"] == 360
    total = measured["daily"]["total"]
    figures = {k.attrs["data-usage"]: k for k in section.find_all("div", class_="kpi")}
    assert figures["cost"].attrs["data-value"] == total["cost"]
    assert figures["suggested_max_tokens"].attrs["data-value"] == str(total["suggested_max_tokens"])
    marker = charts["chart-usage-lengths"].find_all("g", class_="marker")[0].text()
    assert marker == f"suggested max_tokens {total['suggested_max_tokens']:,}"
    assert measured["requests"] == []


def test_before_and_after_rows_are_the_ones_usage_prints(measured):
    rows = [tr for tr in measured["dom"].find_all("tr") if "data-metric" in tr.attrs]
    assert [tr.attrs["data-metric"] for tr in rows][:4] == [
        "requests",
        "cost per request",
        "input tokens mean",
        "cache hit rate",
    ]
    for row in rows:
        assert "| " + " | ".join(td.text() for td in row.find_all("td")) + " |" in measured["markdown"]
    hit_rate = [td.text() for td in rows[3].find_all("td")]
    assert hit_rate == ["cache hit rate", "0.0%", "50.3%", "+50.3%"]


def test_the_console_script_writes_the_same_page_cold_and_warm(tmp_path):
    home = tmp_path / "home"
    pages = []
    for run in ("cold", "warm"):
        page = tmp_path / f"{run}.html"
        done = run_console("report", "sample_prompts/", *VOLUME, "-o", str(page), home=home)
        assert done.stdout == "" and done.stderr.endswith(f"promptaudit: wrote {page}\n")
        text = page.read_text(encoding="utf-8").replace(str(page), "PAGE")
        pages.append(re.sub(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "generated (time)", text))
    assert (home / ".cache").exists() and pages[0] == pages[1]

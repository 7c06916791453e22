"""The HTML report without a browser: highlighting, escaping, charts, and the command's errors."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from promptaudit.report.html import svg
from promptaudit.report.html.text import Marker, Span, highlight
from promptaudit.report.html.usage import bin_width
from tests.report.browser import parse


def _marks(markup: str) -> list[tuple[str, str]]:
    """(finding, text) of every <mark> piece, in document order."""
    return [(m.attrs["data-finding"], m.text()) for m in parse(markup).find_all("mark")]


def _span(start: int, end: int, number: int, badge: str = "") -> Span:
    return Span(start, end, "filler", f"tip {number}", badge, {"finding": number})


def test_a_span_inside_another_nests():
    text = "It is important to note that you must not guess."
    markup = highlight(text, [_span(0, len(text), 1), _span(0, 28, 2, "PA103")])
    outer = text.replace("note that", "note thatPA103")  # the inner span's badge follows it, inside the outer
    assert _marks(markup) == [("1", outer), ("2", "It is important to note that")]
    assert parse(markup).text() == text.replace("note that", "note thatPA103")


def test_crossing_spans_are_closed_and_reopened_so_the_markup_stays_well_formed():
    markup = highlight("abcdefghij", [_span(0, 6, 1), _span(3, 9, 2)])
    assert _marks(markup) == [("1", "abcdef"), ("2", "def"), ("2", "ghi")]
    assert markup.count("<mark") == markup.count("</mark>")


def test_each_line_is_numbered_and_a_span_over_a_line_break_continues_on_the_next_line():
    markup = highlight("one\ntwo three\nfour\n", [_span(4, 18, 1)], first_line=7)
    lines = parse(markup).find_all("span", class_="line")
    assert [(line.attrs["data-n"], line.text()) for line in lines] == [("7", "one"), ("8", "two three"), ("9", "four")]
    assert _marks(markup) == [("1", "two three"), ("1", "four")]


def test_markers_are_inserted_at_their_offset():
    markup = highlight("static {{ x }}", [], [Marker(7, "prefix-end", "◆ ends")])
    assert parse(markup).text() == "static ◆ ends{{ x }}"


def test_prompt_text_is_escaped_everywhere():
    text = '</pre><script>alert("x")</script><img src=x onerror=alert(1)> & done'
    markup = highlight(text, [Span(8, 16, "filler", '"><script>', "<b>", {"finding": 0})])
    assert "<script" not in markup and "<img" not in markup and "<b>" not in markup
    assert parse(markup).text() == text[:16] + "<b>" + text[16:]


def test_chart_labels_are_escaped_and_every_bar_shows_its_value():
    chart = svg.bars("c", [svg.Bar("<script>x</script>", 2.0, "$2.00/mo"), svg.Bar("b.txt", 1.0, "$1.00/mo")], "T", "D")
    assert "<script" not in chart
    values = [t.text() for t in parse(chart).find_all("text", class_="value")]
    assert values == ["$2.00/mo", "$1.00/mo"]
    widths = [float(r.attrs["width"]) for r in parse(chart).find_all("rect")]
    assert widths[0] == pytest.approx(2 * widths[1])


@pytest.mark.parametrize(
    ("lengths", "cap", "width"),
    [({100: 5, 900: 1}, 1088, 50), ({3: 1, 7: 2}, None, 1), ({12_000: 1}, 16_384, 1000)],
)
def test_bins_are_round_and_cover_the_cap(lengths, cap, width):
    assert bin_width(lengths, cap) == width


HOSTILE = """You are a helpful assistant. Always be helpful.
</pre><script>document.title = "owned"</script>
<img src="https://tracker.example/p.gif" onerror="alert(1)">
Answer the user's question about {{ topic }}.
"""


def test_a_hostile_prompt_cannot_put_markup_or_requests_in_the_page(cli, isolated_env):
    (isolated_env / "evil<b>.txt").write_text(HOSTILE, encoding="utf-8")
    result = cli("report", "evil<b>.txt", "--per-day", "100", "-o", "out.html")
    assert result.exit_code == 0, result.stderr
    page = (isolated_env / "out.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "evil<b>" not in page
    assert "&lt;script&gt;document.title" in page and "evil&lt;b&gt;.txt" in page
    links = [e.attrs[name] for e in parse(page).iter() for name in ("src", "href") if name in e.attrs]
    assert links and all(link.startswith("#") for link in links)  # the table of contents, nothing else


def test_dash_writes_the_page_to_stdout_and_nothing_else(cli, isolated_env):
    (isolated_env / "a.txt").write_text("Classify the message. Reply with one word.\n", encoding="utf-8")
    result = cli("report", "a.txt", "--per-day", "100", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    assert not (isolated_env / "report.html").exists()


def test_the_default_output_is_report_html_written_without_a_temp_file_left(cli, isolated_env):
    (isolated_env / "a.txt").write_text("Classify the message. Reply with one word.\n", encoding="utf-8")
    result = cli("report", "a.txt", "--per-day", "100")
    assert result.exit_code == 0 and "wrote report.html" in result.stderr
    assert sorted(p.name for p in isolated_env.iterdir() if p.suffix == ".html") == ["report.html"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.txt", "--per-day", "100", "-m", "gpt-9-imaginary"], "unknown model"),
        (["missing.txt", "--per-day", "100"], "missing.txt"),
        (["a.txt"], "no request volume"),
        (["a.txt", "--per-day", "100", "--split-at", "2026-11-01"], "--split-at needs --usage"),
        (["a.txt", "--per-day", "100", "--usage", "empty.jsonl"], "no usage records in empty.jsonl"),
        (["a.txt", "--per-day", "100", "-o", "no/such/dir/out.html"], "no/such/dir"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, isolated_env, args, message):
    (isolated_env / "a.txt").write_text("Classify the message. Reply with one word.\n", encoding="utf-8")
    (isolated_env / "empty.jsonl").write_text(json.dumps({"hello": "world"}) + "\n", encoding="utf-8")
    result = cli("report", *args)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert "Traceback" not in result.stderr and not (isolated_env / "report.html").exists()


def test_several_models_and_a_chat_file(cli, isolated_env):

    root = Path(__file__).resolve().parents[2]
    for source in (
        root / "sample_prompts" / "support_agent.txt",
        root / "tests" / "data" / "formats" / "anthropic.json",
    ):
        shutil.copy(source, isolated_env)
    files = ["support_agent.txt", "anthropic.json"]
    args = [*files, "--per-day", "5000", "-m", "gpt-4o", "-m", "claude-sonnet-4-5"]
    project = json.loads(cli("project", *args, "--format", "json").stdout)
    assert cli("report", *args, "-o", "page.html").exit_code == 0
    dom = parse((isolated_env / "page.html").read_text(encoding="utf-8"))
    cost = {(r["prompt"], r["model"]): r["monthly_cost"] for r in project["prompts"]}
    order = [(p, m) for p in files for m in ("gpt-4o", "claude-sonnet-4-5")]  # the dearer prompt first
    bars = dom.find_all("g", class_="bar")
    assert [(b.attrs["data-prompt"], b.attrs["data-model"], b.attrs["data-monthly-cost"]) for b in bars] == [
        (p, m, cost[p, m]) for p, m in order
    ]
    shown = [t.text() for b in bars[:2] for t in b.find_all("text")]
    assert shown[0] == files[0] and shown[1] == f"${Decimal(cost[order[0]]):,.2f}/mo · gpt-4o"
    assert shown[2:] == ["", f"${Decimal(cost[order[1]]):,.2f}/mo · claude-sonnet-4-5"]
    titles = [svg.find_all("title")[0].text() for svg in dom.find_all("svg", data_chart="waterfall")]
    assert titles == ["Savings by lever on gpt-4o", "Savings by lever on claude-sonnet-4-5"]
    chat = [a for a in dom.find_all("article") if a.attrs.get("data-path", "").endswith("anthropic.json")][0]
    labels = [d.text() for d in chat.find_all("div", class_="part-label")]
    assert labels[0].startswith("tools[0]") and any(label.startswith("messages[") for label in labels)


USAGE_DATA = Path(__file__).resolve().parents[1] / "data" / "usage"


def test_a_usage_log_with_an_unpriced_model_still_makes_the_page_and_says_so(cli, isolated_env):
    (isolated_env / "a.txt").write_text("Classify the message. Reply with one word.\n", encoding="utf-8")
    result = cli("report", "a.txt", "--per-day", "100", "--usage", str(USAGE_DATA / "handchecked.jsonl"))
    assert result.exit_code == 0
    assert "unknown model 'mystery-model-9'" in result.stderr
    page = parse((isolated_env / "report.html").read_text(encoding="utf-8"))
    assert "unknown model 'mystery-model-9'" in page.find_all("section", id="sources")[0].text()
    (spend,) = page.find_all(data_usage="cost")
    assert spend.attrs["data-value"] == "" and "?" in spend.text()  # as usage prints it: the total is unknown


def test_a_damaged_log_gives_the_page_of_what_was_read_and_exit_2(cli, isolated_env):
    (isolated_env / "a.txt").write_text("Classify the message. Reply with one word.\n", encoding="utf-8")
    result = cli("report", "a.txt", "--per-day", "100", "--usage", str(USAGE_DATA / "truncated.jsonl.gz"))
    assert result.exit_code == 2
    assert "truncated" in result.stderr and "wrote report.html" in result.stderr
    page = parse((isolated_env / "report.html").read_text(encoding="utf-8"))
    assert "truncated" in page.find_all("section", id="sources")[0].text()
    assert page.find_all("svg", id="chart-usage-cost")


def test_findings_in_a_one_line_json_file_are_highlighted_in_their_own_message(cli, isolated_env):
    request = {
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "You are a helpful assistant. Answer in French."},
            {"role": "user", "content": "Please note that the order is late. Where is it?"},
        ],
    }
    (isolated_env / "one.json").write_text(json.dumps(request), encoding="utf-8")
    assert cli("report", "one.json", "--per-day", "10").exit_code == 0
    page = parse((isolated_env / "report.html").read_text(encoding="utf-8"))
    # every character of a JSON string knows its file column, so each finding lands in its own message
    marks = [m.text() for m in page.find_all("mark") if "data-finding" in m.attrs]
    assert marks == ["You are a helpful assistant.", "Please note that"]


def test_findings_in_a_multi_line_chat_file_are_highlighted_in_their_message(cli, isolated_env):
    text = (
        "model: gpt-4o\nmessages:\n  - role: system\n    content: |\n      You are a helpful assistant.\n"
        "      Answer in French.\n  - role: user\n    content: Please note that the order is late.\n"
    )
    (isolated_env / "chat.yaml").write_text(text, encoding="utf-8")
    assert cli("report", "chat.yaml", "--per-day", "10").exit_code == 0
    page = parse((isolated_env / "report.html").read_text(encoding="utf-8"))
    marks = [m.text() for m in page.find_all("mark") if "data-finding" in m.attrs]
    assert marks == ["You are a helpful assistant.", "Please note that"]

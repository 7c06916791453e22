"""Placeholder syntax decided per file: what each syntax finds, what it leaves alone, and linear scans."""

from __future__ import annotations

import time

import pytest

from promptaudit.reading import templates
from promptaudit.reading.templates import DEFAULT, NONE, declared, for_extension, split, static_text, variables

JINJA, FORMAT, DOLLAR, ANGLE = (declared([s]) for s in ("jinja", "python-format", "dollar", "angle"))


def names(text: str, placeholders=DEFAULT) -> list[str]:
    return [v.name for v in variables(text, placeholders)]


@pytest.mark.parametrize(
    "text",
    [
        "Quote passages inside <quotes> tags; an unclosed <document> or <user_query> is structure. <...>",
        'Use <invoke name="x"> and <userStyle> as written.',
        "JSX: <Button onClick={save}>Save</Button>, style={{ marginTop: 8 }}, onSubmit={handleSubmit}",
        "Papa.parse(csv, { header: true, delimiter: ',' }) and {'a': 1}",
        r"Python named groups (?P<year>\d{4}) and JavaScript (?<month>\d{2}), \k<year>",
        'f"Hello {user.name}, {len(items)} items" and "{0}".format(x)',
        "Shell: $HOME, ${PATH}, $1 and $name stay text.",
        "Prose about {{ double braces }} in templates, and an unclosed {{ user.name or {% if admin",
        "A stray }} and a lone {{",
    ],
)
def test_the_default_finds_no_variable_in_structure_or_code(text):
    assert names(text) == []


def test_the_default_finds_jinja_and_mustache_outside_code():
    text = (
        "Hi {{ user.name | title }} from {{company}}.\n`{{ inline }}`\n```vue\n<p>{{ fenced }}</p>\n```\n{{{raw_html}}}"
    )
    assert names(text) == ["user.name", "company", "raw_html"]


def test_a_declared_syntax_applies_inside_code_too():
    text = "```text\n{{ document }}\n```\nUse `{{ audience }}` words."
    assert names(text) == [] and names(text, JINJA) == ["document", "audience"]
    assert for_extension("prompts/x.md.j2") == JINJA and for_extension("x.md") is None


def test_statements_sections_and_comments_are_not_variables_but_statements_are_dynamic():
    text = "{% if vip %}VIP{% endif %}{# note #}{{#tips}}- {{title}}{{/tips}}{{! comment }}{{^tips}}none{{/tips}}"
    segments = split(text, JINJA)
    assert [(s.kind, s.name) for s in segments if s.kind != templates.STATIC] == [
        ("logic", "if"), ("logic", "endif"), ("markup", None), ("logic", "tips"), ("variable", "title"),
        ("logic", "tips"), ("markup", None), ("logic", "tips"), ("logic", "tips"),
    ]  # fmt: skip
    assert not templates.is_static("A {% if x %}b{% endif %}") and templates.is_static("A {# just a note #}")
    assert static_text(text, JINJA) == "VIP- none" and templates.static_prefix("Rules. {% if x %}", JINJA) == "Rules. "


def test_names_the_template_binds_itself_are_not_inputs():
    text = (
        "{% set limit = 5 %}{{ limit }} {% for item, score in rows %}{{ loop.index }} {{ item.title }}{% endfor %}"
        "{% macro row(cell, width=3) %}{{ cell }}{% endmacro %}{{ rows_title }}"
    )
    assert names(text, JINJA) == ["rows_title"]


def test_raw_blocks_are_text():
    text = "{% raw %}{{ user.name }} {% for x in xs %}{% endraw %} {{ real }}"
    assert names(text, JINJA) == ["real"]
    assert static_text(text, JINJA) == "{{ user.name }} {% for x in xs %} "


def test_python_format_fields_and_escapes():
    text = 'Q: {question}\nToday {today:%Y-%m-%d}, {user!r:>10}, {a.b[0]}, {}, {}\nJSON: {{"k": "{value}"}}'
    assert names(text, FORMAT) == ["question", "today", "user", "a.b[0]", "0", "1", "value"]
    assert static_text("{{x}} {y}", FORMAT) == "{x} "
    assert names("f-string debug {value=} and {len(items)}", FORMAT) == ["value", "len(items)"]


def test_dollar_placeholders_and_the_escaped_dollar():
    assert names("$service ${started_at} costs $$120 and $5", DOLLAR) == ["service", "started_at"]
    assert static_text("$$120 for $x", DOLLAR) == "$120 for "


def test_angle_placeholders_skip_closed_tags_and_html():
    text = "Email <customer_name> about <order_id>.\n<guidelines>\nBe brief.\n</guidelines>\n<br> <agent_name>"
    assert names(text, ANGLE) == ["customer_name", "order_id", "agent_name"]


def test_none_finds_nothing_and_syntaxes_combine():
    assert names("{{ a }} {b} $c <d>", NONE) == []
    assert names("{{ a }} {b} $c <d>", declared(["jinja", "dollar"])) == ["a", "c"]
    assert declared(["none"]) == NONE and declared(["f-string"]) == FORMAT


def test_variables_know_their_line():
    from promptaudit.reading.prompts import Part

    part = Part("", "one\n{{ a }}\nthree {{ b }}", line=10)
    assert [(v.name, v.line) for v in part.variables] == [("a", 11), ("b", 12)]
    escaped = Part("", "one\n{{ a }}", line=4, lines_match=False)  # a JSON string on line 4
    assert [(v.name, v.line) for v in escaped.variables] == [("a", 4)]


@pytest.mark.parametrize(
    "text",
    ["{{ " * 10_000, "{{ " * 10_000 + "}}", "{% " * 10_000, "{" * 30_000, "{a" * 15_000, "```\n" * 10_000,
     "`" * 30_000, "<a>" * 10_000, "$a" * 15_000, "{}" * 15_000, "{{ a }}" * 5_000],
)  # fmt: skip
def test_scans_are_linear_on_hostile_text(text):
    every = declared(["jinja", "python-format", "dollar", "angle"])
    started = time.process_time()  # CPU time: a busy machine or pytest -n must not fail it
    for placeholders in (DEFAULT, every):
        templates._split.cache_clear()
        split(text, placeholders)
    assert time.process_time() - started < 2.0  # was about 20 s for 10,000 unclosed "{{ "


def test_a_reader_may_locate_variables_itself():
    from promptaudit.reading.prompts import Part

    text = 'Profile: {json.dumps({"a": 1})} at {date.today()}'  # f-string fields with nested braces
    part = Part("", text, variable_spans=((9, 31, "json.dumps(...)"), (35, 49, "date.today()")))
    assert [v.name for v in part.variables] == ["json.dumps(...)", "date.today()"] and not part.static
    assert [v.text for v in part.variables] == ['{json.dumps({"a": 1})}', "{date.today()}"]

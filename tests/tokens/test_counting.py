"""Counts as billed: tiktoken plus OpenAI's published chat framing, computed here independently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptaudit.money import cache_breakpoints
from promptaudit.money.prompt_costs import count_prompts
from promptaudit.reading.formats.variables import DEFAULT_VARIABLE_TOKENS, bind, parse_assignments
from promptaudit.reading.loading import load_prompts
from promptaudit.reading.sources import Source
from promptaudit.tokens.counting import measure, prompt_overhead, prompt_tokens
from promptaudit.tokens.vocab import load_encoding

DATA = Path(__file__).parents[1] / "data" / "formats"


@pytest.fixture(scope="module")
def enc():
    return load_encoding("o200k_base")


def n(enc, text: str) -> int:
    return len(enc.encode(text))


def cookbook(enc, messages: list[dict]) -> int:
    """openai-cookbook How_to_count_tokens_with_tiktoken: 3 per message, 1 per name, 3 to prime the reply."""
    total = 3
    for message in messages:
        total += 3
        for key, value in message.items():
            total += n(enc, value) + (1 if key == "name" else 0)
    return total


def load(name: str):
    return load_prompts(Source(str(DATA / name)))


OPEN_TRACE = """// Open a shipping trace for an order.
type open_trace = (_: {
// The order number
order_id: string,
}) => any;

"""
"""The fixture's one tool as OpenAI renders functions (written out by hand from the format)."""


def test_openai_chat_matches_the_published_rule_plus_the_rendered_tools(enc):
    from promptaudit.tokens import openai_tools

    (prompt,) = load("openai_chat.json")
    raw = json.loads((DATA / "openai_chat.json").read_text())
    namespace = n(enc, "namespace functions {\n\n") + n(enc, "} // namespace functions")
    tools = n(enc, OPEN_TRACE) + namespace + openai_tools.overhead("gpt-4o")
    (count,) = prompt_tokens([prompt], "gpt-4o")
    assert count.tokens == cookbook(enc, raw["messages"]) + tools
    assert (count.exact, count.method, count.approximations) == (False, "estimate", ("tools",))


def test_a_request_without_tools_is_exact(enc):
    (prompt,) = load("messages_list.json")
    (count,) = prompt_tokens([prompt], "gpt-4o")
    assert (count.exact, count.method, count.approximations) == (True, "exact", ())


def test_per_message_rows_match(enc):
    (prompt,) = load("openai_chat.json")
    raw = json.loads((DATA / "openai_chat.json").read_text())["messages"]
    (measured,) = measure([prompt], "gpt-4o")
    rows = [p for p in measured.parts if p.part.kind == "message"]
    for row, message in zip(rows, raw):
        assert row.total == cookbook(enc, [message]) - 3  # one message, without the request's reply priming
    assert measured.priming == 3


def test_overhead_is_framing_only(enc):
    (prompt,) = load("messages_list.json")
    expected = 3 + 2 * 3 + n(enc, "system") + n(enc, "user")
    assert prompt_overhead(prompt, "gpt-4o") == expected


def test_plain_text_has_no_overhead(enc):
    (prompt,) = load("plain.md")
    (count,) = prompt_tokens([prompt], "gpt-4o")
    assert count.tokens == n(enc, (DATA / "plain.md").read_text()) and prompt_overhead(prompt, "gpt-4o") == 0


def test_anthropic_gets_the_claude_frame_not_openai_framing():
    (prompt,) = load("anthropic.json")
    # ctok's v3 request frame (7), plus the estimated 3 per turn after the first (system, then 3 messages)
    assert prompt_overhead(prompt, "claude-sonnet-4-5") == 7 + 3 * 3
    assert prompt_overhead(prompt, "gpt-4o") == 0  # an Anthropic request priced on an OpenAI model: no framing
    (count,) = prompt_tokens([prompt], "claude-sonnet-4-5")
    assert (count.exact, count.method) == (False, "estimate")  # the per-turn framing is an estimate


def test_variables_from_values_and_defaults(enc):
    (prompt,) = load("template.j2")
    bind([prompt], parse_assignments(["question=Where is my parcel?"]), {"company": "Acme"})
    expected = (
        "You are a helpful assistant for Acme.\nOffer priority support.\nAnswer the question below in plain English.\n\n"
        "Question: Where is my parcel?\n"
    )
    (rendered,) = prompt_tokens([prompt], "gpt-4o", rendered=True)
    assert rendered.exact and rendered.tokens == n(enc, expected)
    (written,) = prompt_tokens([prompt], "gpt-4o")  # the primary count: the file as written
    assert written.exact and written.tokens == n(enc, (DATA / "template.j2").read_text())


def test_unset_variable_counts_as_a_labelled_default_in_the_rendered_estimate(enc):
    (prompt,) = load("template.j2")
    (rendered,) = prompt_tokens([prompt], "gpt-4o", rendered=True)
    static = (
        "You are a helpful assistant for .\nOffer priority support.\nAnswer the question below in plain English.\n\n"
    )
    static += "Question: \n"  # Jinja statements render to nothing; the text they guard is counted
    assert not rendered.exact and rendered.tokens == n(enc, static) + 2 * DEFAULT_VARIABLE_TOKENS
    (written,) = prompt_tokens([prompt], "gpt-4o")
    assert written.exact and written.tokens == n(enc, (DATA / "template.j2").read_text())


def test_var_flag_must_be_name_value():
    from promptaudit.errors import UsageError

    with pytest.raises(UsageError, match="name=value"):
        parse_assignments(["novalue"])


def test_static_prefix_in_cache_order():
    prompt = load("named.yaml")[0]
    assert prompt.static_prefix().startswith("Classify the ticket")
    assert prompt.static_prefix().endswith("one word.\n")
    (chat,) = load("anthropic.json")
    assert chat.static_prefix().startswith('{"name":"get_weather"') and chat.static_prefix_parts() == chat.parts


def test_breakpoints_report_their_blocks():
    (prompt,) = load("anthropic.json")
    found = cache_breakpoints.breakpoints(prompt, "claude-sonnet-4-5")
    assert [bp.blocks for bp in found] == [
        ("tools[0] get_weather",),
        ("system[0]", "system[1]"),
        ("messages[0]", "messages[1].content[0] (tool_use)", "messages[2].content[0] (tool_result)",
         "messages[2].content[1]"),
    ]  # fmt: skip
    assert [bp.ttl for bp in found] == ["5m", "1h", "5m"]
    assert found[0].prefix_tokens < found[1].prefix_tokens < found[2].prefix_tokens
    assert all(bp.below_minimum for bp in found)


def test_too_many_breakpoints_and_short_prefix_are_flagged():
    (prompt,) = load("anthropic_five_breakpoints.yaml")
    notes = cache_breakpoints.notes(prompt, cache_breakpoints.analysis_model(prompt, ["gpt-4o"]))
    assert any("5 cache breakpoints: Anthropic allows at most 4" in note for note in notes)
    assert any("under claude-haiku-4-5's minimum of 4,096" in note for note in notes)


def test_count_prompts_detail_notes():
    prompts = load("anthropic.json") + load("template.j2")
    results = count_prompts(prompts, ["gpt-4o"], detail=True)
    assert any("cache breakpoint 3" in note for note in results[0].notes)
    assert any("no value for company, question" in note for note in results[1].notes)
    assert "parts" in results[0].to_json(detail=True)["counts"][0]
    assert "parts" not in results[0].to_json()["counts"][0]


FIXTURES = sorted(p.name for p in DATA.iterdir() if p.is_file())


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_passes_through_count(cli, name):
    result = cli("count", str(DATA / name), "--detail", "-m", "gpt-4o", "-m", "claude-sonnet-4-5")
    assert result.exit_code == 0, result.stderr
    assert "Token count" in result.stdout


def test_count_detail_json_rows(cli, enc):
    result = cli("count", str(DATA / "messages_list.json"), "--detail", "--format", "json")
    parts = json.loads(result.stdout)["files"][0]["counts"][0]["parts"]
    assert [(p["tokens"], p["framing"]) for p in parts] == [
        (n(enc, "You translate English to French."), 3 + n(enc, "system")),
        (n(enc, "Good morning"), 3 + n(enc, "user")),
    ]


def test_count_var_flag(cli, enc):
    result = cli("count", str(DATA / "named.yaml"), "--var", "ticket=Refund please", "--format", "json")
    classify = json.loads(result.stdout)["files"][0]["counts"][0]
    system = "Classify the ticket as billing, shipping or other. Reply with one word."
    expected = cookbook(enc, [{"role": "system", "content": system}, {"role": "user", "content": "Refund please"}])
    assert classify["rendered_exact"] and classify["rendered_tokens"] == expected
    written = cookbook(enc, [{"role": "system", "content": system}, {"role": "user", "content": "{{ ticket }}"}])
    assert classify["exact"] and classify["tokens"] == written

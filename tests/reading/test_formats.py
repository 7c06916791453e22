"""Structured prompt files: what each format parses into, where each part sits, and hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from promptaudit.errors import InputError
from promptaudit.reading.loading import load_prompts
from promptaudit.reading.sources import Source

DATA = Path(__file__).parents[1] / "data" / "formats"
HOSTILE = DATA / "hostile"


def load(name: str) -> list:
    return load_prompts(Source(str(DATA / name)))


def line_of(name: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in a fixture (found independently)."""
    for number, line in enumerate((DATA / name).read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {name}")


def test_openai_chat_json():
    (prompt,) = load("openai_chat.json")
    assert (prompt.kind, prompt.provider_format, prompt.model, prompt.max_tokens) == ("chat", "openai", "gpt-4o", 300)
    assert [p.kind for p in prompt.parts] == ["tool", "message", "message", "message", "message"]
    assert [p.role for p in prompt.parts[1:]] == ["system", "user", "assistant", "user"]
    assert [p.author for p in prompt.parts[1:]] == [None, "example_user", "example_assistant", None]
    assert prompt.messages == 4
    assert prompt.tools[0].label == "tools[0] open_trace"


def test_json_parts_report_their_line():
    (prompt,) = load("openai_chat.json")
    assert prompt.parts[2].line == line_of("openai_chat.json", "My order #1042")
    assert prompt.parts[4].line == line_of("openai_chat.json", "open a trace.")
    assert prompt.tools[0].line == line_of("openai_chat.json", '"tools"') + 1  # the tool's opening brace


def test_openai_content_parts_yaml():
    (prompt,) = load("openai_parts.yaml")
    labels = [p.label for p in prompt.parts]
    assert labels[0] == "functions[0] lookup_city"
    assert "messages[1].content[0]" in labels and "messages[2].tool_calls[0]" in labels
    developer = next(p for p in prompt.parts if p.role == "developer")
    assert developer.line == line_of("openai_parts.yaml", "Extract the city")  # block scalar: text starts below `|`
    assert developer.text.startswith("Extract the city")
    assert any("image_url blocks are not counted" in n for n in prompt.notes)
    assert prompt.provider_format == "openai"


def test_anthropic_request_in_cache_order():
    (prompt,) = load("anthropic.json")
    assert prompt.provider_format == "anthropic" and prompt.max_tokens == 1024
    assert [p.kind for p in prompt.parts[:3]] == ["tool", "system", "system"]
    assert [p.cache_breakpoint for p in prompt.parts] == ["5m", None, "1h", None, None, None, "5m"]
    tool_use = prompt.parts[4]
    assert tool_use.label == "messages[1].content[0] (tool_use)" and '"Paris, FR"' in tool_use.text
    assert prompt.parts[5].text == "18 degrees C, light rain"
    assert prompt.parts[6].line == line_of("anthropic.json", "And tomorrow?")


def test_named_prompts_are_each_reported():
    prompts = load("named.yaml")
    assert [p.display for p in prompts] == [f"{DATA / 'named.yaml'}#{n}" for n in ("classify", "summarise", "greet")]
    classify, summarise, greet = prompts
    assert (classify.kind, classify.max_tokens) == ("chat", 5)
    # `{text}` and `$name` are placeholders only where the config declares python-format or dollar
    assert summarise.kind == "text" and summarise.parts[0].line == line_of("named.yaml", "Summarise the")
    assert (greet.kind, greet.model) == ("text", "gpt-4o-mini")
    assert [(v.name, v.line) for v in classify.variables] == [("ticket", line_of("named.yaml", "{{ ticket }}"))]


def test_bare_message_list():
    (prompt,) = load("messages_list.json")
    assert prompt.kind == "chat" and prompt.messages == 2


def test_other_json_is_text_with_the_reason():
    (prompt,) = load("not_a_prompt.json")
    assert prompt.kind == "text" and "acme-widget" in prompt.text
    assert prompt.unparsed.startswith("line 1, column 1: not a prompt document")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("billion_laughs.yaml", "line 1, column 1: expands to more than"),
        ("duplicate_key.json", "line 3, column 5: duplicate key 'content'"),
        ("duplicate_key.yaml", "line 4, column 5: duplicate key 'content'"),
        ("invalid.json", "line 1, column 57: invalid JSON: Invalid control character at"),
    ],
)
def test_files_that_do_not_parse_are_counted_as_text_with_the_place(name, expected):
    path = str(HOSTILE / name)
    (prompt,) = load_prompts(Source(path))
    assert (prompt.kind, prompt.parts[0].text) == ("text", (HOSTILE / name).read_text())
    assert prompt.unparsed.startswith(expected), prompt.unparsed


def test_code_running_tags_are_never_run_and_the_raw_text_is_counted(tmp_path):
    text = "prompt: !!python/object/apply:os.system ['touch pwned']\n"
    (tmp_path / "tag.yaml").write_text(text)
    (prompt,) = load_prompts(Source(str(tmp_path / "tag.yaml")))
    assert prompt.parts[0].text == text and "line 1, column 9" in prompt.unparsed
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wrong_content_type.json", "line 4: messages[1].content: expected a string or a list of content parts"),
        ("message_not_mapping.yaml", "line 4: messages[1]: expected a message mapping"),
        ("unknown_role.yaml", "line 2: messages[0].role: unknown role 'wizard'"),
        ("messages_not_list.json", "line 1: messages: expected a list of messages, got a string"),
        ("bad_cache_control.yaml", "line 4: system[0].cache_control: expected {type: ephemeral}"),
        ("negative_max_tokens.yaml", "line 1: max_tokens: expected a positive whole number up to 10,000,000, got -5"),
    ],
)
def test_invalid_values_name_the_file_and_place(name, expected):
    path = str(HOSTILE / name)
    with pytest.raises(InputError) as caught:
        load_prompts(Source(path))
    assert caught.value.path == path
    assert expected in caught.value.reason


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".json", "[" * 5000 + "]" * 5000),
        (".json", '{"a":' * 100 + "1" + "}" * 100),
        (".yaml", "a:\n" + "".join(" " * i + "- \n" for i in range(1, 200))),
        (".yaml", "[" * 5000 + "]" * 5000),
    ],
)
def test_deep_nesting_is_never_walked_and_the_raw_text_is_counted(tmp_path, suffix, text):
    path = tmp_path / f"deep{suffix}"
    path.write_text(text)
    (prompt,) = load_prompts(Source(str(path)))
    assert prompt.parts[0].text == text
    assert re.search(r"^line \d+, column \d+: .*(nested deeper than|maximum nesting depth)", prompt.unparsed)


def test_huge_structured_file_is_not_parsed(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"messages": [{"role": "user", "content": "' + "x" * (6 * 1024 * 1024) + '"}]}')
    (prompt,) = load_prompts(Source(str(path)))
    assert "too large to read as a document" in prompt.unparsed


def test_count_reports_bad_files_and_keeps_going(cli):
    good = str(DATA / "openai_chat.json")
    bad = [str(HOSTILE / n) for n in ("billion_laughs.yaml", "duplicate_key.json", "wrong_content_type.json")]
    result = cli("count", bad[0], good, *bad[1:], "--format", "json")
    assert result.exit_code == 2
    assert '"path": "' + good in result.stdout
    for path in bad:
        assert f"{path}: " in result.stderr
    assert "Traceback" not in result.stderr


RESPONSES = """{
  "model": "gpt-4.1-mini",
  "instructions": "Answer in one sentence.",
  "input": [
    {"role": "user", "content": [{"type": "input_text", "text": "Where is my order?"}]},
    {"type": "function_call", "name": "track", "arguments": "{\\"id\\": 7}", "call_id": "c1"},
    {"type": "function_call_output", "call_id": "c1", "output": "in transit"}
  ],
  "tools": [{"type": "function", "name": "track", "parameters": {"type": "object", "properties": {}}}],
  "max_output_tokens": 60
}"""


def test_an_openai_responses_request_is_a_chat_request_at_its_model(tmp_path):
    path = tmp_path / "responses.json"
    path.write_text(RESPONSES, encoding="utf-8")
    (prompt,) = load_prompts(Source(str(path)))
    assert (prompt.kind, prompt.provider_format, prompt.model, prompt.max_tokens) == (
        "chat",
        "openai",
        "gpt-4.1-mini",
        60,
    )
    assert [(p.kind, p.role, p.text) for p in prompt.parts[1:]] == [
        ("message", "developer", "Answer in one sentence."),
        ("message", "user", "Where is my order?"),
        ("message", "assistant", '{"name":"track","arguments":"{\\"id\\": 7}"}'),
        ("message", "tool", "in transit"),
    ]
    assert prompt.parts[0].kind == "tool" and prompt.messages == 4


def test_a_responses_request_with_text_input_needs_a_model_to_be_one(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"model": "gpt-4o", "input": "Hello"}', encoding="utf-8")
    assert load_prompts(Source(str(path)))[0].kind == "chat"
    path.write_text('{"input": "Hello"}', encoding="utf-8")
    assert load_prompts(Source(str(path)))[0].kind == "text"  # a named prompt called "input", not a request


def test_named_prompts_keep_each_ones_model():
    prompts = load_prompts(Source(str(Path(__file__).parents[1] / "data" / "formats" / "named.yaml")))
    assert {p.name: p.model for p in prompts} == {"classify": "gpt-4o", "summarise": None, "greet": "gpt-4o-mini"}

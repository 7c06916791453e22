"""Structured documents shaped like prompts but holding bad values: one InputError naming the path.

These are issue 11's "odd values" and "values JSON cannot encode" classes (they raised StopIteration,
TypeError or ValueError tracebacks before), YAML merge keys (refused before), huge numbers, lone
surrogates, and large files of named prompts (quadratic before).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from promptaudit.errors import InputError
from promptaudit.reading.loading import load_prompts
from promptaudit.reading.sources import Source


def load(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_prompts(Source(str(path)))


BAD_VALUES = [
        ("bool_key.yaml", "greet: Say hi.\nno: Say no politely.\n",
         "line 2: a prompt name must be a string, got a boolean False (quote it)"),
        ("null_key.yaml", "~: Say hi.\n", "line 1: a prompt name must be a string, got null None (quote it)"),
        ("no_role.yaml", "messages:\n  - content: hi\n", "line 2: messages[0]: 'role' is missing"),
        ("no_role.json", '{"messages": [{"role": "user", "content": "a"}, {"content": "b"}]}',
         "line 1: messages[1]: 'role' is missing"),
        ("no_text.yaml", "messages:\n  - role: user\n    content:\n      - type: text\n",
         "line 4: messages[0].content[0]: 'text' is missing"),
        ("no_system_text.json", '{"system": [{"type": "text"}], "messages": []}', "system[0]: 'text' is missing"),
        ("function_call.json", '{"messages": [{"role": "assistant", "function_call": "get_weather"}]}',
         "messages[0].function_call: expected a mapping {name: ..., arguments: ...}, got a string"),
        ("date.yaml", "tools:\n  - name: book\n    input_schema:\n      properties:\n        day: {default: 2024-05-01}\n",
         "line 5: tools[0].input_schema.properties.day.default: a date is not JSON (quote it"),
        ("set.yaml", "tools:\n  - name: t\n    input_schema: {enum: !!set {a, b}}\n",
         "tools[0].input_schema.enum: a set (!!set) is not JSON"),
        ("binary.yaml", "messages:\n  - role: assistant\n    content:\n      - type: tool_use\n"
                        "        name: upload\n        input: {data: !!binary aGVsbG8=}\n",
         "messages[0].content[0].input.data: binary data (!!binary) is not JSON"),
        ("int_key.yaml", "tools:\n  - name: t\n    input_schema: {1: x}\n",
         "tools[0].input_schema: a key must be a string, got a number 1 (quote it)"),
        ("nan.yaml", "tools:\n  - name: t\n    input_schema: {maximum: .inf}\n",
         "tools[0].input_schema.maximum: a number too large or not finite is not valid JSON"),
        ("digits100.json", '{"max_tokens": ' + "9" * 100 + ', "messages": [{"role": "user", "content": "hi"}]}',
         "max_tokens: expected a positive whole number up to 10,000,000, got a 100-digit number"),
        ("digits5000.json", '{"max_tokens": ' + "9" * 5000 + ', "messages": [{"role": "user", "content": "hi"}]}',
         "max_tokens: expected a positive whole number, got a number too large or not finite"),
        ("digits5000.yaml", "max_tokens: " + "9" * 5000 + "\nmessages: [{role: user, content: hi}]\n",
         "max_tokens: expected a positive whole number, got a number too large or not finite"),
        ("surrogate_role.json", '{"messages": [{"role": "\\ud800", "content": "hi"}]}',
         "messages[0].role: not valid Unicode text (a lone surrogate '\\ud800' at character 1)"),
        ("surrogate_text.json", '{"messages": [{"role": "user", "content": "caf\\udce9"}]}',
         "messages[0].content: not valid Unicode text"),
        ("bad_format.yaml", "template: Hi {name}\ntemplate_format: f-strung\n",
         "line 2: template_format: unknown 'f-strung'"),
        ("bad_model.yaml", "model: [gpt-4o]\nprompt: Hi\n", "line 1: model: expected a model name, got a list"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "reason"), BAD_VALUES)
def test_bad_values_are_one_error_naming_the_path(tmp_path, name, text, reason):
    with pytest.raises(InputError) as caught:
        load(tmp_path, name, text)
    assert reason in caught.value.reason, caught.value.reason


def test_merge_keys_are_valid_yaml(tmp_path):
    text = "base: &base {model: gpt-4o, max_tokens: 50, prompt: Base.}\nreply:\n  <<: *base\n  max_tokens: 80\n  prompt: Reply.\n"
    base, reply = load(tmp_path, "merge.yaml", text)
    assert (reply.name, reply.model, reply.max_tokens, reply.text) == ("reply", "gpt-4o", 80, "Reply.")
    assert base.unparsed is None


def test_a_langchain_prompt_file_declares_its_own_syntax(tmp_path):
    text = "_type: prompt\ninput_variables: [question]\ntemplate_format: f-string\ntemplate: |\n  Q: {question}\n"
    (prompt,) = load(tmp_path, "qa.yaml", text)
    assert [(v.name, v.line) for v in prompt.variables] == [("question", 5)]
    (jinja,) = load(tmp_path, "qa2.yaml", "template_format: jinja2\ntemplate: 'Q: {{ question }} {other}'\n")
    assert [v.name for v in jinja.variables] == ["question"]


def test_tools_only_files_and_bare_tool_lists_are_requests(tmp_path):
    tool = '{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}'
    (wrapped,) = load(tmp_path, "tools.json", '{"tools": [' + tool + "]}")
    (bare,) = load(tmp_path, "list.json", "[" + tool + "]")
    for prompt in (wrapped, bare):
        assert (prompt.kind, [p.kind for p in prompt.parts], prompt.unparsed) == ("chat", ["tool"], None)


@pytest.mark.slow  # 20,000 prompts
def test_a_large_file_of_named_prompts_reads_in_linear_time(tmp_path):
    text = "".join(f"p{i}: Say hello number {i} politely.\n" for i in range(20_000))
    started = time.process_time()  # CPU time: a busy machine or pytest -n must not fail it
    prompts = load(tmp_path, "many.yaml", text)
    assert len(prompts) == 20_000 and prompts[-1].parts[0].line == 20_000
    assert time.process_time() - started < 20  # about 1.3 s; it grew with the square of the size before


def test_a_braces_bomb_in_a_yaml_prompt_is_counted_as_written(tmp_path):
    text = 'prompt: "' + "{{ " * 10_000 + "{" * 50_000 + '"\n'
    started = time.process_time()  # CPU time: a busy machine or pytest -n must not fail it
    (prompt,) = load(tmp_path, "bomb.yaml", text)
    assert prompt.variables == [] and prompt.parts[0].static
    assert time.process_time() - started < 5


def test_the_installed_script_says_one_line_per_bad_file_and_counts_the_rest(tmp_path):
    """Every class above through the console script in a subprocess: exit 2, one line each, no traceback."""
    for name, text, _ in BAD_VALUES:
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "good.yaml").write_text("base: &b {prompt: Base.}\nreply: {<<: *b, prompt: Reply.}\n")
    (tmp_path / "dump.json").write_text('{"tools": []}\ntrailing text\n')
    script = Path(sys.executable).parent / "promptaudit"
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [str(script), "count", str(tmp_path), "--format", "json"], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("promptaudit: error: ")]
    assert len(errors) == len(BAD_VALUES)
    for name, _, reason in BAD_VALUES:
        assert any(line.startswith(f"promptaudit: error: {tmp_path / name}: ") and reason in line for line in errors)
    counted = {entry["path"] for entry in json.loads(done.stdout)["files"]}
    assert counted == {f"{tmp_path / 'good.yaml'}#base", f"{tmp_path / 'good.yaml'}#reply", str(tmp_path / "dump.json")}
    assert f"promptaudit: warning: {tmp_path / 'dump.json'}: line 2, column 1: invalid JSON: Extra data" in done.stderr


def test_a_bare_tool_list_keeps_each_tool_s_line(tmp_path):
    text = '[\n  {"name": "a", "input_schema": {}},\n  {"name": "b",\n   "input_schema": {}}\n]\n'
    (prompt,) = load(tmp_path, "tools.json", text)
    assert [(p.label, p.line) for p in prompt.parts] == [("tools[0] a", 2), ("tools[1] b", 3)]

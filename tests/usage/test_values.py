"""Hostile values in usage records (issue 11's classes): refused with a reason, counted, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from promptaudit.usage.records.values import BadValue, model_name, tokens

CHAT = {
    "object": "chat.completion",
    "model": "gpt-4o-2024-08-06",
    "usage": {"prompt_tokens": 100, "completion_tokens": 10},
}


@pytest.mark.parametrize("value, expected", [(None, 0), (0, 0), (12, 12), (12.0, 12), ("12", 12), (10**9, 10**9)])
def test_token_counts_accepted(value, expected):
    assert tokens(value, "f") == expected


@pytest.mark.parametrize(
    "value, why",
    [
        (-1, "is negative"),
        (1e300, "is beyond"),
        (float("inf"), "not a whole number"),
        (float("nan"), "not a whole number"),
        (10**40, "is beyond"),
        (12.5, "not a whole number"),
        (True, "not a whole number"),
        ("-3", "not a whole number"),
        ("12 ", "not a whole number"),
        ("٣", "not a whole number"),
        ([1], "not a whole number"),
    ],
)
def test_token_counts_refused(value, why):
    with pytest.raises(BadValue, match=why):
        tokens(value, "f")


@pytest.mark.parametrize("value", [5, ["gpt-4o"], {"id": "gpt-4o"}, True, "x" * 201])
def test_model_names_must_be_strings(value):
    with pytest.raises(BadValue):
        model_name(value)


def _line(**changes) -> str:
    record = json.loads(json.dumps(CHAT))
    for key, value in changes.items():
        if key == "model":
            record["model"] = value
        else:
            record["usage"][key] = value
    return json.dumps(record)


HOSTILE_LINES = [
    _line(model=5),
    _line(model=["gpt-4o"]),
    _line(model={"name": "gpt-4o"}),
    _line(model=True),
    _line(prompt_tokens=-100),
    _line(prompt_tokens=10**40),
    '{"object": "chat.completion", "model": "gpt-4o", "usage": {"prompt_tokens": 1e300, "completion_tokens": 1}}',
    '{"object": "chat.completion", "model": "gpt-4o", "usage": {"prompt_tokens": 1e400, "completion_tokens": 1}}',
    '{"object": "chat.completion", "model": "gpt-4o", "usage": {"prompt_tokens": Infinity, "completion_tokens": 1}}',
    json.dumps({"type": "message", "model": "claude-sonnet-4-5", "usage": {"input_tokens": -50, "output_tokens": 1}}),
    json.dumps({**CHAT, "usage": {"prompt_tokens": 100, "prompt_tokens_details": {"cached_tokens": 1000}}}),
]


@pytest.mark.parametrize("line", HOSTILE_LINES)
def test_a_hostile_record_is_refused_and_the_rest_counted(cli, tmp_path, line):
    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps(CHAT) + "\n" + line + "\n")
    result = cli("usage", str(log), "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["total"]["requests"] == 1 and doc["refused_records"] == 1
    assert doc["total"]["cache_hit_rate"] <= 1 and not doc["total"]["cost"].startswith("-")
    assert "refused for values no provider writes" in result.stderr and "log.jsonl:2" in result.stderr


def test_until_the_last_day_there_is(cli, tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps({**CHAT, "created": 1793520000}) + "\n")
    result = cli("usage", str(log), "--until", "9999-12-31", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["total"]["requests"] == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_hanging(cli, tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    result = cli("usage", str(fifo))
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def _console_script() -> str:
    found = shutil.which("promptaudit", path=os.path.dirname(sys.executable))
    if found is None:
        pytest.skip("console script not installed")
    return found


def test_installed_script_refuses_hostile_records_cleanly(tmp_path):
    log = tmp_path / "hostile.jsonl"
    log.write_text("\n".join([json.dumps(CHAT), *HOSTILE_LINES]) + "\n")
    env = dict(os.environ)
    done = subprocess.run(
        [_console_script(), "usage", str(log), "--format", "json"], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout)["refused_records"] == len(HOSTILE_LINES)

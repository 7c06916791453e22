"""Bad arguments, huge texts, slow commands, garbage on the wire and a client that goes away: a clear error or a
clean exit, never a crash or a hang (every test runs under a deadline)."""

from __future__ import annotations

import json
import os
import random
import select
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import SCRIPT, calls, document, error_text, run_async

pytest.importorskip("mcp")

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}},
}


BAD_CALLS = [
    ("count_tokens", {"text": 5}, "Input should be a valid string"),
    ("count_tokens", {"paths": "sample_prompts"}, "Input should be a valid list"),
    ("count_tokens", {}, "give either paths"),
    ("count_tokens", {"paths": ["sample_prompts"], "text": "hi"}, "give either paths"),
    ("count_tokens", {"paths": []}, "paths is empty"),
    ("count_tokens", {"paths": ["-"]}, "pass the prompt itself as text"),
    ("count_tokens", {"paths": ["a\x00b"]}, "cannot contain a NUL"),
    ("count_tokens", {"paths": ["no/such.txt"]}, "no/such.txt: no such file or directory"),
    ("count_tokens", {"text": "hi", "models": ["gpt-9-imaginary"]}, "unknown model 'gpt-9-imaginary'"),
    ("count_tokens", {"text": "hi", "vars": {"a=b": "c"}}, "is not a usable name"),
    ("count_tokens", {"text": ""}, "empty"),
    ("project_cost", {"text": "hi", "per_day": "lots"}, "Input should be a valid number"),
    ("project_cost", {"text": "hi", "per_day": -5}, "--per-day must be greater than zero, got -5"),
    ("project_cost", {"text": "hi"}, "no request volume"),
    ("project_cost", {"text": "hi", "per_day": 10, "cache_hit_rate": 1.5}, "--cache-hit-rate"),
    ("audit_prompt", {"text": "hi", "model": "nope"}, "unknown model 'nope'"),
    ("list_models", {"provider": "acme"}, "no models for provider 'acme'"),
    ("usage_summary", {"logs": ["sample_prompts/classifier.txt"]}, "no token columns recognised"),
    ("usage_summary", {"logs": ["logs/handchecked.jsonl"], "since": "yesterday-ish"}, "--since"),
    ("diff_cost", {"base": "HEAD"}, "git"),
    ("no_such_tool", {}, "Unknown tool"),
]
"""(tool, arguments, what the error says): one server answers them all, in one session."""


def test_bad_arguments_are_tool_errors_and_the_session_goes_on(connect, workspace):
    *bad, good = calls(connect, workspace, [(t, a) for t, a, _ in BAD_CALLS] + [("count_tokens", {"text": "Say hi."})])

    wrong = [
        (tool, arguments, result.content[0].text)
        for (tool, arguments, message), result in zip(BAD_CALLS, bad)
        if not result.isError or message not in result.content[0].text or "Traceback" in result.content[0].text
    ]
    assert wrong == []
    assert document(good)["files"][0]["counts"][0]["tokens"] == 3


def test_a_huge_text_is_refused_before_anything_runs(connect, workspace):
    started = time.monotonic()
    [result] = calls(connect, workspace, [("count_tokens", {"text": "word " * 1_000_000})])

    assert "text is 5,000,000 bytes; the most is 4,194,304" in error_text(result)
    assert time.monotonic() - started < 60


@pytest.fixture(scope="module")
def big_prompt(tmp_path_factory) -> Path:
    """16 MB of varied words: several seconds of counting on any machine."""
    rng = random.Random(28)
    words = "the quick brown fox jumps over a lazy dog while the model answers the user".split()
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text(" ".join(f"{rng.choice(words)}{rng.randrange(100000)}" for _ in range(1_600_000)), encoding="utf-8")
    return path


def counting_children(workspace: Path) -> list[int]:
    """promptaudit processes running in the workspace (the server's commands), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if entry.name.isdigit() and os.readlink(entry / "cwd") == str(workspace) and b"promptaudit" in command:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


needs_proc = pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs /proc")


@needs_proc
def test_a_slow_command_times_out_and_is_killed(connect, workspace, big_prompt):
    (workspace / "big.txt").symlink_to(big_prompt)  # outside the root: allowed only as a root of its own
    started = time.monotonic()

    async def session():
        async with connect(workspace, roots=[workspace, big_prompt.parent], args=("--timeout", "1")) as client:
            return await client.call_tool("count_tokens", {"paths": [str(big_prompt)]})

    result = run_async(session)

    assert "promptaudit count took longer than 1 s and was stopped" in error_text(result)
    assert time.monotonic() - started < 60
    assert counting_children(big_prompt.parent) == []


class RawServer:
    """``promptaudit mcp`` on plain pipes: what a client that misbehaves (or disappears) looks like."""

    def __init__(self, cwd: Path, env: dict):
        self.process = subprocess.Popen(
            [str(SCRIPT), "mcp"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def send(self, message) -> None:
        line = message if isinstance(message, bytes) else json.dumps(message).encode()
        self.process.stdin.write(line + b"\n")
        self.process.stdin.flush()

    def receive(self, timeout: float = 60) -> dict:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        assert ready, "no answer from the server"
        return json.loads(self.process.stdout.readline())

    def close_and_wait(self, timeout: float = 30) -> int:
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("the server hung after its client went away")


def test_garbage_on_the_wire_gets_a_protocol_error_and_the_server_keeps_serving(workspace, server_env):
    server = RawServer(workspace, server_env)
    server.send(INITIALIZE)
    assert server.receive()["result"]["serverInfo"]["name"] == "promptaudit"
    server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    server.send(b"this is not JSON")
    server.send({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "count_tokens"}})
    server.send({"jsonrpc": "2.0", "id": 8, "method": "no/such/method"})
    server.send(
        {
            "jsonrpc": "2.0",
            "id": 9,
            "method": "tools/call",
            "params": {"name": "count_tokens", "arguments": {"text": "Hi."}},
        }
    )

    answers = {}
    while 9 not in answers:
        message = server.receive()
        answers[message.get("id")] = message
    assert answers[8]["error"]["code"] in (-32601, -32602)  # a protocol-level error (the SDK says invalid params)
    assert answers[7].get("error") or answers[7]["result"]["isError"]
    assert json.loads(answers[9]["result"]["content"][0]["text"])["files"][0]["counts"][0]["tokens"] == 2
    assert server.close_and_wait() == 0


@needs_proc
def test_a_client_that_disconnects_mid_call_leaves_no_process_behind(workspace, server_env, big_prompt):
    (workspace / "big.txt").write_bytes(big_prompt.read_bytes())
    server = RawServer(workspace, server_env)
    server.send(INITIALIZE)
    server.receive()
    server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    server.send(
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "count_tokens", "arguments": {"paths": ["big.txt"]}},
        }
    )
    deadline = time.monotonic() + 60
    while not counting_children(workspace) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert counting_children(workspace), "the command never started"

    started = time.monotonic()
    assert server.close_and_wait() == 0
    assert time.monotonic() - started < 30
    assert counting_children(workspace) == []
    assert b"Traceback" not in server.process.stderr.read()


def test_the_server_opens_no_socket(connect, workspace, network_attempts):
    results = calls(connect, workspace, [("count_tokens", {"paths": ["sample_prompts"]}), ("list_models", {})])

    assert all(not result.isError for result in results)
    assert network_attempts() == ""

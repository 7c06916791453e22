"""The labelled corpus (tests/data/corpus): real-looking prompts, labels written by reading them.

For every file, ``count`` must equal an independent tiktoken count of the text as a caller sends it
(``encode_ordinary``, OpenAI's cookbook framing for chat requests, compact JSON for Anthropic tools, OpenAI
functions in the rendering tests/tokens/test_tool_billing.py measures), and the
variables it reports must equal the labels exactly: no false variables, none missed. Files that are
not prompt documents are counted as text with one warning naming the line and column. The same is
checked through the installed console script in a subprocess, on a cold cache.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
PROMPTS = CORPUS / "prompts"
CONFIG = PROMPTS / ".promptaudit.yaml"
LABELS = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))["files"]
SCRIPT = Path(sys.executable).parent / "promptaudit"
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF8, "utf-8-sig")]  # fmt: skip


def caller_text(relative: str) -> str:
    """The file's text as an editor shows it (and a caller sends it): BOM-aware, line endings kept."""
    data = (PROMPTS / relative).read_bytes()
    codec = next((c for bom, c in _BOMS if data.startswith(bom)), "utf-8")
    return codecs.decode(data, codec)


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _block_texts(content) -> list[str]:
    if isinstance(content, str):
        return [content] if content else []
    return [block["text"] for block in content]


def _tools(request, bare_list: bool = False) -> list[str]:
    tools = request if bare_list else request.get("tools", []) if isinstance(request, dict) else []
    return [_compact({k: v for k, v in tool.items() if k != "cache_control"}) for tool in tools]


def _tool_tokens(texts: list[str], n, openai: bool) -> int:
    """Tools as counted: Anthropic's as compact JSON; OpenAI functions in promptaudit's rendering of OpenAI's
    billed format (an approximation, measured against real bills in tests/tokens/test_tool_billing.py)."""
    from promptaudit.tokens import openai_tools

    if not openai or not texts:
        return sum(n(t) for t in texts)
    rendered = sum(n(openai_tools.render_json(t) or t) for t in texts)
    namespace = n(openai_tools.NAMESPACE_OPEN) + n(openai_tools.NAMESPACE_CLOSE)
    return rendered + namespace + openai_tools.overhead("gpt-4o")


def expected_counts(relative: str, label: dict, enc) -> dict[str, int]:
    """Display name -> tokens, computed from the file with tiktoken alone (no promptaudit code)."""
    text, path = caller_text(relative), str(PROMPTS / relative)
    n = lambda s: len(enc.encode_ordinary(s))  # noqa: E731
    if label["handling"] != "structured":
        return {path: n(text)}
    data = json.loads(text) if relative.endswith(".json") else yaml.safe_load(text)
    if label["format"] == "text":
        if isinstance(data, dict) and ("template" in data or "prompt" in data):
            return {path: n(data.get("template", data.get("prompt")))}
        return {f"{path}#{k}": n(v if isinstance(v, str) else v["prompt"]) for k, v in data.items()}
    if label["format"] == "tools":
        tools = _tools(data, bare_list=isinstance(data, list))
        return {path: _tool_tokens(tools, n, openai=not any("input_schema" in t for t in tools))}
    messages = data if isinstance(data, list) else data.get("messages", [])
    total = _tool_tokens(_tools(data), n, openai=label["format"] == "openai")
    if label["format"] == "anthropic":
        system = data.get("system", "")
        total += sum(n(t) for t in _block_texts(system))
        return {path: total + sum(n(t) for m in messages for t in _block_texts(m["content"]))}
    for message in messages:  # the openai-cookbook rule: 3 per message, role, content, 1 + name
        total += 3 + n(message["role"]) + sum(n(t) for t in _block_texts(message["content"]))
        total += 1 + n(message["name"]) if "name" in message else 0
    return {path: total + (3 if messages else 0)}


def _document(relative: str):
    """A structured corpus file's data (None for text files or ones that do not parse)."""
    text = caller_text(relative)
    try:
        return json.loads(text) if relative.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return None


AT_GPT_4O = ("--model", "gpt-4o")
"""Every file at gpt-4o, the tokenizer the labels were computed with (some files name a Claude model)."""


def _by_file(files: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for entry in files:
        grouped.setdefault(entry["path"].split("#")[0], []).append(entry)
    return grouped


def check_report(payload: dict, stderr: str, enc) -> dict[str, int]:
    """Assert every label against one ``count --format json`` run; return the figures."""
    grouped = _by_file(payload["files"])
    assert sorted(grouped) == sorted(str(PROMPTS / r) for r in LABELS)
    figures = {"files": 0, "prompts": 0, "variables": 0}
    for relative, label in LABELS.items():
        entries = grouped[str(PROMPTS / relative)]
        got = {e["path"]: e["counts"][0]["tokens"] for e in entries}
        assert got == expected_counts(relative, label, enc), relative
        structured = label["handling"] == "structured"
        with_tools = structured and (label["format"] == "tools" or bool(_tools(_document(relative))))
        assert all(e["counts"][0]["exact"] is not with_tools for e in entries), relative
        found = [v for e in entries for v in e["variables"]]
        assert found == label["variables"], relative
        _check_handling(relative, label, entries, stderr)
        figures["files"] += 1
        figures["prompts"] += len(entries)
        figures["variables"] += len(found)
    return figures


def _check_handling(relative: str, label: dict, entries: list[dict], stderr: str) -> None:
    path = str(PROMPTS / relative)
    warnings = [line for line in stderr.splitlines() if line.startswith(f"promptaudit: warning: {path}: ")]
    if label["handling"] == "fallback-warning":
        line, column = label["at"]
        assert warnings == [f"promptaudit: warning: {path}: {entries[0]['read_as_text']}; counted as plain text"]
        assert entries[0]["read_as_text"].startswith(f"line {line}, column {column}: "), entries[0]["read_as_text"]
    else:
        assert warnings == [] and not any("read_as_text" in e for e in entries), relative


def test_the_corpus_is_big_enough_and_fully_labelled():
    on_disk = sorted(str(p.relative_to(PROMPTS)) for p in PROMPTS.rglob("*") if p.is_file() and p != CONFIG)
    assert on_disk == sorted(LABELS) and len(LABELS) >= 40
    assert sum(len(label["variables"]) for label in LABELS.values()) >= 40


def test_count_equals_tiktoken_and_the_labels(cli, reference_encoding):
    result = cli("count", str(PROMPTS), "--config", str(CONFIG), "--format", "json", *AT_GPT_4O)
    assert result.exit_code == 0, result.stderr
    figures = check_report(json.loads(result.stdout), result.stderr, reference_encoding("o200k_base"))
    assert figures == {"files": len(LABELS), "prompts": len(LABELS) + 2, "variables": 61}


def test_the_installed_script_agrees_on_a_cold_cache(isolated_env, reference_encoding):
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(isolated_env / "cold-cache")}
    done = subprocess.run(
        [str(SCRIPT), "count", str(PROMPTS), "--config", str(CONFIG), "--format", "json", *AT_GPT_4O],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    check_report(json.loads(done.stdout), done.stderr, reference_encoding("o200k_base"))


@pytest.mark.parametrize(
    ("command", "code"),
    [(("project", "--per-day", "100"), 0), (("check", "--max-tokens", "100000"), 0), (("audit",), 1)],
)
def test_every_command_through_the_installed_script(isolated_env, command, code):
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(isolated_env / "cold-cache")}
    args = [str(SCRIPT), command[0], str(PROMPTS), "--config", str(CONFIG), *command[1:], "--format", "json"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert (done.returncode, "Traceback" in done.stderr) == (code, False), done.stderr
    assert json.loads(done.stdout)  # pure JSON on stdout; warnings went to stderr


@pytest.mark.parametrize("command", [("project", "--per-day", "100"), ("check", "--max-tokens", "100000")])
def test_project_and_check_exit_0_on_the_corpus(cli, command):
    result = cli(command[0], str(PROMPTS), "--config", str(CONFIG), *command[1:], "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_audit_reports_each_unparsed_file_as_pa001(cli):
    result = cli("audit", str(PROMPTS), "--config", str(CONFIG), "--format", "json", "--select", "PA001")
    found = sorted(f["path"] for f in json.loads(result.stdout)["findings"])
    unparsed = sorted(str(PROMPTS / r) for r, label in LABELS.items() if label["handling"] == "fallback-warning")
    assert (result.exit_code, found) == (1, unparsed)

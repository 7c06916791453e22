"""Claude counts through the CLI on 41 real-style prompts (English, code, JSON, XML-tagged, Chinese, Japanese, Korean).

With ctok (Python >= 3.12, run in CI by .ci/run) every count equals ctok's content count and is labelled
reconstructed; without it the per-script estimates stay inside the error bands docs/claude-counts.md states.
``ctok_counts.json`` holds ctok's counts (written by tools/fit_claude_estimates.py); on 3.12 a test checks
them against ctok itself, so the estimate tests on older Pythons never compare against stale labels.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from promptaudit.tokens import claude, claude_estimate

PROMPTS = Path(__file__).resolve().parent.parent / "data" / "claude_prompts"
LABELS = json.loads((PROMPTS / "ctok_counts.json").read_text(encoding="utf-8"))["counts"]
MODELS = {"claude-sonnet-4-5": "v3", "claude-opus-4-8": "v4.8", "claude-opus-4-7": "v4.7"}
SCRIPTS = {"en": "english", "code": "code", "json": "structured", "xml": "structured", "zh": "chinese",
           "ja": "japanese", "ko": "korean"}  # fmt: skip
HAS_CTOK = claude.ctok_version() is not None


def script_of(name: str) -> str:
    return SCRIPTS[name.split("_")[0]]


@pytest.fixture
def prompts(isolated_env) -> Path:
    target = isolated_env / "claude_prompts"
    shutil.copytree(PROMPTS, target, ignore=shutil.ignore_patterns("*.json"))
    return target


def counted(cli, *args: str) -> dict[tuple[str, str], dict]:
    result = cli("count", "claude_prompts", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    files = json.loads(result.stdout)["files"]
    return {(Path(f["path"]).name, c["model"]): c for f in files for c in f["counts"]}


def test_the_set_is_large_and_covers_every_style():
    assert len(LABELS) >= 40
    assert {script_of(name) for name in LABELS} == set(SCRIPTS.values())


@pytest.mark.skipif(not HAS_CTOK, reason="ctok needs Python >= 3.12 (CI runs this under 3.12)")
def test_with_ctok_counts_equal_ctoks_content_counts_and_are_reconstructed(cli, prompts):
    import ctok

    counts = counted(cli, *(arg for model in MODELS for arg in ("-m", model)))
    for name in LABELS:
        text = (PROMPTS / name).read_text(encoding="utf-8")
        for model, family in MODELS.items():
            version = {"v3": "3.0", "v4.7": "4.7", "v4.8": "4.8"}[family]
            expected = ctok.token_count(text, version) - claude.frame_tokens(family)
            assert LABELS[name][family] == expected, f"stale ctok_counts.json for {name}"
            assert (counts[name, model]["tokens"], counts[name, model]["method"]) == (expected, "reconstructed")
            assert counts[name, model]["exact"] is False


@pytest.mark.skipif(HAS_CTOK, reason="the estimate path is what Python < 3.12 users get")
def test_without_ctok_estimates_stay_inside_the_stated_bands(cli, prompts):
    counts = counted(cli, *(arg for model in MODELS for arg in ("-m", model)))
    for name, labels in LABELS.items():
        for model, family in MODELS.items():
            count, truth = counts[name, model], labels[family]
            assert count["method"] == "estimate"
            band = claude_estimate.band(family, script_of(name))
            assert abs(count["tokens"] - truth) <= band * truth, (name, model, count["tokens"], truth, band)


def test_project_and_audit_use_the_same_counts_as_count(cli, prompts):
    model = "claude-opus-4-8"
    counts = counted(cli, "-m", model)
    name = "zh_support.txt"
    project = cli("project", f"claude_prompts/{name}", "-m", model, "--per-day", "100", "-f", "json")
    assert project.exit_code == 0, project.stderr
    (projected,) = json.loads(project.stdout)["models"]
    assert projected["prompt_tokens_per_request"] == counts[name, model]["tokens"]
    assert projected["method"] == counts[name, model]["method"]
    audit = cli("audit", f"claude_prompts/{name}", "-m", model, "-f", "json")
    (audited,) = json.loads(audit.stdout)["files"]
    assert (audited["tokens"], audited["method"]) == (counts[name, model]["tokens"], counts[name, model]["method"])


def test_structured_requests_use_the_same_counter(cli, isolated_env):
    system = "You are a support agent for Lumen Bikes. Answer in short paragraphs."
    as_string = {"system": system, "messages": [{"role": "user", "content": "My bike will not start."}]}
    as_blocks = dict(as_string, system=[{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}])
    (isolated_env / "string.json").write_text(json.dumps(as_string), encoding="utf-8")
    (isolated_env / "blocks.json").write_text(json.dumps(as_blocks), encoding="utf-8")
    (isolated_env / "system.txt").write_text(system, encoding="utf-8")
    (isolated_env / "user.txt").write_text("My bike will not start.", encoding="utf-8")
    result = cli(
        "count", "string.json", "blocks.json", "system.txt", "user.txt", "-m", "claude-sonnet-4-5", "-f", "json"
    )
    tokens = {f["path"]: f["counts"][0] for f in json.loads(result.stdout)["files"]}
    content = tokens["system.txt"]["tokens"] + tokens["user.txt"]["tokens"]
    framing = claude.frame_tokens("v3") + 3  # ctok's request frame, plus the estimated turn after the system prompt
    assert tokens["string.json"]["tokens"] == tokens["blocks.json"]["tokens"] == content + framing
    assert tokens["string.json"]["method"] == "estimate"  # the per-turn framing is estimated

"""The installed ``promptaudit`` console script, run as a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "promptaudit"
CLASSIFIER = REPO / "sample_prompts" / "classifier.txt"


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    """One count cache for this module's runs: the first is cold, the rest warm (the way users run it)."""
    return tmp_path_factory.mktemp("console-script-cache")


@pytest.fixture
def run(isolated_env, shared_cache):
    if not SCRIPT.exists():
        pytest.fail(f"console script not installed next to {sys.executable}; run pip install -e '.[test]'")

    def run_script(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SCRIPT), *args],
            cwd=REPO,
            env={**os.environ, "PROMPTAUDIT_CACHE_DIR": str(shared_cache)},
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run_script


def test_count_json_on_the_classifier_sample(run, reference_encoding):
    from promptaudit.money import pricing

    gpt_4o = pricing.price_for("gpt-4o").input_mtok  # the installed snapshot's price (hand-checked: $2.50 in 0.2.5)
    text = CLASSIFIER.read_bytes().decode("utf-8")
    expected = len(reference_encoding("o200k_base").encode_ordinary(text))

    done = run("count", "sample_prompts/classifier.txt", "--format", "json")

    assert (done.returncode, done.stderr) == (0, "")
    payload = json.loads(done.stdout)
    assert set(payload) == {"files", "prices"}
    [file] = payload["files"]
    assert (file["path"], file["chars"]) == ("sample_prompts/classifier.txt", len(text))
    assert file["counts"] == [
        {
            "model": "gpt-4o",
            "model_from": "default",
            "encoding": "o200k_base",
            "tokens": expected,
            "exact": True,
            "method": "exact",
            "rendered_tokens": expected,
            "rendered_exact": True,
            "approximations": [],
            "rendered_approximations": [],
            "input_cost_per_request": str(Decimal(expected) * gpt_4o / Decimal(1_000_000)),
        }
    ]
    assert payload["prices"]["source"].startswith("genai-prices")


def test_bad_input_exit_code_and_no_traceback(run):
    done = run("count", "sample_prompts/classifier.txt", "no/such/file.txt", "--format", "json")

    assert done.returncode == 2
    assert done.stderr == "promptaudit: error: no/such/file.txt: no such file or directory\n"
    assert [f["path"] for f in json.loads(done.stdout)["files"]] == ["sample_prompts/classifier.txt"]


def test_version(run):
    done = run("--version")
    assert done.returncode == 0 and done.stdout.startswith("promptaudit ")


def test_claude_counts_cold_then_warm(run):
    from promptaudit.tokens import claude

    prompt = "tests/data/claude_prompts/zh_support.txt"
    cold = run("count", prompt, "-m", "claude-opus-4-8", "-m", "claude-sonnet-4-5", "--format", "json")
    warm = run("count", prompt, "-m", "claude-opus-4-8", "-m", "claude-sonnet-4-5", "--format", "json")

    assert (cold.returncode, warm.returncode) == (0, 0)
    assert cold.stdout == warm.stdout
    counts = json.loads(cold.stdout)["files"][0]["counts"]
    methods = {c["method"] for c in counts}
    assert methods == ({"reconstructed"} if claude.ctok_version() else {"estimate"})
    assert warm.stderr == ""  # the hint on Python < 3.12 is said once, on the cold run

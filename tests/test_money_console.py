"""Issue 20's wrong outputs, each run through the installed console script as a user runs it.

Expected figures are computed here from the installed price snapshot (never one release's numbers), so the
tests hold on whatever genai-prices version the constraints allow.
"""

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
CHAT = REPO / "tests" / "data" / "formats" / "openai_chat.json"
MINI = "gpt-4o-mini"


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("money-console-cache")


@pytest.fixture
def run(isolated_env, shared_cache):
    def run_script(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SCRIPT), *map(str, args)],
            cwd=cwd,
            env={**os.environ, "PROMPTAUDIT_CACHE_DIR": str(shared_cache), "COLUMNS": "200"},
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run_script


@pytest.fixture
def chat_request(isolated_env) -> Path:
    """The OpenAI chat request fixture, sent to gpt-4o-mini (the issue's chat_request.json)."""
    data = json.loads(CHAT.read_text(encoding="utf-8"))
    data["model"] = MINI
    path = isolated_env / "chat_request.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _json(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def flat(text: str) -> str:
    """Terminal output as one line of words (tables wrap long cells and captions)."""
    return " ".join(text.replace("│", " ").split())


def price(model: str):
    from promptaudit.money import pricing

    return pricing.price_for(model)


def test_a_request_file_is_priced_and_counted_at_the_model_it_names(run, chat_request):
    """Was: priced on gpt-4o (17x the bill), no note, and the routing what-if proposed moving "gpt-4o"."""
    counted = _json(run("count", chat_request, "--format", "json"))["files"][0]["counts"]
    assert [(c["model"], c["model_from"]) for c in counted] == [(MINI, "file")]
    tokens = counted[0]["tokens"]

    data = _json(run("project", chat_request, "--per-day", "20000", "--output-tokens", "150", "--format", "json"))
    [model] = data["models"]
    assert (model["model"], model["model_from"]) == (MINI, "file")
    mini = price(MINI)
    expected = (mini.input_cost(tokens) + mini.output_cost(150)) * 20000 * 30
    assert Decimal(model["monthly_cost"]) == expected
    assert {s["model"] for s in data["savings"]} == {MINI}  # the what-if moves gpt-4o-mini, not gpt-4o

    table = run("project", chat_request, "--per-day", "20000", "--output-tokens", "150").stdout
    assert f"{MINI} (from file)" in flat(table) and "Savings on gpt-4o-mini (from file)" in flat(table)
    report = run("report", chat_request, "--per-day", "20000", "-o", "-").stdout
    assert f"Total on {MINI} (from file)" in report


def test_model_overrides_the_file_and_audit_and_check_follow_the_file_otherwise(run, chat_request):
    overridden = _json(run("project", chat_request, "--per-day", "10", "-m", "gpt-4o", "--format", "json"))
    assert [(m["model"], m["model_from"]) for m in overridden["models"]] == [("gpt-4o", "--model")]
    audit = _json(run("audit", chat_request, "--format", "json"))
    assert [(f["model"], f["model_from"]) for f in audit["files"]] == [(MINI, "file")]
    check = _json(run("check", chat_request, "--format", "json"))
    assert [p["model"] for p in check["prompts"]] == [MINI]
    # diff prices each version at its own model on main (gate/costdiff.py, issue 24), tested there


def test_per_day_is_said_to_be_per_prompt_and_a_total_can_be_split(run):
    """Was: --per-day 10000 on a folder of four prompts gave 40,000 requests a day, and nothing said so."""
    done = run("project", "sample_prompts/", "--per-day", "10000", "--output-tokens", "100")
    assert "volume per prompt" in done.stdout
    said = "10,000 requests/day for each of the 4 prompts (--per-day, per prompt), 40,000 requests/day in all"
    assert said in flat(done.stdout)
    assert "Requests per day for each prompt (per prompt" in flat(run("project", "--help").stdout)

    per_prompt = _json(run("project", "sample_prompts/", "--per-day", "10000", "--format", "json"))["scenario"]
    assert (per_prompt["volume_basis"], per_prompt["total_requests_per_day"]) == ("per prompt", 40000)

    total = _json(run("project", "sample_prompts/", "--total-per-day", "10000", "--format", "json"))["scenario"]
    assert (total["volume_basis"], total["total_requests_per_day"]) == ("total", 10000)
    assert [v["requests_per_day"] for v in total["volumes"]] == [2500] * 4  # equal shares, stated
    assert all("equal share" in v["origin"] for v in total["volumes"])

    shared = "--share", "sample_prompts/classifier.txt=0.7"
    split = _json(run("project", "sample_prompts/", "--total-per-day", "10000", *shared, "--format", "json"))
    assert sorted(v["requests_per_day"] for v in split["scenario"]["volumes"]) == [1000, 1000, 1000, 7000]


def test_all_levers_names_what_it_includes_and_leaves_out_everywhere(run):
    """Was: "All levers" 7.1% beside Batch 50% and Routing 43%, with no word on the terminal why."""
    args = ("project", "sample_prompts/classifier.txt", "--per-day", "10000", "--output-tokens", "10")
    said = "leaves out the what-ifs: Batch API, routing"
    assert said in flat(run(*args).stdout)
    assert said in run(*args, "--format", "markdown").stdout
    rows = _json(run(*args, "--format", "json"))["savings"]
    everything = rows[-1]
    assert (everything["lever"], everything["excludes"]) == ("all", ["batch", "routing"])
    assert "caching" in everything["includes"] and said in everything["note"]
    assert [r["in_all_levers"] for r in rows if r["lever"] in ("batch", "routing")] == [False, False]
    html = run("report", "sample_prompts/classifier.txt", "--per-day", "10000", "-o", "-").stdout
    assert said in html


def test_each_approximation_mark_names_its_own_reason(run, chat_request):
    """Was: "~ ... no public tokenizer" on gpt-4o counts whose ~ came from template variables."""
    table = flat(run("project", "sample_prompts/", "--per-day", "100", "--output-tokens", "10").stdout)
    assert "template variables without a value, counted at ~50 tokens each" in table
    assert "no public tokenizer" not in table

    counted = _json(run("count", chat_request, "--format", "json"))["files"][0]["counts"][0]
    assert (counted["exact"], counted["approximations"]) == (False, ["tools"])  # was "exact": true
    assert "tool definitions" in flat(run("count", chat_request).stdout)


def test_pa501_says_the_output_it_assumes(run, isolated_env):
    """Was: "$87.00 per month (command line)" with 20 assumed output tokens unsaid."""
    prompt = isolated_env / "classify.json"
    prompt.write_text(json.dumps({"model": "gpt-4o", "prompt": "Classify the ticket. Reply with one word."}))
    found = _json(run("audit", prompt, "--per-day", "1000", "--format", "json"))["findings"]
    [pa501] = [f for f in found if f["rule"] == "PA501"]
    assert "assuming 20 output tokens per request (the label limit, max_label_tokens)" in pa501["message"]
    assert "(--per-day, per prompt)" in pa501["message"]


def test_route_to_and_the_what_if_assume_one_fallback_rate(run):
    """Was: the default what-if assumed 10% fallback and --route-to 0%."""
    args = ("project", "sample_prompts/classifier.txt", "--per-day", "1000", "--format", "json")
    what_if = next(s for s in _json(run(*args))["savings"] if s["lever"] == "routing")
    chosen = next(s for s in _json(run(*args, "--route-to", "gpt-4.1-nano"))["savings"] if s["lever"] == "routing")
    assert what_if["fallback_rate"] == chosen["fallback_rate"] == 0.1
    assert what_if["share"] == chosen["share"] == 0.5


def _usage_log(folder: Path, cached: int) -> Path:
    bucket = {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": 1793577600,
                "end_time": 1793664000,
                "results": [
                    {
                        "object": "organization.usage.completions.result",
                        "input_tokens": 5000,
                        "output_tokens": 500,
                        "input_cached_tokens": 0,
                        "num_model_requests": 5,
                        "model": None,
                        "batch": False,
                    }
                ],
            }
        ],
    }
    record = {"model": "gpt-4o-2024-05-13", "usage": {"prompt_tokens": 2000, "completion_tokens": 10}}
    record["usage"]["prompt_tokens_details"] = {"cached_tokens": cached}
    (folder / "buckets.json").write_text(json.dumps(bucket))
    (folder / "records.jsonl").write_text(json.dumps({"ts": "2026-11-02T09:00:00Z", "response": record}) + "\n")
    return folder


def test_usage_names_requests_records_and_buckets_and_notes_only_what_applies(run, isolated_env):
    """Was: one bucket of 5 requests called "5 records"; "no cached-input price" with no cached tokens."""
    folder = _usage_log(isolated_env, cached=0)
    said = run("usage", folder / "buckets.json").stderr
    assert "5 requests with no model name" in said and "records" not in said.split("with no model name")[0]
    from promptaudit.money import pricing

    if pricing.price_for("gpt-4o-2024-05-13").cache_read_mtok is not None:
        pytest.skip("the installed snapshot prices gpt-4o-2024-05-13's cached input")
    assert "no cached-input price" not in run("usage", folder / "records.jsonl").stderr
    _usage_log(isolated_env, cached=1024)
    assert "no cached-input price" in run("usage", folder / "records.jsonl").stderr


def test_models_shows_a_gemini_context_window_the_source_has(run):
    """Was: "–" for gemini-2.5-pro while the price source holds its window (under another provider's entry)."""
    from promptaudit.money import price_index

    expected = next(
        (
            info.context_window
            for provider in price_index.snapshot().providers
            for info in provider.models
            if info.context_window and (info.id == "gemini-2.5-pro" or info.id.endswith("/gemini-2.5-pro"))
        ),
        None,
    )
    if expected is None:
        pytest.skip("the installed snapshot has no context window for gemini-2.5-pro")
    rows = _json(run("models", "--provider", "google", "--format", "json"))["models"]
    assert next(r for r in rows if r["model"] == "gemini-2.5-pro")["context_window"] == expected


def test_a_file_naming_an_unknown_model_is_one_clear_error_never_zero_dollars(run, chat_request):
    data = json.loads(chat_request.read_text(encoding="utf-8"))
    data["model"] = "acme-finetune-7"
    chat_request.write_text(json.dumps(data), encoding="utf-8")
    for command in (("count",), ("project", "--per-day", "10"), ("audit",)):
        done = run(*command, chat_request)
        assert done.returncode == 2 and "$0" not in done.stdout
        assert done.stderr.count("unknown model 'acme-finetune-7', named in the file") == 1
    assert run("count", chat_request, "-m", "gpt-4o").returncode == 0  # --model counts it at a known model
    assert run("check", chat_request).returncode == 0  # the gate counts it at the default; policies decide

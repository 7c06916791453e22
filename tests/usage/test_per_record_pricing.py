"""Each record is priced at its own time, mode and tier, exactly as genai-prices' calc_price prices it.

The expected figures are computed here, by calc_price itself, from each record's token counts, timestamp and
processing mode; promptaudit's figure must equal them to the last decimal. The fixture holds one record per
case in its provider's documented shape (tests/data/usage/per_record_pricing.jsonl), checked by hand
(USD per million tokens; web searches per 1,000):

1. Sonnet 4.5 above 200k: 150,000 x 6 + 60,000 x 0.60 + 2,000 x 22.50          = 0.981
2. Gemini 2.5 Pro above 200k: 150,000 x 2.50 + 100,000 x 0.25 + 8,000 x 15      = 0.520
3. o3 on 2025-05-01 (before the cut): 20,000 x 10 + 6,000 x 40                  = 0.44
4. deepseek-chat at 09:00 UTC (standard window): 10,000 x 0.27 + 600 x 1.10     = 0.00336
5. gpt-5 Batch: 1,904 x 0.625 + 4,096 x 0.0625 + 1,000 x 5                      = 0.006446
6. Sonnet 4.5 with 3 web searches: 10,000 x 3 + 1,300 x 15, + 3 x $10 / 1,000   = 0.0795
7. gpt-4o-mini without a timestamp: 1,000 x 0.15 + 100 x 0.60                   = 0.00021
                                                                          total = 2.030516
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from genai_prices import Usage, calc_price

FIXTURE = Path(__file__).parent.parent / "data" / "usage" / "per_record_pricing.jsonl"
LINES = FIXTURE.read_text().splitlines()
BATCH = {"processing": "batch"}

# (fixture line, model, provider, request time, usage as calc_price takes it, price context)
CASES = {
    "sonnet-4-5-above-200k-tier": (
        0, "claude-sonnet-4-5-20250929", "anthropic", "2026-03-02T10:00:00",
        {"input_tokens": 210_000, "cache_read_tokens": 60_000, "output_tokens": 2_000}, None,
    ),
    "gemini-2-5-pro-250k-input": (
        1, "gemini-2.5-pro", "google", "2026-11-20T10:00:00",
        {"input_tokens": 250_000, "cache_read_tokens": 100_000, "output_tokens": 8_000}, None,
    ),
    "o3-before-its-2025-06-10-price-cut": (
        2, "o3-2025-04-16", "openai", "2025-05-01T12:00:00", {"input_tokens": 20_000, "output_tokens": 6_000}, None,
    ),
    "deepseek-chat-at-a-peak-hour": (
        3, "deepseek-chat", "deepseek", "2026-11-25T09:00:00", {"input_tokens": 10_000, "output_tokens": 600}, None,
    ),
    "gpt-5-batch-with-cached-input": (
        4, "gpt-5-2025-08-07", "openai", "2026-11-25T10:00:00",
        {"input_tokens": 6_000, "cache_read_tokens": 4_096, "output_tokens": 1_000}, BATCH,
    ),
    "claude-with-three-web-searches": (
        5, "claude-sonnet-4-5-20250929", "anthropic", "2026-11-20T11:00:00",
        {"input_tokens": 10_000, "output_tokens": 1_300, "web_searches": 3}, None,
    ),
}  # fmt: skip


def expected(model, provider, at, usage, context) -> Decimal:
    moment = datetime.fromisoformat(at).replace(tzinfo=timezone.utc)
    return calc_price(
        Usage(**usage), model, provider_id=provider, genai_request_timestamp=moment, price_context=context
    ).total_price


def usage_json(cli, path) -> dict:
    result = cli("usage", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("case", CASES)
def test_each_record_costs_what_calc_price_says(cli, tmp_path, case):
    line, *priced = CASES[case]
    log = tmp_path / "one.jsonl"
    log.write_text(LINES[line] + "\n")

    doc = usage_json(cli, log)

    assert Decimal(doc["total"]["cost"]) == expected(*priced)


def test_one_run_mixes_every_case_and_a_record_without_timestamp(cli):
    doc = usage_json(cli, FIXTURE)
    result = cli("usage", str(FIXTURE), "--format", "json")

    untimed = calc_price(Usage(input_tokens=1_000, output_tokens=100), "gpt-4o-mini", provider_id="openai")
    total = sum((expected(*c[1:]) for c in CASES.values()), Decimal(0)) + untimed.total_price
    assert Decimal(doc["total"]["cost"]) == total == Decimal("2.030516")  # hand-checked: module docstring
    assert doc["records_without_timestamp"] == 1
    assert "1 record carries no timestamp; priced at the rates in force at the run's time" in result.stderr
    by_model = {g["key"]: g for g in doc["groups"]}
    assert by_model["claude-sonnet-4-5-20250929"]["cost_split"]["server_tools"] == "0.03"
    assert by_model["o3-2025-04-16"]["cost"] == "0.44"


def test_the_installed_console_script_prices_the_mixed_fixture(isolated_env):
    script = Path(sys.executable).parent / "promptaudit"
    env = dict(os.environ)
    for run in ("cold", "warm"):
        done = subprocess.run(
            [str(script), "usage", str(FIXTURE), "-f", "json"], capture_output=True, text=True, timeout=60, env=env
        )
        assert done.returncode == 0, (run, done.stderr)
        assert json.loads(done.stdout)["total"]["cost"] == "2.030516", run


def test_a_time_of_day_price_follows_the_record_not_the_clock(cli, tmp_path):
    peak, off_peak = json.loads(LINES[3]), json.loads(LINES[3])
    off_peak["created"] += 11 * 3600  # 20:00 UTC, outside DeepSeek's 00:30-16:30 window
    log = tmp_path / "day.jsonl"
    log.write_text(json.dumps(peak) + "\n" + json.dumps(off_peak) + "\n")

    doc = usage_json(cli, log)

    usage = {"input_tokens": 10_000, "output_tokens": 600}
    night = expected("deepseek-chat", "deepseek", "2026-11-25T20:00:00", usage, None)
    assert Decimal(doc["total"]["cost"]) == expected(*CASES["deepseek-chat-at-a-peak-hour"][1:]) + night
    assert night * 2 == expected(*CASES["deepseek-chat-at-a-peak-hour"][1:])


def test_the_tier_is_chosen_per_request_not_per_group(cli, tmp_path):
    """Two Sonnet 4.5 requests of 150k input sum to 300k but each stays in the base tier."""
    line = json.loads(LINES[0])
    line["response"]["usage"] = {"input_tokens": 150_000, "output_tokens": 1_000}
    log = tmp_path / "two.jsonl"
    log.write_text((json.dumps(line) + "\n") * 2)

    doc = usage_json(cli, log)

    one = expected("claude-sonnet-4-5", "anthropic", "2026-03-02T10:00:00", line["response"]["usage"], None)
    assert Decimal(doc["total"]["cost"]) == 2 * one == Decimal("0.93")


def batch_line(model: str, created: int, usage: dict) -> str:
    body = {"id": "chatcmpl-b", "object": "chat.completion", "created": created, "model": model, "usage": usage}
    return json.dumps({"id": "batch_req_1", "custom_id": "r1", "response": {"status_code": 200, "body": body}})


def test_batch_without_a_source_price_in_force_uses_the_documented_discount(cli, tmp_path):
    """One rule for batch (docs/prices.md): genai-prices has gpt-4o batch prices only from 2026-10-14; an older
    batch record pays the provider's 50% discount on input and output, cached input at its standard rate,
    which is exactly what the source's own batch prices say once they start."""
    usage = {"prompt_tokens": 5_000, "completion_tokens": 800, "prompt_tokens_details": {"cached_tokens": 2_048}}
    log = tmp_path / "batch.jsonl"
    log.write_text(batch_line("gpt-4o-2024-08-06", 1_788_264_000, usage) + "\n")  # 2026-09-01

    result = cli("usage", str(log), "--format", "json")

    counts = {"input_tokens": 5_000, "cache_read_tokens": 2_048, "output_tokens": 800}
    later = expected("gpt-4o-2024-08-06", "openai", "2026-10-20T00:00:00", counts, BATCH)
    assert Decimal(json.loads(result.stdout)["total"]["cost"]) == later
    assert "batch rates derived from the provider's 50% batch discount" in result.stderr


def test_anthropic_derived_batch_discounts_cache_reads_too(cli, tmp_path):
    """Claude Opus 4.1 has no batch price in genai-prices (retired); Anthropic's discounts stack (providers.yaml)."""
    usage = {"input_tokens": 1_000, "cache_read_input_tokens": 4_000, "output_tokens": 500}
    message = {"type": "message", "model": "claude-opus-4-1", "usage": usage}
    log = tmp_path / "batch.jsonl"
    log.write_text(json.dumps({"custom_id": "r1", "result": {"type": "succeeded", "message": message}}) + "\n")

    doc = usage_json(cli, log)

    counts = {"input_tokens": 5_000, "cache_read_tokens": 4_000, "output_tokens": 500}
    standard = calc_price(Usage(**counts), "claude-opus-4-1", provider_id="anthropic").total_price
    assert Decimal(doc["total"]["cost"]) == standard / 2


def test_a_flex_record_pays_the_flex_price_and_responses_web_searches_are_billed(cli, tmp_path):
    """OpenAI echoes service_tier; Responses list each web_search_call in output."""
    body = {
        "object": "response",
        "created_at": 1_795_600_800,  # 2026-11-25, after genai-prices' flex prices start (2026-10-12)
        "model": "o3-2025-04-16",
        "service_tier": "flex",
        "status": "completed",
        "output": [{"type": "web_search_call", "status": "completed"}, {"type": "message", "content": []}],
        "usage": {"input_tokens": 8_000, "input_tokens_details": {"cached_tokens": 2_048}, "output_tokens": 900},
    }
    log = tmp_path / "flex.jsonl"
    log.write_text(json.dumps(body) + "\n")

    doc = usage_json(cli, log)

    counts = {"input_tokens": 8_000, "cache_read_tokens": 2_048, "output_tokens": 900, "web_searches": 1}
    flex = expected("o3-2025-04-16", "openai", "2026-11-25T10:00:00", counts, {"service_tier": "flex"})
    assert Decimal(doc["total"]["cost"]) == flex

"""The 2026 log shapes (tests/data/usage/formats/README.md): each read with no flag and priced exactly as genai-prices'
``calc_price`` prices its records (a bucket of N identical requests costs N times one of them)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from genai_prices import Usage, calc_price

FORMATS = Path(__file__).parent.parent / "data" / "usage" / "formats"
SONNET, HAIKU = "claude-sonnet-4-5-20250929", "claude-3-5-haiku-20241022"
BATCH = {"processing": "batch"}


def price(model, provider, at, requests=1, context=None, **usage) -> Decimal:
    moment = datetime.fromisoformat(at).replace(tzinfo=timezone.utc)
    one = calc_price(Usage(**usage), model, provider_id=provider, genai_request_timestamp=moment, price_context=context)
    return one.total_price * requests


def run(cli, name, *args):
    result = cli("usage", str(FORMATS / name), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout), result.stderr


def test_otel_2026_spans_are_priced_as_calc_price_prices_them(cli):
    doc, said = run(cli, "otel_genai_2026.jsonl", "--engine", "stream")
    expected = sum(
        [
            price(SONNET, "anthropic", "2026-11-02T10:00:00", input_tokens=4700, cache_read_tokens=3000,
                  cache_write_tokens=1500, output_tokens=450),  # cache_write.input_tokens (2026 name)
            price("gpt-4o-2024-08-06", "openai", "2026-11-02T11:00:00", input_tokens=1200, cache_read_tokens=1024,
                  output_tokens=300),  # per-modality parts (text + image) of the totals
            price("gpt-4o-mini-2024-07-18", "openai", "2026-11-03T09:00:00", input_tokens=5000, output_tokens=4096),
            price("gemini-2.5-flash", "google", "2026-11-03T10:00:00", input_tokens=2000, cache_read_tokens=1000,
                  output_tokens=200),  # Vercel call span; its root span is not counted again
            price(SONNET, "anthropic", "2026-11-03T11:00:00", input_tokens=3200, cache_read_tokens=3000,
                  output_tokens=450),  # input (200) left cache reads out: counted as 200 + 3,000
            price("gpt-4o-mini-2024-07-18", "openai", "2026-11-03T12:00:00", input_tokens=800, output_tokens=600),
        ]
    )  # fmt: skip
    assert Decimal(doc["total"]["cost"]) == expected
    assert doc["total"]["requests"] == 6 and doc["refused_records"] == 1  # the image count of "-3"
    assert "1 records report input smaller than their cache reads and writes" in said
    assert "1 records report output smaller than their reasoning tokens" in said


def test_the_2026_cache_write_name_and_the_older_one_mean_the_same(cli, tmp_path):
    from promptaudit.usage.sources.otlp import span_counts

    old = span_counts({"gen_ai.usage.input_tokens": 10, "gen_ai.usage.cache_creation.input_tokens": 4})
    new = span_counts({"gen_ai.usage.input_tokens": 10, "gen_ai.usage.cache_write.input_tokens": 4})
    underscore = span_counts({"gen_ai.usage.prompt_tokens": 10, "gen_ai.usage.cache_creation_input_tokens": 4})
    assert old == new == underscore == ((10, 0, 4, 0, 0), [])


def test_anthropic_analytics_rows_are_priced_per_tier_where_the_source_has_one(cli):
    doc, said = run(cli, "anthropic_analytics_usage.json")
    day1, day2 = "2026-11-02T00:00:00", "2026-11-03T00:00:00"
    expected = sum(
        [
            price(SONNET, "anthropic", day1, 1000, input_tokens=4700, cache_read_tokens=3000,
                  cache_write_tokens=1500, cache_write_1h_tokens=500, output_tokens=450),
            price(SONNET, "anthropic", day1, 100, BATCH, input_tokens=1000, output_tokens=500),
            price(SONNET, "anthropic", day1, 50, input_tokens=2000, output_tokens=200),  # priority: no price in source
            price(SONNET, "anthropic", day1, 10, input_tokens=2000, output_tokens=200),  # flex_discount: likewise
            price(SONNET, "anthropic", day2, 10, input_tokens=250_000, output_tokens=1000),  # 200k-1M window
            price(SONNET, "anthropic", day2, 20, input_tokens=3000, output_tokens=300),  # speed fast: standard
            price(SONNET, "anthropic", day2, 30, input_tokens=3000, output_tokens=300),  # inference_geo us: global
        ]
    )  # fmt: skip
    assert Decimal(doc["total"]["cost"]) == expected
    assert doc["total"]["requests"] == 1220 and doc["formats"] == {"anthropic-analytics-api": 1220}
    assert "no priority price in the source" in said and "no flex price in the source" in said
    assert "fast mode (speed: fast) are priced at standard rates" in said and "inference_geo us" in said


def test_the_fast_mode_gap_is_real_the_source_prices_it_apart(cli):
    """What the warning says: genai-prices has fast-mode prices that this report does not apply yet."""
    standard = price(SONNET, "anthropic", "2026-11-03T00:00:00", input_tokens=3000, output_tokens=300)
    fast = price(SONNET, "anthropic", "2026-11-03T00:00:00", context={"speed": "fast"}, input_tokens=3000,
                 output_tokens=300)  # fmt: skip
    assert fast >= standard


def test_the_legacy_anthropic_report_is_marked_legacy(cli):
    doc, _ = run(cli, "anthropic_usage_report.json")
    assert doc["formats"] == {"anthropic-usage-api (legacy)": 0}


def test_openai_usage_api_cache_writes_are_priced(cli):
    doc, _ = run(cli, "openai_usage_2026.json")
    at = "2026-11-02T00:00:00"
    expected = sum(
        [
            price("gpt-5-2025-08-07", "openai", at, 200, input_tokens=6000, cache_read_tokens=4096,
                  cache_write_tokens=1024, output_tokens=800),
            price("gpt-5-2025-08-07", "openai", at, 50, {"service_tier": "flex"}, input_tokens=6000, output_tokens=800),
            price("gpt-4o-mini-2024-07-18", "openai", at, 100, BATCH, input_tokens=5000, output_tokens=400),
        ]
    )  # fmt: skip
    assert Decimal(doc["total"]["cost"]) == expected
    assert doc["total"]["cache_write_tokens"] == 200 * 1024


def test_bedrock_invocation_logs_are_priced_at_anthropics_rates(cli):
    doc, said = run(cli, "bedrock_invocation_logs.jsonl", "--by", "requestMetadata.prompt")
    expected = sum(
        [
            price(SONNET, "anthropic", "2026-11-02T10:00:00", input_tokens=4700, cache_read_tokens=3000,
                  cache_write_tokens=1500, cache_write_1h_tokens=500, output_tokens=450),
            price(HAIKU, "anthropic", "2026-11-03T09:00:00", input_tokens=5000, output_tokens=4096),
            price(SONNET, "anthropic", "2026-11-03T11:00:00", input_tokens=1200, output_tokens=300),
        ]
    )  # fmt: skip
    assert Decimal(doc["total"]["cost"]) == expected
    assert {g["key"] for g in doc["groups"]} == {"draft-reply", "summarise-ticket", "support-triage"}
    assert doc["refused_records"] == 1 and "input.inputTokenCount is negative" in said


@pytest.mark.parametrize(
    "model_id, name",
    [
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", SONNET),
        ("global.anthropic.claude-sonnet-4-5-20250929-v1:0", SONNET),
        ("anthropic.claude-3-5-haiku-20241022-v1:0", HAIKU),
        ("amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0"),
        ("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"),
    ],
)  # fmt: skip
def test_bedrock_model_ids(model_id, name):
    from promptaudit.usage.sources.bedrock import bedrock_model

    assert bedrock_model(model_id) == name


def test_server_sent_event_logs_are_recognised_not_taken_for_csv(cli):
    doc, said = run(cli, "sse_streams.log")
    assert doc["inputs"][0]["read_as"] == "sse via stream"
    assert doc["total"]["requests"] == 4 and doc["total"]["cost"] == "0.0237576"  # R1-R4, hand-checked
    assert doc["unparsed"]["invalid_json"] == 1 and "--columns" not in said
    capped = {g["key"]: g["cap_hit_rate"] for g in doc["groups"]}
    assert capped["gpt-4o-mini-2024-07-18"] == 1.0 and capped["gpt-4o-2024-08-06"] == 0.0


def test_a_stream_cut_after_its_final_usage_still_counts(cli, tmp_path):
    log = tmp_path / "cut.log"
    start = {"type": "message_start", "message": {"type": "message", "model": SONNET,
             "usage": {"input_tokens": 100, "output_tokens": 1}}}  # fmt: skip
    delta = {"type": "message_delta", "delta": {"stop_reason": "max_tokens"}, "usage": {"output_tokens": 64}}
    log.write_text(
        f"event: message_start\ndata: {json.dumps(start)}\n\nevent: message_delta\ndata: {json.dumps(delta)}\n"
    )
    doc = json.loads(cli("usage", str(log), "--format", "json").stdout)
    assert (doc["total"]["requests"], doc["total"]["output_tokens"], doc["total"]["cap_hit_rate"]) == (1, 64, 1.0)

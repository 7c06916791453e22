"""Every usage-log format ``usage`` detects, against hand-checked totals (tests/data/usage/formats/README.md).

Each fixture is read through the command (CliRunner) with the streaming engine; test_duck.py reads the same
fixtures with DuckDB and expects the same numbers.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from genai_prices import Usage, calc_price

from promptaudit.usage.results.calibrate import calibrate

FORMATS = Path(__file__).parent.parent / "data" / "usage" / "formats"
WAREHOUSE_COLUMNS = (
    "time=event_time,model=llm_model,input=tokens_in,cached=tokens_cached,output=tokens_out,tag=feature,stop=stop"
)

# file, extra args, requests, total cost, refused, skipped, not JSON, without usage, formats seen
CASES = [
    ("otlp_traces.jsonl", ["--model", "gpt-4o-2024-08-06"], 3, "0.01867", 1, {}, 1, 0, {"otlp-trace": 3}),
    ("otlp_logs.jsonl", [], 3, "0.0057376", 0, {}, 0, 0, {"otlp-log": 3}),
    ("litellm_spend_logs.json", [], 4, "0.0237576", 1, {"failed request": 1}, 0, 0, {"litellm": 4}),
    ("litellm_spend_logs.csv", [], 4, "0.0237576", 1, {"failed request": 1}, 1, 0, {"litellm": 4}),
    ("langfuse_observations.json", [], 4, "0.0237576", 2, {}, 0, 0, {"langfuse": 4}),
    ("helicone_export.jsonl", [], 4, "0.0226326", 1, {}, 0, 1, {"helicone": 4}),
    ("helicone_export.csv", [], 4, "0.0226326", 1, {}, 0, 0, {"helicone": 4}),
    ("openai_usage_completions.json", [], 2400, "8.2276", 0, {}, 0, 0, {"openai-usage-api": 2400}),
    ("anthropic_usage_report.json", [], 0, "15.525", 0, {}, 0, 0, {"anthropic-usage-api (legacy)": 0}),
    ("warehouse.csv", ["--columns", WAREHOUSE_COLUMNS], 3, "0.0087576", 2, {}, 0, 0, {"table": 3}),
]

AT = datetime(2026, 11, 2, tzinfo=timezone.utc)
# The four requests of the README, as genai-prices' own Usage (input includes cached and written tokens).
HAND = {
    "R1": (
        "gpt-4o-2024-08-06",
        "openai",
        dict(input_tokens=1200, cache_read_tokens=1024, output_tokens=300),
        "0.004720",
    ),
    "R2": (
        "claude-sonnet-4-5-20250929",
        "anthropic",
        dict(
            input_tokens=4700,
            cache_read_tokens=3000,
            cache_write_tokens=1500,
            cache_write_1h_tokens=500,
            output_tokens=450,
        ),
        "0.015000",
    ),
    "R2 (no TTL)": (
        "claude-sonnet-4-5-20250929",
        "anthropic",
        dict(input_tokens=4700, cache_read_tokens=3000, cache_write_tokens=1500, output_tokens=450),
        "0.013875",
    ),
    "R3": ("gpt-4o-mini-2024-07-18", "openai", dict(input_tokens=5000, output_tokens=4096), "0.0032076"),
    "R4": ("gemini-2.5-flash", "google", dict(input_tokens=2000, cache_read_tokens=1000, output_tokens=200), "0.00083"),
}


@pytest.mark.parametrize("name", list(HAND))
def test_hand_checked_record_costs_match_genai_prices(name):
    model, provider, usage, hand = HAND[name]
    price = calc_price(Usage(**usage), model_ref=model, provider_id=provider, genai_request_timestamp=AT)
    assert price.total_price == Decimal(hand)


def test_fixture_totals_are_the_sums_of_their_hand_checked_records():
    cost = {name: Decimal(case[3]) for name, case in HAND.items()}
    every = cost["R1"] + cost["R2"] + cost["R3"] + cost["R4"]
    no_ttl = every - cost["R2"] + cost["R2 (no TTL)"]
    assert str(every) == "0.0237576" and str(no_ttl) == "0.0226326"
    # + the span naming no model, priced with --model gpt-4o-2024-08-06: 10 x 2.50 + 5 x 10 = 0.000075
    assert cost["R1"] + cost["R2 (no TTL)"] + Decimal("0.000075") == Decimal("0.01867")
    assert cost["R3"] + cost["R4"] == Decimal("0.0040376")
    assert cost["R1"] + cost["R3"] + cost["R4"] == Decimal("0.0087576")


def run_json(cli, *args):
    result = cli("usage", *args, "--format", "json", "--engine", "stream")
    return result, json.loads(result.stdout) if result.stdout.strip() else None


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_format_totals_and_set_asides(cli, case):
    name, extra, requests, cost, refused, skipped, not_json, no_usage, formats = case
    result, doc = run_json(cli, str(FORMATS / name), *extra)
    assert result.exit_code == 0, result.stderr
    assert (doc["total"]["requests"], doc["total"]["cost"]) == (requests, cost)
    assert (doc["refused_records"], doc["skipped_records"]) == (refused, skipped)
    assert (doc["unparsed"]["invalid_json"], doc["unparsed"]["no_usage"]) == (not_json, no_usage)
    assert doc["formats"] == formats
    assert "Traceback" not in result.stderr


def test_otlp_reads_current_and_legacy_provider_attributes(cli):
    _, doc = run_json(cli, str(FORMATS / "otlp_traces.jsonl"))
    keys = {g["key"]: g for g in doc["groups"]}
    assert keys["gpt-4o-2024-08-06"]["cached_tokens"] == 1024  # gen_ai.provider.name span
    assert keys["claude-sonnet-4-5-20250929"]["cache_write_tokens"] == 1500  # gen_ai.system span
    assert keys["(no model)"]["cost"] is None


def test_refusals_name_the_field_and_the_place(cli):
    result, doc = run_json(cli, str(FORMATS / "otlp_traces.jsonl"))
    assert doc["refused_first"] == [f"{FORMATS / 'otlp_traces.jsonl'}:2: gen_ai.usage.output_tokens is negative (-5)"]
    assert "1 record refused for values no provider writes" in result.stderr


@pytest.mark.parametrize(
    "name, by, expected",
    [
        ("otlp_traces.jsonl", "app.prompt", {"support-triage", "draft-reply", "(no tag)"}),
        (
            "litellm_spend_logs.json",
            "request_tags.prompt",
            {"support-triage", "draft-reply", "summarise-ticket", "classify-intent"},
        ),
        (
            "litellm_spend_logs.csv",
            "metadata.spend_logs_metadata.prompt",
            {"support-triage", "draft-reply", "summarise-ticket", "classify-intent"},
        ),
        (
            "langfuse_observations.json",
            "promptName",
            {"support-triage", "draft-reply", "summarise-ticket", "classify-intent"},
        ),
        ("helicone_export.csv", "prompt", {"support-triage", "draft-reply", "summarise-ticket", "classify-intent"}),
    ],
)
def test_by_names_a_tag_where_each_format_keeps_it(cli, name, by, expected):
    result, doc = run_json(cli, str(FORMATS / name), "--by", by)
    assert result.exit_code == 0, result.stderr
    assert {g["key"] for g in doc["groups"]} == expected


def test_a_list_of_tags_is_one_sorted_group_key(cli):
    _, doc = run_json(cli, str(FORMATS / "litellm_spend_logs.json"), "--by", "request_tags")
    assert "prompt:support-triage,route:primary" in {g["key"] for g in doc["groups"]}


def test_route_tags_from_span_attributes(cli):
    _, doc = run_json(cli, str(FORMATS / "otlp_traces.jsonl"), "--route-field", "app.route")
    assert doc["routing"]["first_requests"] == 1


def test_buckets_cannot_give_percentiles_or_per_request_figures(cli):
    result, doc = run_json(cli, str(FORMATS / "anthropic_usage_report.json"))
    total = doc["total"]
    assert total["output_p95"] is None and total["cost_per_request"] is None and total["suggested_max_tokens"] is None
    assert "do not say how many requests they hold" in result.stderr
    _, openai = run_json(cli, str(FORMATS / "openai_usage_completions.json"))
    assert Decimal(openai["total"]["cost_per_request"]) == (Decimal("8.2276") / 2400).quantize(Decimal("1e-10"))
    assert openai["total"]["output_p50"] is None


def test_mixing_reports_and_request_logs_warns_of_double_counting(cli):
    result, _ = run_json(cli, str(FORMATS / "openai_usage_completions.json"), str(FORMATS / "litellm_spend_logs.json"))
    assert "counted twice" in result.stderr


def test_cost_buckets_alone_are_no_usage(cli):
    result, _ = run_json(cli, str(FORMATS / "openai_costs.json"))
    assert result.exit_code == 2
    assert "1 record skipped: cost bucket (money, no token counts)" in result.stderr


@pytest.mark.parametrize(
    "name", ["otlp_logs.jsonl", "litellm_spend_logs.csv", "langfuse_observations.json", "helicone_export.jsonl"]
)
def test_compare_works_from_each_format(cli, name):
    path = str(FORMATS / name)
    result, doc = run_json(cli, "--compare", path, path)
    assert result.exit_code == 0, result.stderr
    assert doc["change"]["cost_per_request"]["delta"] == "0"


def test_split_at_works_on_a_gateway_export(cli):
    _, doc = run_json(cli, str(FORMATS / "litellm_spend_logs.json"), "--split-at", "2026-11-03")
    assert (doc["before"]["total"]["requests"], doc["after"]["total"]["requests"]) == (2, 2)


@pytest.mark.parametrize(
    "name, columns, requests, p95",
    [
        ("otlp_logs.jsonl", None, 3, 4096),
        ("litellm_spend_logs.json", None, 4, 4096),
        ("helicone_export.csv", None, 4, 4096),
        ("langfuse_observations.json", None, 4, 4096),
        ("warehouse.csv", WAREHOUSE_COLUMNS, 3, 4096),
        ("openai_usage_completions.json", None, 2400, None),
    ],
)
def test_calibrate_works_from_each_format(name, columns, requests, p95):
    measured = calibrate([str(FORMATS / name)], columns=columns)
    assert measured.source.startswith(f"{name}: {requests:,} requests")
    assert measured.output_tokens_p95 == p95


def test_calibrate_refuses_reports_without_request_counts():
    from promptaudit.errors import UsageError

    with pytest.raises(UsageError, match="do not count their requests"):
        calibrate([str(FORMATS / "anthropic_usage_report.json")])


def test_openai_buckets_give_requests_per_day_over_their_whole_span():
    measured = calibrate([str(FORMATS / "openai_usage_completions.json")])
    assert measured.requests_per_day == Decimal("1200.00")  # 2,400 requests over two full daily buckets


def test_unknown_columns_say_how_to_map_them(cli, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("when,what\n1,2\n")
    result = cli("usage", str(table))
    assert result.exit_code == 2
    assert "give --columns input=COL,output=COL" in result.stderr


def test_a_bad_column_mapping_is_a_usage_error(cli):
    result = cli("usage", str(FORMATS / "warehouse.csv"), "--columns", "inptu=tokens_in")
    assert result.exit_code == 2 and "unknown key 'inptu'" in result.stderr

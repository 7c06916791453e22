"""``promptaudit usage`` through the CLI: exact JSON against hand-computed dollars, exit codes, inputs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "usage"
HAND = str(DATA / "handchecked.jsonl")

# gpt-4o list prices: $2.50 input, $1.25 cached input, $10 output per million tokens.
# Three gpt-4o requests: inputs 4000 (2048 cached), 2000, 1000; outputs 500, 300, 1000.
UNCACHED = (4000 - 2048 + 2000 + 1000) * 2.50 / 1e6  # 0.01238
CACHED = 2048 * 1.25 / 1e6  # 0.00256
OUTPUT = (500 + 300 + 1000) * 10 / 1e6  # 0.018

GPT_4O = {
    "key": "gpt-4o",
    "requests": 3,
    "input_tokens": 7000,
    "cached_tokens": 2048,
    "cache_write_tokens": 0,
    "output_tokens": 1800,
    "cost": "0.03294",
    "cost_split": {
        "uncached_input": "0.01238",
        "cached_input": "0.00256",
        "cache_writes": "0",
        "output": "0.018",
        "server_tools": "0",
    },
    "cost_per_request": "0.01098",
    "unpriced_requests": 0,
    "cache_hit_rate": 0.2926,
    "cache_saving": "0.00256",  # 2048 cached tokens x ($2.50 - $1.25) per million
    "cache_write_premium": "0",
    "cache_paid_off": None,
    "output_p50": 500,
    "output_p95": 1000,
    "output_p99": 1000,
    "output_max": 1000,
    "cap_hit_rate": 0.3333,
    "suggested_max_tokens": 1280,
    "max_tokens_saving": "0",
}


def run_json(cli, *args):
    result = cli("usage", *args, "--format", "json")
    return result, json.loads(result.stdout)


def test_hand_checked_dollars(cli):
    assert round(UNCACHED + CACHED + OUTPUT, 8) == 0.03294
    result, doc = run_json(cli, HAND)
    assert result.exit_code == 0
    assert doc["groups"][0] == GPT_4O
    assert doc["groups"][1]["key"] == "mystery-model-9"
    assert doc["groups"][1]["cost"] is None and doc["groups"][1]["unpriced_requests"] == 1
    assert doc["total"]["cost"] is None and doc["total"]["requests"] == 4
    assert doc["unparsed_lines"] == 0
    assert set(doc["prices"]) == {"source", "as_of", "as_of_basis"}
    assert "mystery-model-9" in result.stderr and "cost is unknown" in result.stderr


def test_routing_reports_the_fallback_rate_seen(cli):
    _, doc = run_json(cli, HAND)
    assert doc["routing"]["first_requests"] == 3 and doc["routing"]["fallback_requests"] == 1
    assert doc["routing"]["fallback_rate"] == 0.3333
    assert doc["routing"]["saving"] is None  # a first attempt went to a model without a price


@pytest.mark.parametrize(
    "args, keys",
    [
        (["--by", "tag", "--tag-field", "metadata.prompt"], ["reply", "triage"]),
        (["--by", "day"], ["2026-11-02", "2026-11-03"]),
        (["--since", "2026-11-03"], ["gpt-4o", "mystery-model-9"]),
        (["--until", "2026-11-02"], ["gpt-4o"]),
        (["--since", "2026-11-02T09:30:00Z", "--until", "2026-11-03T10:00"], ["gpt-4o"]),
    ],
)
def test_grouping_and_time_filters(cli, args, keys):
    result, doc = run_json(cli, HAND, *args)
    assert result.exit_code == 0
    assert [g["key"] for g in doc["groups"]] == keys


def test_until_a_date_includes_that_day(cli):
    _, doc = run_json(cli, HAND, "--until", "2026-11-02")
    assert doc["total"]["requests"] == 2


def test_every_provider_format_is_read(cli):
    result, doc = run_json(cli, str(DATA / "providers.jsonl"), "--model", "gpt-4o")
    assert result.exit_code == 0
    assert sum(doc["formats"].values()) == 8 and doc["unparsed_lines"] == 0
    claude = next(g for g in doc["groups"] if g["key"].startswith("claude"))
    assert claude["cache_write_tokens"] == 3000 and claude["cache_paid_off"] is True


def test_malformed_lines_do_not_fail_the_run(cli):
    result, doc = run_json(cli, str(DATA / "malformed.jsonl"))
    assert result.exit_code == 0
    assert doc["unparsed_lines"] == 4
    assert doc["unparsed"]["first_lines"][0].endswith("malformed.jsonl:2")
    assert "4 lines matched no usage format" in result.stderr
    # "prompt_tokens": "many" is a usage record with a bad value: refused, and said why
    assert doc["refused_records"] == 1
    assert doc["refused_first"] == [f"{DATA / 'malformed.jsonl'}:6: prompt_tokens is not a whole number ('many')"]


def test_split_at_compares_before_and_after(cli):
    result, doc = run_json(cli, HAND, "--split-at", "2026-11-03")
    assert result.exit_code == 0
    assert doc["before"]["total"]["requests"] == 2 and doc["after"]["total"]["requests"] == 2
    assert doc["change"]["output_tokens_mean"] == {"before": 400, "after": 550, "delta": 150, "percent": 37.5}


def test_compare_two_logs(cli, tmp_path):
    after = tmp_path / "after.jsonl"
    after.write_text(Path(HAND).read_text().splitlines()[0] + "\n")
    result, doc = run_json(cli, "--compare", HAND, str(after))
    assert result.exit_code == 0
    change = doc["change"]["cost_per_request"]
    assert change["after"] == "0.01244"  # 1952 x 2.50 + 2048 x 1.25 + 500 x 10, per million
    assert doc["change"]["cache_hit_rate"]["after"] == 0.512


def test_truncated_gzip_reports_and_exits_2(cli):
    result, doc = run_json(cli, str(DATA / "truncated.jsonl.gz"))
    assert result.exit_code == 2
    assert doc["total"]["requests"] == 64
    assert "truncated" in result.stderr and "Traceback" not in result.stderr


def test_stdin_and_gzip_stdin(cli):
    data = Path(HAND).read_bytes()
    for payload in (data, gzip.compress(data)):
        result = cli("usage", "-", "--format", "json", input=payload)
        assert result.exit_code == 0
        assert json.loads(result.stdout)["total"]["requests"] == 4


@pytest.mark.parametrize(
    "content, message",
    [(None, "no such file"), (b"", "no usage records"), (b"\x00\x00\x00", "looks binary")],
)
def test_bad_inputs_give_one_line_and_exit_2(cli, tmp_path, content, message):
    path = tmp_path / "log.jsonl"
    if content is not None:
        path.write_bytes(content)
    result = cli("usage", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "name at least one log file"),
        (["--by", "tag", HAND], "--by tag needs --tag-field"),
        (["--since", "last week", HAND], "--since must be an ISO date"),
        (["--compare", HAND, HAND, HAND], "not both"),
    ],
)
def test_usage_mistakes_exit_2(cli, args, message):
    result = cli("usage", *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize("fmt, expected", [("table", "Cost by model"), ("markdown", "### Cost by model")])
def test_human_formats(cli, fmt, expected):
    result = cli("usage", HAND, "--format", fmt)
    assert result.exit_code == 0
    assert expected in result.stdout and "$0.03" in result.stdout


def test_config_usage_keys_are_validated(cli, tmp_path):
    config = tmp_path / "pa.yaml"
    config.write_text("usage:\n  tag_field: metadata.prompt\n")
    _, doc = run_json(cli, HAND, "--by", "tag", "--config", str(config))
    assert [g["key"] for g in doc["groups"]] == ["reply", "triage"]
    config.write_text("usage:\n  colour: blue\n")
    assert cli("usage", HAND, "--config", str(config)).exit_code == 2

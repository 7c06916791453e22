"""The DuckDB engine against the streaming one: the same report, record for record, on every fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptaudit.usage import engine
from promptaudit.usage.scan import ScanOptions, scan

duckdb = pytest.importorskip("duckdb")

DATA = Path(__file__).parent.parent / "data" / "usage"
FORMATS = DATA / "formats"
WAREHOUSE = (
    "time=event_time,model=llm_model,input=tokens_in,cached=tokens_cached,output=tokens_out,tag=feature,stop=stop"
)
GROUPINGS = [[], ["--by", "day"], ["--by", "metadata.prompt"], ["--split-at", "2026-11-03"], ["--since", "2026-11-02"]]


def report(cli, *args) -> dict:
    result = cli("usage", *args, "--format", "json")
    assert result.exit_code in (0, 2), result.stderr
    if not result.stdout.strip():  # nothing to report: the same message either way
        return {"exit": result.exit_code, "said": [line.split(" first at ")[0] for line in result.stderr.splitlines()]}
    doc = json.loads(result.stdout)
    for key in ("inputs", "refused_first"):
        doc.pop(key)
    doc["unparsed"].pop("first_lines")
    return doc


def both(cli, *args) -> tuple[dict, dict]:
    return report(cli, *args, "--engine", "stream"), report(cli, *args, "--engine", "duckdb")


@pytest.mark.parametrize("grouping", GROUPINGS, ids=lambda g: " ".join(g) or "model")
@pytest.mark.parametrize("name", ["handchecked.jsonl", "providers.jsonl", "malformed.jsonl"])
def test_provider_logs_read_the_same(cli, name, grouping):
    stream, duck = both(cli, str(DATA / name), *grouping)
    assert duck == stream


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FORMATS.glob("*.jsonl")) + ["helicone_export.csv", "litellm_spend_logs.csv"]
)
def test_other_formats_read_the_same(cli, name):
    stream, duck = both(cli, str(FORMATS / name), "--by", "day")
    assert duck == stream


def _lines(tmp_path: Path, name: str, records: list) -> str:
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return str(path)


CHAT = {"object": "chat.completion", "model": "gpt-4o-2024-08-06", "created": 1793520000,
        "choices": [{"index": 0, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 2000, "completion_tokens": 300, "prompt_tokens_details": {"cached_tokens": 1024}}}  # fmt: skip
MESSAGE = {"type": "message", "model": "claude-sonnet-4-5-20250929", "stop_reason": "max_tokens",
           "usage": {"input_tokens": 100, "cache_read_input_tokens": 3000, "cache_creation_input_tokens": 500,
                     "cache_creation": {"ephemeral_1h_input_tokens": 200}, "output_tokens": 512}}  # fmt: skip
ODD = [
    {**CHAT, "model": 5},
    {**CHAT, "usage": {"prompt_tokens": 12.5}},
    {**CHAT, "usage": {"prompt_tokens": "12"}},
    {**CHAT, "usage": {"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 20}}},
    {**CHAT, "choices": {"finish_reason": "length"}, "candidates": [{"finishReason": "MAX_TOKENS"}]},
    {**CHAT, "choices": [{"finish_reason": 0, "finishReason": "length"}]},
    {**CHAT, "choices": ["x", {"finish_reason": "length"}]},
    {**CHAT, "created": "2026-11-02T10:00:00Z"},
    {**CHAT, "created": "2026-11-02 10:00"},
    {**CHAT, "created": True},
    {**CHAT, "created": -5},
    {"error": {"message": "rate limited"}},
    {"usage": {"prompt_tokens": 5, "completion_tokens": 1}},
    "not json",
    '{"truncated": ',
]


@pytest.mark.parametrize(
    "wrap",
    [
        lambda r: r,
        lambda r: {"ts": 1793523600, "metadata": {"prompt": "p1", "route": "fallback"}, "response": r},
        lambda r: {"custom_id": "req-1", "response": {"status_code": 200, "body": r}},
        lambda r: {"custom_id": "req-1", "result": {"type": "succeeded", "message": r}},
    ],
    ids=["bare", "wrapped", "openai-batch", "anthropic-batch"],
)
def test_odd_lines_are_judged_by_the_streaming_rules(cli, tmp_path, wrap):
    records = [wrap(CHAT), wrap(MESSAGE), *(r if isinstance(r, str) else wrap(r) for r in ODD), wrap(CHAT)]
    log = _lines(tmp_path, "odd.jsonl", records)
    for grouping in ([], ["--by", "day"], ["--by", "metadata.prompt", "--route-field", "metadata.route"]):
        stream, duck = both(cli, log, *grouping)
        assert duck == stream


def test_a_clean_log_takes_the_typed_path(tmp_path, monkeypatch):
    from promptaudit.usage.duck import read as duck

    calls = []
    real = duck._leftovers
    monkeypatch.setattr(duck, "_leftovers", lambda *a: calls.append(a) or real(*a))
    log = _lines(tmp_path, "clean.jsonl", [CHAT, CHAT])
    result = scan([log], ScanOptions(engine="duckdb"))
    assert sum(g.total(0) for g in result.groups()) == 2 and calls == []
    assert result.engines[log] == "jsonl via duckdb"


def _parquet(tmp_path: Path) -> str:
    out = tmp_path / "warehouse.parquet"
    csv = str(FORMATS / "warehouse.csv").replace("'", "''")
    duckdb.sql(
        f"COPY (SELECT * REPLACE (CAST(event_time AS TIMESTAMPTZ) AS event_time, TRY_CAST(tokens_in AS BIGINT) AS"
        f" tokens_in, CAST(tokens_cached AS BIGINT) AS tokens_cached, CAST(tokens_out AS BIGINT) AS tokens_out)"
        f" FROM read_csv('{csv}', all_varchar=true)) TO '{out}' (FORMAT parquet)"
    )
    return str(out)


def test_parquet_reads_as_its_csv_does(cli, tmp_path):
    parquet = _parquet(tmp_path)
    for grouping in ([], ["--by", "tag"], ["--by", "day"]):
        from_csv = report(cli, str(FORMATS / "warehouse.csv"), "--columns", WAREHOUSE, *grouping, "--engine", "stream")
        from_parquet = report(cli, parquet, "--columns", WAREHOUSE, *grouping)
        assert from_parquet == from_csv
    assert from_parquet["total"]["cost"] == "0.0087576"


def test_project_calibrates_from_parquet(tmp_path):
    from promptaudit.usage.results.calibrate import calibrate

    measured = calibrate([_parquet(tmp_path)], columns=WAREHOUSE)
    assert measured.source.startswith("warehouse.parquet: 3 requests") and measured.output_tokens_p95 == 4096


def test_compare_from_parquet(cli, tmp_path):
    parquet = _parquet(tmp_path)
    result = cli(
        "usage", "--compare", parquet, str(FORMATS / "warehouse.csv"), "--columns", WAREHOUSE, "--format", "json"
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["change"]["requests"]["delta"] == 0


def test_without_duckdb_everything_but_parquet_streams(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "available", lambda: False)
    monkeypatch.setattr(engine, "AUTO_MIN_BYTES", 0)
    result = cli("usage", str(DATA / "handchecked.jsonl"), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["inputs"][0]["read_as"] == "jsonl via stream"
    parquet = cli("usage", _parquet(tmp_path), "--columns", WAREHOUSE)
    assert parquet.exit_code == 2 and "pip install 'promptaudit[duckdb]'" in parquet.stderr
    forced = cli("usage", str(DATA / "handchecked.jsonl"), "--engine", "duckdb")
    assert forced.exit_code == 2 and "--engine duckdb needs DuckDB" in forced.stderr


def test_large_logs_choose_duckdb_when_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "AUTO_MIN_BYTES", 10)
    log = _lines(tmp_path, "big.jsonl", [CHAT] * 3)
    assert engine.choose("jsonl", log, "auto") == "duckdb"
    assert engine.choose("jsonl", "-", "auto") == "stream"
    assert engine.choose("json", log, "auto") == "stream"


def _priced_line(model: str, prompt: int, when: str, **extra) -> dict:
    body = {"object": "chat.completion", "model": model, "choices": [{"finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": 100}, **extra}  # fmt: skip
    return {"ts": when, "metadata": {"prompt": model}, "response": body}


def test_prices_that_vary_by_size_time_and_tier_are_grouped_in_sql(cli, tmp_path, monkeypatch):
    from promptaudit.usage.duck import read as duck

    leftovers = []
    monkeypatch.setattr(duck, "_leftovers", lambda *a: leftovers.append(a))
    records = [
        _priced_line("claude-sonnet-4-5-20250929", 210_000, "2026-03-02T10:00:00Z"),
        _priced_line("claude-sonnet-4-5-20250929", 150_000, "2026-03-02T10:00:00Z"),
        _priced_line("deepseek-chat", 10_000, "2026-11-25T09:00:00Z"),
        _priced_line("deepseek-chat", 10_000, "2026-11-25T17:00:00Z"),
        _priced_line("o3-2025-04-16", 20_000, "2025-05-01T12:00:00Z"),
        _priced_line("o3-2025-04-16", 20_000, "2026-11-01T12:00:00Z"),
        _priced_line("gpt-5-2025-08-07", 6_000, "2026-11-25T10:00:00Z", service_tier="flex"),
    ]
    log = _lines(tmp_path, "priced.jsonl", records)
    for grouping in ([], ["--by", "metadata.prompt"], ["--by", "day"]):
        stream, duck_doc = both(cli, log, *grouping)
        assert duck_doc == stream
    assert leftovers == []


def test_a_line_longer_than_the_fast_paths_buffer_reads_the_same(cli, tmp_path):
    """The typed read uses DuckDB's default object size (parallel buffers); a longer line is read by the raw path."""
    from promptaudit.usage.duck import read as duck

    long_reply = {**CHAT, "choices": [{"index": 0, "finish_reason": "length",
                                       "message": {"content": "x" * (duck.FAST_LINE_BYTES + 10)}}]}  # fmt: skip
    path = _lines(tmp_path, "long.jsonl", [CHAT, long_reply, MESSAGE, CHAT])
    stream, duck_report = both(cli, path)
    assert duck_report == stream and duck_report["total"]["requests"] == 4

"""Record parsing per provider format, normalisation, timestamps, readers and percentiles."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from promptaudit.errors import InputError
from promptaudit.usage.records.logfile import LogFile, read_lines
from promptaudit.usage.records.values import to_epoch
from promptaudit.usage.results.calibrate import calibrate
from promptaudit.usage.results.stats import percentiles, suggested_cap, tokens_over
from promptaudit.usage.scan import ScanOptions, scan
from promptaudit.usage.sources.responses import parse

DATA = Path(__file__).parent.parent / "data" / "usage"
PROVIDER_LINES = (DATA / "providers.jsonl").read_text().splitlines()

# fmt, model, input (incl. cached), cache read, 5m write, 1h write, output, capped, batch
EXPECTED = [
    ("openai-chat", "gpt-4o-2024-08-06", 2000, 1024, 0, 0, 300, False, False),
    ("openai-responses", "gpt-4o-2024-08-06", 1500, 0, 0, 0, 256, True, False),
    ("openai-chat (batch)", "gpt-4o-mini", 1000, 0, 0, 0, 100, False, True),
    ("anthropic", "claude-sonnet-4-5-20250929", 3100, 0, 3000, 0, 512, True, False),
    ("anthropic (batch)", "claude-sonnet-4-5-20250929", 3050, 3000, 0, 0, 200, False, True),
    ("gemini", "gemini-2.5-flash", 4000, 2048, 0, 0, 1000, True, False),
    ("openai-chat usage", None, 10, 0, 0, 0, 5, None, False),
    ("gemini usage", None, 7, 0, 0, 0, 3, None, False),
]


@pytest.mark.parametrize("line, expected", list(zip(PROVIDER_LINES, EXPECTED)))
def test_each_provider_shape_is_normalised(line, expected):
    rec = parse(json.loads(line))
    assert (rec.fmt, rec.model, rec.input, rec.cache_read, rec.cache_write_5m, rec.cache_write_1h) == expected[:6]
    assert (rec.output, rec.capped, rec.batch) == expected[6:]


def test_anthropic_one_hour_writes_are_split_out():
    usage = {"input_tokens": 10, "cache_creation_input_tokens": 500, "cache_read_input_tokens": 0, "output_tokens": 1}
    usage["cache_creation"] = {"ephemeral_5m_input_tokens": 200, "ephemeral_1h_input_tokens": 300}
    rec = parse({"type": "message", "model": "claude-haiku-4-5", "usage": usage})
    assert (rec.input, rec.cache_write_5m, rec.cache_write_1h) == (510, 200, 300)


def test_tag_and_route_come_from_dotted_paths_in_the_wrapper():
    line = {"ts": 1, "metadata": {"prompt": "p1", "route": "fallback"}, "response": {"usage": {"prompt_tokens": 1}}}
    rec = parse(line, ("metadata", "prompt"), ("metadata", "route"))
    assert (rec.tag, rec.route, rec.timestamp) == ("p1", "fallback", 1.0)


@pytest.mark.parametrize(
    "value, expected",
    [
        (1793520000, 1793520000.0),
        (1793520000123, 1793520000.123),
        ("2026-11-01T08:00:00Z", 1793520000.0),
        ("2026-11-01T09:00:00+01:00", 1793520000.0),
        ("2026-11-01T08:00:00", 1793520000.0),
        ("1793520000", 1793520000.0),
        ("yesterday", None),
        (True, None),
    ],
)
def test_timestamps(value, expected):
    assert to_epoch(value) == expected


def test_malformed_lines_are_counted_with_their_line_numbers():
    result = scan([str(DATA / "malformed.jsonl")], ScanOptions())
    assert result.unparsed == {"invalid_json": 1, "no_usage": 3}
    assert [w.rsplit(":", 1)[1] for w in result.first_unparsed] == ["2", "3", "5", "7"]
    assert result.refused == 1 and result.first_refused[0].endswith(":6: prompt_tokens is not a whole number ('many')")
    assert sum(g.total(0) for g in result.groups()) == 2


def test_truncated_gzip_keeps_the_lines_read_so_far():
    log = LogFile(str(DATA / "truncated.jsonl.gz"))
    assert sum(1 for _ in read_lines(log)) == 64
    assert "truncated" in log.truncated


@pytest.mark.parametrize(
    "content, message",
    [(None, "no such file"), (b"\x00\x01\x02binary", "looks binary"), (b"\x1f\x8bnot really gzip", "gzip")],
)
def test_unreadable_inputs_raise_one_clear_error(tmp_path, content, message):
    path = tmp_path / "log.jsonl"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(read_lines(LogFile(str(path))))


def test_gzip_is_detected_by_content_not_name(tmp_path):
    path = tmp_path / "log.txt"
    path.write_bytes(gzip.compress(b'{"prompt_tokens": 1}\n'))
    assert list(read_lines(LogFile(str(path)))) == [b'{"prompt_tokens": 1}\n']


def test_percentiles_use_nearest_rank():
    hist = {length: 1 for length in range(1, 101)}
    assert percentiles(hist) == {50: 50, 95: 95, 99: 99}
    assert percentiles({}) == {50: None, 95: None, 99: None}
    assert percentiles({300: 1, 500: 1, 1000: 1}) == {50: 500, 95: 1000, 99: 1000}


def test_suggested_cap_has_headroom_and_counts_excess():
    assert suggested_cap(1000) == 1280
    assert tokens_over({100: 3, 1500: 2}, 1280) == 440


def test_calibrate_measures_the_hand_checked_log():
    cal = calibrate([str(DATA / "handchecked.jsonl")])
    assert cal.source == "handchecked.jsonl: 4 requests, 2026-11-02 to 2026-11-03"
    assert str(cal.requests_per_day) == "3.69"  # 4 requests over 26 hours
    assert (cal.output_tokens_mean, cal.output_tokens_p95, cal.input_tokens_mean) == (475, 1000, 2000)
    assert cal.cache_hit_rate == pytest.approx(2048 / 8000)


def test_calibrate_filters_by_model_and_refuses_an_empty_result():
    assert calibrate([str(DATA / "handchecked.jsonl")], model="gpt-4o").output_tokens_mean == 600
    with pytest.raises(Exception, match="no usage records for model"):
        calibrate([str(DATA / "handchecked.jsonl")], model="gpt-5")

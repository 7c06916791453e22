"""The hot loop's shortcuts give exactly what the plain paths give: JSON decoding, records, and whole reports."""

from __future__ import annotations

import codecs
import gzip
import json
import random
import sys
import zlib
from pathlib import Path

import pytest

from promptaudit.usage.records.logfile import LogFile, read_lines
from promptaudit.usage.scan import ScanOptions, scan
from promptaudit.usage.sources.responses import fields, parse
from promptaudit.usage.stream.decoding import json_loader, stdlib_loads

DATA = Path(__file__).parent.parent / "data" / "usage"
ROUTE = ("metadata", "route")

LINES = [
    b'{"usage": {"prompt_tokens": 1}}\n',
    b'{"usage": {"prompt_tokens": 1}}',
    b'{"a": 1} \t\r\n',
    b'  {"a": 1}\n',  # leading whitespace: json.loads accepts it
    b'{"a": 1} x\n',  # trailing data
    b'{"a": 1}\x0b\n',  # whitespace to str.strip(), not to JSON
    b'{"a": 1}{"b": 2}\n',
    codecs.BOM_UTF8 + b'{"a": 1}\n',
    b'{"text": "caf\xc3\xa9 \xe2\x82\xac"}\n',  # valid UTF-8
    b'{"text": "caf\xe9"}\n',  # Latin-1, not UTF-8
    b'{"text": "\xed\xa0\x80"}\n',  # an encoded surrogate: json.loads decodes it with surrogatepass
    b"1\x00\n",
    b"\x00{}\n",
    b'"just a string"\n',
    b"[1, 2]\n",
    b"NaN\n",
    b"12345678901234567890123\n",
    b"",
    b"\n",
    b"   \n",
    b"{",
    b'{"a": 1,\n',
    b"nul",
]


def _outcome(loads, line: bytes):
    try:
        return "ok", loads(line)
    except ValueError as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("line", LINES)
def test_stdlib_loads_matches_json_loads_exactly(line):
    assert _outcome(stdlib_loads(), line) == _outcome(json.loads, line)


def test_without_orjson_the_stdlib_loads_is_used(monkeypatch):
    monkeypatch.setitem(sys.modules, "orjson", None)
    assert json_loader()(b'{"a": [1]}\n') == {"a": [1]}
    assert json_loader() is not json.loads


@pytest.mark.parametrize("line", (DATA / "providers.jsonl").read_text().splitlines())
def test_fields_without_timestamps_differ_from_parse_only_in_the_timestamp(line):
    record = parse(json.loads(line), (), ROUTE)
    fmt, model, counts, capped, batch, stamp, tag, route, tier, searches = fields(
        json.loads(line), (), ROUTE, timed=False
    )
    assert stamp is None
    assert (fmt, model, *counts, capped, batch, record.timestamp, tag, route, tier, searches) == tuple(record)


def _report(path: str, **options) -> tuple:
    result = scan([path], ScanOptions(route_path=ROUTE, **options))
    groups = {side: [(g.key, g.classes, g.output_hist) for g in result.groups(side)] for side in result.sides}
    return groups, result.formats, result.unparsed, result.first_unparsed, result.no_model, result.filtered_out


@pytest.mark.parametrize(
    "options",
    [{}, {"by": "day"}, {"by": "all", "only_model": "gpt-4o"}, {"split_at": 1793700000.0}, {"since": 1793600000.0}],
)
@pytest.mark.parametrize("name", ["handchecked.jsonl", "providers.jsonl", "malformed.jsonl"])
def test_scans_are_the_same_with_and_without_orjson(monkeypatch, name, options):
    pytest.importorskip("orjson")
    with_orjson = _report(str(DATA / name), **options)
    monkeypatch.setitem(sys.modules, "orjson", None)
    assert _report(str(DATA / name), **options) == with_orjson


def test_time_span_is_tracked_only_when_asked():
    assert scan([str(DATA / "handchecked.jsonl")], ScanOptions(by="all")).groups()[0].first is None
    spanned = scan([str(DATA / "handchecked.jsonl")], ScanOptions(by="all", span=True)).groups()[0]
    assert spanned.first is not None and spanned.last - spanned.first > 0


def _gzip_lines_until_error(path: Path) -> list[bytes]:
    """What iterating a GzipFile line by line yields before the stream fails (the reference)."""
    lines: list[bytes] = []
    try:
        with gzip.open(path) as stream:
            lines.extend(stream)
    except (EOFError, OSError, zlib.error):
        pass
    return lines


@pytest.mark.parametrize("damage", ["truncate", "flip", "garble"])
def test_damaged_gzip_stops_after_the_same_line_as_gzipfile(tmp_path, damage):
    rng = random.Random(11)
    text = b"".join(
        b'{"usage": {"prompt_tokens": %d}, "pad": "%s"}\n' % (i, b"x" * rng.randrange(200)) for i in range(20_000)
    )
    data = bytearray(gzip.compress(text))
    at = len(data) // 2
    if damage == "truncate":
        del data[at:]
    else:
        for i in range(at, at + (8 if damage == "flip" else 300)):
            data[i] = data[i] ^ 0x5A if damage == "flip" else rng.randrange(256)
    path = tmp_path / "damaged.jsonl.gz"
    path.write_bytes(bytes(data))
    log = LogFile(str(path))
    assert list(read_lines(log)) == _gzip_lines_until_error(path)
    assert log.truncated is not None

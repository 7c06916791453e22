"""Tables of usage: CSV (streaming here, or DuckDB) and Parquet (DuckDB), read through a column mapping.

A table is read one of three ways, decided per file from its header:

1. LiteLLM spend-log or Helicone export columns: read as those formats (see gateways.py), nested values
   held as JSON text cells;
2. a mapping given with ``--columns input=COL,output=COL,...`` (or ``usage: columns:`` in config);
3. otherwise the common column names in ``AUTO_NAMES`` (``prompt_tokens``, ``completion_tokens``, ...).

Mapping keys (``COLUMN_KEYS``): ``input`` (the whole prompt, cached tokens included) or ``uncached`` (the
part not read from or written to a cache: input is then uncached + cached + writes), ``cached``,
``cache_write`` (5-minute or unknown TTL), ``cache_write_1h``, ``output`` (reasoning included), ``model``,
``time``, ``stop`` (a finish reason), ``batch`` (true/1/yes), ``requests`` (the row is a pre-aggregated
bucket of that many requests), and ``tag``/``route`` (shorthands for ``--tag-field``/``--route-field``).
"""

from __future__ import annotations

import csv
import io

from promptaudit.errors import InputError, UsageError
from promptaudit.usage.records.logfile import LogFile, read_lines
from promptaudit.usage.records.normal import Bucket, capped_from, pick, record, stamp_of
from promptaudit.usage.records.values import (
    MAX_BUCKET_TOKENS,
    MAX_REQUEST_TOKENS,
    BadValue,
    checked,
    model_name,
    tokens,
)
from promptaudit.usage.sources.gateways import gateway_kind, gateway_record

COLUMN_KEYS = (
    "input",
    "uncached",
    "cached",
    "cache_write",
    "cache_write_1h",
    "output",
    "model",
    "time",
    "stop",
    "batch",
    "requests",
    "tag",
    "route",
)
COUNT_KEYS = ("input", "uncached", "cached", "cache_write", "cache_write_1h", "output")
AUTO_NAMES = {
    "input": ("input_tokens", "prompt_tokens", "tokens_in"),
    "cached": ("cached_tokens", "input_cached_tokens"),
    "output": ("output_tokens", "completion_tokens", "tokens_out"),
    "model": ("model", "model_name", "response_model"),
    "time": ("timestamp", "ts", "time", "created_at", "start_time", "startTime", "created", "date"),
    "stop": ("finish_reason", "stop_reason"),
    "requests": ("num_model_requests",),
}
TRUE_WORDS = frozenset(("true", "1", "yes", "batch"))
CSV_FIELD_LIMIT = 16 * 1024 * 1024


def parse_columns(text: str | dict | None) -> dict[str, str]:
    """``input=tokens_in,output=tokens_out`` (or a config mapping) as {key: column}; UsageError when wrong."""
    if not text:
        return {}
    pairs = text.items() if isinstance(text, dict) else (_pair(part) for part in str(text).split(",") if part.strip())
    mapping = {}
    for key, column in pairs:
        if key not in COLUMN_KEYS:
            raise UsageError(f"--columns: unknown key {key!r}; use {', '.join(COLUMN_KEYS)}")
        if not isinstance(column, str) or not column:
            raise UsageError(f"--columns: {key} needs a column name")
        mapping[key] = column
    if "input" in mapping and "uncached" in mapping:
        raise UsageError("--columns: give input (the whole prompt) or uncached, not both")
    return mapping


def _pair(part: str) -> tuple[str, str]:
    key, sep, column = part.partition("=")
    if not sep:
        raise UsageError(f"--columns: {part.strip()!r} is not KEY=COLUMN")
    return key.strip(), column.strip()


def table_plan(header: list[str], columns: dict[str, str], path: str) -> tuple[str, dict[str, str]]:
    """How to read a table: ("litellm"|"helicone", {}) or ("mapped", mapping); InputError when unknown."""
    kind = gateway_kind(dict.fromkeys(header, ""))
    if kind in ("litellm", "helicone") and not columns:
        return kind, {}
    mapping = columns or _auto_mapping(header)
    missing = [c for c in mapping.values() if c not in header]
    if missing:
        raise InputError(path, f"no column {missing[0]!r} (columns: {', '.join(header[:20])})")
    if not ({"input", "uncached"} & mapping.keys()):
        raise InputError(
            path,
            f"no token columns recognised; give --columns input=COL,output=COL (columns: {', '.join(header[:20])})",
        )
    return "mapped", mapping


def _auto_mapping(header: list[str]) -> dict[str, str]:
    found = {}
    for key, names in AUTO_NAMES.items():
        for name in names:
            if name in header:
                found[key] = name
                break
    return found


def mapped_record(row: dict, mapping: dict[str, str], tag_path: tuple[str, ...], route_path: tuple[str, ...]):
    """The record in one table row (a Bucket when the table counts requests); BadValue when a cell is bad."""
    counts = {key: _cell_tokens(row, mapping, key) for key in COUNT_KEYS if key in mapping}
    writes = counts.get("cache_write", 0) + counts.get("cache_write_1h", 0)
    total = counts["input"] if "input" in mapping else counts["uncached"] + counts.get("cached", 0) + writes
    if "input" in mapping and row.get(mapping["input"]) in (None, ""):
        raise BadValue(f"{mapping['input']} is empty")
    tokens5 = checked(
        (
            total,
            counts.get("cached", 0),
            counts.get("cache_write", 0),
            counts.get("cache_write_1h", 0),
            counts.get("output", 0),
        )
    )
    model = model_name(_cell(row, mapping, "model"))
    stop = _cell(row, mapping, "stop")
    batch = str(_cell(row, mapping, "batch") or "").lower() in TRUE_WORDS
    tag = pick(row, tag_path) if tag_path else None
    route = pick(row, route_path) if route_path else None
    found = record("table", model, tokens5, capped_from(stop), batch, stamp_of(_cell(row, mapping, "time")), tag, route)
    if "requests" in mapping:
        return Bucket(found, tokens(_cell(row, mapping, "requests"), mapping["requests"], 10**12))
    return found


def _cell(row: dict, mapping: dict[str, str], key: str) -> object:
    value = row.get(mapping[key]) if key in mapping else None
    return None if value == "" else value


def _cell_tokens(row: dict, mapping: dict[str, str], key: str) -> int:
    limit = MAX_BUCKET_TOKENS if "requests" in mapping else MAX_REQUEST_TOKENS
    return tokens(_cell(row, mapping, key), mapping[key], limit)


def scan_csv(log: LogFile, counter) -> None:
    """Stream a CSV file row by row into the counter (memory: one row at a time)."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    text = io.TextIOWrapper(_BytesLines(read_lines(log)), encoding="utf-8", errors="replace", newline="")
    dialect = "excel-tab" if log.path.lower().endswith((".tsv", ".tsv.gz")) else "excel"
    reader = csv.reader(text, dialect)
    header = next(reader, None)
    if not header:
        raise InputError(log.path, "an empty CSV file (no header row)")
    kind, mapping = table_plan(header, counter.options.columns, log.path)
    tag_path, route_path = counter.paths
    for row in reader:
        where = f"{log.path}:{reader.line_num}"
        if len(row) != len(header):
            if any(cell.strip() for cell in row):
                counter.scan.bad_line(where, "invalid_json")
            continue
        values = dict(zip(header, row))
        counter.take([_row_record(kind, values, mapping, tag_path, route_path)], where)


def _row_record(kind: str, row: dict, mapping: dict[str, str], tag_path: tuple[str, ...], route_path: tuple[str, ...]):
    try:
        if kind == "mapped":
            return mapped_record(row, mapping, tag_path, route_path)
        return gateway_record(kind, row, tag_path, route_path)
    except BadValue as exc:
        return exc


class _BytesLines(io.RawIOBase):
    """The line reader (plain, gzip or stdin) seen as a byte stream, for the csv module's text wrapper."""

    def __init__(self, lines) -> None:
        self._lines, self._pending = lines, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            self._pending = next(self._lines, b"")
            if not self._pending:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size

"""Reading usage logs with DuckDB: provider-response JSON Lines, CSV and Parquet, aggregated in SQL.

DuckDB parses and groups on every core (see FAST_LINE_BYTES for what that needs); Python only sees one row per group (format, model, batch, stop,
tag, route, time side/day and output length) and counts it with the streaming reader's own counter, so
grouping, prices and reports are the same code whichever engine read the file. Memory stays bounded by the
number of groups (output lengths are at most the largest ``max_tokens`` in use), not by the file.

JSON Lines take the fast path (a typed, parallel read) when every line is clean; a file with malformed
lines, other formats or values to refuse is read again with each line's raw text, and the lines DuckDB does
not count itself go through the streaming reader's functions (see duck/sql.py). DuckDB gives no line
numbers, so problems are located by file only (``--engine stream`` locates them by line).
"""

from __future__ import annotations

import json
import os

from promptaudit.errors import InputError
from promptaudit.usage.duck.group import FETCH_ROWS, Stream, count_grouped, grouped_rows, quoted
from promptaudit.usage.duck.sql import macros, query, sql_type, structure
from promptaudit.usage.records.logfile import GZIP_MAGIC

MEMORY_LIMIT = "1GB"
MAX_LINE_BYTES = 64 * 1024 * 1024
# DuckDB's JSON reader sizes its read buffers to hold the largest object allowed, and a file is shared
# among threads buffer by buffer: at 64 MB a 100 MB log is read by one thread and a 500 MB one unevenly
# (measured with DuckDB 2.0.1: 1.02 s + 0.44 s of CPU on two threads for 200,000 lines, against 0.68 s +
# 0.58 s at 16 MB, DuckDB's default). The typed fast path uses the default; a longer line fails it and the
# file is read again by the raw path below, which allows MAX_LINE_BYTES like the streaming reader.
FAST_LINE_BYTES = 16 * 1024 * 1024


def connect():
    """An in-memory DuckDB with every core, a memory cap, UTC, no progress bar, and the helper macros."""
    import duckdb

    con = duckdb.connect(":memory:", config={"threads": os.cpu_count() or 1, "memory_limit": MEMORY_LIMIT})
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")
    from promptaudit.usage.duck import tables as duck_tables

    con.execute("SET preserve_insertion_order = false")
    for macro in (*macros(), *duck_tables.macros()):
        con.execute(macro)
    return con


def read(log, kind: str, counter) -> bool:
    """Read one file with DuckDB into the counter; False when it is better read by the streaming reader
    (JSON Lines of another format than provider responses, a damaged CSV); InputError when unreadable."""
    import duckdb

    log.size = os.path.getsize(log.path)
    body = body_of(log.path) if kind == "jsonl" else None
    if kind == "jsonl" and body is None:
        return False
    con = connect()
    try:
        if kind == "jsonl":
            _jsonl(con, log, counter, body)
        else:
            from promptaudit.usage.duck.tables import read_table

            read_table(con, log, kind, counter)
    except Stream:
        return False
    except duckdb.Error as exc:
        if kind == "csv":
            return False  # the streaming reader reads what it can and says which rows are damaged
        raise InputError(log.path, f"DuckDB cannot read it ({_first_line(exc)})") from None
    finally:
        con.close()
    return True


def body_of(path: str) -> str | None:
    """Where the first line keeps its provider response (a key of duck.sql.BODIES), or None when the first
    line is no provider response (another format: the streaming reader reads those)."""
    from promptaudit.usage.records.logfile import LogFile, read_lines
    from promptaudit.usage.sources.responses import fields

    for line in read_lines(LogFile(path)):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            found = fields(obj)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        if found is None or found[0].endswith(" usage"):
            return None
        return _where(obj)
    return None


def _where(obj: dict) -> str:
    inner = obj.get("response")
    if isinstance(inner, dict):
        return "batch" if isinstance(inner.get("body"), dict) else "response"
    result = obj.get("result")
    if isinstance(result, dict) and isinstance(result.get("message"), dict):
        return "anthropic-batch"
    return "root"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]


def _compression(path: str) -> str:
    with open(path, "rb") as raw:
        return "gzip" if raw.read(2) == GZIP_MAGIC else "none"


def _jsonl(con, log, counter, body: str) -> None:
    import duckdb

    tag_path, route_path = counter.paths
    shape = structure(body, tuple(dict.fromkeys(p[0] for p in (tag_path, route_path) if p)))
    common = f"format='newline_delimited', compression='{_compression(log.path)}'"
    options = f"{common}, maximum_object_size={MAX_LINE_BYTES}"
    columns = "{" + ", ".join(f"'{k}': '{sql_type(v)}'" for k, v in shape.items()) + "}"
    typed = f"read_json({quoted(log.path)}, {common}, maximum_object_size={FAST_LINE_BYTES}, columns={columns})"
    try:
        rows = grouped_rows(con, query(typed, body, tag_path, route_path), counter, raw=False)
    except duckdb.InvalidInputException:
        rows = None  # a malformed line or an unexpected shape: read again, line by line
    if rows is None or any(row[0] == "leftover" for row in rows):
        raw = f"read_json({quoted(log.path)}, {options}, records=false, ignore_errors=true, columns={{'json': 'JSON'}})"
        source = f"(SELECT unnest(json_transform(json, '{json.dumps(shape)}')), json AS raw_line FROM {raw})"
        sql = query(source, body, tag_path, route_path, raw=True)
        rows = grouped_rows(con, sql, counter, raw=True)
        count_grouped(rows, log, counter)
        if any(row[0] == "leftover" for row in rows):
            _leftovers(con, sql, log, counter)
    else:
        count_grouped(rows, log, counter)
    log.lines = sum(row[-1] for row in rows)


def _leftovers(con, sql: str, log, counter) -> None:
    """Lines DuckDB did not count: read by the streaming reader's own functions, a batch at a time."""
    from promptaudit.usage.stream.lines import count_line

    cursor = con.execute(f"SELECT raw_line FROM ({sql}) WHERE raw_line IS NOT NULL AND NOT clean AND NOT no_usage")
    where = f"{log.path} (DuckDB: no line numbers)"
    while batch := cursor.fetchmany(FETCH_ROWS):
        for (line,) in batch:
            count_line(line.encode(), where, counter)

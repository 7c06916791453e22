"""Reading usage logs with DuckDB: provider-response JSON Lines, CSV and Parquet, aggregated in SQL.

DuckDB parses and groups on every core; Python only sees one row per group (format, model, batch, stop,
tag, route, time side/day and output length) and counts it with the streaming reader's own counter, so
grouping, prices and reports are the same code whichever engine read the file. Memory stays bounded by the
number of groups (output lengths are at most the largest ``max_tokens`` in use), not by the file.

JSON Lines take the fast path (a typed, parallel read) when every line is clean; a file with malformed
lines, other formats or values to refuse is read again with each line's raw text, and the lines DuckDB does
not count itself go through the streaming reader's functions (see duck_sql.py). DuckDB gives no line
numbers, so problems are located by file only (``--engine stream`` locates them by line).
"""

from __future__ import annotations

import json
import os
from decimal import Decimal

from promptaudit.errors import InputError
from promptaudit.usage.duck_sql import macros, query, sql_type, structure
from promptaudit.usage.readers import GZIP_MAGIC

MEMORY_LIMIT = "1GB"
MAX_LINE_BYTES = 64 * 1024 * 1024
FETCH_ROWS = 10_000
DAY = 86_400


def connect():
    """An in-memory DuckDB with every core, a memory cap, UTC, no progress bar, and the helper macros."""
    import duckdb

    con = duckdb.connect(":memory:", config={"threads": os.cpu_count() or 1, "memory_limit": MEMORY_LIMIT})
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")
    from promptaudit.usage import duck_tables

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
            from promptaudit.usage.duck_tables import read_table

            read_table(con, log, kind, counter)
    except _Stream:
        return False
    except duckdb.Error as exc:
        if kind == "csv":
            return False  # the streaming reader reads what it can and says which rows are damaged
        raise InputError(log.path, f"DuckDB cannot read it ({_first_line(exc)})") from None
    finally:
        con.close()
    return True


class _Stream(Exception):
    """This file is better read by the streaming reader (a gateway's CSV export)."""


def body_of(path: str) -> str | None:
    """Where the first line keeps its provider response (a key of duck_sql.BODIES), or None when the first
    line is no provider response (another format: the streaming reader reads those)."""
    from promptaudit.usage.readers import LogFile, read_lines
    from promptaudit.usage.records import fields

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


def quoted(path: str) -> str:
    """A path as a SQL string literal."""
    return "'" + path.replace("'", "''") + "'"


def _compression(path: str) -> str:
    with open(path, "rb") as raw:
        return "gzip" if raw.read(2) == GZIP_MAGIC else "none"


def _jsonl(con, log, counter, body: str) -> None:
    import duckdb

    tag_path, route_path = counter.paths
    shape = structure(body, tuple(dict.fromkeys(p[0] for p in (tag_path, route_path) if p)))
    options = (
        f"format='newline_delimited', compression='{_compression(log.path)}', maximum_object_size={MAX_LINE_BYTES}"
    )
    columns = "{" + ", ".join(f"'{k}': '{sql_type(v)}'" for k, v in shape.items()) + "}"
    typed = f"read_json({quoted(log.path)}, {options}, columns={columns})"
    try:
        rows = grouped_rows(con, query(typed, body, tag_path, route_path), counter, raw=False)
    except duckdb.InvalidInputException:
        rows = None  # a malformed line or an unexpected shape: read again, line by line
    if rows is None or any(row[0] == "leftover" for row in rows):
        raw = f"read_json({quoted(log.path)}, {options}, records=false, ignore_errors=true, columns={{'json': 'JSON'}})"
        source = f"(SELECT unnest(json_transform(json, '{json.dumps(shape)}')), json AS raw_line FROM {raw})"
        sql = query(source, body, tag_path, route_path, raw=True)
        rows = grouped_rows(con, sql, counter, raw=True)
        _count_rows(rows, log, counter)
        _leftovers(con, sql, log, counter)
    else:
        _count_rows(rows, log, counter)
    log.lines = sum(row[-1] for row in rows)


def grouped_rows(con, rows_sql: str, counter, raw: bool) -> list:
    """The grouped rows of one file, each model whose prices vary with size or time split by price cell.

    Which models need cells is first guessed from those DuckDB finds; a model found only by the query is
    asked after it, and the query runs again with its cells (so the result never depends on the guess).
    """
    cells: dict = {}
    while True:
        rows = con.execute(_grouped(rows_sql, counter, raw, cells)).fetchall()
        wanted = _classifiers(rows, counter, cells)
        if wanted.keys() <= cells.keys():
            return rows
        cells.update(wanted)


def _classifiers(rows: list, counter, known: dict) -> dict:
    """(effective model, mode) -> Classifier for every priced pair in ``rows`` whose prices vary."""
    from promptaudit.usage.aggregate import NO_MODEL, price_mode

    classify = counter.options.classify
    if classify is None:
        return {}
    found = dict(known)
    for row in rows:
        if row[0] == "in":
            pair = (row[2] or counter.options.default_model or NO_MODEL, price_mode(row[4], row[3]))
            if pair not in found:
                found[pair] = classify(*pair)
    return {pair: c for pair, c in found.items() if c is not None}


def _cells_sql(cells: dict, default_model: str | None) -> tuple[str, str]:
    """SQL for each row's price cell (tier, period), as money.schedule.Classifier.key computes it."""
    if not cells:
        return "0", "0"
    model = f"coalesce(model, {_literal(default_model or '(no model)')})"
    mode = "CASE WHEN batch THEN 'batch' ELSE coalesce(service_tier, 'standard') END"
    tiers, periods = [], []
    for (name, how), c in cells.items():
        match = f"WHEN {model} = {_literal(name)} AND {mode} = {_literal(how)} THEN "
        tiers.append(match + (" + ".join(f"(n_input > {t})::INT" for t in c.thresholds) or "0"))
        when = f"coalesce(moment, {float(c.now)!r})"
        segment = " + ".join(f"({when} >= {float(b)!r})::INT" for b in c.boundaries) or "0"
        of_day = f"({when} - 86400 * floor({when} / 86400))"
        part = " + ".join(f"({of_day} >= {int(cut)})::INT" for cut in c.day_cuts) + " - 1"
        periods.append(match + f"({segment}) * {len(c.day_cuts)} + ({part})")
    return f"CASE {' '.join(tiers)} ELSE 0 END", f"CASE {' '.join(periods)} ELSE 0 END"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _grouped(rows_sql: str, counter, raw: bool, cells: dict) -> str:
    """Group the per-line rows by everything the counter keys on; other lines only by their class."""
    opts, window = counter.options, counter.window
    since, until, split = (("NULL" if v is None else repr(float(v))) for v in (opts.since, opts.until, opts.split_at))
    invalid = "WHEN raw_line IS NULL THEN 'invalid' " if raw else ""
    in_window = (
        f"(moment IS NOT NULL AND ({since} IS NULL OR moment >= {since}) AND ({until} IS NULL OR moment < {until}))"
    )
    klass = (
        f"CASE {invalid}WHEN no_usage THEN 'no_usage' WHEN NOT clean THEN 'leftover' "
        + (f"WHEN moment IS NULL THEN 'no_time' WHEN NOT {in_window} THEN 'out' " if window else "")
        + "ELSE 'in' END"
    )
    side = f"CASE WHEN {split} IS NULL THEN 'all' WHEN moment < {split} THEN 'before' ELSE 'after' END"
    day = "CASE WHEN moment > -1e29 THEN floor(moment / 86400)::BIGINT END" if counter.by_day else "NULL::BIGINT"
    tier, period = _cells_sql(cells, opts.default_model)
    keys = ("fmt", "model", "service_tier", "batch", "capped", "tag", "route_role", "side", "day", "n_output",
            "cell_tier", "cell_period")  # fmt: skip
    return f"""
SELECT klass, {", ".join(f"CASE WHEN klass = 'in' THEN {c} END" for c in keys)},
  sum(n_input), sum(n_read), sum(n_write_5m), sum(n_write_1h), sum(n_searches),
  min(moment), max(moment), count(*) FILTER (WHERE moment IS NULL), count(*)
FROM (SELECT *, {side} AS side, {day} AS day,
             CASE WHEN klass = 'in' THEN {tier} END AS cell_tier, CASE WHEN klass = 'in' THEN {period} END AS cell_period,
             CASE WHEN route IS NULL THEN NULL WHEN contains(lower(route), 'fallback') THEN 'fallback' ELSE 'first' END
             AS route_role
      FROM (SELECT *, {klass} AS klass FROM ({rows_sql})))
GROUP BY ALL"""


def _count_rows(rows: list, log, counter) -> None:
    """Count each group row with the streaming reader's counter (see _Counter.count_rows)."""
    scan = counter.scan
    for row in rows:
        klass, fmt, model, tier, batch, capped, tag, route, side, day, output, cell_tier, cell_period = row[:13]
        sums, (first, last, untimed, n) = row[13:18], row[18:]
        if klass == "in":
            when = (side, day) if counter.when else None
            key = (fmt, model, batch, tier, capped, tag, route, when)
            counter.count_rows(key, (cell_tier, cell_period), n, sums, output, (first, last, untimed))
        elif klass == "no_usage":
            scan.bad_line(f"{log.path} (DuckDB: no line numbers)", "no_usage", n)
        elif klass == "invalid":
            scan.bad_line(f"{log.path} (DuckDB: no line numbers)", "invalid_json", n)
        elif klass == "no_time":
            scan.no_timestamp_skipped += n
        elif klass == "out":
            scan.filtered_out += n


def _leftovers(con, sql: str, log, counter) -> None:
    """Lines DuckDB did not count: read by the streaming reader's own functions, a batch at a time."""
    from promptaudit.usage.scan import count_line

    cursor = con.execute(f"SELECT raw_line FROM ({sql}) WHERE raw_line IS NOT NULL AND NOT clean AND NOT no_usage")
    where = f"{log.path} (DuckDB: no line numbers)"
    while batch := cursor.fetchmany(FETCH_ROWS):
        for (line,) in batch:
            count_line(line.encode(), where, counter)


def plain(value: object) -> object:
    """A DuckDB value as the streaming readers see cells: numbers, text, ISO times."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value

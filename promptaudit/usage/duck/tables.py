"""CSV and Parquet tables in DuckDB, read through the same column mapping as sources/tabular.py.

Values are checked in SQL the way ``tabular.mapped_record`` checks cells; a row with anything else (a
fractional count, an unreadable time, a tag that is JSON text) is a leftover and goes through
``mapped_record`` itself, as Python values. Tables with LiteLLM or Helicone columns (JSON text cells) are
read by the streaming reader; Parquet ones are read through the automatic mapping.
"""

from __future__ import annotations

from promptaudit.usage.duck.group import FETCH_ROWS, SAMPLE_ROWS, Stream, count_grouped, grouped_rows, plain, quoted
from promptaudit.usage.records.values import (
    CAP_REASONS,
    MAX_BUCKET_TOKENS,
    MAX_MODEL_CHARS,
    MAX_REQUEST_TOKENS,
    BadValue,
)
from promptaudit.usage.sources.tabular import COUNT_KEYS, TRUE_WORDS, _auto_mapping, mapped_record, table_plan

CAPS = "[" + ", ".join(f"'{r}'" for r in sorted(CAP_REASONS)) + "]"
TRUE = "[" + ", ".join(f"'{w}'" for w in sorted(TRUE_WORDS)) + "]"
INTEGER_TYPES = frozenset(("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                           "UBIGINT"))  # fmt: skip
TIME_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "DATE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S")


def read_table(con, log, kind: str, counter) -> None:
    """Aggregate one CSV or Parquet table in SQL and count it; leftovers row by row."""
    source = _source(log.path, kind)
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {source})").fetchall())
    header = list(types)
    plan, mapping = table_plan(header, counter.options.columns, log.path)
    if plan != "mapped":
        if kind == "csv":
            raise Stream()
        plan, mapping = "mapped", _auto_mapping(header)
    tag_path, route_path = counter.paths
    rows_sql = _rows(source, mapping, types, tag_path, route_path)
    rows = grouped_rows(con, rows_sql, counter, raw=True, sample=None if kind == "parquet" else SAMPLE_ROWS)
    count_grouped(rows, log, counter)
    if any(row[0] == "leftover" for row in rows):
        _leftovers(con, rows_sql, _columns(mapping, types, tag_path, route_path), mapping, log, counter)
    log.lines = sum(row[-1] for row in rows)


def _source(path: str, kind: str) -> str:
    if kind == "parquet":
        return f"read_parquet({quoted(path)})"
    delim = "\\t" if path.lower().endswith((".tsv", ".tsv.gz")) else ","
    return f"read_csv({quoted(path)}, header=true, all_varchar=true, delim='{delim}', quote='\"', escape='\"')"


def _col(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(mapping: dict, key: str) -> str:
    return f"nullif(CAST({_col(mapping[key])} AS VARCHAR), '')" if key in mapping else "NULL::VARCHAR"


def _rows(source: str, mapping: dict, types: dict, tag_path: tuple, route_path: tuple) -> str:
    """One row per table row, in the shape duck.sql.query gives (so duck.read groups both)."""
    limit = MAX_BUCKET_TOKENS if "requests" in mapping else MAX_REQUEST_TOKENS
    counts = {key: _count(mapping, types, key, limit) for key in COUNT_KEYS}
    writes = f"{counts['cache_write']} + {counts['cache_write_1h']}"
    total = counts["input"] if "input" in mapping else f"{counts['uncached']} + {counts['cached']} + {writes}"
    model_type = types.get(mapping.get("model", ""), "VARCHAR")
    checks = [
        *(f"{expr} IS NOT NULL" for key, expr in counts.items() if key in mapping),
        f"{counts['cached']} + {writes} <= n_input",
        f"(model IS NULL OR length(model) <= {MAX_MODEL_CHARS})",
        "moment IS NULL OR moment > -1e29",
        "(tag IS NULL OR left(tag, 1) NOT IN ('[', '{'))",
        "(route IS NULL OR left(route, 1) NOT IN ('[', '{'))",
    ]
    if "input" in mapping:
        checks.append(f"{_col(mapping['input'])} IS NOT NULL")
    if model_type != "VARCHAR" or "requests" in mapping:
        # a model column of numbers (each row is refused by Python, with its value), or a table of buckets
        # (few rows: Python counts them as buckets)
        checks.append("false")
    stop = _text(mapping, "stop")
    batch = f"coalesce(lower({_text(mapping, 'batch')}) IN {TRUE}, false)"
    return f"""
SELECT 'table' AS fmt, {_text(mapping, "model")} AS model, NULL::VARCHAR AS service_tier, 0 AS n_searches,
  {total} AS n_input, {counts["cached"]} AS n_read,
  {counts["cache_write"]} AS n_write_5m, {counts["cache_write_1h"]} AS n_write_1h, {counts["output"]} AS n_output,
  CASE WHEN {stop} IS NULL THEN NULL ELSE {stop} IN {CAPS} END AS capped, {batch} AS batch,
  {_time(mapping, types)} AS moment, {_tag(tag_path, types)} AS tag, {_tag(route_path, types)} AS route,
  ({" AND ".join(f"({c})" for c in checks)}) AS clean, false AS no_usage, 1 AS raw_line,
  {", ".join(_col(c) for c in _columns(mapping, types, tag_path, route_path))}
FROM {source}"""


def _count(mapping: dict, types: dict, key: str, limit: int) -> str:
    """A clean count: integer columns compared as numbers, text (CSV) checked digit by digit (NULL: not clean)."""
    if key not in mapping:
        return "0"
    if types.get(mapping[key]) in INTEGER_TYPES:
        column = _col(mapping[key])
        return f"CASE WHEN {column} IS NULL THEN 0 WHEN {column} BETWEEN 0 AND {limit} THEN {column}::BIGINT END"
    return f"tokv({_text(mapping, key)}, {limit})"


def _time(mapping: dict, types: dict) -> str:
    if "time" not in mapping:
        return "NULL::DOUBLE"
    column, kind = _col(mapping["time"]), types.get(mapping["time"], "VARCHAR")
    if kind in TIME_TYPES:
        return f"epoch({column}::TIMESTAMPTZ)"
    if kind in INTEGER_TYPES:
        return f"from_number({column}::DOUBLE)"
    text, number = _text(mapping, "time"), f"TRY_CAST({_text(mapping, 'time')} AS DOUBLE)"
    return f"stamp(CASE WHEN {number} IS NOT NULL THEN {text} ELSE '\"' || {text} || '\"' END, {number})"


def _tag(path: tuple, types: dict) -> str:
    """A tag column (a one-part path); a deeper path is for Python to follow (``pick`` into JSON cells)."""
    if not path or path[0] not in types:
        return "NULL::VARCHAR"
    if len(path) > 1:
        return "'[deeper path]'"
    return f"CAST({_col(path[0])} AS VARCHAR)"


def _columns(mapping: dict, types: dict, tag_path: tuple, route_path: tuple) -> list[str]:
    roots = [p[0] for p in (tag_path, route_path) if p and p[0] in types]
    return list(dict.fromkeys([*mapping.values(), *roots]))


def macros() -> list[str]:
    """A clean count from table text: digits only, within the bound (NULL otherwise, or 0 when empty)."""
    return [
        """CREATE OR REPLACE MACRO tokv(v, bound) AS CASE WHEN v IS NULL THEN 0
            WHEN regexp_full_match(v, '[0-9]{1,16}') AND v::HUGEINT <= bound THEN v::BIGINT END"""
    ]


def _leftovers(con, rows_sql: str, names: list[str], mapping: dict, log, counter) -> None:
    """Rows SQL did not count: checked and counted by ``tabular.mapped_record``, a batch at a time."""
    tag_path, route_path = counter.paths
    cursor = con.execute(f"SELECT {', '.join(_col(c) for c in names)} FROM ({rows_sql}) WHERE NOT clean")
    where = f"{log.path} (DuckDB: no row numbers)"
    while batch := cursor.fetchmany(FETCH_ROWS):
        for values in batch:
            row = {name: plain(value) for name, value in zip(names, values)}
            try:
                counter.take([mapped_record(row, mapping, tag_path, route_path)], where)
            except BadValue as exc:
                counter.scan.refuse(where, exc)

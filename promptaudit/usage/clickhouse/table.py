"""Any ClickHouse table of usage through a column mapping (``--columns``, as for CSV and Parquet: tabular.py).

Each mapped column's type decides how SQL reads it, the way ``tabular.mapped_record`` reads its value:
integer, float and decimal counts are checked as numbers, text counts digit by digit; times may be
``DateTime``/``DateTime64``/``Date``, Unix seconds or milliseconds, or ISO 8601 text. A column of a type the
mapping cannot hold (a count in an ``Array``, a model that is a number) is refused with one line before any
query runs. Tables that count requests per row (``requests=COL``: usage-report buckets, few rows) are read row
by row in Python, as DuckDB does.
"""

from __future__ import annotations

from promptaudit.errors import InputError
from promptaudit.usage.clickhouse.sql import (
    CAPS,
    TRUE,
    joined,
    literal,
    model_clean,
    row_select,
    text_tag_clean,
    text_tokens,
)
from promptaudit.usage.duck.group import plain
from promptaudit.usage.records.values import MAX_BUCKET_TOKENS, MAX_REQUEST_TOKENS, BadValue
from promptaudit.usage.sources.tabular import COUNT_KEYS, _auto_mapping, mapped_record

NAME = "columns"
FORMAT = "table"
NOTES: tuple[str, ...] = ()
INTEGERS = ("Int", "UInt")
NUMBERS = ("Float", "Decimal")
ISO = r"'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?$'"


def base_type(kind: str) -> str:
    """``Nullable(LowCardinality(String))`` -> ``String``."""
    for wrapper in ("Nullable(", "LowCardinality("):
        while kind.startswith(wrapper):
            kind = kind[len(wrapper) : -1]
    return kind


def family(kind: str) -> str:
    """What a column's type can hold for the mapping: integer, bool, number, time, text or other."""
    kind = base_type(kind)
    if kind.startswith(INTEGERS) or kind == "Bool":
        return "bool" if kind == "Bool" else "integer"
    if kind.startswith(NUMBERS):
        return "number"
    if kind.startswith(("DateTime", "Date")):
        return "time"
    return "text" if kind in ("String",) or kind.startswith("FixedString") else "other"


ALLOWED = {"count": ("integer", "number", "text"), "model": ("text",), "stop": ("text",),
           "batch": ("text", "integer", "bool"), "time": ("time", "integer", "number", "text"),
           "tag": ("text", "integer")}  # fmt: skip


def plan(columns: dict[str, str], mapping: dict[str, str], shown: str) -> dict[str, str]:
    """The mapping to read (given, else the common names), checked against the table's columns and types."""
    mapping = mapping or _auto_mapping(list(columns))
    if not ({"input", "uncached"} & mapping.keys()):
        names = ", ".join(list(columns)[:20])
        raise InputError(shown, f"no token columns recognised; give --columns input=COL,output=COL (columns: {names})")
    for key, column in mapping.items():
        if column not in columns:
            raise InputError(shown, f"no column {column!r} (columns: {', '.join(list(columns)[:20])})")
        role = "count" if key in COUNT_KEYS or key == "requests" else key if key in ALLOWED else "tag"
        if family(columns[column]) not in ALLOWED[role]:
            raise InputError(shown, f"column {column} is {columns[column]}, which cannot hold {_what(role)}")
    return mapping


def _what(role: str) -> str:
    return {"count": "a token count", "model": "a model name", "stop": "a finish reason", "batch": "a batch flag",
            "time": "a time", "tag": "a tag"}[role]  # fmt: skip


def _count(column: str, kind: str, limit: int) -> str:
    """A clean count of one column (tabular._cell_tokens), NULL when SQL cannot vouch for it."""
    col, kind_of = quoted(column), family(kind)
    if kind_of == "integer":
        return f"multiIf({col} IS NULL, toUInt64(0), {col} >= 0 AND {col} <= {limit}, toUInt64({col}), NULL)"
    if kind_of == "number":
        good = f"isFinite(toFloat64({col})) AND {col} = floor({col}) AND {col} >= 0 AND {col} <= {limit}"
        return f"multiIf({col} IS NULL, toUInt64(0), {good}, toUInt64({col}), NULL)"
    return text_tokens(f"nullIf(toString({col}), '')", limit)


def quoted(column: str) -> str:
    """A column name quoted for SQL."""
    from promptaudit.usage.clickhouse.source import quote_name

    return quote_name(column)


def _time(column: str | None, kind: str) -> str:
    """Seconds since the epoch (values.to_epoch over duck.group.plain); -1e30 for text SQL does not read."""
    if column is None:
        return "CAST(NULL AS Nullable(Float64))"
    col, kind_of = quoted(column), family(kind)
    if kind_of == "time":
        return f"toUnixTimestamp64Micro(toDateTime64({col}, 6, 'UTC')) / 1e6"
    number = f"toFloat64({col})" if kind_of != "text" else f"toFloat64OrNull(toString({col}))"
    numeric = f"multiIf({number} >= 0 AND {number} < 1e15, if({number} > 1e11, {number} / 1000, {number}), NULL)"
    if kind_of != "text":
        return numeric
    text = f"nullIf(toString({col}), '')"
    iso = f"toUnixTimestamp64Micro(parseDateTime64BestEffort(replaceOne({text}, 'Z', '+00:00'), 6, 'UTC')) / 1e6"
    return f"multiIf({text} IS NULL, NULL, match({text}, '^[0-9]{{1,15}}$'), {numeric}, match({text}, {ISO}), {iso}, -1e30)"


def inner(columns: dict[str, str], mapping: dict[str, str], tag_path: tuple, route_path: tuple) -> list[str]:
    """The intermediate values of one table row (aliases ``x_*``)."""
    limit = MAX_BUCKET_TOKENS if "requests" in mapping else MAX_REQUEST_TOKENS
    counts = [f"{_count(mapping[k], columns[mapping[k]], limit)} AS x_{k}" for k in COUNT_KEYS if k in mapping]
    text = {key: f"nullIf(toString({quoted(mapping[key])}), '')" if key in mapping else "NULL" for key in
            ("model", "stop", "batch")}  # fmt: skip
    time_column = mapping.get("time")
    if "input" in mapping:  # an empty input cell is refused, not read as 0 (tabular.mapped_record)
        col = quoted(mapping["input"])
        counts.append(f"({col} IS NOT NULL AND toString({col}) != '') AS x_input_given")
    return [*counts, f"{text['model']} AS x_model", f"{text['stop']} AS x_stop",
            f"coalesce(lower({text['batch']}) IN {TRUE}, false) AS x_batch",
            f"{_time(time_column, columns.get(time_column or '', ''))} AS x_moment",
            f"{_tag(tag_path, columns)} AS x_tag", f"{_tag(route_path, columns)} AS x_route"]  # fmt: skip


def _tag(path: tuple, columns: dict[str, str]) -> str:
    if not path or path[0] not in columns:
        return "CAST(NULL AS Nullable(String))"
    if len(path) > 1:
        return "'[deeper path]'"  # normal.pick follows a path into JSON text: a leftover for Python
    return f"toString({quoted(path[0])})"


def rows(mapping: dict[str, str]) -> str:
    """The row shape from ``inner``'s values (tabular.mapped_record in SQL)."""

    def value(key: str) -> str:
        return f"x_{key}" if key in mapping else "toUInt64(0)"

    writes = f"{value('cache_write')} + {value('cache_write_1h')}"
    total = "x_input" if "input" in mapping else f"x_uncached + {value('cached')} + {writes}"
    checks = [f"x_{k} IS NOT NULL" for k in COUNT_KEYS if k in mapping]
    checks += [f"{value('cached')} + {writes} <= {total}", model_clean("x_model"), "x_moment IS NULL OR x_moment > -1e29",
               text_tag_clean("x_tag"), text_tag_clean("x_route"), "NOT startsWith(coalesce(x_tag, ''), '{')",
               "NOT startsWith(coalesce(x_route, ''), '{')"]  # fmt: skip
    if "input" in mapping:
        checks.append("x_input_given")
    if "requests" in mapping:
        checks.append("false")  # buckets: few rows, counted by Python as buckets
    return row_select(
        {
            "fmt": literal(FORMAT),
            "model": "x_model",
            "n_input": total,
            "n_read": value("cached"),
            "n_write_5m": value("cache_write"),
            "n_write_1h": value("cache_write_1h"),
            "n_output": value("output"),
            "capped": f"if(x_stop IS NULL, NULL, x_stop IN {CAPS})",
            "batch": "x_batch",
            "moment": "x_moment",
            "tag": "x_tag",
            "route": "x_route",
            "clean": joined(checks),
        }
    )


def raw(mapping: dict[str, str], columns: dict[str, str], tag_path: tuple, route_path: tuple) -> tuple[str, ...]:
    """What a leftover row is read from: the mapped columns and the tag columns, by name."""
    names = dict.fromkeys([*mapping.values(), *(p[0] for p in (tag_path, route_path) if p and p[0] in columns)])
    return tuple(f"{quoted(name)} AS {quoted('raw.' + name)}" for name in names)


def record(raw_row: dict, mapping: dict[str, str], tag_path: tuple, route_path: tuple) -> list:
    """One leftover row, read by ``tabular.mapped_record`` from its Python values."""
    row = {name[4:]: plain(value) for name, value in raw_row.items()}
    try:
        return [mapped_record(row, mapping, tag_path, route_path)]
    except BadValue as exc:
        return [exc]


def time_column(mapping: dict[str, str]) -> str | None:
    """The column a time filter can prune on."""
    return mapping.get("time")

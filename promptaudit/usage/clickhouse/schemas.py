"""Which schema a ClickHouse table has, checked against its column types, and the plan to read it.

Schemas known out of the box (``?schema=`` in the URL, else detected from the columns):

- ``otel-traces``: the OpenTelemetry Collector ClickHouse exporter's traces table (``SpanAttributes``);
- ``langfuse``: Langfuse v4's ``events_full``/``events_core`` or v3's ``observations`` (``usage_details``);
- ``columns``: any other table, through ``--columns`` (or the common column names), as CSV and Parquet are.

A table whose columns have other types than its schema's (a ``SpanAttributes`` that is not a map of text)
is refused with one line naming the column, the type found and the type expected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from promptaudit.errors import InputError
from promptaudit.usage.clickhouse import langfuse as ch_langfuse
from promptaudit.usage.clickhouse import otel as ch_otel
from promptaudit.usage.clickhouse import table as ch_table
from promptaudit.usage.clickhouse.source import Source

TEXT_MAPS = ("Map(LowCardinality(String), String)", "Map(String, String)")
COUNT_MAPS = tuple(
    f"Map({k}, {v})" for k in ("LowCardinality(String)", "String") for v in ("UInt64", "Int64", "UInt32")
)


@dataclass(frozen=True)
class Plan:
    """How to read one table: its rows in SQL (clickhouse.sql's shape) and its leftovers in Python."""

    schema: str
    table: str  # the FROM clause (FINAL for Langfuse's ReplacingMergeTree tables)
    where: str
    time_column: str | None
    inner: list[str]
    rows: str
    raw: tuple[str, ...]
    notes: tuple[str, ...]
    record: Callable[[dict], list]


def plan(
    source: Source,
    columns: dict[str, str],
    engine: str,
    options,
    tag_path: tuple,
    route_path: tuple,
    present: dict[str, set] | None = None,
) -> Plan:
    """The plan for ``source``'s table, whose columns (name -> type) and engine were read from the server;
    ``present``: for the OTel table, the attribute keys its maps hold (ch_otel.probe), so no lookup is wasted."""
    schema = source.schema
    if schema == "auto":
        schema = (
            "otel-traces" if "SpanAttributes" in columns else "langfuse" if "usage_details" in columns else "columns"
        )
    if options.columns and schema != "columns":
        raise InputError(source.display, f"--columns maps a generic table, but this is a {schema} table; drop it")
    if schema == "otel-traces":
        return _otel(source, columns, tag_path, route_path, present)
    make = {"langfuse": _langfuse, "columns": _columns}[schema]
    return make(source, columns, engine, options, tag_path, route_path)


def schema_of(source: Source, columns: dict[str, str]) -> str:
    """The schema the URL names, else the one the columns show."""
    if source.schema != "auto":
        return source.schema
    return "otel-traces" if "SpanAttributes" in columns else "langfuse" if "usage_details" in columns else "columns"


def _expect(source: Source, columns: dict[str, str], wanted: dict[str, tuple[str, ...]], schema: str) -> None:
    for column, types in wanted.items():
        found = columns.get(column)
        if found is None:
            raise InputError(source.display, f"no column {column}: not a {schema} table (columns: {_names(columns)})")
        if not found.startswith(types):
            raise InputError(source.display, f"column {column} is {found}; the {schema} schema has {types[0]}")


def _names(columns: dict[str, str]) -> str:
    return ", ".join(list(columns)[:20])


def check_otel(source: Source, columns: dict[str, str]) -> None:
    """The exporter's columns, with the exporter's types."""
    _expect(source, columns, {"Timestamp": ("DateTime64",), "SpanAttributes": TEXT_MAPS,
                              "ResourceAttributes": TEXT_MAPS}, ch_otel.NAME)  # fmt: skip


def _otel(source, columns, tag_path, route_path, present) -> Plan:
    check_otel(source, columns)
    record = partial(ch_otel.record, tag_path=tag_path, route_path=route_path)
    return Plan(ch_otel.NAME, source.qualified, ch_otel.where(), ch_otel.TIME_COLUMN,
                ch_otel.inner(tag_path, route_path, present), ch_otel.rows(), ch_otel.RAW, ch_otel.NOTES, record)  # fmt: skip


def _langfuse(source, columns, engine, options, tag_path, route_path) -> Plan:
    _expect(source, columns, {"start_time": ("DateTime64",), "type": ("LowCardinality(String)", "String"),
                              "usage_details": COUNT_MAPS, "provided_model_name": ("String", "Nullable(String)")},
            ch_langfuse.NAME)  # fmt: skip
    tags = [ch_langfuse.tag(path, columns) for path in (tag_path, route_path)]
    if tags[0] is None:
        fields = ", ".join(ch_langfuse.tag_columns(columns))
        raise InputError(source.display, f"no field {'.'.join(tag_path)} to group by on this table; use {fields}")
    final = " FINAL" if "ReplacingMergeTree" in engine else ""
    record = partial(ch_langfuse.record, tag_path=tag_path, route_path=route_path)
    inner = ch_langfuse.inner(columns, tags[0], tags[1] or "CAST(NULL AS Nullable(String))")
    return Plan(ch_langfuse.NAME, source.qualified + final, ch_langfuse.where(columns), ch_langfuse.TIME_COLUMN,
                inner, ch_langfuse.rows(), ch_langfuse.raw(columns), ch_langfuse.NOTES, record)  # fmt: skip


def _columns(source, columns, engine, options, tag_path, route_path) -> Plan:
    mapping = ch_table.plan(columns, options.columns, source.display)
    time_column = mapping.get("time")
    prunable = time_column if time_column and ch_table.family(columns[time_column]) == "time" else None
    record = partial(ch_table.record, mapping=mapping, tag_path=tag_path, route_path=route_path)
    return Plan(ch_table.NAME, source.qualified, "true", prunable and ch_table.quoted(prunable),
                ch_table.inner(columns, mapping, tag_path, route_path), ch_table.rows(mapping),
                ch_table.raw(mapping, columns, tag_path, route_path), ch_table.NOTES, record)  # fmt: skip

"""ClickHouse tables for the tests, made in chdb from each schema's documented DDL and filled from the fixtures.

- ``otel_traces``: the columns and types of the OpenTelemetry Collector ClickHouse exporter's traces table
  (opentelemetry-collector-contrib ``exporter/clickhouseexporter/internal/sql_templates/traces_table.sql``,
  commit ff7a946: the same names, types, partitioning and order; the bloom-filter indexes left out). Each
  OTLP span of a fixture becomes the row the exporter writes: attribute values as ``AsString`` gives them
  (integers as digits, doubles in shortest form, arrays and maps as JSON).
- ``events_full``: Langfuse v4's observations table (langfuse ``packages/shared/clickhouse/migrations``,
  the v4 events migration: the same columns and ``ReplacingMergeTree(event_ts, is_deleted)`` order; its
  full-text indexes, which need ClickHouse's experimental text index, left out), and ``observations``, v3's
  table (migration ``0002_observations``). Each observation of the Langfuse fixture becomes one row.
- ``usage``: a generic table for ``--columns``, one row per record the streaming reader counted.

A value a table cannot hold (a model that is a list, a count of 1e300 in a ``UInt64`` map) cannot be in
ClickHouse at all: such items are left out of the table *and* of the reference file the streaming reader
reads, so both read the same rows.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from unittest import mock

OTEL_DDL = """CREATE TABLE {db}.otel_traces (
    Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
    Links Nested (TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1))
) ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1"""

LANGFUSE_V4_DDL = """CREATE TABLE {db}.events_full (
    project_id String, trace_id String, span_id String, parent_span_id String,
    start_time DateTime64(6), end_time Nullable(DateTime64(6)),
    name String, type LowCardinality(String), environment LowCardinality(String) DEFAULT 'default',
    version String, release String, trace_name String, user_id String, session_id String, tags Array(String),
    level LowCardinality(String), status_message String, completion_start_time Nullable(DateTime64(6)),
    is_app_root Bool DEFAULT false, bookmarked Bool DEFAULT false, public Bool DEFAULT false,
    prompt_id String, prompt_name String, prompt_version Nullable(UInt16),
    model_id String, provided_model_name String, model_parameters String,
    provided_usage_details Map(LowCardinality(String), UInt64), usage_details Map(LowCardinality(String), UInt64),
    provided_cost_details Map(LowCardinality(String), Decimal(18, 12)), cost_details Map(LowCardinality(String), Decimal(18, 12)),
    usage_pricing_tier_id Nullable(String), usage_pricing_tier_name Nullable(String),
    tool_definitions Map(String, String), tool_calls Array(String), tool_call_names Array(String),
    input String CODEC(ZSTD(3)), output String CODEC(ZSTD(3)),
    metadata_names Array(String), metadata_values Array(String),
    source LowCardinality(String), service_name String, service_version String, scope_name String,
    scope_version String, blob_storage_file_path String, event_bytes UInt64,
    created_at DateTime64(6) DEFAULT now(), updated_at DateTime64(6) DEFAULT now(), event_ts DateTime64(6),
    is_deleted UInt8
) ENGINE = ReplacingMergeTree(event_ts, is_deleted)
PARTITION BY toYYYYMM(start_time)
PRIMARY KEY (project_id, toStartOfMinute(start_time), xxHash32(trace_id))
ORDER BY (project_id, toStartOfMinute(start_time), xxHash32(trace_id), span_id, start_time)"""

LANGFUSE_V3_DDL = """CREATE TABLE {db}.observations (
    id String, trace_id String, project_id String, type LowCardinality(String),
    parent_observation_id Nullable(String), start_time DateTime64(3), end_time Nullable(DateTime64(3)),
    name String, metadata Map(LowCardinality(String), String), level LowCardinality(String),
    status_message Nullable(String), version Nullable(String), input Nullable(String), output Nullable(String),
    provided_model_name Nullable(String), internal_model_id Nullable(String), model_parameters Nullable(String),
    provided_usage_details Map(LowCardinality(String), UInt64), usage_details Map(LowCardinality(String), UInt64),
    provided_cost_details Map(LowCardinality(String), Decimal64(12)), cost_details Map(LowCardinality(String), Decimal64(12)),
    total_cost Nullable(Decimal64(12)), completion_start_time Nullable(DateTime64(3)), prompt_id Nullable(String),
    prompt_name Nullable(String), prompt_version Nullable(UInt16), created_at DateTime64(3) DEFAULT now(),
    updated_at DateTime64(3) DEFAULT now(), event_ts DateTime64(3), is_deleted UInt8
) ENGINE = ReplacingMergeTree(event_ts, is_deleted)
PARTITION BY toYYYYMM(start_time)
ORDER BY (project_id, type, toDate(start_time), id)"""

GENERIC_DDL = """CREATE TABLE {db}.usage (
    event_time Nullable(DateTime64(6, 'UTC')), model Nullable(String), input_tokens UInt64, cached_tokens UInt64,
    write_5m UInt64, write_1h UInt64, output_tokens UInt64, finish_reason Nullable(String), is_batch Bool,
    tag Nullable(String), route Nullable(String)
) ENGINE = MergeTree ORDER BY tuple()"""
GENERIC_COLUMNS = ("input=input_tokens,cached=cached_tokens,cache_write=write_5m,cache_write_1h=write_1h,"
                   "output=output_tokens,model=model,time=event_time,stop=finish_reason,batch=is_batch,route=route")  # fmt: skip


def as_string(value: object) -> str:
    """An OTLP AnyValue as the exporter stores it (pcommon ``Value.AsString``)."""
    kind, inner = next(iter(value.items())) if isinstance(value, dict) and value else ("stringValue", "")
    if kind == "stringValue":
        return str(inner)
    if kind == "intValue":
        return str(int(inner))
    if kind == "doubleValue":
        number = float(inner)
        return str(int(number)) if number.is_integer() and abs(number) < 1e21 else repr(number)
    if kind == "boolValue":
        return "true" if inner else "false"
    from promptaudit.usage.sources.otlp import any_value

    return json.dumps(any_value(value), separators=(",", ":"))


def otel_rows(path) -> tuple[list[list], list[str]]:
    """Exporter rows of every span in an OTLP/JSON file, and the file's parseable lines (the reference)."""
    rows, lines = [], []
    for line in open(path, encoding="utf-8"):
        try:
            export = json.loads(line)
        except ValueError:
            continue
        lines.append(line)
        for resource in export.get("resourceSpans", []):
            shared = {a["key"]: as_string(a["value"]) for a in resource.get("resource", {}).get("attributes", [])}
            for scope in resource.get("scopeSpans", []):
                for span in scope.get("spans", []):
                    attrs = {a["key"]: as_string(a["value"]) for a in span.get("attributes", [])}
                    nanos = int(span.get("startTimeUnixNano") or 0)
                    when = datetime.fromtimestamp(nanos // 10**9, timezone.utc).replace(tzinfo=None)
                    rows.append([when, nanos % 10**9, span.get("name", ""), shared, attrs])
    return rows, lines


def fill_otel(client, db: str, path) -> list[str]:
    """Fill ``db.otel_traces`` from an OTLP/JSON file; the reference lines."""
    rows, lines = otel_rows(path)
    data = [
        [when.replace(tzinfo=timezone.utc), name, "app", resource, attrs] for when, _, name, resource, attrs in rows
    ]
    names = ["Timestamp", "SpanName", "ServiceName", "ResourceAttributes", "SpanAttributes"]
    client.insert(f"{db}.otel_traces", data, column_names=names)
    return lines


def _representable(item: dict) -> bool:
    usage = item.get("usageDetails") or {}
    counts = [v for k, v in usage.items() if k != "unit"]
    whole = all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**64 for v in counts)
    model = item.get("model")
    return whole and (model is None or isinstance(model, str)) and "unit" not in usage


def langfuse_items(path) -> list[dict]:
    """The observations of a Langfuse export a ClickHouse table can hold (see the module docstring)."""
    doc = json.load(open(path, encoding="utf-8"))
    items = doc["data"] if isinstance(doc, dict) else doc
    return [item for item in items if _representable(item)]


def _micros(text: str) -> str:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M:%S.%f")


def fill_langfuse(client, db: str, items: list[dict]) -> None:
    """One row per observation in v4's ``events_full`` and v3's ``observations``."""
    v4, v3 = [], []
    for n, item in enumerate(items):
        meta = {k: str(v) for k, v in (item.get("metadata") or {}).items()}
        start = datetime.fromisoformat(item["startTime"].replace("Z", "+00:00"))
        usage = item.get("usageDetails") or {}
        common = [item.get("traceId") or "t", start, item.get("name") or "", item.get("type") or "", usage]
        v4.append(
            [
                "p",
                item.get("id", f"o{n}"),
                *common,
                item.get("environment") or "default",
                item.get("promptName") or "",
                item.get("model") or "",
                list(meta),
                list(meta.values()),
                start,
                0,
            ]
        )
        v3.append(
            [
                "p",
                item.get("id", f"o{n}"),
                *common,
                item.get("environment") or "default",
                item.get("promptName"),
                item.get("model"),
                meta,
                start,
                0,
            ]
        )
    shared = ["trace_id", "start_time", "name", "type", "usage_details"]
    client.insert(
        f"{db}.events_full",
        v4,
        column_names=[
            "project_id",
            "span_id",
            *shared,
            "environment",
            "prompt_name",
            "provided_model_name",
            "metadata_names",
            "metadata_values",
            "event_ts",
            "is_deleted",
        ],
    )
    client.insert(
        f"{db}.observations",
        v3,
        column_names=[
            "project_id",
            "id",
            *shared,
            "level",
            "prompt_name",
            "provided_model_name",
            "metadata",
            "event_ts",
            "is_deleted",
        ],
    )


def counted_records(path: str, **options) -> list[tuple]:
    """Every record the streaming reader counts in a file (with the tag and route paths given)."""
    from promptaudit.usage import scan as scanning

    found: list[tuple] = []
    real = scanning._Counter.count

    def count(self, record):
        found.append(record)
        return real(self, record)

    with mock.patch.object(scanning._Counter, "count", count):
        scanning.scan([path], scanning.ScanOptions(engine="stream", span=True, **options))
    return found


def fill_generic(client, db: str, records: list[tuple]) -> None:
    """One row of the generic table per record (its normalised counts, model, time, stop, batch, tag, route)."""
    data = []
    for _fmt, model, counts, capped, batch, stamp, tag, route, *_ in records:
        finish = None if capped is None else "length" if capped else "stop"
        when = (
            None
            if stamp is None
            else datetime.fromtimestamp(0, timezone.utc) + timedelta(microseconds=round(stamp * 1e6))
        )
        data.append([when, model, *counts, finish, batch, tag, route])
    names = [
        "event_time",
        "model",
        "input_tokens",
        "cached_tokens",
        "write_5m",
        "write_1h",
        "output_tokens",
        "finish_reason",
        "is_batch",
        "tag",
        "route",
    ]
    if data:
        client.insert(f"{db}.usage", data, column_names=names)


def create(client, db: str) -> None:
    """The database and its four tables, empty."""
    client.command(f"DROP DATABASE IF EXISTS {db}")
    client.command(f"CREATE DATABASE {db}")
    for ddl in (OTEL_DDL, LANGFUSE_V4_DDL, LANGFUSE_V3_DDL, GENERIC_DDL):
        client.command(ddl.format(db=db))

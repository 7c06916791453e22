"""Langfuse's observations in ClickHouse as usage rows: v4's ``events_full``/``events_core`` and v3's ``observations``.

Langfuse v4 keeps every observation as a row of one wide table (``events_full``, with the lighter
``events_core`` beside it); v3 kept them in ``observations``. Both hold ``type``, ``start_time``,
``provided_model_name``, ``usage_details Map(LowCardinality(String), UInt64)`` (usage types as Langfuse sums
them: disjoint, ``input*``/``output*``/cache types), ``prompt_name``, ``name``, ``environment`` and the
metadata (v4: ``metadata_names``/``metadata_values`` arrays; v3: a ``Map``). Both are ReplacingMergeTree tables
with ``is_deleted``: rows are read ``FINAL`` and deleted ones left out, as Langfuse reads them. Only
``GENERATION`` observations count (gateways.langfuse); the SQL mirrors ``gateways._langfuse_counts``.
"""

from __future__ import annotations

from promptaudit.usage.clickhouse.sql import finish_capped, joined, literal, model_clean, row_select, text_tag_clean
from promptaudit.usage.records.values import MAX_REQUEST_TOKENS, BadValue
from promptaudit.usage.sources.gateways import TTL_DETAILS, langfuse

NAME = "langfuse"
FORMAT = "langfuse"
COLUMNS = {"start_time": "DateTime64", "type": "String", "usage_details": "Map(LowCardinality(String), UInt64)"}
TIME_COLUMN = "start_time"
NOTES: tuple[str, ...] = ()
# API field (as --by names it in an export) -> column of both versions
FIELDS = {"promptName": "prompt_name", "name": "name", "environment": "environment", "traceId": "trace_id",
          "userId": "user_id", "sessionId": "session_id", "traceName": "trace_name", "version": "version",
          "release": "release", "level": "level"}  # fmt: skip


def where(columns: dict[str, str]) -> str:
    """Generations that are not deleted."""
    return "type = 'GENERATION' AND is_deleted = 0" if "is_deleted" in columns else "type = 'GENERATION'"


def moment() -> str:
    """Seconds since the epoch of the observation's start."""
    return "toUnixTimestamp64Micro(toDateTime64(start_time, 6)) / 1e6"


def _metadata(columns: dict[str, str], key: str) -> str:
    """A metadata value by key, NULL when absent (v4's parallel arrays, or v3's map)."""
    k = literal(key)
    if "metadata_names" in columns:
        return f"if(has(metadata_names, {k}), metadata_values[indexOf(metadata_names, {k})], NULL)"
    return f"if(mapContains(metadata, {k}), metadata[{k}], NULL)"


def tag_columns(columns: dict[str, str]) -> list[str]:
    """What ``--by`` can name on this table (for the message when it names something else)."""
    return sorted(f for f, c in FIELDS.items() if c in columns) + ["metadata.KEY"]


def tag(path: tuple[str, ...], columns: dict[str, str]) -> str | None:
    """SQL for a tag path (an API field, its column, or ``metadata.KEY``); None when the table has no such thing."""
    if not path:
        return "CAST(NULL AS Nullable(String))"
    if path[0] == "metadata" and len(path) == 2:
        return _metadata(columns, path[1])
    column = FIELDS.get(path[0], path[0])
    if len(path) == 1 and column in columns:
        return f"nullIf(toString({column}), '')"
    return None


def _usage(condition: str) -> str:
    """The sum of the counted usage types whose lower-cased name meets ``condition`` (on ``k``)."""
    return f"arraySum(mapValues(mapFilter((k, v) -> {condition}, x_counted)))"


def inner(columns: dict[str, str], tag_sql: str, route_sql: str) -> list[str]:
    """The intermediate values of one observation (aliases ``x_*``)."""
    counted = "mapFilter((k, v) -> NOT (lower(k) IN ('total', 'unit') OR endsWith(lower(k), 'cost')), usage_details)"
    finish = _metadata(columns, "finish_reason")
    return [f"{counted} AS x_counted", "nullIf(toString(provided_model_name), '') AS x_model",
            f"{finish} AS x_finish", f"{tag_sql} AS x_tag", f"{route_sql} AS x_route", f"{moment()} AS x_moment",
            "arrayExists(k -> position(lower(k), 'input') > 0 OR position(lower(k), 'output') > 0"
            " OR position(lower(k), 'cache') > 0, mapKeys(usage_details)) AS x_has_tokens",
            "mapContains(usage_details, 'unit') AS x_unit"]  # fmt: skip


def rows() -> str:
    """The row shape from ``inner``'s values (gateways._langfuse_counts in SQL)."""
    ttl = f"lower(k) IN ({literal(TTL_DETAILS[0])}, {literal(TTL_DETAILS[1])})"
    output = f"NOT {ttl} AND position(lower(k), 'output') > 0"
    inputs = f"NOT {ttl} AND position(lower(k), 'output') = 0 AND (position(lower(k), 'input') > 0 OR position(lower(k), 'cache') > 0)"
    cache = f"{inputs} AND position(lower(k), 'cache') > 0"
    written = _usage(f"{cache} AND (position(lower(k), 'creation') > 0 OR position(lower(k), 'write') > 0)")
    one_hour = f"least({_usage(f'lower(k) = {literal(TTL_DETAILS[1])}')}, {written})"
    read = _usage(f"{cache} AND (position(lower(k), 'read') > 0 OR position(lower(k), 'cached') > 0)")
    clean = [
        f"arrayAll(v -> v <= {MAX_REQUEST_TOKENS}, mapValues(x_counted))",
        f"length(arrayFilter(k -> lower(k) = {literal(TTL_DETAILS[1])}, mapKeys(x_counted))) <= 1",
        f"{read} + {written} <= {_usage(inputs)}",
        "NOT x_unit",
        model_clean("x_model"),
        text_tag_clean("x_tag"),
        text_tag_clean("x_route"),
    ]
    return row_select(
        {
            "fmt": literal(FORMAT),
            "model": "x_model",
            "n_input": _usage(inputs),
            "n_read": read,
            "n_write_5m": f"{written} - {one_hour}",
            "n_write_1h": one_hour,
            "n_output": _usage(output),
            "capped": finish_capped("x_finish"),
            "moment": "x_moment",
            "tag": "x_tag",
            "route": "x_route",
            "clean": joined(clean),
            "no_usage": "NOT x_has_tokens",
        }
    )


def raw(columns: dict[str, str]) -> tuple[str, ...]:
    """What a leftover observation is read from."""
    metadata = "mapFromArrays(metadata_names, metadata_values)" if "metadata_names" in columns else "metadata"
    fields = tuple(f"{column} AS raw_{column}" for column in FIELDS.values() if column in columns)
    return ("type AS raw_type", "toUnixTimestamp64Micro(toDateTime64(start_time, 6)) AS raw_micros",
            "provided_model_name AS raw_model", "usage_details AS raw_usage", f"{metadata} AS raw_metadata",
            *fields)  # fmt: skip


def record(raw_row: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]) -> list:
    """One leftover observation as the API would give it, read by the Langfuse reader itself."""
    observation = {field: raw_row.get(f"raw_{column}") or None for field, column in FIELDS.items()}
    observation.update(type=raw_row["raw_type"], startTime=raw_row["raw_micros"] / 1e6, model=raw_row["raw_model"],
                       usageDetails=dict(raw_row["raw_usage"]), metadata=dict(raw_row["raw_metadata"]))  # fmt: skip
    try:
        found = langfuse(observation, tag_path, route_path)
    except BadValue as exc:
        return [exc]
    return [found] if found is not None else [None]

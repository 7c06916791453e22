"""The OpenTelemetry Collector ClickHouse exporter's traces table (``otel_traces``) as usage rows.

The exporter (opentelemetry-collector-contrib ``exporter/clickhouseexporter``) writes one row per span:
``Timestamp DateTime64(9)`` (the span's start), ``SpanAttributes`` and ``ResourceAttributes`` as
``Map(LowCardinality(String), String)``, every attribute value turned into text (``AsString``: integers as
digits, arrays as JSON). A span with a ``gen_ai.usage.*`` attribute is a request; its attributes mean what
they mean in an OTLP export (usage/sources/otlp.py), so the SQL below mirrors ``otlp.span_counts`` and ``_record``
rule for rule, span attributes over resource attributes.
"""

from __future__ import annotations

from promptaudit.usage.clickhouse.sql import (
    finish_capped,
    finish_clean,
    joined,
    literal,
    model_clean,
    row_select,
    text_tag_clean,
    text_tokens,
)
from promptaudit.usage.records.normal import decoded
from promptaudit.usage.sources import otlp

NAME = "otel-traces"
FORMAT = "otlp-trace"
COLUMNS = {"Timestamp": "DateTime64", "SpanAttributes": "Map(LowCardinality(String), String)",
           "ResourceAttributes": "Map(LowCardinality(String), String)"}  # fmt: skip
TIME_COLUMN = "Timestamp"
NOTES = (otlp.EXCLUDED_CACHE, otlp.EXCLUDED_REASONING)


BASE_KEYS = (*otlp.INPUT, *otlp.CACHE_READ, *otlp.CACHE_WRITE, *otlp.OUTPUT, *otlp.REASONING,
             *otlp.MODALITY_KEYS, *otlp.MODEL, *otlp.TIER, otlp.FINISH)  # fmt: skip


MAPS = ("SpanAttributes", "ResourceAttributes")


def keys_read(paths: tuple[tuple[str, ...], ...]) -> list[str]:
    """Every attribute key the SQL reads: the usage, model, tier and finish keys, and the tag and route keys."""
    wanted = [".".join(p) for p in paths if p] + [p[0] for p in paths if len(p) > 1]
    return list(dict.fromkeys((*BASE_KEYS, *wanted)))


def probe(paths: tuple[tuple[str, ...], ...]) -> str:
    """The SELECT list finding which of those keys each map holds anywhere (one cheap pass over the keys only)."""
    wanted = "[" + ", ".join(literal(k) for k in keys_read(paths)) + "]"
    return ", ".join(f"groupUniqArrayArray(arrayFilter(k -> has({wanted}, k), mapKeys({m})))" for m in MAPS)


class _Lookups:
    """One map lookup per attribute the SQL reads: ``h_N`` (the span or its resource has it) and ``a_N`` (its
    text, the span's over the resource's, '' when neither has it)."""

    def __init__(self, paths: tuple[tuple[str, ...], ...], present: dict[str, set] | None = None) -> None:
        self.keys = keys_read(paths)
        self.present = present  # the keys each map holds somewhere in the table (None: look every key up)

    def has(self, key: str) -> str:
        return f"h_{self.keys.index(key)}"

    def attr(self, key: str) -> str:
        return f"a_{self.keys.index(key)}"

    def first(self, keys: tuple[str, ...]) -> str:
        """The first attribute present (otlp._first), NULL when none is."""
        return "multiIf(" + ", ".join(f"{self.has(k)}, {self.attr(k)}" for k in keys) + ", NULL)"

    def tag(self, path: tuple[str, ...]) -> tuple[str, str]:
        """A tag (otlp._tag: the attribute by its full key) and when SQL reads it as Python does."""
        if not path:
            return "CAST(NULL AS Nullable(String))", "true"
        key = ".".join(path)
        value = f"if({self.has(key)}, {self.attr(key)}, NULL)"
        deeper = f"({self.has(key)} OR NOT {self.has(path[0])})" if len(path) > 1 else "true"
        return value, f"{text_tag_clean(value)} AND {deeper}"

    def select(self) -> list[str]:
        found = []
        for i, key in enumerate(self.keys):
            k = literal(key)
            found += [
                f"(mapContains(SpanAttributes, {k}) OR mapContains(ResourceAttributes, {k})) AS h_{i}",
                f"if(mapContains(SpanAttributes, {k}), SpanAttributes[{k}], ResourceAttributes[{k}]) AS a_{i}",
            ]
        return found


def where() -> str:
    """Spans that are requests: any ``gen_ai.usage.*`` attribute (otlp.otlp_records)."""
    prefix = literal(otlp.USAGE_PREFIX)
    return " OR ".join(
        f"arrayExists(k -> startsWith(k, {prefix}), mapKeys({column}))"
        for column in ("SpanAttributes", "ResourceAttributes")
    )


def moment() -> str:
    """Seconds since the epoch of the span's start; NULL for a zero time (otlp._nanos)."""
    return "if(toUnixTimestamp64Nano(Timestamp) > 0, toUnixTimestamp64Nano(Timestamp) / 1e9, NULL)"


def inner(tag_path: tuple[str, ...], route_path: tuple[str, ...], present: dict[str, set] | None = None) -> list[str]:
    """The intermediate values of one span (aliases ``t_*`` for texts, ``x_*`` for what they mean)."""
    look = _Lookups((tag_path, route_path), present)
    parts = {"input": otlp.INPUT, "read": otlp.CACHE_READ, "write": otlp.CACHE_WRITE, "output": otlp.OUTPUT,
             "reasoning": otlp.REASONING}  # fmt: skip
    texts = [f"{look.first(keys)} AS t_{name}" for name, keys in parts.items()]
    values = [f"{text_tokens(f't_{name}')} AS x_{name}" for name in parts]
    modal = joined(
        [f"{text_tokens(f'if({look.has(k)}, {look.attr(k)}, NULL)')} IS NOT NULL" for k in otlp.MODALITY_KEYS]
    )
    model0, model1 = (look.attr(k) for k in otlp.MODEL)
    tier0, tier1 = (look.attr(k) for k in otlp.TIER)
    tag, tag_ok = look.tag(tag_path)
    route, route_ok = look.tag(route_path)
    return [*look.select(), *texts, *values, f"multiIf({model0} != '', {model0}, {model1} != '', {model1}, NULL) AS x_model",
            f"if({tier0} != '', {tier0}, {tier1}) AS x_tier",
            f"if({look.has(otlp.FINISH)}, {look.attr(otlp.FINISH)}, NULL) AS x_finish", f"{tag} AS x_tag",
            f"{route} AS x_route", f"({tag_ok} AND {route_ok} AND {modal}) AS x_fine", f"{moment()} AS x_moment"]  # fmt: skip


def rows() -> str:
    """The row shape (clickhouse.sql.ROW_COLUMNS) from ``inner``'s values."""
    excluded = "x_input < x_read + x_write"
    counts = "x_input IS NOT NULL AND x_read IS NOT NULL AND x_write IS NOT NULL AND x_output IS NOT NULL"
    return row_select(
        {
            "fmt": literal(FORMAT),
            "model": "x_model",
            "service_tier": "if(x_tier IN ('flex', 'priority'), x_tier, NULL)",
            "n_input": f"if({excluded}, x_input + x_read + x_write, x_input)",
            "n_read": "x_read",
            "n_write_5m": "x_write",
            "n_output": "if(x_output < x_reasoning, x_output + x_reasoning, x_output)",
            "capped": finish_capped("x_finish"),
            "moment": "x_moment",
            "tag": "x_tag",
            "route": "x_route",
            "clean": joined(
                [counts, "x_reasoning IS NOT NULL", model_clean("x_model"), finish_clean("x_finish"), "x_fine"]
            ),  # fmt: skip
            "note": f"multiIf({excluded}, 1, x_output < x_reasoning, 2, 0)",
        }
    )


RAW = (
    "toUnixTimestamp64Nano(Timestamp) AS raw_nanos",
    "SpanAttributes AS raw_span",
    "ResourceAttributes AS raw_resource",
)


def record(raw: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]) -> list:
    """One leftover span, read by the OTLP reader's own rules (the exporter wrote arrays as JSON text)."""
    attrs = {**dict(raw["raw_resource"]), **dict(raw["raw_span"])}
    if otlp.FINISH in attrs:
        attrs[otlp.FINISH] = decoded(attrs[otlp.FINISH])
    return [otlp._guarded({"startTimeUnixNano": raw["raw_nanos"]}, attrs, FORMAT, tag_path, route_path)]

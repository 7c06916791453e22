"""OpenTelemetry GenAI telemetry as usage records: OTLP/JSON traces and logs, as a collector's file
exporter writes them (one ``ExportTraceServiceRequest`` or ``ExportLogsServiceRequest`` per line).

Each span or log record carrying ``gen_ai.usage.*`` attributes is one request; other spans (HTTP, database)
are ignored. Attribute names follow the GenAI semantic conventions, current and legacy:

- model: ``gen_ai.response.model``, else ``gen_ai.request.model``;
- provider: ``gen_ai.provider.name`` (current), else ``gen_ai.system`` (v1.36.0 and before);
- ``gen_ai.usage.input_tokens`` (legacy ``gen_ai.usage.prompt_tokens``) includes cached tokens, as the
  convention says it SHOULD; ``gen_ai.usage.cache_read.input_tokens`` and
  ``gen_ai.usage.cache_creation.input_tokens`` (legacy ``..._input_tokens`` spellings) are parts of it;
  the convention has no cache TTL, so writes count as 5-minute writes;
- ``gen_ai.usage.output_tokens`` (legacy ``completion_tokens``) includes reasoning tokens;
- ``gen_ai.response.finish_reasons`` says whether the reply hit its cap.

Tags are attributes of the span or of its resource, named by their full key (``--tag-field app.prompt``).
"""

from __future__ import annotations

from promptaudit.usage.normal import capped_from, pick, record, tier_of
from promptaudit.usage.values import BadValue, checked, model_name, tokens

USAGE_PREFIX = "gen_ai.usage."
NANOS = 1_000_000_000
INPUT = ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens")
OUTPUT = ("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens")
CACHE_READ = ("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens")
CACHE_WRITE = ("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens")


def is_otlp(obj: dict) -> bool:
    """Whether a decoded line is an OTLP/JSON traces or logs export."""
    return obj.get("resourceSpans") is not None or obj.get("resourceLogs") is not None


def otlp_records(obj: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]) -> list:
    """One record per GenAI span or log record (a BadValue in place of a record that holds a bad value)."""
    found: list = []
    for resource, items, kind in _items(obj):
        shared = attributes(resource.get("attributes") if isinstance(resource, dict) else None)
        for item in items:
            if not isinstance(item, dict):
                continue
            attrs = {**shared, **attributes(item.get("attributes"))}
            if any(key.startswith(USAGE_PREFIX) for key in attrs):
                found.append(_guarded(item, attrs, kind, tag_path, route_path))
    return found


def _items(obj: dict):
    """(resource, spans or log records, kind) for every scope in the export."""
    for outer, scopes_key, items_key, kind in (
        ("resourceSpans", "scopeSpans", "spans", "otlp-trace"),
        ("resourceLogs", "scopeLogs", "logRecords", "otlp-log"),
    ):
        for resource in _list(obj.get(outer)):
            if not isinstance(resource, dict):
                continue
            for scope in _list(resource.get(scopes_key)):
                if isinstance(scope, dict):
                    yield resource.get("resource"), _list(scope.get(items_key)), kind


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _guarded(item: dict, attrs: dict, kind: str, tag_path: tuple[str, ...], route_path: tuple[str, ...]):
    try:
        return _record(item, attrs, kind, tag_path, route_path)
    except BadValue as exc:
        return exc


def _record(item: dict, attrs: dict, kind: str, tag_path: tuple[str, ...], route_path: tuple[str, ...]) -> tuple:
    model = model_name(attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model"))
    counts = checked(
        (
            tokens(_first(attrs, INPUT), INPUT[0]),
            tokens(_first(attrs, CACHE_READ), CACHE_READ[0]),
            tokens(_first(attrs, CACHE_WRITE), CACHE_WRITE[0]),
            0,
            tokens(_first(attrs, OUTPUT), OUTPUT[0]),
        )
    )
    stamp = _nanos(item.get("startTimeUnixNano") or item.get("timeUnixNano") or item.get("observedTimeUnixNano"))
    capped = capped_from(attrs.get("gen_ai.response.finish_reasons"))
    tier = tier_of(attrs.get("openai.response.service_tier") or attrs.get("gen_ai.openai.response.service_tier"))
    return record(kind, model, counts, capped, False, stamp, _tag(attrs, tag_path), _tag(attrs, route_path), tier)


def _first(attrs: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        if attrs.get(key) is not None:
            return attrs[key]
    return None


def _tag(attrs: dict, path: tuple[str, ...]) -> str | None:
    """An attribute by its full dotted key, else a path into a structured attribute value."""
    if not path:
        return None
    whole = attrs.get(".".join(path))
    if whole is not None:
        return pick({"v": whole}, ("v",))
    return pick(attrs, path)


def _nanos(value: object) -> float | None:
    """Seconds from OTLP's nanoseconds since the epoch (a string in OTLP/JSON); None when unreadable."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        value = int(value)
    if value.__class__ is not int or not 0 < value < 10**20:  # type: ignore[operator]
        return None
    return value / NANOS  # type: ignore[operator]


def attributes(pairs: object) -> dict:
    """OTLP ``[{key, value: {stringValue|intValue|...}}]`` as a plain dict of Python values."""
    found = {}
    for pair in _list(pairs):
        if isinstance(pair, dict) and isinstance(pair.get("key"), str):
            found[pair["key"]] = any_value(pair.get("value"))
    return found


def any_value(value: object) -> object:
    """One OTLP AnyValue as a Python value (int64 arrives as text in OTLP/JSON and is turned back into a number)."""
    if not isinstance(value, dict):
        return None
    if "stringValue" in value:
        return value["stringValue"]
    if "intValue" in value:
        return _int(value["intValue"])
    for key in ("doubleValue", "boolValue"):
        if key in value:
            return value[key]
    if "arrayValue" in value:
        inner = value["arrayValue"].get("values") if isinstance(value["arrayValue"], dict) else None
        return [any_value(v) for v in _list(inner)]
    if "kvlistValue" in value:
        inner = value["kvlistValue"].get("values") if isinstance(value["kvlistValue"], dict) else None
        return attributes(inner)
    return None


def _int(text: object) -> object:
    if isinstance(text, str) and 0 < len(text) <= 21 and text.isascii() and text.lstrip("-").isdigit():
        return int(text)
    return text

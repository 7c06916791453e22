"""OpenTelemetry GenAI telemetry as usage records: OTLP/JSON traces and logs, as a collector's file
exporter writes them (one ``ExportTraceServiceRequest`` or ``ExportLogsServiceRequest`` per line).

Each span or log record carrying ``gen_ai.usage.*`` attributes is one request; other spans (HTTP, database)
are ignored. Attribute names follow the GenAI semantic conventions, current and legacy:

- model: ``gen_ai.response.model``, else ``gen_ai.request.model``;
- provider: ``gen_ai.provider.name`` (current), else ``gen_ai.system`` (v1.36.0 and before);
- ``gen_ai.usage.input_tokens`` (legacy ``gen_ai.usage.prompt_tokens``) includes cached tokens, as the
  convention says it SHOULD; cache reads (``gen_ai.usage.cache_read.input_tokens``) and writes
  (``gen_ai.usage.cache_write.input_tokens``, the 2026 name, or ``gen_ai.usage.cache_creation.input_tokens``)
  are parts of it; the convention has no cache TTL, so writes count as 5-minute writes. An input smaller than
  its cache reads and writes comes from an emitter that leaves cached input out (the Vercel AI SDK with
  Anthropic did): such a record counts input + reads + writes, with a warning;
- ``gen_ai.usage.output_tokens`` (legacy ``completion_tokens``) includes reasoning tokens
  (``gen_ai.usage.reasoning.output_tokens``); an output smaller than its reasoning tokens left them out and
  counts output + reasoning, with a warning;
- per-modality counts (``gen_ai.usage.{text,image,audio,video}.{input,output}_tokens`` and
  ``...{modality}.cache_read.input_tokens``) are parts of those totals: checked, priced at the totals' rates;
- older SDKs' underscore spellings (``gen_ai.usage.cache_read_input_tokens``, ``..._creation_input_tokens``,
  ``gen_ai.usage.reasoning_tokens``), and the Vercel AI SDK's call spans (``ai.*.doGenerate``/``doStream``,
  which carry ``gen_ai.usage.*`` beside ``ai.usage.*``): ``gen_ai.usage.input_tokens.cached``,
  ``ai.usage.cachedInputTokens``, ``ai.usage.inputTokenDetails.cacheReadTokens``/``cacheWriteTokens``,
  ``ai.usage.reasoningTokens``. The SDK's root spans (``ai.generateText``) repeat their calls' usage under
  ``ai.usage.*`` only: they carry no ``gen_ai.usage.*`` and are not counted twice;
- ``gen_ai.response.finish_reasons`` says whether the reply hit its cap.

Tags are attributes of the span or of its resource, named by their full key (``--tag-field app.prompt``).
"""

from __future__ import annotations

from promptaudit.usage.records.normal import Noted, capped_from, pick, record, tier_of
from promptaudit.usage.records.values import BadValue, checked, model_name, tokens

USAGE_PREFIX = "gen_ai.usage."
NANOS = 1_000_000_000
INPUT = ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens")
OUTPUT = ("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens")
CACHE_READ = (
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
    "gen_ai.usage.input_tokens.cached",
    "ai.usage.inputTokenDetails.cacheReadTokens",
    "ai.usage.cachedInputTokens",
)
CACHE_WRITE = (
    "gen_ai.usage.cache_write.input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_write_input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "ai.usage.inputTokenDetails.cacheWriteTokens",
)
REASONING = (
    "gen_ai.usage.reasoning.output_tokens",
    "gen_ai.usage.output_tokens.reasoning",
    "gen_ai.usage.reasoning_tokens",
    "ai.usage.outputTokenDetails.reasoningTokens",
    "ai.usage.reasoningTokens",
)
MODALITIES = ("text", "image", "audio", "video")
MODALITY_KEYS = tuple(
    f"gen_ai.usage.{modality}.{part}"
    for modality in MODALITIES
    for part in ("input_tokens", "output_tokens", "cache_read.input_tokens")
)
MODEL = ("gen_ai.response.model", "gen_ai.request.model")
TIER = ("openai.response.service_tier", "gen_ai.openai.response.service_tier")
FINISH = "gen_ai.response.finish_reasons"
EXCLUDED_CACHE = "report input smaller than their cache reads and writes (the emitter leaves cached input out): counted as input + cached"
EXCLUDED_REASONING = "report output smaller than their reasoning tokens (the emitter leaves reasoning out): counted as output + reasoning"


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
    """``_record``, or the BadValue that refuses it."""
    try:
        return _record(item, attrs, kind, tag_path, route_path)
    except BadValue as exc:
        return exc


def _record(item: dict, attrs: dict, kind: str, tag_path: tuple[str, ...], route_path: tuple[str, ...]):
    """The record of one GenAI span or log record (a normal.Noted when its counts needed reading apart)."""
    model = model_name(attrs.get(MODEL[0]) or attrs.get(MODEL[1]))
    counts, notes = span_counts(attrs)
    stamp = _nanos(item.get("startTimeUnixNano") or item.get("timeUnixNano") or item.get("observedTimeUnixNano"))
    capped = capped_from(attrs.get(FINISH))
    tier = tier_of(attrs.get(TIER[0]) or attrs.get(TIER[1]))
    found = record(kind, model, counts, capped, False, stamp, _tag(attrs, tag_path), _tag(attrs, route_path), tier)
    return Noted(found, notes[0]) if notes else found


def span_counts(attrs: dict) -> tuple[tuple[int, int, int, int, int], list[str]]:
    """The five normalised counts of a span's ``gen_ai.usage.*`` attributes, and the warnings they need."""
    given, read, written, output, reasoning = (
        tokens(_first(attrs, keys), keys[0]) for keys in (INPUT, CACHE_READ, CACHE_WRITE, OUTPUT, REASONING)
    )
    for key in MODALITY_KEYS:
        tokens(attrs.get(key), key)
    notes = []
    if given < read + written:
        given, notes = given + read + written, [EXCLUDED_CACHE]
    if output < reasoning:
        output, notes = output + reasoning, [*notes, EXCLUDED_REASONING]
    return checked((given, read, written, 0, output)), notes


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

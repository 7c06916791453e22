"""One usage record per log line, normalised across provider formats.

Accepted per line (detected line by line): OpenAI Chat Completions, OpenAI Responses, OpenAI Batch output
(``response.body``), Anthropic Messages and Message Batches results (``result.message``), and Gemini
(``usageMetadata``), each as a full response, wrapped in an application's own object under ``response``,
or as a bare usage object.

Normalisation: ``input`` includes cached tokens, as OpenAI reports it. Anthropic's split fields are summed
(``input_tokens + cache_creation_input_tokens + cache_read_input_tokens``). Gemini's output adds
``thoughtsTokenCount`` to ``candidatesTokenCount`` because thinking tokens bill as output.
"""

from __future__ import annotations

from typing import NamedTuple

from promptaudit.usage.records.normal import UsageRecord, new_record
from promptaudit.usage.records.values import (
    CAP_REASONS,
    SERVICE_TIERS,
    checked,
    model_name,
    required_tokens,
    timestamp_of,
    tokens,
)


class Record(NamedTuple):
    """Token counts of one request; ``capped`` is None when the record does not say why it stopped."""

    fmt: str
    model: str | None
    input: int
    cache_read: int
    cache_write_5m: int
    cache_write_1h: int
    output: int
    capped: bool | None
    batch: bool
    timestamp: float | None
    tag: str | None
    route: str | None
    service_tier: str | None = None  # "flex" or "priority" when the provider reports that tier (batch: ``batch``)
    web_searches: int = 0  # server-side web-search calls, billed per call where the price source prices them


def parse(obj: object, tag_path: tuple[str, ...] = (), route_path: tuple[str, ...] = ()) -> Record | None:
    """The normalised record in a decoded JSON line, or None when it holds no usage in a known format.

    Raises BadValue (a ValueError) when a usage field holds a value no provider writes.
    """
    found = fields(obj, tag_path, route_path)
    if found is None:
        return None
    fmt, model, counts, *rest = found
    return Record(fmt, model, *counts, *rest)


def fields(obj: object, tag_path: tuple[str, ...] = (), route_path: tuple[str, ...] = (), timed: bool = True):
    """``parse`` as a UsageRecord for the scan's hot loop: Record's fields, with the five token counts
    as one tuple (input, cache read, 5-minute write, 1-hour write, output) in third place, and the service
    tier and web-search count last (see /docs/prices.md, "Normalisation and pricing").

    With ``timed`` false the timestamp is not parsed (it is None): only day grouping, time filters and
    calibration's time span use it, and parsing it is a good part of each line's cost.
    """
    if not isinstance(obj, dict):
        return None
    inner = obj.get("response")
    # The common shapes take the short way; anything else goes through the general _unwrap and _detect.
    body, batch = (inner, False) if inner.__class__ is dict and inner.get("body") is None else _unwrap(obj)
    usage = body.get("usage")
    if usage.__class__ is dict and body.get("usageMetadata") is None:
        kind = "openai-chat" if usage.get("prompt_tokens") is not None else _usage_kind(usage, body)
    else:
        found = _detect(body)
        if found is None:
            return None
        kind, usage = found
    fmt, counts = _NAMES[kind, batch, usage is body], _COUNTERS[kind](usage)
    stamp = _stamp(obj, body) if timed else None
    model = model_name(_first(body.get("model"), body.get("modelVersion"), obj.get("model")))
    tag = _field(obj, body, tag_path) if tag_path else None
    route = _field(obj, body, route_path) if route_path else None
    tier, searches = _service_tier(body, usage), _web_searches(body, usage)
    return new_record(UsageRecord, (fmt, model, counts, _capped(fmt, body), batch, stamp, tag, route, tier, searches))


def _first(*values: object) -> object:
    """The first value that is reported (not null, not an empty string)."""
    for value in values:
        if value is not None and value != "":
            return value
    return None


def _stamp(obj: dict, body: dict) -> float | None:
    """The wrapper's time, else the response's."""
    found = timestamp_of(obj)
    return found if found or obj is body else timestamp_of(body)


def _unwrap(obj: dict) -> tuple[dict, bool]:
    """The provider response inside a line: OpenAI Batch ``response.body``, Anthropic batch ``result.message``."""
    inner = obj.get("response")
    if isinstance(inner, dict):
        body = inner.get("body")
        if isinstance(body, dict):
            return body, obj.get("custom_id") is not None
        return inner, False
    result = obj.get("result")
    if isinstance(result, dict) and isinstance(result.get("message"), dict):
        return result["message"], True
    return obj, False


def _detect(body: dict) -> tuple[str, dict] | None:
    meta = body.get("usageMetadata")
    if isinstance(meta, dict):
        return "gemini", meta
    usage = body.get("usage")
    if isinstance(usage, dict):
        return _usage_kind(usage, body), usage
    if _has(body, "prompt_tokens") or _has(body, "input_tokens"):
        return _usage_kind(body, body), body
    if _has(body, "promptTokenCount"):
        return "gemini", body
    return None


def _has(obj: dict, key: str) -> bool:
    """Whether ``obj`` reports ``key``: a null value counts as not reported (as the DuckDB engine reads it)."""
    return obj.get(key) is not None


def _usage_kind(usage: dict, body: dict) -> str:
    if _has(usage, "prompt_tokens"):
        return "openai-chat"
    if _has(usage, "cache_creation_input_tokens") or _has(usage, "cache_read_input_tokens"):
        return "anthropic"
    if body.get("type") == "message":
        return "anthropic"
    if _has(usage, "input_tokens") and (_has(usage, "total_tokens") or _has(usage, "input_tokens_details")):
        return "openai-responses"
    if _has(usage, "input_tokens"):
        return "openai-responses" if body.get("object") == "response" else "anthropic"
    raise ValueError("usage without token counts")


def _chat(u: dict) -> tuple[int, int, int, int, int]:
    details = u.get("prompt_tokens_details") or {}
    # DeepSeek's OpenAI-compatible usage names cache hits ``prompt_cache_hit_tokens`` instead.
    cached = details.get("cached_tokens") if isinstance(details, dict) else None
    read = tokens(cached or u.get("prompt_cache_hit_tokens"), "cached_tokens")
    return checked(
        (required_tokens(u, "prompt_tokens"), read, 0, 0, tokens(u.get("completion_tokens"), "completion_tokens"))
    )


def _responses(u: dict) -> tuple[int, int, int, int, int]:
    details = u.get("input_tokens_details") or {}
    read = tokens(details.get("cached_tokens"), "cached_tokens") if isinstance(details, dict) else 0
    return checked((required_tokens(u, "input_tokens"), read, 0, 0, tokens(u.get("output_tokens"), "output_tokens")))


def _anthropic(u: dict) -> tuple[int, int, int, int, int]:
    read = tokens(u.get("cache_read_input_tokens"), "cache_read_input_tokens")
    written = tokens(u.get("cache_creation_input_tokens"), "cache_creation_input_tokens")
    split = u.get("cache_creation") or {}
    one_hour = (
        tokens(split.get("ephemeral_1h_input_tokens"), "ephemeral_1h_input_tokens") if isinstance(split, dict) else 0
    )
    total = required_tokens(u, "input_tokens") + read + written
    return (
        total,
        read,
        written - min(one_hour, written),
        min(one_hour, written),
        tokens(u.get("output_tokens"), "output_tokens"),
    )


def _gemini(u: dict) -> tuple[int, int, int, int, int]:
    prompt = tokens(u.get("promptTokenCount"), "promptTokenCount") + tokens(
        u.get("toolUsePromptTokenCount"), "toolUsePromptTokenCount"
    )
    output = tokens(u.get("candidatesTokenCount"), "candidatesTokenCount") + tokens(
        u.get("thoughtsTokenCount"), "thoughtsTokenCount"
    )
    return checked((prompt, tokens(u.get("cachedContentTokenCount"), "cachedContentTokenCount"), 0, 0, output))


_COUNTERS = {"openai-chat": _chat, "openai-responses": _responses, "anthropic": _anthropic, "gemini": _gemini}


_NAMES = {
    (fmt, batch, bare): fmt + (" (batch)" if batch else "") + (" usage" if bare else "")
    for fmt in _COUNTERS
    for batch in (False, True)
    for bare in (False, True)
}


def _service_tier(body: dict, usage: dict) -> str | None:
    """``flex`` or ``priority`` when the response says it ran at that tier (OpenAI body, Anthropic usage)."""
    tier = body.get("service_tier") or usage.get("service_tier")
    return tier if tier.__class__ is str and tier in SERVICE_TIERS else None


def _web_searches(body: dict, usage: dict) -> int:
    """Server-side web searches: Anthropic ``usage.server_tool_use``; OpenAI Responses ``web_search_call`` items."""
    tools = usage.get("server_tool_use")
    if tools.__class__ is dict:
        return tokens(tools.get("web_search_requests"), "web_search_requests")
    output = body.get("output")
    if output.__class__ is list:
        return sum(1 for item in output if item.__class__ is dict and item.get("type") == "web_search_call")
    return 0


def _capped(fmt: str, body: dict) -> bool | None:
    """Whether the reply stopped at its output cap; None when the record does not say."""
    if _has(body, "stop_reason"):  # Anthropic
        return body["stop_reason"] in CAP_REASONS
    choices = body.get("choices") or body.get("candidates")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        for choice in choices:
            if isinstance(choice, dict) and (choice.get("finish_reason") or choice.get("finishReason")) in CAP_REASONS:
                return True
        return False
    if _has(body, "status") and fmt.startswith("openai-responses"):
        details = body.get("incomplete_details") or {}
        return body["status"] == "incomplete" and details.get("reason") in CAP_REASONS
    return None


def _field(obj: dict, body: dict, path: tuple[str, ...]) -> str | None:
    """The value at ``path`` in the line's wrapper, else in the response inside it."""
    value: object = obj
    for key in path:  # lookup(obj, path), inlined: this runs for every line
        value = value.get(key) if isinstance(value, dict) else None
    if value.__class__ is str:
        return value  # type: ignore[return-value]
    found = _text(value)
    return found if found is not None or body is obj else lookup(body, path)


def lookup(obj: dict, path: tuple[str, ...]) -> str | None:
    """The value at a dotted path (``metadata.route``) as a string, or None when absent."""
    value: object = obj
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return _text(value)


def _text(value: object) -> str | None:
    if value.__class__ is str:
        return value  # type: ignore[return-value]
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)

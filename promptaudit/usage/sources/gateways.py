"""Gateway and tracing-tool exports as usage records: LiteLLM spend logs, Helicone requests, Langfuse
observations. The same row reader serves JSON, JSON Lines and CSV (where nested objects are JSON text cells).

- **LiteLLM** (``LiteLLM_SpendLogs`` rows): ``prompt_tokens`` is LiteLLM's OpenAI-style total, cached and
  cache-write tokens included; cache reads and writes (and the 5m/1h split) come from
  ``metadata.usage_object`` or ``metadata.additional_usage_values``; a ``provider/`` prefix the row's
  ``custom_llm_provider`` names is dropped from the model. Failed requests (``status: failure``) are skipped.
- **Helicone** (``HeliconeRequest`` rows): ``prompt_tokens`` as the provider reported it, so for Anthropic it
  is the uncached part and cache reads and writes are added to it; writes have no TTL (5-minute rate);
  ``completion_tokens`` is the whole output. Rows with an HTTP error status are skipped.
- **Langfuse** (observations of type ``GENERATION``): ``usageDetails`` types are disjoint, as Langfuse sums
  them; every type naming ``input`` or ``cache`` is input (the ``ephemeral_5m``/``ephemeral_1h`` details only
  split the writes), every type naming ``output`` is output.
"""

from __future__ import annotations

from promptaudit.usage.records.normal import IGNORED, Skipped, capped_from, decoded, pick, record, stamp_of
from promptaudit.usage.records.values import checked, model_name, required_tokens, tokens

TTL_DETAILS = ("ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens")


def gateway_kind(row: dict) -> str | None:
    """Which gateway or tracing tool wrote this row, or None (a null value counts as absent)."""
    has = row.get
    if has("request_id") is not None and has("spend") is not None and has("prompt_tokens") is not None:
        return "litellm"
    if has("request_created_at") is not None and (
        has("prompt_tokens") is not None or has("completion_tokens") is not None
    ):
        return "helicone"
    if has("usageDetails") is not None or all(has(k) is not None for k in ("traceId", "type", "startTime")):
        return "langfuse"
    return None


def gateway_record(kind: str, row: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]):
    """The record in one row (a Skipped for a failed request, None for a row that is not a generation)."""
    return READERS[kind](row, tag_path, route_path)


def _tags(row: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]) -> tuple[str | None, str | None]:
    return (pick(row, tag_path) if tag_path else None), (pick(row, route_path) if route_path else None)


def litellm(row: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]):
    metadata = decoded(row.get("metadata"))
    metadata = metadata if isinstance(metadata, dict) else {}
    if row.get("status") == "failure" or metadata.get("status") == "failure":
        return Skipped("failed request")
    extra = _litellm_usage(metadata)
    details = extra.get("prompt_tokens_details")
    read = extra.get("cache_read_input_tokens")
    if read is None and isinstance(details, dict):
        read = details.get("cached_tokens")
    written = tokens(extra.get("cache_creation_input_tokens"), "cache_creation_input_tokens")
    split = extra.get("cache_creation_token_details")
    one_hour = (
        tokens(split.get("ephemeral_1h_input_tokens"), "ephemeral_1h_input_tokens") if isinstance(split, dict) else 0
    )
    one_hour = min(one_hour, written)
    counts = checked(
        (
            required_tokens(row, "prompt_tokens"),
            tokens(read, "cache_read_input_tokens"),
            written - one_hour,
            one_hour,
            tokens(row.get("completion_tokens"), "completion_tokens"),
        )
    )
    model = _litellm_model(model_name(row.get("model")), row.get("custom_llm_provider"))
    return record(
        "litellm", model, counts, None, False, stamp_of(row.get("startTime")), *_tags(row, tag_path, route_path)
    )


def _litellm_usage(metadata: dict) -> dict:
    """Cache counts: the logged usage object when present, else the additional usage values."""
    merged: dict = {}
    for key in ("additional_usage_values", "usage_object"):
        value = decoded(metadata.get(key))
        if isinstance(value, dict):
            merged.update({k: v for k, v in value.items() if v is not None})
    return merged


def _litellm_model(model: str | None, provider: object) -> str | None:
    if model and isinstance(provider, str) and provider and model.startswith(provider + "/"):
        return model[len(provider) + 1 :]
    return model


def helicone(row: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]):
    status = row.get("response_status")
    if isinstance(status, (int, float)) and not isinstance(status, bool) and status >= 400:
        return Skipped("failed request")
    if row.get("prompt_tokens") is None and row.get("completion_tokens") is None:
        return None
    prompt = required_tokens(row, "prompt_tokens")
    read = tokens(row.get("prompt_cache_read_tokens"), "prompt_cache_read_tokens")
    written = tokens(row.get("prompt_cache_write_tokens"), "prompt_cache_write_tokens")
    provider = row.get("provider")
    total = prompt + read + written if isinstance(provider, str) and provider.upper() == "ANTHROPIC" else prompt
    counts = checked((total, read, written, 0, tokens(row.get("completion_tokens"), "completion_tokens")))
    model = model_name(row.get("model") or row.get("response_model") or row.get("request_model"))
    if not tag_path and not route_path:
        return record("helicone", model, counts, None, False, stamp_of(row.get("request_created_at")))
    scope = {**row, **_properties(row)}
    tag, route = _tags(scope, tag_path, route_path)
    return record("helicone", model, counts, None, False, stamp_of(row.get("request_created_at")), tag, route)


def _properties(row: dict) -> dict:
    """Helicone custom properties, so that ``--tag-field prompt`` finds ``Helicone-Property-Prompt``."""
    props = decoded(row.get("request_properties") or row.get("properties"))
    return props if isinstance(props, dict) else {}


def langfuse(row: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]):
    if row.get("type") not in ("GENERATION", None):
        return IGNORED  # spans and events are not model calls
    usage = decoded(row.get("usageDetails")) or decoded(row.get("usage"))
    if not isinstance(usage, dict) or not any(_is_token_type(str(key)) for key in usage):
        return None
    if usage.get("unit") not in (None, "TOKENS"):
        return Skipped(f"usage counted in {usage.get('unit')}, not tokens")
    metadata = decoded(row.get("metadata"))
    finish = metadata.get("finish_reason") if isinstance(metadata, dict) else None
    model = model_name(row.get("model"))
    stamp = stamp_of(row.get("startTime"))
    return record(
        "langfuse", model, _langfuse_counts(usage), capped_from(finish), False, stamp, *_tags(row, tag_path, route_path)
    )


def _is_token_type(key: str) -> bool:
    name = key.lower()
    return "input" in name or "output" in name or "cache" in name


def _langfuse_counts(usage: dict) -> tuple[int, int, int, int, int]:
    total = read = written = one_hour = output = 0
    for key, value in usage.items():
        name = str(key).lower()
        if name in ("total", "unit") or name.endswith("cost"):
            continue
        count = tokens(value, f"usageDetails.{key}")
        if name == TTL_DETAILS[1]:
            one_hour = count
        elif name in TTL_DETAILS:
            continue
        elif "output" in name:
            output += count
        elif "input" in name or "cache" in name:
            total += count
            read += count if "cache" in name and ("read" in name or "cached" in name) else 0
            written += count if "cache" in name and ("creation" in name or "write" in name) else 0
    one_hour = min(one_hour, written)
    return checked((total, read, written - one_hour, one_hour, output))


READERS = {"litellm": litellm, "helicone": helicone, "langfuse": langfuse}

"""Amazon Bedrock model-invocation logs as usage records (CloudWatch Logs or S3 delivery, one JSON per line).

A record (``schemaType: ModelInvocationLog``, ``schemaVersion: 1.0``) holds ``timestamp``, ``modelId``,
``operation`` (Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream), ``input.inputTokenCount``,
``output.outputTokenCount`` and, where Bedrock reports caching, ``input.cacheReadInputTokenCount`` and
``input.cacheWriteInputTokenCount``. Bedrock's counts are disjoint (as its ``TokenUsage`` is): the normalised
input is input + cache reads + cache writes. Where the log's own fields are absent the response body is read:
Converse's ``usage`` (``cacheReadInputTokens``, ``cacheWriteInputTokens``, ``cacheDetails`` by TTL) or an
Anthropic Messages body (``usage.cache_*``). ``stopReason``/``stop_reason`` says whether the reply hit its cap;
``requestMetadata.KEY`` is a tag. CloudWatch exports wrap records as ``{"message": "<json>"}`` events.

Models: Bedrock ids name a region profile and a version (``us.anthropic.claude-sonnet-4-5-20250929-v1:0``).
Anthropic models are priced at Anthropic's own list prices under their Anthropic name (what Bedrock charges
for on-demand and global-profile use; Bedrock's regional endpoints for Claude 4.5 and later cost 10% more,
which these figures do not include); other ids are kept as logged.
"""

from __future__ import annotations

import json
import re

from promptaudit.usage.records.normal import capped_from, pick, record, stamp_of
from promptaudit.usage.records.values import BadValue, checked, model_name, tokens

FORMAT = "bedrock-invocation-log"
PROFILE = re.compile(r"^(?:us|eu|apac|jp|au|ca|us-gov|global)\.")
ANTHROPIC = re.compile(r"^anthropic\.(claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?$")


def is_bedrock(obj: dict) -> bool:
    """Whether a decoded line is a Bedrock model-invocation log record."""
    if obj.get("schemaType") == "ModelInvocationLog":
        return True
    inner = obj.get("input")
    return isinstance(inner, dict) and "inputTokenCount" in inner and "modelId" in obj


def unwrap(obj: dict) -> list[dict] | None:
    """Records held as JSON text in CloudWatch events (``message``, or an ``events`` list of them); None if none."""
    events = obj.get("events") if isinstance(obj.get("events"), list) else [obj]
    found = []
    for event in events:
        text = event.get("message") if isinstance(event, dict) else None
        if isinstance(text, str) and text.lstrip().startswith("{"):
            try:
                inner = json.loads(text)
            except ValueError:
                continue
            if isinstance(inner, dict) and is_bedrock(inner):
                found.append(inner)
    return found or None


def bedrock_records(obj: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]) -> list:
    """The one record of an invocation log (a BadValue when a count is bad)."""
    try:
        return [_record(obj, tag_path, route_path)]
    except BadValue as exc:
        return [exc]


def _record(obj: dict, tag_path: tuple[str, ...], route_path: tuple[str, ...]) -> tuple:
    given, output = _dict(obj.get("input")), _dict(obj.get("output"))
    body = _dict(output.get("outputBodyJson"))
    usage = _dict(body.get("usage"))
    read, write_5m, write_1h = _cache(given, usage)
    counts = checked((tokens(given.get("inputTokenCount"), "input.inputTokenCount") + read + write_5m + write_1h,
                      read, write_5m, write_1h, tokens(output.get("outputTokenCount"), "output.outputTokenCount")))  # fmt: skip
    capped = capped_from(body.get("stopReason") or body.get("stop_reason"))
    tag = pick(obj, tag_path) if tag_path else None
    route = pick(obj, route_path) if route_path else None
    return record(FORMAT, bedrock_model(obj.get("modelId")), counts, capped, False, stamp_of(obj.get("timestamp")),
                  tag, route)  # fmt: skip


def _cache(given: dict, usage: dict) -> tuple[int, int, int]:
    """Cache reads, 5-minute and 1-hour writes: the log's own fields, else the response body's."""
    read = given.get("cacheReadInputTokenCount")
    if read is None:
        read = usage.get("cacheReadInputTokens", usage.get("cache_read_input_tokens"))
    written = given.get("cacheWriteInputTokenCount")
    if written is None:
        written = usage.get("cacheWriteInputTokens", usage.get("cache_creation_input_tokens"))
    written = tokens(written, "cacheWriteInputTokenCount")
    one_hour = min(_one_hour(usage), written)
    return tokens(read, "cacheReadInputTokenCount"), written - one_hour, one_hour


def _one_hour(usage: dict) -> int:
    """1-hour cache writes: Converse's ``cacheDetails`` by TTL, or an Anthropic body's ``cache_creation``."""
    details = usage.get("cacheDetails")
    if isinstance(details, list):
        return sum(tokens(d.get("inputTokens"), "cacheDetails.inputTokens") for d in details
                   if isinstance(d, dict) and d.get("ttl") == "1h")  # fmt: skip
    split = _dict(usage.get("cache_creation"))
    return tokens(split.get("ephemeral_1h_input_tokens"), "ephemeral_1h_input_tokens")


def bedrock_model(model_id: object) -> str | None:
    """The model a Bedrock id names: Anthropic's own name for Anthropic models, else the id as logged."""
    name = model_name(model_id)
    if name is None:
        return None
    bare = PROFILE.sub("", name)
    found = ANTHROPIC.match(bare)
    return found.group(1) if found else name


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}

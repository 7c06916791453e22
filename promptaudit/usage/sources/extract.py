"""Every record in one decoded JSON value, whatever format wrote it (detected per value, no flag needed).

The provider responses of ``records`` are tried first (the common case, kept fast by the scan); then, in
order: OTLP/JSON exports (many spans per line), Amazon Bedrock invocation logs (also inside CloudWatch events),
organisation usage reports (buckets), gateway and tracing exports (LiteLLM, Helicone, Langfuse), and a page of
any of these (``{"data": [...]}``).
"""

from __future__ import annotations

from promptaudit.usage.records.normal import IGNORED
from promptaudit.usage.records.values import BadValue
from promptaudit.usage.sources.bedrock import bedrock_records, is_bedrock, unwrap
from promptaudit.usage.sources.buckets import is_report, report_records
from promptaudit.usage.sources.gateways import gateway_kind, gateway_record
from promptaudit.usage.sources.otlp import is_otlp, otlp_records
from promptaudit.usage.sources.responses import fields

MAX_PAGE_DEPTH = 2


def other_records(obj: object, tag_path: tuple[str, ...], route_path: tuple[str, ...], depth: int = 0) -> list | None:
    """The records in a value that is not a provider response: a list of records, Buckets, Skipped and
    BadValues (one per item), or None when the value holds no usage in any known format."""
    if not isinstance(obj, dict):
        return None
    if is_otlp(obj):
        return otlp_records(obj, tag_path, route_path)
    if is_bedrock(obj):
        return bedrock_records(obj, tag_path, route_path)
    wrapped = unwrap(obj) if "message" in obj or "events" in obj else None
    if wrapped is not None:  # CloudWatch Logs events holding Bedrock records as text
        return [found for inner in wrapped for found in bedrock_records(inner, tag_path, route_path)]
    if is_report(obj):
        return report_records(obj)
    kind = gateway_kind(obj)
    if kind is not None:
        found = _guarded(gateway_record, kind, obj, tag_path, route_path)
        return None if found is None else [] if found is IGNORED else [found]
    data = obj.get("data")
    if isinstance(data, list) and depth < MAX_PAGE_DEPTH:
        return items_records(data, tag_path, route_path, depth + 1)
    return None


def items_records(items: list, tag_path: tuple[str, ...], route_path: tuple[str, ...], depth: int = 0) -> list:
    """The records of every item of a JSON array (a saved page or export)."""
    found: list = []
    for item in items:
        got = any_records(item, tag_path, route_path, depth)
        found += [None] if got is None else got
    return found


def any_records(obj: object, tag_path: tuple[str, ...], route_path: tuple[str, ...], depth: int = 0) -> list | None:
    """``other_records``, trying the provider formats first."""
    try:
        found = fields(obj, tag_path, route_path)
    except BadValue as exc:
        return [exc]
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return [BadValue(f"unreadable usage ({exc})")]
    if found is not None and not (found[0].endswith(" usage") and gateway_kind(obj)):
        return [found]
    return other_records(obj, tag_path, route_path, depth)


def _guarded(read, *args):
    try:
        return read(*args)
    except BadValue as exc:
        return exc

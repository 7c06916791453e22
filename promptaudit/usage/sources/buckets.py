"""Providers' organisation usage reports: pre-aggregated time buckets, not requests.

- **OpenAI** Usage API, ``GET /v1/organization/usage/completions``: a ``page`` of ``bucket`` objects whose
  ``results`` hold ``input_tokens`` (cached included), ``input_cached_tokens``, ``output_tokens``,
  ``num_model_requests``, and ``model``/``batch``/``service_tier`` when grouped by them. Costs API results
  (``organization.costs.result``) hold money, not tokens: they are recognised and skipped.
  2026 results may also hold ``input_cache_write_tokens`` (cache writes, part of ``input_tokens``).
- **Anthropic** Usage and Cost Analytics API, ``GET /v1/organizations/analytics/usage`` (beta
  ``analytics-usage-cost-2026-08-24``): ``data`` items of ``starting_at``/``ending_at``, a ``group`` (``model``,
  ``service_tier``, ``speed``, ``context_window``, ``inference_geo``, ... when grouped by them) and ``usage``
  (``uncached_input_tokens``, ``cache_read_input_tokens``, ``cache_creation.ephemeral_5m/1h_input_tokens``,
  ``output_tokens``, ``requests``, ``server_tool_use.web_search_requests``). It counts requests.
- **Anthropic** Usage & Cost API, ``GET /v1/organizations/usage_report/messages``, now marked *legacy* by
  Anthropic (format ``anthropic-usage-api (legacy)``): ``data`` buckets (``starting_at``) whose ``results``
  hold the same counts flat, and the same dimensions. It does not count requests.

Anthropic's dimensions are priced as far as the price source (genai-prices) can: ``service_tier: batch`` at
batch prices; ``priority``/``priority_on_demand`` and ``flex``/``flex_discount`` as priority and flex, which
the source has no Anthropic prices for (standard prices, said in a note); ``context_window: 200k-1M`` at the
long-context tier. ``speed: fast`` (the source has fast-mode prices, promptaudit's price classes do not carry
speed yet) and ``inference_geo: us`` (the source has no regional prices) are priced at standard, global rates,
and each such row is counted in a warning.

A bucket is counted as one record of many requests: tokens and money add up exactly, but what needs single
requests (output percentiles, cap hits, the suggested ``max_tokens``) cannot come from a bucket, and without
a request count (Anthropic) neither can per-request means. A bucket's time is its start.
"""

from __future__ import annotations

from promptaudit.usage.records.normal import Bucket, Noted, Skipped, record, stamp_of, tier_of
from promptaudit.usage.records.values import MAX_BUCKET_TOKENS, BadValue, checked, model_name, tokens

OPENAI_USAGE = "organization.usage.completions.result"
OPENAI_COST = "organization.costs.result"
LONG_CONTEXT = 200_001  # an input past Anthropic's 200k threshold, for rows of the 200k-1M context window
ANTHROPIC_TIERS = {"priority_on_demand": "priority", "flex_discount": "flex"}
FAST = "of fast mode (speed: fast) are priced at standard rates: promptaudit's price classes do not carry speed yet"
US_ONLY = (
    "ran with inference_geo us, priced at global rates: the price source has no regional prices (US-only "
    "inference costs more on newer Claude models)"
)


def is_report(obj: dict) -> bool:
    """Whether a decoded document is an OpenAI usage/cost page or bucket, or an Anthropic usage/cost report."""
    if obj.get("object") in ("page", "bucket"):
        return True
    data = obj.get("data")
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "starting_at" in data[0]


def _analytics(bucket: dict) -> bool:
    """An Analytics API item: one row with its ``group`` and ``usage`` (no ``results`` list)."""
    return isinstance(bucket.get("usage"), dict) and "results" not in bucket


def report_records(obj: dict) -> list:
    """One Bucket per result row (a Skipped for a cost row, a BadValue for a row with a bad value)."""
    if obj.get("object") == "bucket":
        return _openai_bucket(obj)
    found: list = []
    for bucket in obj.get("data") or []:
        if not isinstance(bucket, dict):
            continue
        if bucket.get("object") == "bucket":
            found += _openai_bucket(bucket)
        elif _analytics(bucket):
            found.append(_guarded(_analytics_row, bucket))
        else:
            found += _anthropic_bucket(bucket)
    return found


def _guarded(make, *args):
    try:
        return make(*args)
    except BadValue as exc:
        return exc


def _openai_bucket(bucket: dict) -> list:
    span = stamp_of(bucket.get("start_time")), stamp_of(bucket.get("end_time"))
    rows = bucket.get("results") or bucket.get("result") or []
    return [_guarded(_openai_row, row, span) for row in rows if isinstance(row, dict)]


def _openai_row(row: dict, span: tuple[float | None, float | None]):
    if row.get("object") == OPENAI_COST:
        return Skipped("cost bucket (money, no token counts)")
    if row.get("object") != OPENAI_USAGE:
        return Skipped("usage bucket of another endpoint (not completions)")
    counts = checked(
        (_count(row, "input_tokens"), _count(row, "input_cached_tokens"), _count(row, "input_cache_write_tokens"),
         0, _count(row, "output_tokens"))
    )  # fmt: skip
    requests = _count(row, "num_model_requests")
    model = model_name(row.get("model"))
    found = record("openai-usage-api", model, counts, None, row.get("batch") is True, span[0],
                   service_tier=tier_of(row.get("service_tier")))  # fmt: skip
    return Bucket(found, requests, span[1], counts[0] // requests if requests else 0)


def _anthropic_bucket(bucket: dict) -> list:
    span = stamp_of(bucket.get("starting_at")), stamp_of(bucket.get("ending_at"))
    return [_guarded(_anthropic_row, row, span) for row in bucket.get("results") or [] if isinstance(row, dict)]


def _anthropic_row(row: dict, span: tuple[float | None, float | None]):
    if "amount" in row and "uncached_input_tokens" not in row:
        return Skipped("cost report row (money, no token counts)")
    return _anthropic_bucket_row(row, row, span, None, "anthropic-usage-api (legacy)")


def _analytics_row(item: dict):
    span = stamp_of(item.get("starting_at")), stamp_of(item.get("ending_at"))
    group = item.get("group") if isinstance(item.get("group"), dict) else {}
    usage = item["usage"]
    requests = _count(usage, "requests") if usage.get("requests") is not None else None
    return _anthropic_bucket_row(usage, group, span, requests, "anthropic-analytics-api")


def _anthropic_bucket_row(usage: dict, group: dict, span: tuple, requests: int | None, fmt: str):
    """One Anthropic bucket: counts from ``usage``, dimensions from ``group`` (the same dict in the legacy report)."""
    creation = usage.get("cache_creation") if isinstance(usage.get("cache_creation"), dict) else {}
    write_5m = _count(creation, "ephemeral_5m_input_tokens") + _count(usage, "cache_creation_5m_input_tokens")
    write_1h = _count(creation, "ephemeral_1h_input_tokens") + _count(usage, "cache_creation_1h_input_tokens")
    read = _count(usage, "cache_read_input_tokens")
    total = _count(usage, "uncached_input_tokens") + read + write_5m + write_1h
    counts = (total, read, write_5m, write_1h, _count(usage, "output_tokens"))
    tier = group.get("service_tier")
    tools = usage.get("server_tool_use") if isinstance(usage.get("server_tool_use"), dict) else {}
    found = record(fmt, model_name(group.get("model")), counts, None, tier == "batch", span[0], None, None,
                   tier_of(ANTHROPIC_TIERS.get(tier, tier)), _count(tools, "web_search_requests"))  # fmt: skip
    # Requests of the 200k-1M context window pay the long-context tier; the report says which window a row is.
    mean = total // requests if requests else 0
    bucket = Bucket(found, requests, span[1], LONG_CONTEXT if group.get("context_window") == "200k-1M" else mean)
    notes = [note for key, value, note in (("speed", "fast", FAST), ("inference_geo", "us", US_ONLY))
             if group.get(key) == value]  # fmt: skip
    return Noted(bucket, notes[0]) if notes else bucket


def _count(row: dict, key: str) -> int:
    return tokens(row.get(key), key, MAX_BUCKET_TOKENS)

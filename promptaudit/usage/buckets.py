"""Providers' organisation usage reports: pre-aggregated time buckets, not requests.

- **OpenAI** Usage API, ``GET /v1/organization/usage/completions``: a ``page`` of ``bucket`` objects whose
  ``results`` hold ``input_tokens`` (cached included), ``input_cached_tokens``, ``output_tokens``,
  ``num_model_requests``, and ``model``/``batch``/``service_tier`` when grouped by them. Costs API results
  (``organization.costs.result``) hold money, not tokens: they are recognised and skipped.
- **Anthropic** Usage & Cost API, ``GET /v1/organizations/usage_report/messages``: ``data`` buckets
  (``starting_at``) whose ``results`` hold ``uncached_input_tokens``, ``cache_read_input_tokens``,
  ``cache_creation.ephemeral_5m_input_tokens``/``ephemeral_1h_input_tokens`` and ``output_tokens``, and
  ``model``/``service_tier`` when grouped by them. The report does not count requests.

A bucket is counted as one record of many requests: tokens and money add up exactly, but what needs single
requests (output percentiles, cap hits, the suggested ``max_tokens``) cannot come from a bucket, and without
a request count (Anthropic) neither can per-request means. A bucket's time is its start.
"""

from __future__ import annotations

from promptaudit.usage.normal import Bucket, Skipped, record, stamp_of, tier_of
from promptaudit.usage.values import MAX_BUCKET_TOKENS, BadValue, checked, model_name, tokens

OPENAI_USAGE = "organization.usage.completions.result"
OPENAI_COST = "organization.costs.result"
LONG_CONTEXT = 200_001  # an input past Anthropic's 200k threshold, for rows of the 200k-1M context window


def is_report(obj: dict) -> bool:
    """Whether a decoded document is an OpenAI usage/cost page or bucket, or an Anthropic usage/cost report."""
    if obj.get("object") in ("page", "bucket"):
        return True
    data = obj.get("data")
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "starting_at" in data[0]


def report_records(obj: dict) -> list:
    """One Bucket per result row (a Skipped for a cost row, a BadValue for a row with a bad value)."""
    if obj.get("object") == "bucket":
        return _openai_bucket(obj)
    found: list = []
    for bucket in obj.get("data") or []:
        if not isinstance(bucket, dict):
            continue
        found += _openai_bucket(bucket) if bucket.get("object") == "bucket" else _anthropic_bucket(bucket)
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
        (_count(row, "input_tokens"), _count(row, "input_cached_tokens"), 0, 0, _count(row, "output_tokens"))
    )
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
    creation = row.get("cache_creation") if isinstance(row.get("cache_creation"), dict) else {}
    write_5m = _count(creation, "ephemeral_5m_input_tokens") + _count(row, "cache_creation_5m_input_tokens")
    write_1h = _count(creation, "ephemeral_1h_input_tokens") + _count(row, "cache_creation_1h_input_tokens")
    read = _count(row, "cache_read_input_tokens")
    total = _count(row, "uncached_input_tokens") + read + write_5m + write_1h
    counts = (total, read, write_5m, write_1h, _count(row, "output_tokens"))
    model = model_name(row.get("model"))
    batch = row.get("service_tier") == "batch"
    tools = row.get("server_tool_use") if isinstance(row.get("server_tool_use"), dict) else {}
    searches = _count(tools, "web_search_requests")
    found = record("anthropic-usage-api", model, counts, None, batch, span[0], None, None,
                   tier_of(row.get("service_tier")), searches)  # fmt: skip
    # Requests of the 200k-1M context window pay the long-context tier; the report says which window a row is.
    return Bucket(found, None, span[1], LONG_CONTEXT if row.get("context_window") == "200k-1M" else 0)


def _count(row: dict, key: str) -> int:
    return tokens(row.get(key), key, MAX_BUCKET_TOKENS)

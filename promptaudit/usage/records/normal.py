"""What every format's reader hands the counter: one normalised record, and the tag lookups they share.

A record is a :class:`UsageRecord` (the one ``responses.fields`` returns too), so new formats and the provider
formats go through the same counter. Normalised meaning, whatever the source: ``input`` includes cached and written tokens,
writes are split by TTL where the source says it (else all count as 5-minute writes), ``output`` includes
reasoning tokens.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from promptaudit.usage.records.values import CAP_REASONS, to_epoch

Counts = tuple[int, int, int, int, int]  # (input, cache_read, write_5m, write_1h, output)


class UsageRecord(NamedTuple):
    """One request as every reader hands it to the counter (a tuple, so the counter unpacks it at C speed)."""

    fmt: str
    model: str | None
    counts: Counts
    capped: bool | None = None  # stopped at its output cap; None when the source does not say
    batch: bool = False
    stamp: float | None = None  # Unix seconds
    tag: str | None = None
    route: str | None = None
    service_tier: str | None = None  # flex or priority; None prices as standard
    web_searches: int = 0


# Builds a UsageRecord from a tuple of all ten fields without NamedTuple's keyword-handling __new__
# (a third of the cost per record on the streaming path).
new_record = tuple.__new__


class Bucket(NamedTuple):
    """A pre-aggregated record (a usage report's time bucket): ``requests`` is None when the report
    does not say how many requests it holds."""

    record: UsageRecord
    requests: int | None
    end: float | None = None  # the bucket's end (its start is the record's timestamp), for time spans
    tier_input: int = 0  # a request's input as far as size tiers go (the mean, or the report's context window)


class Skipped(NamedTuple):
    """A record the reader recognised and set aside on purpose (a failed request, a cost-only bucket)."""

    reason: str


class Noted(NamedTuple):
    """A record counted as read, with something the user should hear about it (said once, with a count)."""

    record: UsageRecord | Bucket
    reason: str


IGNORED = Skipped("not a model call")  # a span or observation that is no request: set aside without a word


def record(
    fmt: str,
    model: str | None,
    counts: Counts,
    capped: bool | None = None,
    batch: bool = False,
    stamp: float | None = None,
    tag: str | None = None,
    route: str | None = None,
    service_tier: str | None = None,
    web_searches: int = 0,
) -> UsageRecord:
    """The counter's record (see the module docstring)."""
    return new_record(UsageRecord, (fmt, model, counts, capped, batch, stamp, tag, route, service_tier, web_searches))


def tier_of(value: object) -> str | None:
    """``flex`` or ``priority`` when a source names that service tier (others price as standard)."""
    from promptaudit.usage.records.values import SERVICE_TIERS

    return value if isinstance(value, str) and value in SERVICE_TIERS else None


def capped_from(reasons: object) -> bool | None:
    """Whether a finish reason (or list of them) says the reply hit its output cap; None when unknown."""
    if reasons is None or reasons == "":
        return None
    if isinstance(reasons, str):
        return reasons in CAP_REASONS
    if isinstance(reasons, list):
        return any(isinstance(r, str) and r in CAP_REASONS for r in reasons) if reasons else None
    return None


def stamp_of(value: object) -> float | None:
    """Unix seconds from a number or ISO 8601 text (None when unreadable)."""
    return to_epoch(value) if value is not None else None


def pick(obj: object, path: tuple[str, ...]) -> str | None:
    """The value at a dotted path as text, or None.

    Beyond plain dict keys: a JSON object held as text (a CSV cell, LiteLLM's ``metadata``) is decoded;
    a list of ``key:value`` strings (LiteLLM ``request_tags``) is searched for the next key; a list at the
    end of the path is one tag made of its items joined by commas (sorted, so order does not split groups).
    """
    value: object = obj
    for key in path:
        value = _step(value, key)
        if value is None:
            return None
    return _text(value)


def _step(value: object, key: str) -> object:
    if isinstance(value, str) and value[:1] == "{":
        value = _decoded(value)
    if isinstance(value, dict):
        return value.get(key)
    if isinstance(value, list):
        prefix = key + ":"
        for item in value:
            if isinstance(item, str) and item.startswith(prefix):
                return item[len(prefix) :]
    return None


def decoded(value: object) -> object:
    """A JSON text cell decoded (dict or list), anything else as it is."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        return _decoded(value)
    return value


def _decoded(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value if value[:1] != "[" else _text(_decoded(value))
    if isinstance(value, list):
        items = sorted(str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool))
        return ",".join(items) if items else None
    if value is None or isinstance(value, dict):
        return None
    return str(value)

"""Shared arithmetic for the caching rules: the model's cache minimum and what a cached prefix saves."""

from __future__ import annotations

from decimal import Decimal

MILLION = Decimal(1_000_000)


def cache_rules(ctx):
    """The target model's prompt-cache rules (minimum, TTL, read price multiplier), or None if unknown."""
    from promptaudit.money import providers

    return providers.facts_for(ctx.model, ctx.price.provider, ctx.price.price_id).cache


def monthly_saving(ctx, cached_tokens: int) -> Decimal | None:
    """$/month that caching ``cached_tokens`` saves at the configured volume (None without a volume).

    Each hit pays the cache-read price instead of the input price; the hit rate is modelled from the
    request rate and the cache lifetime (see :mod:`promptaudit.money.economics`).
    """
    from promptaudit.money import economics

    rules, volume = cache_rules(ctx), ctx.volume
    if rules is None or volume is None or cached_tokens <= 0:
        return None
    price = ctx.price
    read = price.cache_read_mtok if price.cache_read_mtok is not None else price.input_mtok * rules.read_multiplier
    hit_rate = economics.modelled_hit_rate(volume.requests_per_day, rules.ttl_seconds)
    return Decimal(cached_tokens) * (price.input_mtok - read) / MILLION * hit_rate * volume.requests_per_month


def saving_text(ctx, cached_tokens: int) -> str:
    """A clause for messages: what caching would save per month, or how to see it."""
    saving = monthly_saving(ctx, cached_tokens)
    if saving is None:
        return "set a volume (--per-day or volume: in config) to see $/month"
    return f"caching would save ${saving:,.2f}/month at {ctx.volume.requests_per_day:,.0f} requests/day"

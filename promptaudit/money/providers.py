"""Provider and model facts that the price source lacks, read from ``data/providers.yaml``.

Cache minimums, increments and lifetimes, the write/read multipliers and batch discount to use only
when genai-prices has no such price, and the curated model catalog. Every value there names its source.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources


@dataclass(frozen=True)
class CacheRules:
    """How one provider's prompt cache bills a prefix."""

    min_tokens: int
    increment: int
    ttl_seconds: int
    write_multiplier: Decimal
    read_multiplier: Decimal
    ttl_1h_seconds: int | None = None
    write_1h_multiplier: Decimal | None = None


@dataclass(frozen=True)
class ModelFacts:
    """What is known about one model beyond its prices (``cache`` is None for unknown providers)."""

    model: str
    provider: str
    cache: CacheRules | None
    batch_discount: Decimal | None
    batch_cache_discount: bool = False  # whether the batch discount also applies to cache reads (documented)


@functools.lru_cache(maxsize=1)
def load() -> dict:
    """The parsed data file."""
    import yaml

    text = resources.files("promptaudit.money").joinpath("data/providers.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def as_of() -> str:
    """When the facts were researched."""
    return str(load()["as_of"])


def catalog(provider: str | None = None) -> list[str]:
    """Model ids that ``promptaudit models`` lists, optionally for one provider."""
    entries = [m for m in load()["models"] if m.get("catalog", True)]
    return [m["id"] for m in entries if provider is None or m["provider"] == provider.lower()]


def providers() -> list[str]:
    """Providers that have facts in the data file."""
    return list(load()["providers"])


def supports_tools(model: str) -> bool:
    """Whether a catalog model takes tool (function) definitions; ``tools: false`` in the data file says not."""
    entry = _model_entry(model) or {}
    return bool(entry.get("tools", True))


def _model_entry(model: str) -> dict | None:
    """The entry whose id is the longest prefix of ``model`` (``gpt-4o-2024-08-06`` -> ``gpt-4o``)."""
    name = model.strip().lower()
    matches = [m for m in load()["models"] if name.startswith(m["id"])]
    return max(matches, key=lambda m: len(m["id"]), default=None)


def _rules(settings: dict, min_tokens: int | None) -> CacheRules:
    optional = settings.get("write_1h_multiplier")
    return CacheRules(
        min_tokens=int(min_tokens or settings["min_tokens"]),
        increment=int(settings["increment"]),
        ttl_seconds=int(settings["ttl_seconds"]),
        write_multiplier=Decimal(str(settings["write_multiplier"])),
        read_multiplier=Decimal(str(settings["read_multiplier"])),
        ttl_1h_seconds=settings.get("ttl_1h_seconds"),
        write_1h_multiplier=None if optional is None else Decimal(str(optional)),
    )


def facts_for(model: str, provider: str, price_id: str | None = None) -> ModelFacts:
    """Cache rules and batch discount for ``model`` (a listed model's own minimum wins over its provider's).

    The model is looked up by its own name, then by the price source's id for it (``price_id``), so aliases
    the source accepts (``claude-4-5-haiku``, dated names) find the same entry.
    """
    entry = _model_entry(model) or (_model_entry(price_id) if price_id else None) or {}
    provider = entry.get("provider", provider)
    settings = load()["providers"].get(provider)
    if settings is None:
        return ModelFacts(model, provider, None, None)
    cache = _rules(settings["cache"], entry.get("cache_min_tokens"))
    discount = Decimal(str(settings["batch_discount"]))
    return ModelFacts(model, provider, cache, discount, bool(settings.get("batch_cache_discount", False)))

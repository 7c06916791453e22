"""Prices as ``Decimal`` per million tokens, from genai-prices' bundled offline snapshot.

genai-prices is imported only when a model is not yet in the derived price index kept in the user
cache (keyed by the installed snapshot's file fingerprint), so short runs stay fast. An unknown model
is an error that names close matches, never $0. Users may add or override prices in config
(``prices:``); those rows say so in their ``source``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime, timezone
from decimal import Decimal

from promptaudit import cache
from promptaudit.errors import PromptauditError, UnknownModelError

MILLION = Decimal(1_000_000)
PRICE_INDEX = "prices-v1.json"
_PRICE_FIELDS = (
    "input_mtok",
    "cache_read_mtok",
    "cache_write_mtok",
    "cache_write_1h_mtok",
    "output_mtok",
    "batch_input_mtok",
    "batch_output_mtok",
)


@dataclass(frozen=True)
class ModelPrice:
    """One model's list prices in USD per million tokens. ``None`` means the source has no such price."""

    model: str
    price_id: str
    provider: str
    input_mtok: Decimal
    output_mtok: Decimal
    cache_read_mtok: Decimal | None = None
    cache_write_mtok: Decimal | None = None
    cache_write_1h_mtok: Decimal | None = None
    batch_input_mtok: Decimal | None = None
    batch_output_mtok: Decimal | None = None
    context_window: int | None = None
    tiered: bool = False
    source: str = "genai-prices"

    def input_cost(self, tokens: int) -> Decimal:
        """Cost of ``tokens`` uncached input tokens."""
        return Decimal(tokens) * self.input_mtok / MILLION

    def output_cost(self, tokens: int) -> Decimal:
        """Cost of ``tokens`` output tokens."""
        return Decimal(tokens) * self.output_mtok / MILLION

    def to_json(self) -> dict:
        """A JSON-safe dict; prices as strings so no precision is lost."""
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> ModelPrice:
        """Inverse of :meth:`to_json`."""
        values = {f.name: data.get(f.name) for f in fields(cls)}
        for name in _PRICE_FIELDS:
            if values[name] is not None:
                values[name] = Decimal(values[name])
        return cls(**values)


@dataclass(frozen=True)
class PriceSource:
    """Which prices a report used and their date."""

    source: str
    as_of: str

    def to_json(self) -> dict:
        return {"source": self.source, "as_of": self.as_of}


def _snapshot_fingerprint() -> str | None:
    """Identify the installed genai-prices data file without importing it (stat only)."""
    spec = importlib.util.find_spec("genai_prices")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], "data.py")
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{date.today().isoformat()}"


class _PriceIndex:
    """Resolved prices per model reference, persisted in the user cache between runs."""

    def __init__(self) -> None:
        self.fingerprint = _snapshot_fingerprint()
        stored = cache.read_json(PRICE_INDEX) or {}
        fresh = stored.get("fingerprint") == self.fingerprint and isinstance(stored.get("models"), dict)
        self.models: dict[str, dict] = stored["models"] if fresh else {}
        self.meta: dict | None = stored.get("meta") if fresh else None
        self.dirty = False

    def save(self) -> None:
        if self.dirty:
            cache.write_json(PRICE_INDEX, {"fingerprint": self.fingerprint, "models": self.models, "meta": self.meta})
            self.dirty = False


@functools.lru_cache(maxsize=1)
def _index() -> _PriceIndex:
    return _PriceIndex()


@functools.lru_cache(maxsize=1)
def _snapshot():
    try:
        from genai_prices import data_snapshot
    except ImportError as exc:  # pragma: no cover - a broken install
        raise PromptauditError("the price source genai-prices is not installed; reinstall promptaudit") from exc
    return data_snapshot.get_snapshot()


def _base(value) -> Decimal | None:
    """A flat Decimal from a genai-prices price (the base tier of tiered prices)."""
    if value is None:
        return None
    return Decimal(value.base) if hasattr(value, "base") else Decimal(value)


def _has_batch_variant(model_info) -> bool:
    return any(v.when.get("processing") == "batch" for v in (model_info.price_variants or ()))


def _resolve(model: str) -> ModelPrice:
    snapshot = _snapshot()
    try:
        provider, info = _find_model(snapshot, model)
    except LookupError:
        raise UnknownModelError(model, suggest_models(model)) from None
    now = datetime.now(timezone.utc)
    std = info.get_prices(now)
    batch = info.get_prices(now, {"processing": "batch"}) if _has_batch_variant(info) else None
    if std.__dict__.get("input_mtok") is None or std.__dict__.get("output_mtok") is None:
        raise UnknownModelError(model, suggest_models(model))
    tiered = any(hasattr(v, "tiers") for v in std.__dict__.values())
    return ModelPrice(
        model=model,
        price_id=info.id,
        provider=provider.id,
        input_mtok=_base(std.input_mtok),
        output_mtok=_base(std.output_mtok),
        cache_read_mtok=_base(std.__dict__.get("cache_read_mtok")),
        cache_write_mtok=_base(std.__dict__.get("cache_write_mtok")),
        cache_write_1h_mtok=_base(std.__dict__.get("cache_write_1h_mtok")),
        batch_input_mtok=_base(batch.input_mtok) if batch else None,
        batch_output_mtok=_base(batch.output_mtok) if batch else None,
        context_window=info.context_window,
        tiered=tiered,
        source=f"genai-prices {_genai_prices_version()}",
    )


def _genai_prices_version() -> str:
    import genai_prices

    return genai_prices.__version__


_OVERRIDES: dict[str, ModelPrice] = {}


def set_overrides(prices: dict[str, ModelPrice]) -> None:
    """Install prices from config (negotiated rates, private or new models); they win over the snapshot."""
    _OVERRIDES.clear()
    _OVERRIDES.update({name.lower(): price for name, price in prices.items()})


def price_key(model: str) -> str:
    """The name prices are looked up by (case and surrounding spaces do not matter)."""
    return model.strip().lower()


def _find_model(snapshot, model: str):
    """genai-prices' match for ``model``; a fine-tuned ``ft:BASE:org:suffix:id`` falls back to ``ft:BASE``.

    genai-prices matches dated fine-tune names (``ft:gpt-4o-mini-2024-07-18:...``) itself; the fallback
    covers names given without the date, priced by the fine-tuning row of the same base model.
    """
    try:
        return snapshot.find_provider_model(model, None, None, None)
    except LookupError:
        if not model.startswith("ft:") or model.count(":") < 2:
            raise
    try:  # fine-tunes are OpenAI's; its rows match dated names such as ft:gpt-4o-mini-2024-07-18:...
        return snapshot.find_provider_model(model, None, "openai", None)
    except LookupError:
        pass
    wanted = "ft:" + re.sub(r"-\d{4}-\d{2}-\d{2}$", "", model.split(":")[1])
    for provider in snapshot.providers:
        for info in provider.models:
            if info.id == wanted:
                return provider, info
    raise LookupError(model)


def _from_index(entry: object) -> ModelPrice | None:
    """A cached index entry, or None when it is absent or damaged (then the snapshot is asked again)."""
    if not isinstance(entry, dict):
        return None
    try:
        price = ModelPrice.from_json(entry)
    except (ArithmeticError, TypeError, ValueError):
        return None
    return price if isinstance(price.input_mtok, Decimal) and isinstance(price.output_mtok, Decimal) else None


def price_for(model: str) -> ModelPrice:
    """Prices for ``model``: config override, else the cached index, else genai-prices; else an error."""
    key = model.strip().lower()
    if key in _OVERRIDES:
        return _OVERRIDES[key]
    return snapshot_price(model)


def snapshot_price(model: str) -> ModelPrice:
    """Prices for ``model`` from genai-prices (via the cached index), ignoring config overrides."""
    key = price_key(model)
    index = _index()
    cached = _from_index(index.models.get(key))
    if cached is not None:
        return replace(cached, model=model)
    price = _resolve(key)
    index.models[key] = price.to_json()
    index.dirty = True
    index.save()
    return replace(price, model=model)


def suggest_models(model: str, limit: int = 3) -> list[str]:
    """Close model ids from the price source and config, for 'did you mean' hints."""
    import difflib

    names = list(dict.fromkeys([m.id for p in _snapshot().providers for m in p.models] + list(_OVERRIDES)))
    return difflib.get_close_matches(model.lower(), names, n=limit, cutoff=0.6)


def price_source() -> PriceSource:
    """The source and date of the prices in use (cached with the index)."""
    index = _index()
    if index.meta is None:
        index.meta = _source_meta()
        index.dirty = True
        index.save()
    source = index.meta["source"] + (" + config overrides" if _OVERRIDES else "")
    return PriceSource(source, index.meta["as_of"])


_DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")


def _source_meta() -> dict:
    """Name the snapshot and date it: the newest past date its own notes cite as checked or verified."""
    today = date.today().isoformat()
    dates = [d for p in _snapshot().providers for text in _notes(p) for d in _DATE.findall(text) if d <= today]
    as_of = max(dates) if dates else "unknown"
    return {"source": f"genai-prices {_genai_prices_version()} (bundled snapshot)", "as_of": as_of}


def _notes(provider) -> list[str]:
    return [provider.price_comments or ""] + [m.price_comments or "" for m in provider.models]


def cost_per_request_input(price: ModelPrice, tokens: int) -> Decimal:
    """Input cost of sending ``tokens`` once, uncached."""
    return price.input_cost(tokens)

"""Prices as ``Decimal`` per million tokens, from genai-prices' bundled offline snapshot.

Each model has a price schedule (money.schedule): its prices in every period, processing mode and prompt-size
tier, resolved from genai-prices once and kept in the derived price index (money.price_index), so short runs
never import genai-prices. ``price_for`` gives the flat prices of one request size at one moment (default:
base tier, now). An unknown model is an error that names close matches, never $0. Users may add or override
prices in config (``prices:``); those rows say so in their ``source``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields
from decimal import Decimal

from promptaudit.errors import UnknownModelError
from promptaudit.money import price_index
from promptaudit.money import schedule as schedules

MILLION = Decimal(1_000_000)
PRICE_INDEX = price_index.INDEX_FILE
_index = price_index.index  # the process-wide index (tests clear it between cases)
_PRICE_FIELDS = (
    "input_mtok",
    "cache_read_mtok",
    "cache_write_mtok",
    "cache_write_1h_mtok",
    "output_mtok",
    "batch_input_mtok",
    "batch_output_mtok",
    "batch_cache_read_mtok",
    "batch_cache_write_mtok",
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
    batch_cache_read_mtok: Decimal | None = None  # the source's own batch cache prices, where it has them
    batch_cache_write_mtok: Decimal | None = None
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
    """Which prices a report used, their date, and what that date is (see docs/prices.md)."""

    source: str
    as_of: str
    as_of_basis: str = ""

    def to_json(self) -> dict:
        return {"source": self.source, "as_of": self.as_of, "as_of_basis": self.as_of_basis}


@dataclass(frozen=True)
class PricedModel:
    """One model's whole price schedule (every period, mode and tier) and the facts around it."""

    model: str
    price_id: str
    provider: str
    context_window: int | None
    schedule: schedules.Schedule
    source: str

    def thresholds(self, when: float | None = None) -> tuple[int, ...]:
        """Input sizes above which a standard request sent at ``when`` (default now) pays a higher tier's
        rates, on all of its tokens."""
        _, period = schedules.place(self.schedule, 0, time.time() if when is None else when)
        return self.schedule.thresholds_in("standard", period)

    def price_at(self, input_tokens: int = 0, when: float | None = None) -> ModelPrice:
        """Flat list prices for a request of ``input_tokens`` total input sent at ``when`` (default now)."""
        moment = time.time() if when is None else when
        tier, period = schedules.place(self.schedule, input_tokens, moment)
        std, batch = self.schedule.prices("standard", tier, period), self.schedule.prices("batch", tier, period)
        return ModelPrice(
            model=self.model,
            price_id=self.price_id,
            provider=self.provider,
            input_mtok=std.input_mtok,
            output_mtok=std.output_mtok,
            cache_read_mtok=std.cache_read_mtok,
            cache_write_mtok=std.cache_write_mtok,
            cache_write_1h_mtok=std.cache_write_1h_mtok,
            batch_input_mtok=batch.input_mtok if batch.own else None,
            batch_output_mtok=batch.output_mtok if batch.own else None,
            batch_cache_read_mtok=batch.cache_read_mtok if batch.own else None,
            batch_cache_write_mtok=batch.cache_write_mtok if batch.own else None,
            context_window=self.context_window,
            tiered=bool(self.schedule.thresholds_in("standard", period)),
            source=self.source,
        )


_OVERRIDES: dict[str, ModelPrice] = {}


def set_overrides(prices: dict[str, ModelPrice]) -> None:
    """Install prices from config (negotiated rates, private or new models); they win over the snapshot."""
    _OVERRIDES.clear()
    _OVERRIDES.update({name.lower(): price for name, price in prices.items()})


def price_key(model: str) -> str:
    """The name prices are looked up by (case and surrounding spaces do not matter)."""
    return model.strip().lower()


def price_for(model: str, input_tokens: int = 0, when: float | None = None) -> ModelPrice:
    """Prices for ``model`` (config override, else genai-prices via the index) at the tier a request of
    ``input_tokens`` selects, in force at ``when`` (default now); an unknown model raises UnknownModelError."""
    key = price_key(model)
    if key in _OVERRIDES:
        return _OVERRIDES[key]
    return schedule_for(model).price_at(input_tokens, when)


def snapshot_price(model: str) -> ModelPrice:
    """Today's base-tier prices for ``model`` from genai-prices, ignoring config overrides."""
    return _snapshot_schedule(model).price_at()


def schedule_for(model: str) -> PricedModel:
    """The model's whole schedule: from a config override (one flat price), else genai-prices via the index."""
    override = _OVERRIDES.get(price_key(model))
    if override is not None:
        return PricedModel(
            model,
            override.price_id,
            override.provider,
            override.context_window,
            schedules.flat(override),
            override.source,
        )
    return _snapshot_schedule(model)


def _snapshot_schedule(model: str) -> PricedModel:
    index = price_index.index()
    if model not in index.priced:  # a pure function of the name and the installed snapshot: once per process
        index.priced[model] = _priced(model, index)
    return index.priced[model]


def _priced(model: str, index: price_index.PriceIndex) -> PricedModel:
    key = price_key(model)
    entry = index.entry(key)
    if entry is None:
        try:
            entry = price_index.resolve(key)
        except LookupError:
            raise UnknownModelError(model, suggest_models(model)) from None
        index.store(key, entry)
    source = f"genai-prices {price_index.genai_prices_version()}"
    return PricedModel(model, entry.price_id, entry.provider, entry.context_window, entry.schedule, source)


def suggest_models(model: str, limit: int = 3) -> list[str]:
    """Close model ids from the price source and config, for 'did you mean' hints."""
    import difflib

    names = [m.id for p in price_index.snapshot().providers for m in p.models] + list(_OVERRIDES)
    names = list(dict.fromkeys(names))
    return difflib.get_close_matches(model.lower(), names, n=limit, cutoff=0.6)


def price_source() -> PriceSource:
    """The source and date of the prices in use (cached with the index)."""
    index = price_index.index()
    if index.meta is None:
        index.meta = price_index.source_meta()
        index.dirty = True
        index.save()
    source = index.meta["source"] + (" + config overrides" if _OVERRIDES else "")
    return PriceSource(source, index.meta["as_of"], index.meta["as_of_basis"])


def cost_per_request_input(price: ModelPrice, tokens: int) -> Decimal:
    """Input cost of sending ``tokens`` once, uncached."""
    return price.input_cost(tokens)

"""One row per model for ``promptaudit models``: prices from the price source, facts from providers.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.errors import UnknownModelError
from promptaudit.money import pricing, providers, rates
from promptaudit.money.schedule import Prices
from promptaudit.tokens import tokenizers as tokens


@dataclass(frozen=True)
class ModelRow:
    """What ``models`` shows for one model. Batch prices marked ``batch_derived`` come from the discount."""

    price: pricing.ModelPrice
    facts: providers.ModelFacts
    tokenizer: str
    exact: bool
    batch_input_mtok: Decimal | None
    batch_output_mtok: Decimal | None
    batch_derived: bool

    def to_json(self) -> dict:
        price, cache = self.price, self.facts.cache
        data = {"model": price.model, "provider": price.provider, "price_id": price.price_id}
        for name in ("input_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok", "output_mtok"):
            data[name] = _text(getattr(price, name))
        data |= {
            "batch_input_mtok": _text(self.batch_input_mtok),
            "batch_output_mtok": _text(self.batch_output_mtok),
            "batch_derived": self.batch_derived,
            "context_window": price.context_window,
            "tiered": price.tiered,
            "cache_min_tokens": cache.min_tokens if cache else None,
            "cache_increment": cache.increment if cache else None,
            "cache_ttl_seconds": cache.ttl_seconds if cache else None,
            "tokenizer": self.tokenizer,
            "exact": self.exact,
            "source": price.source,
        }
        return data


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _batch(price: pricing.ModelPrice, facts: providers.ModelFacts) -> tuple[Decimal | None, Decimal | None, bool]:
    """The source's batch prices, else the provider's documented discount (money.rates' one batch rule)."""
    if price.batch_input_mtok is not None and price.batch_output_mtok is not None:
        return price.batch_input_mtok, price.batch_output_mtok, False
    derived = rates.derived_batch(Prices(price.input_mtok, price.output_mtok), facts)
    if derived is None:
        return None, None, False
    return derived.input_mtok, derived.output_mtok, True


def _tokenizer(model: str) -> tuple[str, bool]:
    try:
        tokenizer = tokens.tokenizer_for(model)
    except UnknownModelError:
        return "unknown", False
    return tokenizer.label, tokenizer.exact


def model_row(model: str) -> ModelRow:
    """Prices, cache facts and tokenizer for one model (raises UnknownModelError)."""
    price = pricing.price_for(model)
    facts = providers.facts_for(model, price.provider, price.price_id)
    return ModelRow(price, facts, *_tokenizer(model), *_batch(price, facts))


def model_rows(models: list[str]) -> list[ModelRow]:
    """Rows for every model, in order."""
    return [model_row(model) for model in models]

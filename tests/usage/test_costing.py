"""Gaps in the price source are filled from data/providers.yaml, never guessed in code."""

from __future__ import annotations

from decimal import Decimal

from promptaudit.money import schedule
from promptaudit.money.pricing import ModelPrice, PricedModel
from promptaudit.usage.results.costing import PriceBook


def book_for(price: ModelPrice) -> PriceBook:
    priced = PricedModel(price.model, price.price_id, price.provider, None, schedule.flat(price), "test")
    return PriceBook(lambda model: priced)


def test_missing_anthropic_write_prices_use_the_published_multipliers():
    price = ModelPrice("claude-x", "claude-x", "anthropic", Decimal(4), Decimal(20), cache_read_mtok=Decimal("0.4"))
    rates = book_for(price).rates(("claude-x", "standard", 0, 0))
    assert (rates.write_5m, rates.write_1h) == (Decimal(5), Decimal(8))  # 1.25x and 2x input


def test_openai_cache_writes_cost_the_input_price_when_not_listed():
    price = ModelPrice("gpt-x", "gpt-x", "openai", Decimal(2), Decimal(8), cache_read_mtok=Decimal("0.5"))
    rates = book_for(price).rates(("gpt-x", "standard", 0, 0))
    assert (rates.write_5m, rates.write_1h, rates.cache_read) == (Decimal(2), Decimal(2), Decimal("0.5"))


def test_timestamps_no_clock_produces_are_unreadable_not_a_crash():
    from promptaudit.usage.records.values import timestamp_of, to_epoch

    assert timestamp_of({"created": 10**400}) is None
    assert to_epoch(-5) is None and to_epoch(float("nan")) is None and to_epoch("1" + "0" * 400) is None
    assert timestamp_of({"created": 1_700_000_000}) == 1_700_000_000.0
    assert to_epoch(1_700_000_000_000) == 1_700_000_000.0


def test_records_without_a_model_are_not_reported_as_an_unknown_model():
    from promptaudit.usage.records.aggregate import NO_MODEL

    def lookup(model):
        raise AssertionError(f"looked up {model!r}")

    book = PriceBook(lookup)
    assert book.model(NO_MODEL) is None
    assert book.unknown == {}

"""From the source's prices for one price class to the rates a bill uses, with the documented fallbacks.

One rule for batch, used by ``models``, ``project`` and ``usage`` alike: the source's batch price in force
when the request was sent; where the source has none in force (a retired model, or a record older than the
source's batch history), the provider's documented batch discount (data/providers.yaml) applied to the
standard prices in force, cache reads included only where the provider documents that the discounts stack.
Where neither exists, standard prices, said in a note. Flex and priority records without a price of their own
pay standard prices, also said in a note.

Other fallbacks, each said once: no cache-read price bills cached tokens at the input price (no saving is
claimed, as genai-prices does; said only when records read from the cache); no cache-write price uses the
provider's documented write multipliers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from promptaudit.money.providers import ModelFacts
from promptaudit.money.schedule import Prices

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class ClassRates:
    """USD per million tokens for one price class; ``web_search`` and ``request`` are USD per 1,000 calls."""

    input: Decimal
    cache_read: Decimal
    write_5m: Decimal
    write_1h: Decimal
    output: Decimal
    web_search: Decimal | None = None  # None: the source does not price web searches for this model
    request: Decimal = ZERO
    cache_read_priced: bool = True
    """False when the source has no cached-input price (cached tokens then bill at the input price): said in a
    note only when records of the class read from the cache (:data:`NO_CACHED_PRICE`)."""


NO_CACHED_PRICE = "{model}: no cached-input price; cached tokens billed at the input price"


def derived_batch(standard: Prices, facts: ModelFacts) -> Prices | None:
    """Batch prices from the provider's documented discount, or None when none is documented."""
    if facts.batch_discount is None:
        return None
    keep = ONE - facts.batch_discount

    def cut(value: Decimal | None) -> Decimal | None:
        return None if value is None else value * keep

    read = cut(standard.cache_read_mtok) if facts.batch_cache_discount else standard.cache_read_mtok
    return replace(
        standard,
        input_mtok=cut(standard.input_mtok),
        output_mtok=cut(standard.output_mtok),
        cache_read_mtok=read,
        cache_write_mtok=cut(standard.cache_write_mtok),
        cache_write_1h_mtok=cut(standard.cache_write_1h_mtok),
        own=False,
    )


def batch_prices(price, standard: Prices, facts: ModelFacts) -> Prices:
    """The batch rule for one flat money.pricing.ModelPrice (``models``, ``project``): the source's batch prices
    (its own batch cache prices where it has them, else the standard ones), else the documented discount."""
    if price.batch_input_mtok is None or price.batch_output_mtok is None:
        return derived_batch(standard, facts) or standard
    read, write = price.batch_cache_read_mtok, price.batch_cache_write_mtok
    return replace(
        standard,
        input_mtok=price.batch_input_mtok,
        output_mtok=price.batch_output_mtok,
        cache_read_mtok=standard.cache_read_mtok if read is None else read,
        cache_write_mtok=standard.cache_write_mtok if write is None else write,
    )


def class_rates(cell: Prices, mode: str, facts: ModelFacts, model: str) -> tuple[ClassRates, list[str]]:
    """The rates of one price class and the notes to tell the user (each said once by the caller)."""
    notes: list[str] = []
    if mode == "batch" and not cell.own:
        derived = derived_batch(cell, facts)
        if derived is None:
            notes.append(f"{model}: no batch price and no documented batch discount; batch records at standard prices")
        else:
            notes.append(f"{model}: batch rates derived from the provider's {facts.batch_discount:.0%} batch discount")
            cell = derived
    elif mode in ("flex", "priority") and not cell.own:
        notes.append(f"{model}: no {mode} price in the source; {mode} records billed at standard prices")
    return _with_fallbacks(cell, facts, model, notes), notes


def _with_fallbacks(cell: Prices, facts: ModelFacts, model: str, notes: list[str]) -> ClassRates:
    base = cell.input_mtok
    read = cell.cache_read_mtok
    rules = facts.cache
    write_5m = cell.cache_write_mtok
    if write_5m is None:
        write_5m = base * rules.write_multiplier if rules else base
    write_1h = cell.cache_write_1h_mtok
    if write_1h is None:
        write_1h = base * rules.write_1h_multiplier if rules and rules.write_1h_multiplier else write_5m
    return ClassRates(
        base,
        base if read is None else read,
        write_5m,
        write_1h,
        cell.output_mtok,
        cell.web_searches_kcount,
        cell.requests_kcount or ZERO,
        read is not None,
    )

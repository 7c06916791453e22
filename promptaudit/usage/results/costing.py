"""Turn integer token counts into money, once per price class, never once per line.

A price class is (model, mode, tier, period) (usage.records.aggregate.PriceClass): the records of one model, in one
processing mode, whose input size falls in one price tier and whose time falls in one price period. Every
record in a class pays the same rates, so a class's cost is its summed counters times those rates: exactly
the sum of what genai-prices' ``calc_price`` gives for each record (with its timestamp and mode).

Each model's schedule is looked up once per run. A model the price source does not know is not fatal: its
tokens are counted and its cost is unknown (None), never $0. The fallbacks and the batch rule are those of
money.rates, each reported once as a note.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

from promptaudit.errors import PromptauditError
from promptaudit.money.pricing import MILLION, PricedModel
from promptaudit.money.providers import facts_for
from promptaudit.money.rates import ClassRates, class_rates
from promptaudit.usage.records.aggregate import (
    CACHE_READ,
    INPUT,
    NO_MODEL,
    OUTPUT,
    REQUESTS,
    WEB_SEARCHES,
    WRITE_1H,
    WRITE_5M,
    PriceClass,
)

ZERO = Decimal(0)
THOUSAND = Decimal(1000)


@dataclass(frozen=True)
class Cost:
    """Money for some tokens, split the way the bill is; ``saving``/``premium`` are caching's effect.

    ``server_tools`` is what server-side tools (web search) and per-request fees cost."""

    uncached_input: Decimal = ZERO
    cached_input: Decimal = ZERO
    cache_writes: Decimal = ZERO
    output: Decimal = ZERO
    cache_saving: Decimal = ZERO
    write_premium: Decimal = ZERO
    server_tools: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.uncached_input + self.cached_input + self.cache_writes + self.output + self.server_tools

    def __add__(self, other: Cost) -> Cost:
        return Cost(*(a + b for a, b in zip(self._values(), other._values())))

    def _values(self) -> tuple[Decimal, ...]:
        return (
            self.uncached_input,
            self.cached_input,
            self.cache_writes,
            self.output,
            self.cache_saving,
            self.write_premium,
            self.server_tools,
        )


class PriceBook:
    """Schedules per model and rates per price class, resolved once per run; ``notes`` and ``unknown``
    collect what to tell the user. ``now`` (the run's time) prices records without a timestamp."""

    def __init__(self, lookup, now: float | None = None) -> None:
        self._lookup = lookup
        self.now = time.time() if now is None else now
        self._models: dict[str, PricedModel | None] = {}
        self._rates: dict[PriceClass, ClassRates | None] = {}
        self.notes: list[str] = []
        self.unknown: dict[str, str] = {}

    def model(self, model: str) -> PricedModel | None:
        """The model's price schedule, or None when the price source does not know it."""
        if model not in self._models:
            self._models[model] = self._resolve(model)
        return self._models[model]

    def _resolve(self, model: str) -> PricedModel | None:
        if model == NO_MODEL:
            return None  # already reported as "records name no model"; not an unknown model name
        try:
            return self._lookup(model)
        except PromptauditError as exc:
            self.unknown[model] = str(exc)
            return None

    def classifier(self, model: str, mode: str):
        """How the scan places ``model``'s records of ``mode`` in price classes (None: all pay the same)."""
        priced = self.model(model)
        return None if priced is None else priced.schedule.classifier(mode, self.now)

    def rates(self, klass: PriceClass) -> ClassRates | None:
        """Rates for a price class, or None when the model is unknown."""
        if klass not in self._rates:
            self._rates[klass] = self._class_rates(klass)
        return self._rates[klass]

    def _class_rates(self, klass: PriceClass) -> ClassRates | None:
        model, mode, tier, period = klass
        priced = self.model(model)
        if priced is None:
            return None
        facts = facts_for(priced.model, priced.provider, priced.price_id)
        rates, notes = class_rates(priced.schedule.prices(mode, tier, period), mode, facts, priced.model)
        for note in notes:
            self.note(note)
        return rates

    def note(self, text: str) -> None:
        """Tell the user ``text`` once."""
        if text not in self.notes:
            self.notes.append(text)


def cost_of(counts: list[int], rates: ClassRates) -> Cost:
    """Money for one price class's counters at ``rates`` (exact Decimal arithmetic)."""
    read, w5, w1h = counts[CACHE_READ], counts[WRITE_5M], counts[WRITE_1H]
    uncached = counts[INPUT] - read - w5 - w1h
    searches = Decimal(counts[WEB_SEARCHES]) * (rates.web_search or ZERO)
    return Cost(
        uncached_input=Decimal(uncached) * rates.input / MILLION,
        cached_input=Decimal(read) * rates.cache_read / MILLION,
        cache_writes=(Decimal(w5) * rates.write_5m + Decimal(w1h) * rates.write_1h) / MILLION,
        output=Decimal(counts[OUTPUT]) * rates.output / MILLION,
        cache_saving=Decimal(read) * (rates.input - rates.cache_read) / MILLION,
        write_premium=(Decimal(w5) * (rates.write_5m - rates.input) + Decimal(w1h) * (rates.write_1h - rates.input))
        / MILLION,
        server_tools=(searches + Decimal(counts[REQUESTS]) * rates.request) / THOUSAND,
    )

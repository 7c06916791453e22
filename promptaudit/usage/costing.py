"""Turn integer token counts into money, once per price class, with documented fallbacks.

Each model is looked up once per run. A model the price source does not know is not fatal: its tokens
are counted and its cost is unknown (None), never $0. Fallbacks, each reported once as a note:

- no cache-read price: cached tokens bill at the input price (no saving is claimed);
- no cache-write price: Anthropic writes bill at 1.25x input (5 min) and 2x input (1 h), the documented
  multipliers; other providers' writes bill at the input price;
- batch records use the batch prices; without them, the standard prices. Batch cache reads: Anthropic
  discounts them like input (the discounts stack); other providers keep the standard cached rate, capped
  at the batch input price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from promptaudit.money.pricing import MILLION, ModelPrice
from promptaudit.usage.aggregate import CACHE_READ, INPUT, NO_MODEL, OUTPUT, WRITE_1H, WRITE_5M

ZERO = Decimal(0)


@dataclass(frozen=True)
class Rates:
    """USD per million tokens for one price class."""

    input: Decimal
    cache_read: Decimal
    write_5m: Decimal
    write_1h: Decimal
    output: Decimal


@dataclass(frozen=True)
class Cost:
    """Money for some tokens, split the way the bill is; ``saving``/``premium`` are caching's effect."""

    uncached_input: Decimal = ZERO
    cached_input: Decimal = ZERO
    cache_writes: Decimal = ZERO
    output: Decimal = ZERO
    cache_saving: Decimal = ZERO
    write_premium: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.uncached_input + self.cached_input + self.cache_writes + self.output

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
        )


class PriceBook:
    """Prices per model, resolved once per run; ``notes`` and ``unknown`` collect what to tell the user."""

    def __init__(self, lookup) -> None:
        self._lookup = lookup
        self._prices: dict[str, ModelPrice | None] = {}
        self.notes: list[str] = []
        self.unknown: dict[str, str] = {}

    def price(self, model: str) -> ModelPrice | None:
        """The model's prices, or None when the price source does not know it."""
        if model not in self._prices:
            self._prices[model] = self._resolve(model)
        return self._prices[model]

    def _resolve(self, model: str) -> ModelPrice | None:
        from promptaudit.errors import PromptauditError

        if model == NO_MODEL:
            return None  # already reported as "records name no model"; not an unknown model name
        try:
            return self._lookup(model)
        except PromptauditError as exc:
            self.unknown[model] = str(exc)
            return None

    def rates(self, model: str, batch: bool) -> Rates | None:
        """Rates for a price class, or None when the model is unknown."""
        price = self.price(model)
        if price is None:
            return None
        rates = self._standard(price)
        return self._batch(price, rates) if batch else rates

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def _standard(self, p: ModelPrice) -> Rates:
        read = p.cache_read_mtok
        if read is None:
            self._note(f"{p.model}: no cached-input price; cached tokens billed at the input price")
        w5_multiplier, w1h_multiplier = _write_multipliers(p)
        w5 = p.cache_write_mtok or p.input_mtok * w5_multiplier
        w1h = p.cache_write_1h_mtok or (p.input_mtok * w1h_multiplier if w1h_multiplier is not None else w5)
        return Rates(p.input_mtok, p.input_mtok if read is None else read, w5, w1h, p.output_mtok)

    def _batch(self, p: ModelPrice, std: Rates) -> Rates:
        if p.batch_input_mtok is None or p.batch_output_mtok is None:
            self._note(f"{p.model}: no batch price; batch records billed at standard prices")
            return std
        factor = p.batch_input_mtok / p.input_mtok
        if p.provider == "anthropic":
            read = std.cache_read * factor
        else:
            read = min(std.cache_read, p.batch_input_mtok)
        return Rates(p.batch_input_mtok, read, std.write_5m * factor, std.write_1h * factor, p.batch_output_mtok)


def _write_multipliers(p: ModelPrice) -> tuple[Decimal, Decimal | None]:
    """Cache-write multipliers from data/providers.yaml, for prices the snapshot lacks (1x when unknown)."""
    from promptaudit.money.providers import facts_for

    rules = facts_for(p.model, p.provider).cache
    return (rules.write_multiplier, rules.write_1h_multiplier) if rules else (Decimal(1), None)


def cost_of(counts: list[int], rates: Rates) -> Cost:
    """Money for one price class's counters at ``rates`` (exact Decimal arithmetic)."""
    read, w5, w1h = counts[CACHE_READ], counts[WRITE_5M], counts[WRITE_1H]
    uncached = counts[INPUT] - read - w5 - w1h
    return Cost(
        uncached_input=Decimal(uncached) * rates.input / MILLION,
        cached_input=Decimal(read) * rates.cache_read / MILLION,
        cache_writes=(Decimal(w5) * rates.write_5m + Decimal(w1h) * rates.write_1h) / MILLION,
        output=Decimal(counts[OUTPUT]) * rates.output / MILLION,
        cache_saving=Decimal(read) * (rates.input - rates.cache_read) / MILLION,
        write_premium=(Decimal(w5) * (rates.write_5m - rates.input) + Decimal(w1h) * (rates.write_1h - rates.input))
        / MILLION,
    )

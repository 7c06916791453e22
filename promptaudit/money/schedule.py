"""One model's prices through time, per processing mode and prompt-size tier, as genai-prices resolves them.

genai-prices picks a model's prices by the request's date and time of day (``ConditionalPrice``), by request
context (``PriceVariant``: batch processing, flex or priority service tiers) and by the request's total input
tokens (``TieredPrices``: a request above a threshold pays that tier's rate on ALL of its tokens). A schedule
cuts time at every date and time of day where any of those prices starts or ends, and prompt size at every tier
threshold; inside one cell nothing changes, so each cell's prices are resolved once, by genai-prices itself
(``ModelInfo.get_prices`` at an instant inside the cell, ``calc_unit_price`` for the tier).

A record is placed in a cell by ``Classifier.key(input_tokens, timestamp)``: the (tier, period) pair that,
with the model and mode, is the price class usage aggregates by.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from promptaudit.tokens import expiry

MODES = ("standard", "batch", "flex", "priority")
CONTEXTS = {
    "standard": None,
    "batch": {"processing": "batch"},
    "flex": {"service_tier": "flex"},
    "priority": {"service_tier": "priority"},
}
PRICE_KEYS = (
    "input_mtok",
    "output_mtok",
    "cache_read_mtok",
    "cache_write_mtok",
    "cache_write_1h_mtok",
    "web_searches_kcount",
    "requests_kcount",
)
DAY = 86_400
_EPOCH_DAY = date(1970, 1, 1)
_BEFORE_ANY = date(2000, 1, 1)


@dataclass(frozen=True)
class Prices:
    """The source's prices for one cell (None: the source has no such price). ``own`` is False when the mode
    has no prices of its own in force there (genai-prices then returns the standard prices)."""

    input_mtok: Decimal
    output_mtok: Decimal
    cache_read_mtok: Decimal | None = None
    cache_write_mtok: Decimal | None = None
    cache_write_1h_mtok: Decimal | None = None
    web_searches_kcount: Decimal | None = None
    requests_kcount: Decimal | None = None
    own: bool = True

    def to_json(self) -> list:
        return [None if v is None else str(v) for v in (getattr(self, k) for k in PRICE_KEYS)] + [self.own]


@dataclass(frozen=True)
class Schedule:
    """Cells of one model's prices: ``cells[mode][period * tiers + tier]``."""

    boundaries: tuple[str, ...]  # ISO dates (UTC) where a date-conditional price starts
    day_cuts: tuple[int, ...]  # seconds into the UTC day where a time-of-day price starts or ends; first is 0
    thresholds: tuple[int, ...]  # tier starts: a request with more input tokens than one is in the next tier
    cells: dict[str, tuple[Prices, ...]]

    @property
    def tiers(self) -> int:
        return len(self.thresholds) + 1

    def prices(self, mode: str, tier: int, period: int) -> Prices:
        """The prices of one cell."""
        return self.cells[mode][period * self.tiers + tier]

    def thresholds_in(self, mode: str, period: int) -> tuple[int, ...]:
        """The tier thresholds where ``mode``'s prices really change in ``period`` (a model can be tiered in
        one period and flat in another: Claude Opus 4.6 lost its >200k tier on 2026-03-13)."""
        row = self.cells[mode][period * self.tiers : (period + 1) * self.tiers]
        return tuple(t for i, t in enumerate(self.thresholds, 1) if row[i] != row[i - 1])

    def classifier(self, mode: str, now: float) -> Classifier | None:
        """How to place ``mode``'s records in cells; None when every record of the mode pays the same prices."""
        cells = self.cells[mode]
        tiered = any(cells[i] != cells[i - i % self.tiers] for i in range(len(cells)))
        timed = any(cells[i] != cells[i % self.tiers] for i in range(len(cells)))
        if not tiered and not timed:
            return None
        epochs = tuple(_epoch(date.fromisoformat(d)) for d in self.boundaries)
        return Classifier(
            self.thresholds if tiered else (), epochs if timed else (), self.day_cuts if timed else (0,), now
        )


@dataclass(frozen=True)
class Classifier:
    """Places a record in its (tier, period) cell; see the module docstring and docs/prices.md."""

    thresholds: tuple[int, ...]
    boundaries: tuple[float, ...]  # Unix seconds of the UTC midnights in Schedule.boundaries
    day_cuts: tuple[int, ...]
    now: float  # the run's time, for records without a timestamp

    def key(self, input_tokens: int, stamp: float | None) -> tuple[int, int]:
        """(tier, period) of a record with ``input_tokens`` total input at ``stamp`` (None: the run's time)."""
        tier = bisect_left(self.thresholds, input_tokens)  # thresholds strictly below the input
        if not self.boundaries and len(self.day_cuts) == 1:
            return tier, 0
        when = self.now if stamp is None else stamp
        segment = bisect_right(self.boundaries, when)
        part = bisect_right(self.day_cuts, when % DAY) - 1
        return tier, segment * len(self.day_cuts) + part


def place(schedule: Schedule, input_tokens: int, when: float) -> tuple[int, int]:
    """(tier, period) of a request of ``input_tokens`` total input at Unix time ``when``, over every cut."""
    epochs = tuple(_epoch(date.fromisoformat(d)) for d in schedule.boundaries)
    if epochs or len(schedule.day_cuts) > 1:  # else prices change at no date (a run's date is part of its question)
        expiry.note(_next_change(epochs, schedule.day_cuts, when))  # a replayed answer holds until then
    return Classifier(schedule.thresholds, epochs, schedule.day_cuts, when).key(input_tokens, when)


def _next_change(epochs: tuple[float, ...], day_cuts: tuple[int, ...], when: float) -> float:
    """The first moment after ``when`` where a date boundary or a time-of-day cut starts another period."""
    later = [e for e in epochs if e > when]
    day = when - when % DAY
    later += [day + cut for cut in (*day_cuts, DAY) if day + cut > when]
    return min(later)


def flat(price) -> Schedule:
    """A schedule with one price at all times and sizes (a config ``prices:`` entry, a money.pricing.ModelPrice)."""
    standard = Prices(
        price.input_mtok, price.output_mtok, price.cache_read_mtok, price.cache_write_mtok, price.cache_write_1h_mtok
    )
    own_batch = price.batch_input_mtok is not None and price.batch_output_mtok is not None
    cells = {mode: (replace(standard, own=mode == "standard"),) for mode in MODES}
    if own_batch:
        cells["batch"] = (replace(standard, input_mtok=price.batch_input_mtok, output_mtok=price.batch_output_mtok),)
    return Schedule((), (0,), (), cells)


def _epoch(day: date) -> float:
    return float((day - _EPOCH_DAY).days * DAY)


def build(info, provider) -> Schedule:
    """The schedule of one genai-prices ModelInfo (offered by ``provider``)."""
    conditions = _constraints(info)
    boundaries = sorted({c.start_date for c in conditions if hasattr(c, "start_date")})
    times = [t for c in conditions if hasattr(c, "start_time") for t in (c.start_time, c.end_time)]
    day_cuts = sorted({0} | {_seconds(t) for t in times})
    thresholds = sorted({tier.start for price in _all_prices(info) for tier in getattr(price, "tiers", ())})
    # One instant inside each period: the first day of its date segment, at the start of its time-of-day slice.
    instants = [_instant(boundaries, segment, cut) for segment in range(len(boundaries) + 1) for cut in day_cuts]
    own_variants = any(info is model for model in provider.models)  # genai-prices ignores variants otherwise
    cells = {
        mode: tuple(cell for instant in instants for cell in _cells(info, mode, instant, thresholds, own_variants))
        for mode in MODES
    }
    return Schedule(tuple(d.isoformat() for d in boundaries), tuple(day_cuts), tuple(thresholds), cells)


def _instant(boundaries: list[date], segment: int, cut: int) -> datetime:
    if segment:
        day = boundaries[segment - 1]
    else:
        day = boundaries[0] - timedelta(days=1) if boundaries else _BEFORE_ANY
    return datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(seconds=cut)


def _cells(info, mode: str, instant: datetime, thresholds: list[int], own_variants: bool) -> list[Prices]:
    """One period's cells for ``mode``, one per tier, each price picked by genai-prices' own tier rule."""
    from genai_prices.types import calc_unit_price

    merged = info.get_prices(instant, CONTEXTS[mode] if own_variants else None)
    own = mode == "standard" or (own_variants and _has_own(info, mode, instant))
    cells = []
    for tier in range(len(thresholds) + 1):
        size = thresholds[tier - 1] + 1 if tier else 0  # a request size inside the tier
        values = {key: merged.__dict__.get(key) for key in PRICE_KEYS}
        picked = {key: None if v is None else calc_unit_price(v, 1, size, 1) for key, v in values.items()}
        cells.append(Prices(**picked, own=own))
    return cells


def _has_own(info, mode: str, instant: datetime) -> bool:
    wanted = CONTEXTS[mode]
    for variant in info.price_variants or ():
        if variant.constraint is not None and not variant.constraint.active(instant):
            continue
        if all(wanted.get(k) == v for k, v in variant.when.items()) and any(
            v is not None for v in variant.prices.__dict__.values()
        ):
            return True
    return False


def _constraints(info) -> list:
    found = [c.constraint for c in info.prices if c.constraint is not None] if isinstance(info.prices, list) else []
    return found + [v.constraint for v in info.price_variants or () if v.constraint is not None]


def _all_prices(info) -> list:
    groups = [c.prices for c in info.prices] if isinstance(info.prices, list) else [info.prices]
    groups += [v.prices for v in info.price_variants or ()]
    return [value for group in groups for value in group.__dict__.values() if value is not None]


def _seconds(moment) -> int:
    """Seconds into the UTC day of a time of day (naive times are UTC, as genai-prices reads them)."""
    if moment.tzinfo is not None:
        moment = datetime.combine(_EPOCH_DAY, moment).astimezone(timezone.utc).timetz()
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def to_json(schedule: Schedule) -> dict:
    """A JSON-safe form for the price index (prices as strings, so no precision is lost)."""
    return {
        "boundaries": list(schedule.boundaries),
        "day_cuts": list(schedule.day_cuts),
        "thresholds": list(schedule.thresholds),
        "cells": {mode: [cell.to_json() for cell in cells] for mode, cells in schedule.cells.items()},
    }


def from_json(data: object) -> Schedule:
    """The inverse of :func:`to_json`; raises ValueError on anything a schedule cannot hold (then the index
    entry is treated as missing and rebuilt): wrong types, unsorted cuts, a wrong number of cells, or a price
    that is not a finite, non-negative decimal."""
    if not isinstance(data, dict):
        raise ValueError("schedule is not an object")
    boundaries = tuple(date.fromisoformat(_typed(d, str)).isoformat() for d in _list(data, "boundaries"))
    day_cuts = tuple(_typed(c, int) for c in _list(data, "day_cuts"))
    thresholds = tuple(_typed(t, int) for t in _list(data, "thresholds"))
    if day_cuts[:1] != (0,) or not all(0 <= c < DAY for c in day_cuts) or any(t < 0 for t in thresholds):
        raise ValueError("cuts out of range")
    if any(list(v) != sorted(set(v)) for v in (boundaries, day_cuts, thresholds)):
        raise ValueError("cuts not strictly increasing")
    size = (len(boundaries) + 1) * len(day_cuts) * (len(thresholds) + 1)
    cells = data.get("cells")
    if not isinstance(cells, dict) or set(cells) != set(MODES):
        raise ValueError("cells missing")
    parsed = {mode: tuple(_prices(cell) for cell in _list(cells, mode)) for mode in MODES}
    if any(len(row) != size for row in parsed.values()):
        raise ValueError("wrong number of cells")
    return Schedule(boundaries, day_cuts, thresholds, parsed)


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if not isinstance(value, list):
        raise ValueError(f"{key} is not a list")
    return value


def _typed(value, kind):
    if type(value) is not kind:
        raise ValueError(f"{value!r} is not {kind.__name__}")
    return value


def _prices(cell: object) -> Prices:
    if not isinstance(cell, list) or len(cell) != len(PRICE_KEYS) + 1 or type(cell[-1]) is not bool:
        raise ValueError("malformed cell")
    values = [None if v is None else _decimal(v) for v in cell[:-1]]
    if values[0] is None or values[1] is None:
        raise ValueError("cell without input or output price")
    return Prices(*values, own=cell[-1])


def _decimal(text: object) -> Decimal:
    number = Decimal(_typed(text, str))  # raises decimal.InvalidOperation (an ArithmeticError) on junk
    if not number.is_finite() or number < 0:
        raise ValueError(f"price {text!r} is not finite and >= 0")
    return number

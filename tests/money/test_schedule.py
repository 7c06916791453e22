"""A model's schedule reproduces genai-prices' calc_price for any record, and the index that stores it cannot lie."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from genai_prices import Usage, calc_price

from promptaudit.money import price_index, pricing, schedule
from promptaudit.money.price_index import genai_prices_version

MODELS = [
    ("claude-sonnet-4-5-20250929", "anthropic"),  # >200k tiers, batch variant with its own tiers
    ("gemini-2.5-pro", "google"),  # tiers; batch halves input/output only
    ("o3-2025-04-16", "openai"),  # a dated price change, flex/priority/batch variants
    ("deepseek-chat", "deepseek"),  # time-of-day prices
    ("gpt-5", "openai"),  # batch with its own cached rate
    ("claude-opus-4-5", "anthropic"),
    ("claude-mythos-5-2", "anthropic"),  # a batch variant without a start date
]
MILLION, THOUSAND = Decimal(1_000_000), Decimal(1000)


def schedule_cost(priced: schedule.Prices, counts: dict) -> Decimal:
    """A record's cost from one cell, with genai-prices' own rule for prices the source lacks (parent's price)."""
    read = priced.cache_read_mtok if priced.cache_read_mtok is not None else priced.input_mtok
    write = priced.cache_write_mtok if priced.cache_write_mtok is not None else priced.input_mtok
    hour = priced.cache_write_1h_mtok if priced.cache_write_1h_mtok is not None else write
    uncached = counts["input_tokens"] - counts["cache_read_tokens"] - counts["cache_write_tokens"]
    five = counts["cache_write_tokens"] - counts["cache_write_1h_tokens"]
    tokens = (
        uncached * priced.input_mtok
        + counts["cache_read_tokens"] * read
        + five * write
        + counts["cache_write_1h_tokens"] * hour
        + counts["output_tokens"] * priced.output_mtok
    )
    return tokens / MILLION + counts["web_searches"] * (priced.web_searches_kcount or 0) / THOUSAND


def random_record(rng: random.Random, anthropic: bool) -> dict:
    total = rng.choice([rng.randint(0, 5_000), rng.randint(190_000, 260_000)])
    read = rng.randint(0, total)
    written = rng.randint(0, total - read) if anthropic else 0
    return {
        "input_tokens": total,
        "cache_read_tokens": read,
        "cache_write_tokens": written,
        "cache_write_1h_tokens": rng.randint(0, written),
        "output_tokens": rng.randint(0, 9_000),
        "web_searches": rng.randint(0, 3),
    }


@pytest.mark.parametrize("model, provider", MODELS)
def test_every_cell_matches_calc_price_for_random_records(model, provider):
    found_provider, info = price_index.find_model(model)
    built = schedule.build(info, found_provider)
    rng = random.Random(model)
    for _ in range(150):
        stamp, mode = rng.uniform(1.70e9, 1.80e9), rng.choice(schedule.MODES)
        counts = random_record(rng, provider == "anthropic")
        moment = datetime.fromtimestamp(stamp, timezone.utc)
        want = calc_price(
            Usage(**counts), model, provider_id=provider, genai_request_timestamp=moment,
            price_context=schedule.CONTEXTS[mode],
        ).total_price  # fmt: skip
        classifier = built.classifier(mode, now=0.0)
        tier, period = classifier.key(counts["input_tokens"], stamp) if classifier else (0, 0)
        assert schedule_cost(built.prices(mode, tier, period), counts) == want, (mode, stamp, counts)


def test_models_whose_prices_never_vary_need_no_classifier():
    provider, info = price_index.find_model("gpt-4o-mini")
    assert schedule.build(info, provider).classifier("standard", now=0.0) is None


def test_a_schedule_survives_its_json_form():
    provider, info = price_index.find_model("deepseek-chat")
    built = schedule.build(info, provider)
    assert schedule.from_json(json.loads(json.dumps(schedule.to_json(built)))) == built


def damaged_entries() -> list:
    provider, info = price_index.find_model("gpt-4o")
    good = price_index.Entry(info.id, provider.id, info.context_window, schedule.build(info, provider)).to_json()

    def with_cell(value):
        cells = json.loads(json.dumps(good))
        cells["schedule"]["cells"]["standard"][0][0] = value
        return cells

    def edit(**changes):
        return {**json.loads(json.dumps(good)), **changes}

    short = json.loads(json.dumps(good))
    short["schedule"]["cells"]["batch"].pop()
    return [
        with_cell("NaN"), with_cell("-1"), with_cell("Infinity"), with_cell(2.5), with_cell("garbage"), with_cell(None),
        edit(context_window="128000"), edit(context_window=-5), edit(provider=None), edit(schedule=[]), short,
        {"input_mtok": "garbage"}, [1, 2], {},
    ]  # fmt: skip


@pytest.mark.parametrize("damage", damaged_entries())
def test_a_damaged_index_entry_is_a_miss_recomputed_and_rewritten(isolated_env, damage):
    fresh = pricing.price_for("gpt-4o")
    path = isolated_env / ".cache" / "promptaudit" / price_index.INDEX_FILE
    stored = json.loads(path.read_text())
    stored["models"]["gpt-4o"] = damage
    path.write_text(json.dumps(stored))
    price_index.index.cache_clear()

    assert pricing.price_for("gpt-4o") == fresh
    rewritten = json.loads(path.read_text())["models"]["gpt-4o"]
    assert price_index.Entry.from_json(rewritten).schedule.prices("standard", 0, 0).input_mtok == Decimal("2.5")


def test_the_price_date_is_a_fact_of_the_snapshot_not_of_the_clock(monkeypatch):
    first = price_index.source_meta()
    monkeypatch.setattr("time.time", lambda: 4_102_444_800.0)  # 2100-01-01
    assert price_index.source_meta() == first
    assert first["as_of"] == _newest_checked_date_in_the_installed_snapshot()
    assert first["as_of"] in KNOWN_SNAPSHOT_DATES.get(genai_prices_version(), {first["as_of"]})
    assert "verified or checked" in first["as_of_basis"]


KNOWN_SNAPSHOT_DATES = {"0.2.3": {"2026-11-03"}, "0.2.5": {"2026-11-19"}}
"""Read by hand from each release's notes; a release not listed here is checked against its own source only."""


def _newest_checked_date_in_the_installed_snapshot() -> str:
    """Independently of the code under test: grep the installed snapshot's source for "verified/checked ... date"."""
    import genai_prices.data

    source = Path(genai_prices.data.__file__).read_text(encoding="utf-8")
    found = re.findall(r"(?i)\b(?:verified|checked)\b[^.\"']{0,80}?(20\d\d-\d\d-\d\d)", source)
    return max(found)


def test_prices_at_a_tier_and_a_date():
    sonnet = pricing.price_for("claude-sonnet-4-5", input_tokens=210_000)
    assert (sonnet.input_mtok, sonnet.output_mtok, sonnet.cache_read_mtok) == (
        Decimal(6),
        Decimal("22.5"),
        Decimal("0.6"),
    )
    old_o3 = pricing.price_for("o3", when=datetime(2025, 5, 1, tzinfo=timezone.utc).timestamp())
    assert (old_o3.input_mtok, old_o3.output_mtok) == (Decimal(10), Decimal(40))


def test_a_model_tiered_only_in_the_past_is_flat_today():
    """Claude Opus 4.6 had a >200k tier until 2026-03-13; since then one price covers its 1M window."""
    opus = pricing.schedule_for("claude-opus-4-6")
    assert opus.thresholds(datetime(2026, 3, 1, tzinfo=timezone.utc).timestamp()) == (200_000,)
    assert opus.thresholds(datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp()) == ()
    assert pricing.price_for("claude-opus-4-6", input_tokens=300_000).input_mtok == Decimal(5)
    assert pricing.schedule_for("claude-sonnet-4-5").thresholds() == (200_000,)

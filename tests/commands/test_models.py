"""``promptaudit models``: the catalog's prices equal genai-prices' own, the JSON shape, the filters."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from genai_prices import Usage, calc_price  # the independent reference

from promptaudit.money import providers

MILLION = 1_000_000


def shown(cli, *args) -> dict:
    result = cli("models", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {row["model"]: row for row in json.loads(result.stdout)["models"]}


def genai(model: str, price_context=None, **usage) -> Decimal:
    """genai-prices' own price per million tokens of one kind, measured on 100,000 tokens (the base tier)."""
    tenth = {kind: count // 10 for kind, count in usage.items()}
    return calc_price(Usage(**tenth), model, price_context=price_context).total_price * 10


@pytest.fixture(autouse=True)
def clear_overrides():
    from promptaudit.money import pricing

    yield
    pricing.set_overrides({})


@pytest.fixture
def catalog_rows(cli):
    """What ``models --format json`` shows, run inside the isolated, offline test environment."""
    return shown(cli)


@pytest.mark.parametrize("model", providers.catalog())
def test_prices_shown_equal_genai_prices(catalog_rows, model):
    row = catalog_rows[model]
    assert Decimal(row["input_mtok"]) == genai(model, input_tokens=MILLION)
    assert Decimal(row["output_mtok"]) == genai(model, output_tokens=MILLION)
    if row["cache_read_mtok"] is not None:
        assert Decimal(row["cache_read_mtok"]) == genai(model, input_tokens=MILLION, cache_read_tokens=MILLION)
    if row["cache_write_mtok"] is not None:
        assert Decimal(row["cache_write_mtok"]) == genai(model, input_tokens=MILLION, cache_write_tokens=MILLION)


@pytest.mark.parametrize("model", providers.catalog())
def test_batch_prices_equal_genai_prices_or_are_marked_derived(catalog_rows, model):
    row = catalog_rows[model]
    batch = genai(model, price_context={"processing": "batch"}, input_tokens=MILLION)
    if row["batch_derived"]:
        assert Decimal(row["batch_input_mtok"]) == Decimal(row["input_mtok"]) / 2
    else:
        assert Decimal(row["batch_input_mtok"]) == batch


def test_json_row_shape(cli):
    row = shown(cli, "--provider", "openai")["gpt-4o"]
    assert row == {
        "model": "gpt-4o",
        "provider": "openai",
        "price_id": "gpt-4o",
        "input_mtok": "2.5",
        "cache_read_mtok": "1.25",
        "cache_write_mtok": None,
        "cache_write_1h_mtok": None,
        "output_mtok": "10",
        "batch_input_mtok": "1.25",
        "batch_output_mtok": "5",
        "batch_derived": False,
        "context_window": 128000,
        "tiered": False,
        "cache_min_tokens": 1024,
        "cache_increment": 128,
        "cache_ttl_seconds": 300,
        "tokenizer": "o200k_base",
        "exact": True,
        "method": "exact",
        "source": row["source"],
    }
    assert row["source"].startswith("genai-prices")


def test_provider_filter(cli):
    assert set(shown(cli, "--provider", "anthropic")) == set(providers.catalog("anthropic"))


def test_unknown_provider_exit_2(cli):
    result = cli("models", "--provider", "nope")
    assert result.exit_code == 2
    assert result.stderr == "promptaudit: error: no models for provider 'nope' (known: anthropic, google, openai)\n"


def test_table_names_the_price_source_and_date(cli):
    result = cli("models")
    assert result.exit_code == 0
    assert "genai-prices" in result.stdout and "as of 20" in result.stdout
    assert "claude-haiku-4-5" in result.stdout and "1,024 +128" in result.stdout


def test_config_prices_override_and_add(cli, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text(
        "prices:\n  gpt-4o: {input: 2.0}\n  acme-private: {input: 1, output: 4, provider: openai}\n", encoding="utf-8"
    )
    rows = shown(cli)
    assert (rows["gpt-4o"]["input_mtok"], rows["gpt-4o"]["output_mtok"]) == ("2.0", "10")
    assert rows["gpt-4o"]["source"].startswith("config (")
    assert (rows["acme-private"]["input_mtok"], rows["acme-private"]["cache_min_tokens"]) == ("1", 1024)

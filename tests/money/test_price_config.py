"""Config ``prices:`` overrides: merged with genai-prices, new models need input and output, errors exit 2."""

from __future__ import annotations

from decimal import Decimal

import pytest

from promptaudit.config import Config
from promptaudit.errors import ConfigError
from promptaudit.money import price_config, pricing
from promptaudit.money.price_config import overrides_from_config


@pytest.fixture(autouse=True)
def clear_overrides():
    yield
    pricing.set_overrides({})


def test_override_keeps_the_other_prices():
    price = overrides_from_config(Config({"prices": {"gpt-4o": {"output": 8}}}))["gpt-4o"]
    assert (price.input_mtok, price.output_mtok, price.cache_read_mtok) == (Decimal("2.5"), Decimal(8), Decimal("1.25"))
    assert price.source == "config (config)"


def test_apply_config_makes_price_for_use_it():
    price_config.apply_config(Config({"prices": {"my-model": {"input": 1, "output": 2}}}))
    assert pricing.price_for("MY-MODEL").input_mtok == Decimal(1)
    assert pricing.price_source().source.endswith("+ config overrides")


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"new-model": {"input": 1}}, "prices.new-model: a model unknown to genai-prices needs output"),
        ({"gpt-4o": {"inputs": 1}}, "prices.gpt-4o: unknown key 'inputs'"),
        ({"gpt-4o": {"input": -1}}, "prices.gpt-4o.input must be a price >= 0"),
        ({"gpt-4o": {"input": "cheap"}}, "prices.gpt-4o.input must be a price >= 0"),
        ({"gpt-4o": 3}, "prices.gpt-4o must be a mapping"),
    ],
)
def test_bad_entries_name_the_key(entry, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("(", r"\(")):
        overrides_from_config(Config({"prices": entry}))


def test_bad_config_price_is_one_line_exit_2(cli, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text("prices:\n  gpt-4o: {input: -3}\n", encoding="utf-8")
    result = cli("models")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "prices.gpt-4o.input" in result.stderr

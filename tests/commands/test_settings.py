"""Config ``prices:`` overrides reach every command that shows money, not only models and project."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

OVERRIDE = "prices:\n  gpt-4o: {input: 1000000}\n"  # $1 per input token: impossible to miss


@pytest.fixture
def workspace(isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text(OVERRIDE, encoding="utf-8")
    (isolated_env / "a.txt").write_text("hello world\n", encoding="utf-8")
    (isolated_env / "b.txt").write_text("hello world, and more words here\n", encoding="utf-8")
    return isolated_env


def test_count_uses_the_configured_input_price(cli, workspace):
    result = cli("count", "a.txt", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    count = data["files"][0]["counts"][0]
    assert count["input_cost_per_request"] == str(count["tokens"])
    assert data["prices"]["source"].endswith("+ config overrides")


def test_diff_uses_the_configured_input_price(cli, workspace):
    result = cli("diff", "a.txt", "b.txt", "--per-day", "1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    change = json.loads(result.stdout)["total"]
    assert change["tokens_change"] == 5
    assert change["monthly_cost_change"] == "150"  # 5 tokens x $1 x 1 request/day x 30 days


def test_usage_prices_real_spend_at_the_configured_rate(cli, workspace):
    log = Path(__file__).parents[1] / "data" / "usage" / "handchecked.jsonl"
    result = cli("usage", str(log), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["prices"]["source"].endswith("+ config overrides")
    gpt4o = [g for g in data["groups"] if g["key"].startswith("gpt-4o")]
    assert gpt4o and all(Decimal(g["cost"]) > 1000 for g in gpt4o)  # $1 per input token, not $2.50 per million


def test_a_private_model_priced_in_config_is_counted_with_its_declared_tokenizer(cli, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text(
        "prices:\n  acme-private: {input: 1, output: 4, provider: openai, tokenizer: o200k_base}\n", encoding="utf-8"
    )
    (isolated_env / "a.txt").write_text("hello world\n", encoding="utf-8")
    private = json.loads(cli("count", "a.txt", "-m", "acme-private", "-f", "json").stdout)["files"][0]["counts"][0]
    public = json.loads(cli("count", "a.txt", "-m", "gpt-4o", "-f", "json").stdout)["files"][0]["counts"][0]
    assert (private["encoding"], private["exact"], private["tokens"]) == ("o200k_base", True, public["tokens"])
    assert private["input_cost_per_request"] == str(Decimal(public["tokens"]) / 1_000_000)


def test_a_private_model_without_a_tokenizer_says_how_to_declare_one(cli, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text("prices:\n  acme-private: {input: 1, output: 4}\n")
    (isolated_env / "a.txt").write_text("hello world\n", encoding="utf-8")
    result = cli("count", "a.txt", "-m", "acme-private")
    assert result.exit_code == 2
    assert "add tokenizer: o200k_base or cl100k_base to its prices entry" in result.stderr


def test_an_unknown_declared_tokenizer_is_a_config_error(cli, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text("prices:\n  acme: {input: 1, output: 4, tokenizer: gpt2}\n")
    (isolated_env / "a.txt").write_text("hello world\n", encoding="utf-8")
    result = cli("count", "a.txt", "-m", "acme")
    assert result.exit_code == 2 and "unknown tokenizer 'gpt2'" in result.stderr

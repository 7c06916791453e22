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
    log = Path(__file__).parent / "data" / "usage" / "handchecked.jsonl"
    result = cli("usage", str(log), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["prices"]["source"].endswith("+ config overrides")
    gpt4o = [g for g in data["groups"] if g["key"].startswith("gpt-4o")]
    assert gpt4o and all(Decimal(g["cost"]) > 1000 for g in gpt4o)  # $1 per input token, not $2.50 per million

"""count, project and check warn (one line) when a request leaves the base price tier, and error (exit 2)
above the model's context window; project and count price such a request at its tier."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest

from promptaudit.money import pricing

WORDS = "alpha beta gamma delta system prompt token cache price model invoice customer".split()


@pytest.fixture(scope="module")
def big_prompt(tmp_path_factory):
    """A Markdown prompt of about 200,000 o200k tokens (~210,000 as a Gemini estimate)."""
    rng = random.Random(1)
    path = tmp_path_factory.mktemp("big") / "policy.md"
    path.write_text("# Policy\n\n" + " ".join(rng.choice(WORDS) for _ in range(200_000)) + "\n")
    return path


@pytest.fixture
def small_prompt(tmp_path):
    path = tmp_path / "triage.md"
    path.write_text("<role>You triage support tickets.</role>\nClassify the ticket below as bug, billing or other.\n")
    return path


def test_count_warns_and_prices_a_request_above_a_tier_at_that_tier(cli, big_prompt):
    result = cli("count", str(big_prompt), "-m", "gemini-2.5-pro", "-f", "json")

    count = json.loads(result.stdout)["files"][0]["counts"][0]
    assert result.exit_code == 0
    assert count["tokens"] > 200_000
    tier = pricing.price_for("gemini-2.5-pro", count["tokens"])  # the >200k tier (hand-checked: $2.50 in 0.2.5)
    assert Decimal(count["input_cost_per_request"]) == Decimal(count["tokens"]) * tier.input_mtok / 1_000_000
    warnings = [line for line in result.stderr.splitlines() if "price tier" in line]
    assert len(warnings) == 1 and "exceed its 200,000-token price tier" in warnings[0]


def test_project_prices_the_whole_request_at_the_tier_it_selects(cli, small_prompt):
    args = ("project", str(small_prompt), "-m", "gemini-2.5-pro", "--per-day", "10", "--output-tokens", "1000")
    result = cli(*args, "--user-tokens", "250000", "-f", "json")

    model = json.loads(result.stdout)["models"][0]
    tokens = model["input_tokens_per_request"]
    assert tokens > 250_000
    tier = pricing.price_for("gemini-2.5-pro", tokens)  # hand-checked with genai-prices 0.2.5: $2.50 in, $15 out
    expected = (Decimal(tokens) * tier.input_mtok + 1000 * tier.output_mtok) / 1_000_000
    assert Decimal(model["cost_per_request"]) == expected
    assert sum("price tier" in line for line in result.stderr.splitlines()) == 1


def test_project_below_the_tier_is_silent_about_tiers(cli, small_prompt):
    result = cli("project", str(small_prompt), "-m", "gemini-2.5-pro", "--per-day", "10", "--output-tokens", "10")
    assert result.exit_code == 0 and "tier" not in result.stderr


def test_a_request_above_the_context_window_is_an_error(cli, small_prompt, tmp_path):
    config = tmp_path / "promptaudit.yaml"
    config.write_text("prices:\n  gpt-4o: {context_window: 16}\n")

    for command in (("count",), ("check",), ("project", "--per-day", "10")):
        result = cli(*command, str(small_prompt), "-m", "gpt-4o", "--config", str(config))
        assert result.exit_code == 2, command
        assert "exceed gpt-4o's context window of 16 tokens" in result.stderr, command


def test_check_warns_about_a_tier_but_still_passes(cli, big_prompt):
    result = cli("check", str(big_prompt), "-m", "gemini-2.5-pro", "--max-tokens", "1000000", "--fail-on", "error")

    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "price tier" in line] != []

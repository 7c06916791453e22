"""Family mappings and cache minimums match ../shared/reference/provider-facts.md, each value with its source."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from promptaudit.money import pricing, providers
from promptaudit.tokens import tokenizers


@pytest.mark.parametrize(
    "model",
    ["claude-fable-5", "claude-fable-5-1", "claude-fable-5-2", "claude-mythos-5-2", "claude-opus-4.7", "claude-5-opus"],
)
def test_claude_4_7_and_later_use_the_new_tokenizer_estimate(model):
    assert tokenizers.tokenizer_for(model).label == "estimate(o200k_base×1.5)"


@pytest.mark.parametrize(
    "model, minimum",
    [
        ("claude-fable-5-1", 512),  # SDK1194, LL
        ("claude-mythos-5-2", 512),
        ("claude-3-haiku-20240307", 2048),  # ACD
        ("claude-3-5-haiku-20241022", 2048),
        ("claude-haiku-4-5", 4096),
        ("claude-opus-4-8", 1024),
        ("claude-opus-5-5", 512),
        ("gemini-2.5-pro", 2048),
        ("gemini-3-pro-preview", 4096),
        ("gpt-4o", 1024),
    ],
)
def test_cache_minimums(model, minimum):
    price = pricing.price_for(model)
    assert providers.facts_for(model, price.provider, price.price_id).cache.min_tokens == minimum


def test_an_alias_finds_its_model_facts_through_the_price_source_id():
    price = pricing.price_for("claude-4-5-haiku")  # an alias genai-prices accepts for claude-haiku-4-5
    assert providers.facts_for("claude-4-5-haiku", price.provider, price.price_id).cache.min_tokens == 4096


def test_every_tokenizer_rule_names_its_source():
    text = resources.files("promptaudit.tokens").joinpath("data/models.yaml").read_text(encoding="utf-8")
    rules = [line for line in text.splitlines() if re.match(r"\s+- \{prefix:", line)]
    assert rules and all("#" in line for line in rules)


def test_batch_cache_discount_is_documented_per_provider():
    text = resources.files("promptaudit.money").joinpath("data/providers.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "batch_cache_discount:" in line]
    assert len(lines) == len(providers.providers()) and all("#" in line for line in lines)
    assert providers.facts_for("claude-opus-4-5", "anthropic").batch_cache_discount is True
    assert providers.facts_for("gpt-4o", "openai").batch_cache_discount is False


def test_project_promises_no_cache_saving_below_claude_3_haikus_minimum(cli, isolated_env):
    prompt = isolated_env / "policy.md"
    prompt.write_text("## Refund policy\n\n" + "Refunds are issued within 30 days of purchase. " * 130)
    args = ("project", str(prompt), "-m", "claude-3-haiku-20240307", "--per-day", "5000", "--format", "json")

    data = json.loads(cli(*args).stdout)

    prefix = data["models"][0]["static_prefix_tokens"]
    assert 1_024 < prefix < 2_048  # cacheable under the old 1,024 default, not under Haiku 3's 2,048
    caching = next(s for s in data["savings"] if s["lever"] == "caching")
    assert caching["daily_saving"] == "0" and "2,048 minimum" in caching["note"]

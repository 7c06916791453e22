"""Claude tokenizer families, ctok's frame, the per-script estimate table and the count cache."""

from __future__ import annotations

import pytest

from promptaudit.tokens import claude, claude_estimate
from promptaudit.tokens import tokenizers as tokens

HAS_CTOK = claude.ctok_version() is not None
needs_ctok = pytest.mark.skipif(not HAS_CTOK, reason="ctok needs Python >= 3.12 (CI runs this under 3.12)")
without_ctok = pytest.mark.skipif(HAS_CTOK, reason="the estimate path is what Python < 3.12 users get")


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("claude-3-haiku-20240307", "v3"),
        ("claude-3.5-sonnet", "v3"),
        ("claude-3-7-sonnet-latest", "v3"),
        ("claude-sonnet-4-20250514", "v3"),
        ("claude-opus-4-1", "v3"),
        ("claude-sonnet-4-5", "v3"),
        ("claude-haiku-4-5", "v3"),
        ("claude-opus-4-6", "v3"),
        ("claude-4-5-opus", "v3"),
        ("claude-opus-4-7", "v4.7"),
        ("claude-opus-4.7", "v4.7"),
        ("claude-opus-4-8", "v4.8"),
        ("claude-sonnet-5", "v4.8"),
        ("claude-opus-5-5", "v4.8"),
        ("claude-fable-5-1", "v4.8"),
        ("claude-mythos-5-2", "v4.8"),
        ("claude-5-5-haiku", "v4.8"),
    ],
)
def test_models_map_to_ctok_families(model, family):
    found = claude.family_for(model)
    assert (found.name, found.reconstructable) == (family, True)
    assert found.source


@pytest.mark.parametrize("model", ["claude-2.1", "claude-v1", "claude-instant-1.2", "claude-nova-7"])
def test_models_ctok_cannot_reconstruct_stay_estimates(model):
    found = claude.family_for(model)
    assert not found.reconstructable
    assert tokens.tokenizer_for(model).method == "estimate"


def test_every_claude_model_in_the_price_source_and_catalog_has_a_family():
    from genai_prices.data import providers

    from promptaudit.money import providers as facts

    priced = [m.id for p in providers if p.id == "anthropic" for m in p.models]
    catalog = facts.catalog("anthropic")
    assert len(priced) >= 20 and catalog
    # Only the two pre-Claude-3 models fall outside ctok's families; nothing reaches the catch-all rule.
    estimated_only = {m for m in priced + catalog if not claude.family_for(m).reconstructable}
    assert estimated_only == {"claude-2", "claude-v1"}


def test_estimate_table_covers_every_family_feature_and_script():
    table = claude_estimate.table()
    assert table["texts"] >= 200
    for family in ("v3", "v4.7", "v4.8"):
        factors, bands = table["families"][family]["factors"], table["families"][family]["bands"]
        assert set(factors) == set(claude_estimate.FEATURES)
        assert all(value >= 0 for value in factors.values())
        assert {"english", "code", "structured", "chinese", "japanese", "korean", "latin", "other"} <= set(bands)
        assert all(0 < band < 0.3 for band in bands.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello world", {"word": 1, "word_rare": 1, "cap_words": 1}),  # o200k ids 13225 (rare) and 2375
        ("中文，日本語です", {"han_chars": 5, "kana_chars": 2, "cjk_punct": 1}),
        ("안녕하세요 고객님", {"hangul_chars": 8, "hangul_words": 2}),
        ("    x = 42", {"digit": 1, "punct": 1}),
    ],
)
def test_features_attribute_tokens_and_characters_to_scripts(text, expected, reference_encoding):
    found = claude_estimate.features(text, reference_encoding("o200k_base"))
    assert {k: found[k] for k in expected} == expected


@without_ctok
def test_without_ctok_claude_is_a_labelled_per_script_estimate():
    count = tokens.count_text("The quick brown fox.", "claude-sonnet-4-5")
    assert (count.exact, count.method, count.encoding) == (False, "estimate", "estimate(claude-v3 by script)")
    assert count.tokens > 0


@needs_ctok
@pytest.mark.parametrize("family", ["v3", "v4.7", "v4.8"])
def test_the_frame_in_the_data_file_is_ctoks_frame(family):
    assert claude.frame_tokens(family) == claude.ctok_frame(family)


@needs_ctok
def test_with_ctok_counts_are_ctoks_content_and_labelled_reconstructed():
    import ctok

    text = "Summarise the ticket below in three bullet points.\n\n顧客からの問い合わせ：返品したいです。"
    count = tokens.count_text(text, "claude-opus-4-8")
    assert count.tokens == ctok.token_count(text, "4.8") - 6
    assert (count.exact, count.method) == (False, "reconstructed")
    assert count.encoding == f"claude-v4.8 (reconstructed, ctok {claude.ctok_version()})"


def test_the_cache_key_names_family_and_method_and_warm_runs_skip_the_counter(monkeypatch):
    counter = tokens.tokenizer_for("claude-sonnet-4-5").encoding
    assert counter.startswith("claude-v3") and counter != tokens.tokenizer_for("claude-opus-4-7").encoding
    first = tokens.encoder_counts(["a prompt worth caching"], counter)
    tokens._count_cache.cache_clear()  # a new process: the counts come back from the cache file

    def fail(texts, key):
        raise AssertionError("the Claude counter ran on a warm cache")

    monkeypatch.setattr(claude, "count", fail)
    assert tokens.encoder_counts(["a prompt worth caching"], counter) == first


@without_ctok
def test_the_reconstruct_hint_is_said_once(monkeypatch):
    assert claude.reconstruct_hint(["gpt-4o"]) is None
    assert claude.reconstruct_hint(["claude-sonnet-4-5"]) == claude.HOW_TO_RECONSTRUCT
    assert claude.reconstruct_hint(["claude-sonnet-4-5"]) is None

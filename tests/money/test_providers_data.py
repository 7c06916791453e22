"""providers.yaml is well formed, and every number in it names its source."""

from __future__ import annotations

import re
from importlib import resources

from promptaudit.money import providers

CACHE_KEYS = {"min_tokens", "increment", "ttl_seconds", "write_multiplier", "read_multiplier"}


def test_every_provider_has_complete_cache_rules():
    for name, settings in providers.load()["providers"].items():
        assert CACHE_KEYS <= set(settings["cache"]), name
        assert 0 < settings["batch_discount"] < 1, name
        assert settings["cache"]["min_tokens"] % settings["cache"]["increment"] == 0, name


def test_every_model_names_a_known_provider_and_sane_minimum():
    known = set(providers.providers())
    ids = [m["id"] for m in providers.load()["models"]]
    assert len(ids) == len(set(ids))
    for entry in providers.load()["models"]:
        assert entry["provider"] in known, entry
        assert entry.get("cache_min_tokens", 1024) in (512, 1024, 2048, 4096), entry


def test_every_number_carries_a_source_comment():
    text = resources.files("promptaudit.money").joinpath("data/providers.yaml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.search(r"(min_tokens|increment|ttl|multiplier|discount): \d", line):
            assert "#" in line, line


def test_catalog_models_resolve_to_their_provider():
    from promptaudit.money import pricing

    for entry in providers.load()["models"]:
        if entry.get("catalog", True):
            assert pricing.price_for(entry["id"]).provider == entry["provider"], entry["id"]

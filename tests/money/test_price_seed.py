"""The price index's seed: built from genai-prices itself, used only for exactly what it was built from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from promptaudit.money import price_index, price_seed, pricing

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_seed():
    price_seed.load.cache_clear()
    yield
    price_seed.load.cache_clear()


def test_the_shipped_seed_is_what_genai_prices_gives():
    """The seed is genai-prices' own answer for every name it holds (CI, at the pinned versions, must check it)."""
    shipped = json.loads((ROOT / "promptaudit/money/data/price-seed.json").read_text(encoding="utf-8"))
    if shipped["inputs"] != price_seed.inputs_digest() and not os.environ.get("CI"):
        pytest.skip(f"the seed is for genai-prices {shipped['version']}; {version('genai-prices')} is installed")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from price_seed import built
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert shipped == built(), "stale: run python tools/price_seed.py --write"


def test_the_seed_holds_the_usual_models():
    seed = price_seed.load()
    if seed is None:
        pytest.skip("the seed was built for another genai-prices")
    assert {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash"} <= set(seed["models"])


def test_a_seed_built_from_other_inputs_is_unused(monkeypatch, isolated_env):
    monkeypatch.setattr(price_seed, "inputs_digest", lambda: "0" * 32)
    imported = []
    monkeypatch.setattr(price_index, "resolve", lambda key: imported.append(key) or original_resolve(key))

    assert price_seed.load() is None
    assert pricing.price_for("gpt-4o").input_mtok == 2.5
    assert imported == ["gpt-4o"]  # resolved by genai-prices itself


original_resolve = price_index.resolve


def test_prices_from_the_seed_equal_prices_from_genai_prices(monkeypatch):
    if price_seed.load() is None:
        pytest.skip("the seed was built for another genai-prices")
    for model in ("gpt-4o", "gpt-4.1-mini", "claude-opus-4-1", "gemini-2.5-pro"):
        from_seed = pricing.price_for(model)
        pricing._index.cache_clear()
        monkeypatch.setattr(price_seed, "load", lambda: None)
        assert pricing.price_for(model) == from_seed
        monkeypatch.undo()
        pricing._index.cache_clear()


def test_a_cold_count_does_not_import_genai_prices(isolated_env):
    if price_seed.load() is None:
        pytest.skip("the seed was built for another genai-prices")
    (isolated_env / "p.txt").write_text("Answer briefly.\n", encoding="utf-8")
    probe = (
        "import sys; from promptaudit import console; sys.argv = ['promptaudit', 'count', 'p.txt']\n"
        "try:\n    console.main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] in ('genai_prices', 'pydantic'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert "$" in done.stdout and done.stderr.endswith("[]"), done.stderr

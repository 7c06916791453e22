"""The price index's seed: every genai-prices model resolved ahead of time, shipped with the package.

A cold run (a CI job, a fresh container: an empty user cache) would otherwise import genai-prices' whole data
model (pydantic, an HTTP client, 1.6 MB of price rows: about 0.3-0.5 s) to price one model. The seed holds,
for every model id of the bundled snapshot that genai-prices resolves by name, exactly the entry
:func:`.price_index.resolve` gives, plus the snapshot's version and date. It is used only when its
``inputs`` digest equals the digest of what it was built from, taken now: the installed genai-prices'
data, types and snapshot modules and this package's own resolving code (price_index.py, schedule.py, this
file). Any other version, or an edit to that code, makes the seed unused, and prices come from genai-prices
itself, as before: the library stays the source of truth. ``python tools/price_seed.py --write`` rebuilds
the seed; tests/money/test_price_seed.py checks it against genai-prices.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from importlib import resources

SEED_FORMAT = 1
GENAI_PRICES_FILES = ("data.py", "types.py", "data_snapshot.py")
OWN_FILES = ("price_index.py", "schedule.py", "price_seed.py")


def _folder(package: str) -> str | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def inputs_digest() -> str | None:
    """A digest of every file the seed's entries depend on, as installed now (None without genai-prices)."""
    from promptaudit.tokens.cache import digest

    theirs, ours = _folder("genai_prices"), os.path.dirname(os.path.abspath(__file__))
    if theirs is None:
        return None
    paths = [os.path.join(theirs, n) for n in GENAI_PRICES_FILES] + [os.path.join(ours, n) for n in OWN_FILES]
    parts = [str(SEED_FORMAT).encode()]
    try:
        for path in paths:
            with open(path, "rb") as handle:
                parts.append(digest(handle.read()).encode())
    except OSError:
        return None
    return digest(b"\0".join(parts))


@functools.lru_cache(maxsize=1)
def load() -> dict | None:
    """The shipped seed when it was built from exactly what is installed, else None."""
    try:
        seed = json.loads(resources.files("promptaudit.money").joinpath("data/price-seed.json").read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(seed, dict) or seed.get("inputs") != inputs_digest() or seed["inputs"] is None:
        return None
    if not isinstance(seed.get("models"), dict) or not isinstance(seed.get("version"), str):
        return None
    return seed


def build(names, resolve, meta: dict) -> dict:
    """The seed for the installed genai-prices: ``resolve(name).to_json()`` for each of ``names`` it resolves
    (``price_index.resolve``; passed in, as this module sits below price_index)."""
    models = {}
    for key in sorted({name.strip().lower() for name in names}):
        try:
            models[key] = resolve(key).to_json()
        except LookupError:
            continue  # a name genai-prices matches only with a provider: resolved on request, as before
    from importlib.metadata import version

    return {"format": SEED_FORMAT, "inputs": inputs_digest(), "version": version("genai-prices"),
            "meta": meta, "models": models}  # fmt: skip

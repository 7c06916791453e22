"""Rebuild (``--write``) or check (``--check``, the default) the price index's seed from genai-prices.

The seed (promptaudit/money/data/price-seed.json, see promptaudit/money/price_seed.py) lets a cold run price
the usual models without importing genai-prices. Rebuild it whenever the pinned genai-prices changes
(constraints.txt) or the resolving code does (money/price_index.py, schedule.py, price_seed.py); until then
the seed is simply unused and prices come from genai-prices itself. Run with the pinned versions installed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from promptaudit.money import price_index, price_seed

SEED = Path(__file__).resolve().parent.parent / "promptaudit" / "money" / "data" / "price-seed.json"


def built() -> dict:
    """The seed genai-prices gives now: every model id of its bundled snapshot."""
    names = [m.id for p in price_index.snapshot().providers for m in p.models]
    return price_seed.build(names, price_index.resolve, price_index.source_meta())


def render(seed: dict) -> str:
    """The seed as the file holds it: sorted keys, one model per line (small, reviewable diffs)."""
    models = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in seed["models"].items())
    head = {k: v for k, v in seed.items() if k != "models"}
    return json.dumps(head, sort_keys=True)[:-1] + ', "models": {\n' + models + "\n}}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the seed from the installed genai-prices")
    parser.add_argument("--check", action="store_true", help="exit 1 when the seed is stale (the default)")
    args = parser.parse_args()
    wanted = render(built())
    if args.write:
        SEED.write_text(wanted, encoding="utf-8")
        return 0
    if SEED.read_text(encoding="utf-8") != wanted:
        print(f"{SEED} is stale: run python tools/price_seed.py --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fit the per-script Claude estimate factors with ctok, and record the labels the tests check against.

Run on Python >= 3.12 with ctok installed (``.venv312/bin/python tools/fit_claude_estimates.py``):

1. labels every text in ``benchmarks/claude_fit/*.yaml`` (written by hand: prose, code, JSON, XML-tagged
   prompts and Markdown in a dozen languages) with ctok's content count for each family;
2. fits, per family, non-negative factors for the features of
   :func:`promptaudit.tokens.claude_estimate.features` by least squares on the relative error;
3. measures each script's error band on that set (the largest relative error, rounded up to 1%);
4. writes ``promptaudit/tokens/data/claude_estimates.yaml`` and the ctok content counts of the held-out
   prompt set ``tests/data/claude_prompts`` (``ctok_counts.json``), which the Python < 3.12 tests use.

``--check`` fits without writing and exits 1 if the stored table differs (for CI on 3.12). ``--report``
prints the stored table's error range per script and family on the held-out prompts, beside the old single
factor (o200k_base x1.15, x1.5 for 4.7+): the figures in docs/claude-counts.md.
"""

from __future__ import annotations

import datetime
import json
import math
import sys
from pathlib import Path

import yaml

from promptaudit.tokens import claude, claude_estimate
from promptaudit.tokens.vocab import load_encoding

ROOT = Path(__file__).resolve().parent.parent
FIT_DIR = ROOT / "benchmarks" / "claude_fit"
PROMPTS_DIR = ROOT / "tests" / "data" / "claude_prompts"
TABLE = ROOT / "promptaudit" / "tokens" / "data" / "claude_estimates.yaml"
FAMILIES = ("v3", "v4.7", "v4.8")
RIDGE = 1e-3


def fit_texts() -> list[tuple[str, str]]:
    """(script, text) for every labelled text, in file order."""
    rows = []
    for path in sorted(FIT_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows += [(data["kind"], text) for text in data["texts"]]
    return rows


def solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the systems are at most 16 x 16)."""
    n = len(rhs)
    rows = [row[:] + [rhs[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col and rows[col][col]:
                f = rows[r][col] / rows[col][col]
                rows[r] = [x - f * y for x, y in zip(rows[r], rows[col])]
    return [rows[i][n] / rows[i][i] if rows[i][i] else 0.0 for i in range(n)]


def least_squares(xs: list[list[float]], ys: list[int]) -> list[float]:
    """Minimise sum(((x . f) - y) / y)^2 with a small ridge term."""
    k = len(xs[0])
    normal, rhs = [[0.0] * k for _ in range(k)], [0.0] * k
    for x, y in zip(xs, ys):
        w = 1.0 / (y * y)
        for i in range(k):
            rhs[i] += w * x[i] * y
            for j in range(k):
                normal[i][j] += w * x[i] * x[j]
    for i in range(k):
        normal[i][i] += RIDGE
    return solve(normal, rhs)


def fit(xs: list[list[float]], ys: list[int]) -> list[float]:
    """Non-negative factors: refit without every feature whose factor came out negative."""
    active = list(range(len(xs[0])))
    while True:
        coef = least_squares([[x[i] for i in active] for x in xs], ys)
        if min(coef) >= 0:
            break
        active = [a for a, c in zip(active, coef) if c >= 0]
    factors = [0.0] * len(xs[0])
    for a, c in zip(active, coef):
        factors[a] = c
    return factors


def bands(rows, found, ys, factors) -> dict[str, float]:
    """Per script: the largest relative error of the rounded estimate, rounded up to a whole percent."""
    worst: dict[str, float] = {}
    named = dict(zip(claude_estimate.FEATURES, factors))
    for (script, _), feats, y in zip(rows, found, ys):
        est = math.ceil(sum(named[k] * v for k, v in feats.items()))
        worst[script] = max(worst.get(script, 0.0), abs(est - y) / y)
    return {s: math.ceil(e * 100) / 100 for s, e in sorted(worst.items())}


def fit_family(family: str, rows, found) -> dict:
    ys = claude.content_counts([text for _, text in rows], family)
    xs = [[f[k] for k in claude_estimate.FEATURES] for f in found]
    factors = fit(xs, ys)
    return {
        "factors": {k: round(v, 4) for k, v in zip(claude_estimate.FEATURES, factors)},
        "bands": bands(rows, found, ys, [round(v, 4) for v in factors]),
    }


def build_table() -> dict:
    rows = fit_texts()
    encoding = load_encoding("o200k_base")
    found = [claude_estimate.features(text, encoding) for _, text in rows]
    return {
        "schema": 1,
        "fitted_with": f"ctok {claude.ctok_version()}",
        "texts": len(rows),
        "rare_token_id": claude_estimate.RARE_TOKEN_ID,
        "families": {family: fit_family(family, rows, found) for family in FAMILIES},
    }


def prompt_counts() -> dict:
    """ctok content counts of the held-out prompts, per family."""
    paths = sorted(p for p in PROMPTS_DIR.iterdir() if p.suffix in (".txt", ".md"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    counts = {family: claude.content_counts(texts, family) for family in FAMILIES}
    return {
        "ctok": claude.ctok_version(),
        "counts": {p.name: {f: counts[f][i] for f in FAMILIES} for i, p in enumerate(paths)},
    }


HEADER = (
    "# Fitted by tools/fit_claude_estimates.py on the labelled texts in benchmarks/claude_fit ({date}).\n"
    "# factors: tokens per feature (see promptaudit/tokens/claude_estimate.py); bands: the largest relative\n"
    "# error per script on that set, rounded up to 1%. Do not edit by hand: re-run the fit.\n"
)


HELD_OUT_SCRIPTS = {"en": "english", "code": "code", "json": "structured", "xml": "structured",
                    "zh": "chinese", "ja": "japanese", "ko": "korean"}  # fmt: skip
OLD_FACTORS = {"v3": 1.15, "v4.7": 1.5, "v4.8": 1.5}


def held_out_report() -> None:
    """min / median / max relative error per script on the held-out prompts: fitted table and old factor."""
    import statistics

    encoding = load_encoding("o200k_base")
    labels = json.loads((PROMPTS_DIR / "ctok_counts.json").read_text(encoding="utf-8"))["counts"]
    for family in FAMILIES:
        fitted: dict[str, list[float]] = {}
        old: dict[str, list[float]] = {}
        for name, truth in labels.items():
            text, script = (PROMPTS_DIR / name).read_text(encoding="utf-8"), HELD_OUT_SCRIPTS[name.split("_")[0]]
            y = truth[family]
            est = claude_estimate.estimate(claude_estimate.features(text, encoding), family)
            fitted.setdefault(script, []).append((est - y) / y)
            scaled = math.ceil(len(encoding.encode_ordinary(text)) * OLD_FACTORS[family])
            old.setdefault(script, []).append((scaled - y) / y)
        for script in sorted(fitted):
            row = [f"{min(v):+.1%} {statistics.median(v):+.1%} {max(v):+.1%}" for v in (fitted[script], old[script])]
            print(f"{family:5s} {script:11s} fitted {row[0]:24s} old x{OLD_FACTORS[family]:g} {row[1]}")


def main(argv: list[str]) -> int:
    if claude.ctok_version() is None:
        print("ctok is needed (Python >= 3.12, pip install ctok)", file=sys.stderr)
        return 2
    if "--report" in argv:
        held_out_report()
        return 0
    table = build_table()
    if "--check" in argv:
        stored = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
        return 0 if stored == table else 1
    body = yaml.safe_dump(table, sort_keys=False, allow_unicode=True, width=120)
    TABLE.write_text(HEADER.format(date=datetime.date.today().isoformat()) + body, encoding="utf-8")
    counts = json.dumps(prompt_counts(), indent=1, ensure_ascii=False) + "\n"
    (PROMPTS_DIR / "ctok_counts.json").write_text(counts, encoding="utf-8")
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

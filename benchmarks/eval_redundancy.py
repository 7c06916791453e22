"""Precision and recall of PA101-PA103 on the labelled set in tests/data/redundancy_eval.yaml, per split.

Usage: python benchmarks/eval_redundancy.py [--show-errors]
Each pair becomes a two-line prompt; a prediction is "redundant" when PA101 or PA102 flags line 2.
Each filler item is a one-line prompt; a prediction is "filler" when PA103 flags it.
Splits: ``pairs`` and ``filler`` were used to tune the lexicon. The ``heldout_pairs*`` splits were each
written before the lexicon change they measure; see the comments in the data file for what was seen when.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from promptaudit.lint.linter import LintSettings, lint
from promptaudit.reading.prompts import Part, Prompt

DATA = Path(__file__).parents[1] / "tests" / "data" / "redundancy_eval.yaml"
PAIR_SPLITS = {
    "pairs": "tuned pairs",
    "heldout_pairs": "held-out 1",
    "heldout_pairs_2": "held-out 2",
    "heldout_pairs_3": "held-out 3",
    "heldout_pairs_4": "held-out 4",
}


def _flagged(text: str, rules: tuple[str, ...], line: int) -> bool:
    prompt = Prompt(path="eval.txt", parts=[Part("", text)])
    return any(f.line == line for f in lint([prompt], LintSettings(select=rules)))


def _scores(outcomes: list[tuple[bool, bool]]) -> tuple[int, int, int, float, float]:
    tp = sum(p and t for p, t in outcomes)
    fp = sum(p and not t for p, t in outcomes)
    fn = sum(t and not p for p, t in outcomes)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return tp, fp, fn, precision, recall


def _pair_outcomes(items: list[dict]) -> list[tuple[bool, bool, dict]]:
    return [(_flagged(f"{p['a']}\n{p['b']}", ("PA101", "PA102"), 2), p["label"] == "redundant", p) for p in items]


def _report_errors(outcomes: list[tuple[bool, bool, dict]]) -> None:
    for predicted, truth, item in outcomes:
        if predicted != truth:
            print(f"{'FP' if predicted else 'FN'}: {item}", file=sys.stderr)


def evaluate(show_errors: bool = False) -> dict[str, tuple]:
    """Scores per split and overall: ``(tp, fp, fn, precision, recall)``."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    splits = {name: _pair_outcomes(data.get(key, [])) for key, name in PAIR_SPLITS.items()}
    splits["filler (PA103)"] = [(_flagged(f["text"], ("PA103",), 1), f["filler"], f) for f in data["filler"]]
    if show_errors:
        for outcomes in splits.values():
            _report_errors(outcomes)
    heldout = [o for key, name in PAIR_SPLITS.items() if key != "pairs" for o in splits[name]]
    everything = [o for outcomes in splits.values() for o in outcomes]
    scores = {name: _scores([(p, t) for p, t, _ in outcomes]) for name, outcomes in splits.items()}
    scores["held-out, all"] = _scores([(p, t) for p, t, _ in heldout])
    scores["all splits"] = _scores([(p, t) for p, t, _ in everything])
    return scores


def main() -> None:
    print(f"{'split':<16} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    for name, (tp, fp, fn, precision, recall) in evaluate("--show-errors" in sys.argv).items():
        print(f"{name:<16} {tp:>4} {fp:>4} {fn:>4} {precision:>10.3f} {recall:>8.3f}")


if __name__ == "__main__":
    main()

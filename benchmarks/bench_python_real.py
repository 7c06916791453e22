"""End-to-end speed on REAL Python trees against ruff (issue 22; prints a table, not a test).

Usage: python benchmarks/bench_python_real.py [--runs 5]

Issue 22 asks that ``promptaudit count`` and ``promptaudit audit`` on real trees of 20-500 files take at most
3x ``ruff check --no-cache --isolated`` on the same tree, cold cache. The trees are the published artifacts
of the real-code corpus (tests/data/real_code/manifest.yaml, downloaded once by tests/realdata.py). Each round
runs, interleaved, in fresh subprocesses (interpreter start-up in every figure):

- ``ruff``: ``ruff check --no-cache --isolated TREE`` (a Rust linter parsing every file);
- ``count``: ``promptaudit count TREE --ext .py -f json`` with an empty cache directory (cold);
- ``audit``: ``promptaudit audit TREE --ext .py -f json`` with an empty cache directory (cold);
- ``scan``: the reading layer alone in a fresh interpreter (``gather_prompts``: discover, pre-filter, parse,
  scan, build the rows), the part of ``count`` this issue's scanner owns; the rest of a cold run is the
  interpreter, the price snapshot and the vocabulary (docs/performance.md).

The table gives medians over ``--runs`` rounds and the ratios to ruff in the same round (median of the
per-round ratios, so a load spike hits both sides). The machines are shared: the load average is printed.
``PYTHONDONTWRITEBYTECODE`` is unset so promptaudit's own modules load from byte code, as installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import realdata  # noqa: E402

TREES = {
    "smolagents 1.26.0": ("smolagents", "smolagents-1.26.0"),
    "gpt-engineer 0.3.1": ("gpt-engineer", "gpt_engineer-0.3.1"),
    "instructor 1.17.0 examples/": ("instructor", "instructor-1.17.0/examples"),
    "aider-chat 0.86.2": ("aider-chat", "aider_chat-0.86.2"),
    "mem0ai 2.2.1": ("mem0ai", "mem0ai-2.2.1"),
    "openai-agents 0.25.0 src/": ("openai-agents", "openai_agents-0.25.0/src"),
}


def trees() -> dict[str, Path]:
    """Each tree's folder, downloaded and unpacked once (sha256-checked)."""
    manifest = {a.name: a for a in realdata.load_manifest(ROOT / "tests" / "data" / "real_code" / "manifest.yaml")}
    return {label: realdata.materialise(manifest[name]) / folder for label, (name, folder) in TREES.items()}


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


SCAN = "import sys\nfrom promptaudit.reading.loading import gather_prompts\ngather_prompts([sys.argv[1]], ('.py',))\n"


def commands(tree: Path) -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    ruff = shutil.which("ruff", path=str(bin_dir)) or "ruff"
    script = str(bin_dir / "promptaudit")
    return {
        "ruff": [ruff, "check", "--no-cache", "--isolated", "--exit-zero", "-q", str(tree)],
        "count": [script, "count", str(tree), "--ext", ".py", "-f", "json"],
        "audit": [script, "audit", str(tree), "--ext", ".py", "-f", "json", "--fail-on", "error"],
        "scan": [sys.executable, "-c", SCAN, str(tree)],
    }


def measure(tree: Path, runs: int) -> dict[str, list[float]]:
    """Interleaved rounds: ruff, count, audit in turn; each promptaudit run with a fresh (cold) cache."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {name: [] for name in commands(tree)}
    for _ in range(runs):
        for name, command in commands(tree).items():
            with tempfile.TemporaryDirectory() as cache:
                times[name].append(timed(command, {**env, "PROMPTAUDIT_CACHE_DIR": cache}))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
    print(
        "| tree | .py files | ruff (s) | count (s) | audit (s) | scan (s) | count / ruff | audit / ruff | scan / ruff |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for label, tree in trees().items():
        files = sum(1 for _ in tree.rglob("*.py"))
        times = measure(tree, args.runs)
        ratios = {
            k: statistics.median(t / r for t, r in zip(times[k], times["ruff"])) for k in ("count", "audit", "scan")
        }
        worst = max(worst, ratios["count"], ratios["audit"])
        medians = {k: statistics.median(v) for k, v in times.items()}
        print(f"| {label} | {files} | {medians['ruff']:.2f} | {medians['count']:.2f} | {medians['audit']:.2f} "
              f"| {medians['scan']:.2f} | {ratios['count']:.2f}x | {ratios['audit']:.2f}x | {ratios['scan']:.2f}x |")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; worst ratio {worst:.2f}x (target 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

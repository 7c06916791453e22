"""What reconstructed Claude counts cost: ctok against tiktoken on the same texts, cold and warm.

Run with the Python >= 3.12 venv (ctok installed)::

    .venv312/bin/python benchmarks/bench_claude.py            # 10 runs each
    .venv312/bin/python benchmarks/bench_claude.py --runs 3   # quicker, noisier

Two inputs: one small prompt file (tests/data/claude_prompts/en_support_agent.md) and ~5 MB of prompts
(the 41 held-out prompts and the 211 labelled texts, repeated with a serial number so no two files are
equal, in ~10 KB files). For each, interleaved and repeated, it times the installed console script:

* ``count -m gpt-4o`` (tiktoken, the baseline) and ``count -m claude-sonnet-4-5`` / ``-m claude-opus-4-8``
  (ctok families v3 and v4.8) on a cold count cache (a fresh cache directory per run);
* the same commands on a warm cache (the previous run's directory), where ctok must not run again.

Reports median, min and max wall seconds per case, the median CPU seconds (user + system of the child:
steadier than wall time on a shared machine), and the ratio of medians to the tiktoken baseline.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "promptaudit"
SMALL = ROOT / "tests" / "data" / "claude_prompts" / "en_support_agent.md"
MODELS = {"tiktoken gpt-4o": "gpt-4o", "ctok v3 (claude-sonnet-4-5)": "claude-sonnet-4-5",
          "ctok v4.8 (claude-opus-4-8)": "claude-opus-4-8"}  # fmt: skip


def corpus_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/claude_prompts").glob("*.*"))]
    texts = [t for t in texts if not t.lstrip().startswith('{\n "ctok"')]
    for path in sorted((ROOT / "benchmarks" / "claude_fit").glob("*.yaml")):
        texts += yaml.safe_load(path.read_text(encoding="utf-8"))["texts"]
    return texts


def write_big(folder: Path, size: int = 5_000_000, per_file: int = 10_000) -> int:
    """~``size`` bytes of prompts in ~``per_file``-byte files; returns the bytes written."""
    texts, written, serial = corpus_texts(), 0, 0
    while written < size:
        chunk = []
        while sum(len(t.encode()) for t in chunk) < per_file:
            chunk.append(f"Request {serial}:\n{texts[serial % len(texts)]}")
            serial += 1
        body = "\n\n".join(chunk)
        (folder / f"prompt_{serial:06d}.md").write_text(body, encoding="utf-8")
        written += len(body.encode())
    return written


def timed(args: list[str], cache: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of the console script."""
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs are byte-compiled
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([str(SCRIPT), *args], env=env, check=True, capture_output=True, timeout=900)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - start, cpu


def measure(target: str, runs: int) -> dict[str, list[tuple[float, float]]]:
    times: dict[str, list[tuple[float, float]]] = {}
    for _ in range(runs):
        for name, model in MODELS.items():  # interleaved: every case sees the same machine load
            cache = Path(tempfile.mkdtemp(prefix="pa-bench-claude-"))
            args = ["count", target, "-m", model, "-f", "json"]
            times.setdefault(f"{name}, cold", []).append(timed(args, cache))
            times.setdefault(f"{name}, warm", []).append(timed(args, cache))
            shutil.rmtree(cache, ignore_errors=True)
    return times


def report(title: str, times: dict[str, list[tuple[float, float]]]) -> None:
    print(f"\n{title}")
    base = {kind: statistics.median(w for w, _ in times[f"tiktoken gpt-4o, {kind}"]) for kind in ("cold", "warm")}
    for name, values in times.items():
        wall, kind = [w for w, _ in values], name.rsplit(", ", 1)[1]
        median, cpu = statistics.median(wall), statistics.median(c for _, c in values)
        print(f"  {name:40s} median {median:7.3f}s  min {min(wall):7.3f}  max {max(wall):7.3f}  cpu {cpu:7.3f}s  "
              f"x{median / base[kind]:.2f} vs tiktoken")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of the small file (default 10)")
    parser.add_argument("--big-runs", type=int, default=10, help="runs of the 5 MB set (default 10)")
    args = parser.parse_args()
    report(f"1 small file ({SMALL.stat().st_size:,} bytes), {args.runs} runs", measure(str(SMALL), args.runs))
    if args.big_runs < 1:
        return
    with tempfile.TemporaryDirectory(prefix="pa-bench-claude-big-") as folder:
        size = write_big(Path(folder))
        report(f"{size:,} bytes of prompts, {args.big_runs} runs", measure(folder, args.big_runs))


if __name__ == "__main__":
    main()

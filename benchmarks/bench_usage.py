"""Benchmark ``promptaudit usage`` on generated logs: wall time and peak resident memory.

    python benchmarks/bench_usage.py [--lines 1000000] [--gzip] [--keep DIR]

Generates the log with gen_usage_logs.py (not timed), then runs the usage command once in a child
process and reports its wall time and peak RSS (ru_maxrss of the child).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(log: str) -> tuple[float, float, float]:
    """Time one ``usage --format json`` run; return (wall seconds, CPU seconds, peak RSS in MB)."""
    started = time.perf_counter()
    # The usage command alone (same code path as `promptaudit usage`, independent of other commands' imports).
    runner = "import typer; from promptaudit.commands.usage import usage_command; typer.run(usage_command)"
    cmd = [sys.executable, "-c", runner, log, "--by", "model", "--format", "json"]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--keep", help="directory to write the log to (default: a temp dir, removed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        log = os.path.join(folder, f"usage-{args.lines}.jsonl" + (".gz" if args.gzip else ""))
        if not os.path.exists(log):
            gen = [sys.executable, os.path.join(HERE, "gen_usage_logs.py"), log, "--lines", str(args.lines)]
            subprocess.run(gen, check=True)
        seconds, cpu, peak_mb = run(log)
        size_mb = os.path.getsize(log) / 1e6
        print(
            f"{args.lines:,} lines ({size_mb:,.0f} MB{' gzip' if args.gzip else ''}): {seconds:.2f} s wall, {cpu:.2f} s CPU, peak RSS {peak_mb:,.0f} MB"
        )


if __name__ == "__main__":
    main()

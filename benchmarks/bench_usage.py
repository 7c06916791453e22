"""Benchmark ``promptaudit usage`` on generated logs: wall time, CPU time and peak resident memory.

    python benchmarks/bench_usage.py [--lines 1000000] [--gzip] [--repeat 3] [--no-orjson] [--by model] [--keep DIR]
    python benchmarks/bench_usage.py --against main [--repeat 10] ...

With ``--against REF`` the same log is read by this checkout and by the ``promptaudit`` package of git REF
(extracted with ``git archive`` and put first on the child's PYTHONPATH), interleaved run by run, each side
with its own warm cache; it prints the median, min and max CPU and wall time of each and the ratio of medians.

Generates the log with gen_usage_logs.py (not timed; reused when ``--keep DIR`` already holds it), then runs
the usage command ``--repeat`` times, each in its own child process, and prints the best wall time, the best
user+sys CPU time and the largest peak RSS. On a shared machine the wall time moves with other jobs; the CPU
time is the steadier figure. ``--no-orjson`` hides orjson from the child so the standard ``json`` path is timed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The usage command alone (same code path as `promptaudit usage`, independent of other commands' imports).
RUNNER = "import typer; from promptaudit.commands.usage import usage_command; typer.run(usage_command)"
# A None entry in sys.modules makes `import orjson` raise ImportError, as if it were not installed.
WITHOUT_ORJSON = "import sys; sys.modules['orjson'] = None; "


def run(log: str, by: str, orjson: bool, env: dict | None = None) -> tuple[float, float, float]:
    """Time one ``usage --format json`` run; return (wall seconds, user+sys CPU seconds, peak RSS in MB)."""
    runner = RUNNER if orjson else WITHOUT_ORJSON + RUNNER
    cmd = [sys.executable, "-c", runner, log, "--by", by, "--format", "json"]
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    # wait4 gives this child's own rusage, not the running total of every child (the generator included).
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"usage exited {child.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def generate(log: str, lines: int, iso: bool = False) -> None:
    """Write the synthetic log unless it is already there."""
    if not os.path.exists(log):
        os.makedirs(os.path.dirname(log), exist_ok=True)
        gen = [sys.executable, os.path.join(HERE, "gen_usage_logs.py"), log, "--lines", str(lines)]
        subprocess.run(gen + (["--iso-time"] if iso else []), check=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the best of (default 3)")
    parser.add_argument("--no-orjson", action="store_true", help="time the standard json module path")
    parser.add_argument("--by", default="model", choices=("model", "tag", "day"))
    parser.add_argument("--keep", help="directory to write the log to (default: a temp dir, removed)")
    parser.add_argument("--against", metavar="REF", help="also time git REF's promptaudit, interleaved")
    parser.add_argument("--iso-time", action="store_true", help="log timestamps as ISO 8601 text")
    return parser.parse_args()


def side_env(tmp: str, name: str, source: str | None) -> dict:
    """The child's environment: its own cache directory, and REF's source first on the path when given."""
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": os.path.join(tmp, f"cache-{name}")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs are byte-compiled
    if source is not None:
        env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
    return env


def extract(ref: str, tmp: str) -> str:
    """``git archive`` REF's promptaudit package into ``tmp/ref``; return that directory."""
    target = os.path.join(tmp, "ref")
    os.makedirs(target)
    repo = os.path.dirname(HERE)
    archive = subprocess.run(["git", "-C", repo, "archive", ref, "promptaudit"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", target], input=archive.stdout, check=True)
    return target


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def compare(log: str, args: argparse.Namespace, tmp: str) -> None:
    """Interleave this checkout and REF on the same log; print each side's spread and the ratio of medians."""
    sides = {"this": side_env(tmp, "this", None), args.against: side_env(tmp, "ref", extract(args.against, tmp))}
    for env in sides.values():
        run(log, args.by, not args.no_orjson, env)  # warm each side's cache (price index, byte code)
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in sides}
    for index in range(args.repeat):
        order = list(sides) if index % 2 == 0 else list(reversed(list(sides)))
        for name in order:
            times[name].append(run(log, args.by, not args.no_orjson, sides[name]))
    for name, runs in times.items():
        print(f"{name:>12}: CPU {spread([r[1] for r in runs])}; wall {spread([r[0] for r in runs])}")
    ratio = statistics.median(r[1] for r in times["this"]) / statistics.median(r[1] for r in times[args.against])
    print(f"this / {args.against} (median CPU): {ratio:.3f}x over {args.repeat} interleaved runs each")


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        name = f"usage-{args.lines}{'-iso' if args.iso_time else ''}.jsonl" + (".gz" if args.gzip else "")
        log = os.path.join(args.keep or tmp, name)
        generate(log, args.lines, args.iso_time)
        if args.against:
            compare(log, args, tmp)
            return
        runs = [run(log, args.by, not args.no_orjson) for _ in range(args.repeat)]
        size_mb = os.path.getsize(log) / 1e6
    wall, cpu, peak = min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)
    has_orjson = importlib.util.find_spec("orjson") is not None
    parser = "orjson" if has_orjson and not args.no_orjson else "json"
    print(
        f"{args.lines:,} lines ({size_mb:,.0f} MB{' gzip' if args.gzip else ''}, {parser}, --by {args.by}), "
        f"best of {args.repeat}: {wall:.2f} s wall, {cpu:.2f} s CPU (user+sys), peak RSS {peak:,.0f} MB"
    )


if __name__ == "__main__":
    main()

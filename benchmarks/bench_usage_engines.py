"""Benchmark ``promptaudit usage`` engines: DuckDB against today's streaming reader, interleaved in one run.

    python benchmarks/bench_usage_engines.py --keep /tmp/bench [--lines 1000000] [--runs 10]
        [--big-lines 10000000] [--parquet-rows 10000000] [--skip-big]

Generates (not timed, reused from ``--keep``) a JSON Lines log with gen_usage_logs.py, the same generator as
bench_usage.py, and a Parquet table with the same content (one row per request: time, model, prompt and route
tags, input with cached tokens, cached, cache writes, output, finish reason). Then:

1. ``--lines`` JSON Lines: ``--engine stream`` and ``--engine duckdb`` alternately, ``--runs`` times each;
   the median, min and max wall time, the CPU time (user+sys) and the peak RSS of each, and their ratio;
2. ``--big-lines`` JSON Lines with DuckDB, once: wall time and peak RSS (the memory bound);
3. ``--parquet-rows`` of Parquet, ``--runs`` times: wall time.

Every run is its own child process running the usage command (``--format json``), byte-compiled as users'
installs are (PYTHONDONTWRITEBYTECODE is unset). On a shared machine wall times move with other jobs; the
interleaving keeps the ratio fair, and CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = "import typer; from promptaudit.commands.usage import usage_command; typer.run(usage_command)"
PARQUET_COLUMNS = (
    "time=ts,model=model,input=input_tokens,cached=cached_tokens,cache_write=cache_write_tokens,"
    "output=output_tokens,stop=finish_reason,tag=prompt,route=route"
)
# The generator's four response shapes as one row per request (input includes cached and written tokens).
FLATTEN = """
SELECT ts, coalesce(r.model, r.modelVersion) AS model, metadata.prompt AS prompt, metadata.route AS route,
  coalesce(r.usage.prompt_tokens,
           r.usage.input_tokens + coalesce(r.usage.cache_read_input_tokens, 0) + coalesce(r.usage.cache_creation_input_tokens, 0),
           r.usageMetadata.promptTokenCount)::BIGINT AS input_tokens,
  coalesce(r.usage.prompt_tokens_details.cached_tokens, r.usage.input_tokens_details.cached_tokens,
           r.usage.cache_read_input_tokens, r.usageMetadata.cachedContentTokenCount, 0)::BIGINT AS cached_tokens,
  coalesce(r.usage.cache_creation_input_tokens, 0)::BIGINT AS cache_write_tokens,
  coalesce(r.usage.completion_tokens, r.usage.output_tokens, r.usageMetadata.candidatesTokenCount)::BIGINT AS output_tokens,
  coalesce(r.choices[1].finish_reason, r.stop_reason, r.candidates[1].finishReason) AS finish_reason
FROM (SELECT ts, metadata, response AS r FROM read_json({source}, format='newline_delimited'))
"""


def generate(path: str, lines: int) -> None:
    """Write the synthetic log unless it is already there."""
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        subprocess.run(
            [sys.executable, os.path.join(HERE, "gen_usage_logs.py"), path, "--lines", str(lines)], check=True
        )


def parquet(path: str, source: str, rows: int, source_lines: int) -> None:
    """Write the Parquet table (from the log, repeated until it has ``rows`` rows) unless it is there."""
    if os.path.exists(path):
        return
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    repeats = max(1, rows // source_lines)
    query = FLATTEN.format(source="'" + source.replace("'", "''") + "'")
    con.execute(
        f"COPY (SELECT * REPLACE (ts + (i * 604800) AS ts) FROM ({query}), range({repeats}) t(i)) "
        f"TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"
    )


def run(args: list[str]) -> tuple[float, float, float]:
    """One usage run in a child process: (wall seconds, user+sys CPU seconds, peak RSS in MB)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", RUNNER, *args, "--format", "json"], stdout=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"usage {' '.join(args)} failed")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def summary(label: str, runs: list[tuple[float, float, float]]) -> float:
    """Print median/min/max wall, median CPU and peak RSS; return the median wall time."""
    walls = [r[0] for r in runs]
    median = statistics.median(walls)
    print(
        f"{label}: median {median:.2f} s (min {min(walls):.2f}, max {max(walls):.2f}, n={len(runs)}), "
        f"CPU {statistics.median(r[1] for r in runs):.2f} s, peak RSS {max(r[2] for r in runs):,.0f} MB"
    )
    return median


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", required=True, help="directory for the generated logs (reused)")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--big-lines", type=int, default=10_000_000)
    parser.add_argument("--parquet-rows", type=int, default=10_000_000)
    parser.add_argument("--skip-big", action="store_true", help="skip the 10M-line memory run")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    log = os.path.join(args.keep, f"usage-{args.lines}.jsonl")
    generate(log, args.lines)
    table = os.path.join(args.keep, f"usage-{args.parquet_rows}.parquet")
    parquet(table, log, args.parquet_rows, args.lines)
    runs: dict[str, list] = {"stream": [], "duckdb": []}
    for _ in range(args.runs):  # interleaved, so both engines see the same machine
        for engine in runs:
            runs[engine].append(run([log, "--engine", engine]))
    size = os.path.getsize(log) / 1e6
    stream = summary(f"{args.lines:,} JSONL lines ({size:,.0f} MB), streaming", runs["stream"])
    duck = summary(f"{args.lines:,} JSONL lines ({size:,.0f} MB), DuckDB   ", runs["duckdb"])
    print(f"DuckDB / streaming (median wall): {duck / stream:.2f}x")
    summary(
        f"{args.parquet_rows:,} Parquet rows, DuckDB",
        [run([table, "--columns", PARQUET_COLUMNS]) for _ in range(args.runs)],
    )
    if not args.skip_big:
        big = os.path.join(args.keep, f"usage-{args.big_lines}.jsonl")
        generate(big, args.big_lines)
        summary(f"{args.big_lines:,} JSONL lines, DuckDB (memory bound)", [run([big, "--engine", "duckdb"])])


if __name__ == "__main__":
    main()

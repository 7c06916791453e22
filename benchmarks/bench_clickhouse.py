"""Usage where the data is: N generated GenAI spans in ClickHouse's own engine, grouped there, only groups back.

Generates N spans (default 100M) in the OpenTelemetry Collector exporter's traces table (the DDL of
tests/chdb_tables.py) inside a chdb data directory, by ClickHouse itself (``INSERT ... SELECT FROM numbers``),
and the same rows flattened to Parquet. Then, alternately, ``--runs`` times each:

- ``chdb``: ``promptaudit usage chdb://DIR?table=...`` (ClickHouse in the promptaudit process: its memory is the
  engine's too);
- ``http``: ``promptaudit usage clickhouse://...`` against tests/ch_standin.py serving the directory from another
  process (the network client path: promptaudit's own memory, and the bytes the server sent back);
- ``chdb, flat table``: the same rows as typed columns in a ClickHouse table, read through ``--columns``;
- ``duckdb, Parquet``: those typed columns as Parquet, ``promptaudit usage FILE.parquet --columns ...`` (the DuckDB
  engine, for comparison: like for like with the flat table, not with the spans' text attribute maps).

Each is a child process: wall time, user+sys CPU and peak RSS (ru_maxrss of the child). The load average is
printed: on a shared machine wall time moves with other jobs. Unset PYTHONDONTWRITEBYTECODE when timing.

    python benchmarks/bench_clickhouse.py --rows 100000000 --keep /tmp/chbench --runs 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
MODELS = ["gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "claude-sonnet-4-5-20250929", "gemini-2.5-flash",
          "claude-3-5-haiku-20241022", "o3-2025-04-16"]  # fmt: skip
DB = "bench"
COLUMNS = "time=event_time,model=model,input=input_tokens,cached=cached_tokens,output=output_tokens,stop=finish_reason"


def _models_sql() -> str:
    return "[" + ", ".join(f"'{m}'" for m in MODELS) + "]"


def generate(directory: Path, rows: int) -> None:
    """The spans (ClickHouse makes them: no Python loop) and their Parquet twin."""
    import chdb_tables
    import clickhouse_connect

    client = clickhouse_connect.get_client(dsn=f"chdb://{directory / 'data'}")
    client.command(f"CREATE DATABASE IF NOT EXISTS {DB}")
    client.command(f"DROP TABLE IF EXISTS {DB}.otel_traces")
    client.command(chdb_tables.OTEL_DDL.format(db=DB))
    span = f"""SELECT
  toDateTime64('2026-10-01 00:00:00', 9, 'UTC') + toIntervalSecond(intDiv(number * 2592000, {rows})) AS Timestamp,
  hex(number) AS TraceId, hex(number) AS SpanId, 'chat' AS SpanName, 'app' AS ServiceName,
  map('service.name', 'app') AS ResourceAttributes,
  map('gen_ai.operation.name', 'chat',
      'gen_ai.request.model', {_models_sql()}[1 + number % {len(MODELS)}],
      'gen_ai.usage.input_tokens', toString(500 + number % 7919),
      'gen_ai.usage.cache_read.input_tokens', toString(if(number % 3 = 0, 256 * (number % 2), 0)),
      'gen_ai.usage.output_tokens', toString(1 + (number * 7) % 4096),
      'gen_ai.response.finish_reasons', if(number % 50 = 0, '["length"]', '["stop"]'),
      'app.prompt', concat('prompt-', toString(number % 20))) AS SpanAttributes,
  1000 AS Duration
FROM numbers({rows})"""
    client.command(f"INSERT INTO {DB}.otel_traces (Timestamp, TraceId, SpanId, SpanName, ServiceName, "
                   f"ResourceAttributes, SpanAttributes, Duration) {span}")  # fmt: skip
    flat = (
        "SELECT toDateTime64(Timestamp, 6, 'UTC') AS event_time, SpanAttributes['gen_ai.request.model'] AS model, "
        "toUInt64(SpanAttributes['gen_ai.usage.input_tokens']) AS input_tokens, "
        "toUInt64(SpanAttributes['gen_ai.usage.cache_read.input_tokens']) AS cached_tokens, "
        "toUInt64(SpanAttributes['gen_ai.usage.output_tokens']) AS output_tokens, "
        f"JSONExtractString(SpanAttributes['gen_ai.response.finish_reasons'], 1) AS finish_reason FROM {DB}.otel_traces"
    )
    parquet = directory / "spans.parquet"
    parquet.unlink(missing_ok=True)
    client.command(
        f"INSERT INTO FUNCTION file('{parquet}', Parquet) {flat} SETTINGS output_format_parquet_string_as_string = 1"
    )
    client.command(f"DROP TABLE IF EXISTS {DB}.flat")
    client.command(f"CREATE TABLE {DB}.flat ENGINE = MergeTree ORDER BY event_time AS {flat}")
    client.close()
    (directory / "rows").write_text(str(rows))


def _child(args: list[str]) -> tuple[float, float, int, str]:
    """Wall, CPU and peak RSS (bytes) of one promptaudit run, measured by GNU time around it (a child of this
    process inherits this process's RSS high-water mark, which holds chdb after generating), and its stdout."""
    with tempfile.NamedTemporaryFile("r") as stats, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        command = ["/usr/bin/time", "-o", stats.name, "-f", "%e %U %S %M", sys.executable, "-m", "promptaudit", *args]
        code = subprocess.run(command, stdout=out, stderr=err, check=False).returncode
        if code != 0:
            err.seek(0)
            raise SystemExit(f"promptaudit {' '.join(args)} failed: {err.read().decode()[-800:]}")
        wall, user, system, peak_kb = stats.read().split()[-4:]
        out.seek(0)
        return float(wall), float(user) + float(system), int(peak_kb) * 1024, out.read().decode()


def _server(directory: Path) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "ch_standin.py"), str(directory / "data")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    line = proc.stdout.readline()
    if not line.startswith("port "):
        raise SystemExit(f"stand-in did not start: {proc.stderr.read()[-500:]}")
    return proc, int(line.split()[1])


def _sent_bytes(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    found = [line for line in err.splitlines() if line.startswith("sent_bytes ")]
    return int(found[-1].split()[1]) if found else -1


ENGINE_NAMES = {"chdb": "chdb", "http": "http", "chdb-flat": "chdb, flat table", "duckdb": "duckdb, Parquet"}


def measure(directory: Path, runs: int, only: list[str]) -> dict[str, list]:
    data = directory / "data"
    engines = {
        "chdb": lambda port: ["usage", f"chdb://{data}?table={DB}.otel_traces&timeout=3600", "--format", "json"],
        "http": lambda port: [
            "usage",
            f"clickhouse://default@127.0.0.1:{port}/{DB}?table=otel_traces&timeout=3600",
            "--format",
            "json",
        ],  # fmt: skip
        "chdb, flat table": lambda port: [
            "usage",
            f"chdb://{data}?table={DB}.flat&timeout=3600",
            "--columns",
            COLUMNS,
            "--format",
            "json",
        ],  # fmt: skip
        "duckdb, Parquet": lambda port: [
            "usage",
            str(directory / "spans.parquet"),
            "--columns",
            COLUMNS,
            "--format",
            "json",
        ],  # fmt: skip
    }
    engines = {name: args for name, args in engines.items() if not only or name in only}
    found: dict[str, list] = {name: [] for name in engines}
    for _ in range(runs):
        for name, args in engines.items():
            server, port = _server(directory) if name == "http" else (None, 0)
            wall, cpu, rss, out = _child(args(port))
            sent = _sent_bytes(server) if server else None
            found[name].append((wall, cpu, rss, sent, len(out)))
    return found


def report(found: dict[str, list], rows: int, generate_s: float | None) -> None:
    print(f"{rows:,} spans; load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}; "
          f"{os.cpu_count()} cores" + (f"; generated in {generate_s:.0f} s" if generate_s else ""))  # fmt: skip
    print("| engine | median wall (min-max) | CPU | peak RSS of promptaudit | bytes back |")
    print("|---|---|---|---|---|")
    for name, samples in found.items():
        walls = [s[0] for s in samples]
        sent = samples[0][3]
        back = f"{sent:,} (HTTP)" if sent is not None else "in process"
        print(
            f"| {name} | {statistics.median(walls):.1f} s ({min(walls):.1f}-{max(walls):.1f}) | "
            f"{statistics.median(s[1] for s in samples):.1f} s | {max(s[2] for s in samples) / 2**20:.0f} MB | {back} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--keep", type=Path, default=Path("/tmp/promptaudit-chbench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated engines: chdb, http, chdb-flat, duckdb")
    opts = parser.parse_args()
    opts.keep.mkdir(parents=True, exist_ok=True)
    made = None
    rows_file = opts.keep / "rows"
    if opts.regenerate or not rows_file.exists() or int(rows_file.read_text()) != opts.rows:
        shutil.rmtree(opts.keep / "data", ignore_errors=True)
        start = time.perf_counter()
        generate(opts.keep, opts.rows)
        made = time.perf_counter() - start
    only = [ENGINE_NAMES[name] for name in opts.only.split(",") if name]
    report(measure(opts.keep, opts.runs, only), opts.rows, made)


if __name__ == "__main__":
    main()

"""Start-up of ``promptaudit mcp`` (to ``initialize`` answered) and the cost of one tool call, issue 28.

Interleaved repetitions (median of N, minimum shown too), each against a baseline measured in the same run:

  startup  ``promptaudit mcp`` from process start to the ``initialize`` response on stdout, vs the SDK's own
           floor: a minimal ``FastMCP`` server with one tool, started with the same interpreter. Target: <= 0.5 s
           absolute (the ratio shows what promptaudit adds to the SDK).
  cpu      the CPU time (user + system, from /proc) the server has used when it answers ``initialize``: on a
           shared machine, closer to the quiet start-up than the wall clock. Reported.
  call     ``tools/call count_tokens`` on sample_prompts/classifier.txt over an initialised session, vs
           ``promptaudit count sample_prompts/classifier.txt --format json`` run directly (the CLI the tool
           runs). Reported: the ratio is the server's overhead per call.

Run (needs the [mcp] extra; unset PYTHONDONTWRITEBYTECODE so bytecode is cached as for users):

    .venv/bin/pip install -c constraints.txt -e ".[mcp]" && .venv/bin/python benchmarks/bench_mcp.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLE = "sample_prompts/classifier.txt"
SDK_FLOOR = """
from mcp.server.fastmcp import FastMCP
server = FastMCP("floor")

@server.tool()
def add(a: int, b: int) -> int:
    return a + b

server.run("stdio")
"""
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
CALL = {
    "jsonrpc": "2.0",
    "id": 2,
    "method": "tools/call",
    "params": {"name": "count_tokens", "arguments": {"paths": [SAMPLE]}},
}


def send(process: subprocess.Popen, message: dict) -> None:
    process.stdin.write((json.dumps(message) + "\n").encode())
    process.stdin.flush()


def answer(process: subprocess.Popen) -> dict:
    line = process.stdout.readline()
    if not line:
        raise SystemExit(f"the server closed stdout: {process.stderr.read().decode()[-500:]}")
    return json.loads(line)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a running process has used so far, from /proc (Linux); 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def session(cmd: list[str], calls: int, cpu: list[float] | None = None) -> tuple[float, float | None]:
    """Seconds to the initialize response, and to a tools/call response (when ``calls``); then a clean exit."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    send(process, INITIALIZE)
    answer(process)
    startup = time.perf_counter() - start
    if cpu is not None:
        cpu.append(cpu_seconds(process.pid))
    call = None
    if calls:
        send(process, INITIALIZED)
        start = time.perf_counter()
        send(process, CALL)
        reply = answer(process)
        call = time.perf_counter() - start
        if reply.get("result", {}).get("isError"):
            raise SystemExit(f"tools/call failed: {reply}")
    process.stdin.close()
    if process.wait(timeout=30) != 0:
        raise SystemExit(f"{cmd} exited with {process.returncode}")
    return startup, call


def cli_run() -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "promptaudit"), "count", SAMPLE, "--format", "json"], cwd=ROOT, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    ours = [str(BIN / "promptaudit"), "mcp"]
    floor = [sys.executable, "-c", SDK_FLOOR]
    session(ours, 1), session(floor, 0), cli_run()  # warm-up: bytecode and caches, as after any earlier run
    startup, baseline, calls, direct, our_cpu, floor_cpu = [], [], [], [], [], []
    for _ in range(runs):
        first, call = session(ours, 1, our_cpu)
        startup.append(first), calls.append(call)
        baseline.append(session(floor, 0, floor_cpu)[0])
        direct.append(cli_run())
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores, {runs} runs")
    print(f"{'scenario':<9} {'promptaudit':>12} {'(min)':>8} {'baseline':>10} {'(min)':>8} {'ratio':>7}  target")
    row("startup", startup, baseline, "<= 0.5 s to initialize answered")
    row("cpu", our_cpu, floor_cpu, "CPU seconds to initialize answered (less sensitive to load)")
    row("call", calls, direct, "reported (server overhead per call)")


def row(name: str, ours: list[float], base: list[float], target: str) -> None:
    mine, theirs = statistics.median(ours), statistics.median(base)
    print(f"{name:<9} {mine:11.3f}s {min(ours):7.3f}s {theirs:9.3f}s {min(base):7.3f}s {mine / theirs:6.2f}x  {target}")


if __name__ == "__main__":
    main()

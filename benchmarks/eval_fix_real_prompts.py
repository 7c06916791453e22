"""``promptaudit fix`` on the real-prompt corpus (tests/real_prompts.py), run as a user runs it.

Usage: python benchmarks/eval_fix_real_prompts.py [--diff FILE] [--per-day N]

Every prompt file of the corpus (its ``files`` and ``python`` modules) is copied into a temporary folder, and
the installed console script is run there: ``fix`` (the preview), ``fix --write``, ``fix`` again (it must
find nothing), and ``audit --format json`` before and after (the fixed findings must be gone, nothing new may
appear, and the tokens per request must drop by exactly the saving ``fix`` showed). Prints a table of edits
per rule, files changed and tokens saved. ``--diff FILE`` writes the previewed diff for reading by hand; it
holds other people's text: keep it out of the repository.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

import real_prompts  # noqa: E402
import realdata  # noqa: E402

SCRIPT = Path(sys.executable).with_name("promptaudit")


def copy_corpus(target: Path, fetch=realdata.materialise) -> list[str]:
    """Copy every prompt file of the corpus under ``target/<artifact>/``; their paths relative to ``target``."""
    copied = []
    for name, spec in real_prompts._load("sources.yaml").items():
        folder = fetch(real_prompts.artifacts()[name])
        (root,) = [p for p in folder.iterdir() if p.is_dir()]
        for path in real_prompts._expand(root, [*spec.get("files", []), *spec.get("python", [])]):
            destination = target / name / path.relative_to(root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            copied.append(destination.relative_to(target).as_posix())
    return copied


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed console script, with a timeout, in ``cwd``."""
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=900, check=False)


def audit(files: list[str], cwd: Path, per_day: str) -> dict:
    """``audit --format json`` of the files, as parsed JSON."""
    return json.loads(run("audit", *files, "--format", "json", "--per-day", per_day, cwd=cwd).stdout)


def finding_keys(report: dict) -> collections.Counter:
    """Each finding as ``(path, rule, message)``, numbers in the message masked (a fix moves lines and changes
    token counts: "restates line 12", "static prefix is 618 tokens" stay the same finding)."""
    return collections.Counter((f["path"], f["rule"], _masked(f["message"])) for f in report["findings"])


def _masked(message: str) -> str:
    return re.sub(r"[\d,.$]*\d", "#", message)


def evaluate(per_day: str, diff_file: str | None = None, fetch=realdata.materialise) -> dict:
    """Run the four steps on a fresh copy of the corpus; the figures and the checks' outcomes."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        files = copy_corpus(work, fetch)
        before = audit(files, work, per_day)
        preview = run("fix", *files, "--format", "json", "--per-day", per_day, cwd=work)
        plan = json.loads(preview.stdout)
        if diff_file:
            Path(diff_file).write_text("".join(f["diff"] for f in plan["files"]), encoding="utf-8")
        wrote = run("fix", *files, "--write", "--per-day", per_day, cwd=work)
        again = json.loads(run("fix", *files, "--format", "json", cwd=work).stdout)
        after = audit(files, work, per_day)
    return _figures(len(files), plan, wrote, again, before, after)


def _figures(files: int, plan: dict, wrote, again: dict, before: dict, after: dict) -> dict:
    changed = [f for f in plan["files"] if f["changed"]]
    rules = collections.Counter(fix["rule"] for f in changed for fix in f["fixes"])
    fixed = collections.Counter((f["path"], x["rule"]) for f in changed for x in f["fixes"])
    old, new = finding_keys(before), finding_keys(after)
    saved = sum(f["tokens_saved"] for f in changed)
    monthly = sum(float(f["monthly_saving"] or 0) for f in changed)
    return {
        "files": files,
        "files_changed": len(changed),
        "edits": dict(sorted(rules.items())),
        "tokens_saved_per_request": saved,
        "monthly_saving_usd": round(monthly, 2),
        "write_exit": wrote.returncode,
        "second_run_changes": sum(f["changed"] for f in again["files"]),
        "new_findings_after": sum((new - old).values()),
        "fixed_still_reported": sum(max(0, _per_file(after)[k] - (_per_file(before)[k] - n)) for k, n in fixed.items()),
        "audit_tokens_drop": _tokens(before) - _tokens(after),
        "notes": len(plan["notes"]),
    }


def _per_file(report: dict) -> collections.Counter:
    """Findings per ``(file, rule)`` (a prompt's path without its ``#name``)."""
    return collections.Counter((f["path"].split("#")[0], f["rule"]) for f in report["findings"])


def _tokens(report: dict) -> int:
    return sum(f["tokens"] for f in report["files"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diff", help="write the previewed diff here (keep it out of the repository)")
    parser.add_argument("--per-day", default="1000", help="requests per day of every prompt (default 1000)")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}", file=sys.stderr)
    result = evaluate(args.per_day, args.diff)
    for key, value in result.items():
        print(f"{key:<28} {value}")


if __name__ == "__main__":
    main()

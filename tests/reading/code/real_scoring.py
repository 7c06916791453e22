"""Score the Python scanner against the labelled corpus of REAL code (tests/data/real_code/).

Each repository's label file names its source (a PyPI artifact of ``manifest.yaml``, or a GitHub snapshot by
owner/repo and commit), the files in scope, every LLM call (file:line, SDK, model, output cap) and every
prompt text (file:line) in that scope, labelled by reading the code. The scanner runs on the scope as a user
would (``gather_prompts`` from the repository's root, ``.py`` files), and what it REPORTS is compared:

- a **call** is found when a reported call row names the same file and line; its model (a name, or
  ``runtime`` when the code does not say) and its cap (a number, ``runtime`` when only run time knows,
  ``none`` when the call sets none) are compared too;
- a **prompt text** is found when some reported row holds text written on that line (a static piece of
  text starting there, or a named constant the row was built from);
- **precision**: a reported call row is real when it is a labelled call; a reported prompt row (a constant,
  a template, a framework prompt) is real when it holds a labelled prompt text.

Run: ``python tests/reading/code/real_scoring.py [heldout|dev|all] [--json FILE]``.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

TESTS = Path(__file__).resolve().parents[2]
CORPUS = TESTS / "data" / "real_code"
MIRRORS = Path(os.environ.get("PROMPTAUDIT_MIRRORS", "/work/.mirror"))
sys.path[:0] = [str(TESTS), str(TESTS.parent)]
import realdata  # noqa: E402

from tests.reading.code.scoring import inside  # noqa: E402


def labels() -> dict[str, dict]:
    """Every label file, by repository (``owner/repo``)."""
    found = {}
    for path in sorted((CORPUS / "labels").glob("*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[entry["repo"]] = entry
    return found


def split() -> dict[str, list[str]]:
    return yaml.safe_load((CORPUS / "split.yaml").read_text(encoding="utf-8"))


def heldout_rule(repos: list[str]) -> list[str]:
    """The split rule, recomputed: the first third of the repositories ordered by sha256 of their name."""
    import hashlib

    ordered = sorted(repos, key=lambda r: hashlib.sha256(r.encode()).hexdigest())
    return ordered[: math.ceil(len(ordered) / 3)]


def root_of(entry: dict) -> Path:
    """The repository's files on this machine; raises realdata.Unavailable when they cannot be had."""
    source = entry["source"]
    if "registry" in source:
        manifest = {a.name: a for a in realdata.load_manifest(CORPUS / "manifest.yaml")}
        return realdata.materialise(manifest[source["name"]]) / source["root"]
    return snapshot(source["github"], source["commit"])


def snapshot(repo: str, commit: str) -> Path:
    """A GitHub snapshot's files at ``commit``, unpacked once from a local bare mirror (never from the network)."""
    target = realdata.CACHE / "github" / f"{repo.replace('/', '+')}-{commit[:12]}"
    if (target / ".complete").exists():
        return target
    git_dir = MIRRORS / repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        raise realdata.Unavailable(f"no local snapshot of {repo} under {MIRRORS} (GitHub material is local only)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        archive = Path(scratch) / "a.tar"
        done = subprocess.run(["git", f"--git-dir={git_dir}", "archive", "-o", str(archive), commit],
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        if done.returncode != 0:
            raise realdata.Unavailable(f"{repo}@{commit}: {done.stderr.strip()[-200:]}")
        unpacked = Path(scratch) / "files"
        with tarfile.open(archive) as bundle:
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            bundle.extractall(unpacked, **safe)
        (unpacked / ".complete").write_text(commit, encoding="utf-8")
        os.replace(unpacked, target)
    return target


def run_scanner(root: Path, entry: dict) -> list:
    """The prompts promptaudit reports for the repository's scope, read from its root."""
    from promptaudit.reading.code import module
    from promptaudit.reading.loading import gather_prompts

    module._CACHE.clear()
    paths = [p.rstrip("/") for p in [*entry["scope"], *entry.get("call_scope", [])]]
    with inside(root):
        prompts, _ = gather_prompts(paths, (".py",))
        return [_row(p) for p in prompts]


def _row(prompt) -> dict:
    """What a reported prompt row says, with paths relative to the repository's root."""
    from promptaudit.reading.code.found import CallSite

    origin = prompt.origin
    lines = set()
    for part in prompt.parts:
        text = part.source
        if text is None or part.kind == "tool":
            continue
        lines |= _text_lines(text)
    row = {"path": os.path.relpath(prompt.path), "lines": sorted(lines), "call": isinstance(origin, CallSite)}
    if row["call"]:
        row.update(line=origin.line, model=origin.model, cap=origin.cap, capped=origin.capped)
    return row


def _text_lines(text) -> set[tuple[str, int]]:
    found = {(os.path.relpath(text.path), text.line)}
    found |= {(os.path.relpath(path), line) for path, line, _ in text.includes}
    found |= {(os.path.relpath(p.path), p.line) for p in text.pieces if p.variable is None and p.text.strip()}
    return found


def score_repo(entry: dict, rows: list) -> dict:
    """Recall, precision and call facts of one repository."""
    scope = [p.rstrip("/") for p in entry["scope"]]
    calls = {_at(c["at"]): c for c in entry.get("calls") or []}
    texts = {_at(t) for t in entry.get("prompts") or []}
    call_rows = {(r["path"], r["line"]): r for r in rows if r["call"]}
    text_rows = [r for r in rows if not r["call"] and _in(r["path"], scope)]
    covered = {tuple(k) for r in rows for k in r["lines"]}
    matched = sorted(set(calls) & set(call_rows))
    result = {
        "calls": len(calls), "calls_found": len(matched), "call_rows": len(call_rows),
        "call_rows_real": sum(1 for k in call_rows if k in calls),
        "model_right": sum(1 for k in matched if _model(calls[k]) == _model_of(call_rows[k])),
        "cap_right": sum(1 for k in matched if _cap(calls[k]) == _cap_of(call_rows[k])),
        "prompts": len(texts), "prompts_found": len(texts & covered), "text_rows": len(text_rows),
        "text_rows_real": sum(1 for r in text_rows if texts & {tuple(k) for k in r["lines"]}),
    }  # fmt: skip
    result["missed_calls"] = sorted(f"{p}:{n}" for p, n in set(calls) - set(call_rows))
    result["missed_prompts"] = sorted(f"{p}:{n}" for p, n in texts - covered)
    result["false_calls"] = sorted(f"{p}:{n}" for p, n in set(call_rows) - set(calls))
    result["false_texts"] = sorted(f"{r['path']}:{r['lines'][:1]}" for r in text_rows
                                   if not texts & {tuple(k) for k in r["lines"]})  # fmt: skip
    result["wrong_facts"] = [_facts(k, calls[k], call_rows[k]) for k in matched if _facts(k, calls[k], call_rows[k])]
    return result


def _at(at: str) -> tuple[str, int]:
    path, line = at.rsplit(":", 1)
    return path, int(line)


def _in(path: str, scope: list[str]) -> bool:
    return any(path == s or path.startswith(s + "/") for s in scope)


def _model(label: dict) -> str:
    return str(label["model"])


def _model_of(row: dict) -> str:
    return row["model"] or "runtime"


def _cap(label: dict) -> str:
    return str(label["cap"])


def _cap_of(row: dict) -> str:
    if row["cap"] is not None:
        return str(row["cap"])
    return "runtime" if row["capped"] else "none"


def _facts(key, label: dict, row: dict) -> str | None:
    wrong = []
    if _model(label) != _model_of(row):
        wrong.append(f"model {_model_of(row)} (label {_model(label)})")
    if _cap(label) != _cap_of(row):
        wrong.append(f"cap {_cap_of(row)} (label {_cap(label)})")
    return f"{key[0]}:{key[1]}: " + ", ".join(wrong) if wrong else None


def total(results: dict[str, dict]) -> dict:
    """Sums over repositories, with the ratios the issue names."""
    keys = ("calls", "calls_found", "call_rows", "call_rows_real", "model_right", "cap_right",
            "prompts", "prompts_found", "text_rows", "text_rows_real")  # fmt: skip
    summed = {k: sum(r[k] for r in results.values()) for k in keys}
    rows = summed["call_rows"] + summed["text_rows"]
    summed.update(
        call_recall=_ratio(summed["calls_found"], summed["calls"]),
        prompt_recall=_ratio(summed["prompts_found"], summed["prompts"]),
        call_precision=_ratio(summed["call_rows_real"], summed["call_rows"]),
        row_precision=_ratio(summed["call_rows_real"] + summed["text_rows_real"], rows),
        model_accuracy=_ratio(summed["model_right"], summed["calls_found"]),
        cap_accuracy=_ratio(summed["cap_right"], summed["calls_found"]),
    )
    return summed


def _ratio(hits: int, whole: int) -> float | None:
    return round(hits / whole, 3) if whole else None


def score(part: str = "all", strict: bool = False) -> dict:
    """Score ``heldout``, ``dev`` or ``all`` repositories (unavailable ones listed as skipped)."""
    chosen = split()
    wanted = chosen["heldout"] + chosen["dev"] if part == "all" else chosen[part]
    results, skipped = {}, {}
    every = labels()
    for repo in wanted:
        try:
            root = root_of(every[repo])
        except realdata.Unavailable as exc:
            if strict:
                raise
            skipped[repo] = str(exc)
            continue
        results[repo] = score_repo(every[repo], run_scanner(root, every[repo]))
    return {"part": part, "total": total(results), "repos": results, "skipped": skipped}


def main(argv: list[str]) -> int:
    part = argv[0] if argv and not argv[0].startswith("-") else "all"
    scored = score(part)
    text = json.dumps(scored, indent=2, sort_keys=True)
    if "--json" in argv:
        Path(argv[argv.index("--json") + 1]).write_text(text + "\n", encoding="utf-8")
    print(json.dumps({"part": part, "total": scored["total"], "skipped": scored["skipped"]}, indent=2))
    for repo, result in scored["repos"].items():
        print(f"{repo}: calls {result['calls_found']}/{result['calls']}, prompts "
              f"{result['prompts_found']}/{result['prompts']}, rows real "
              f"{result['call_rows_real'] + result['text_rows_real']}/{result['call_rows'] + result['text_rows']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Score the JS/TS scanner against the labelled corpus of real codebases (tests/data/real_js).

Each codebase of ``manifest.yaml`` is brought to ``.corpus-cache/``: npm tarballs by ``tests/realdata.py``
(so CI scores them), GitHub sources by ``git archive`` from a local mirror of the repository
(``$PROMPTAUDIT_GIT_MIRRORS``, holding ``owner+name/repo`` or ``owner+name`` git folders; absent: skipped).
Nothing of theirs is committed; ``labels/<name>.yaml`` holds our own judgements, made by reading the code.

Scope: the JS/TS files of a codebase matching its ``include`` globs (less ``exclude``); a file in scope that
``labels`` does not list holds no call and no prompt. The held-out third: every third file of the scope in
the order of ``sha256("<codebase>/<path>")``, starting with the first.

Figures, for the files of a split:
- calls: labelled call sites found at their line with the right API, model and output cap (``-``: no cap,
  ``?``: a model only known at run time), over labelled call sites;
- prompts: labelled prompt texts (the line a literal starts on) that some reported prompt's text covers;
- rows real: reported prompt rows that are a labelled call or hold a labelled prompt text.

Run: ``python tests/reading/code/js_scoring.py dev|heldout [--json]``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve()
sys.path[:0] = [str(HERE.parents[2]), str(HERE.parents[3])]  # tests/ and the checkout, when run as a script
import realdata  # noqa: E402

from tests.reading.code.scoring import inside  # noqa: E402  (one cwd helper for both corpora)

CORPUS = HERE.parents[2] / "data" / "real_js"
SOURCES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
DEFAULT_MIRRORS = "/work/.mirror"


class Absent(Exception):
    """A codebase whose source cannot be had here (no mirror of the repository, no registry)."""


@dataclass
class Score:
    """Counts for one split of one codebase (or of all)."""

    calls: int = 0
    calls_found: int = 0
    calls_right: int = 0
    sites: int = 0
    sites_labelled: int = 0
    prompts: int = 0
    prompts_found: int = 0
    rows: int = 0
    rows_real: int = 0
    misses: list = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("calls", "calls_found", "calls_right", "sites", "sites_labelled", "prompts",
                     "prompts_found", "rows", "rows_real"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses

    def figures(self) -> dict:
        ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
        return {
            "calls": ratio(self.calls_right, self.calls), "calls_found": ratio(self.calls_found, self.calls),
            "call_sites_labelled": ratio(self.sites_labelled, self.sites), "prompts": ratio(self.prompts_found, self.prompts),
            "rows_real": ratio(self.rows_real, self.rows),
            "counts": {"calls": self.calls, "calls_right": self.calls_right, "prompts": self.prompts,
                       "prompts_found": self.prompts_found, "rows": self.rows, "rows_real": self.rows_real},
        }  # fmt: skip


def manifest() -> list[dict]:
    return yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))


def labels(name: str) -> dict:
    return yaml.safe_load((CORPUS / "labels" / f"{name}.yaml").read_text(encoding="utf-8")) or {}


def materialise(entry: dict) -> Path:
    """The folder holding the codebase's files (brought once, then reused)."""
    if entry["source"] == "npm":
        artifact = realdata.Artifact(**{k: str(v) for k, v in entry["artifact"].items()})
        try:
            return realdata.materialise(artifact) / entry.get("root", "")
        except realdata.Unavailable as exc:
            raise Absent(str(exc)) from None
    return _from_mirror(entry)


def _mirror(repo: str) -> Path:
    base = Path(os.environ.get("PROMPTAUDIT_GIT_MIRRORS", DEFAULT_MIRRORS))
    for candidate in (base / repo.replace("/", "+") / "repo", base / repo.replace("/", "+")):
        if (candidate / "HEAD").exists() or (candidate / ".git").exists():
            return candidate
    raise Absent(f"no local mirror of {repo} under {base}")


def _from_mirror(entry: dict) -> Path:
    target = realdata.CACHE / "github" / f"{entry['repo'].replace('/', '+')}-{entry['commit'][:12]}"
    if (target / ".complete").exists():
        return target
    git = ["git", f"--git-dir={_git_dir(_mirror(entry['repo']))}"]
    listed = subprocess.run([*git, "ls-tree", "-r", "--name-only", entry["commit"], "--", *entry["paths"]],
                            capture_output=True, text=True, check=False)  # fmt: skip
    if listed.returncode != 0:
        raise Absent(f"{entry['repo']}@{entry['commit']}: {listed.stderr.strip()[-200:]}")
    wanted = [p for p in listed.stdout.splitlines() if p.endswith((*SOURCES, ".json"))]
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run([*git, "archive", "--format=tar", entry["commit"], "--", *wanted], capture_output=True)
    if archive.returncode != 0:
        raise Absent(f"{entry['repo']}: git archive failed")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    (target / ".complete").write_text(entry["commit"], encoding="utf-8")
    return target


def _git_dir(path: Path) -> Path:
    return path / ".git" if (path / ".git").exists() else path


def scope(entry: dict, root: Path) -> list[str]:
    """The codebase's files the labels speak for (posix paths relative to ``root``), sorted."""
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or not relative.endswith(SOURCES) or relative.endswith(".d.ts"):
            continue
        if "node_modules" in relative.split("/"):
            continue
        if any(fnmatch.fnmatch(relative, g) for g in entry["include"]) and not any(
            fnmatch.fnmatch(relative, g) for g in entry.get("exclude", [])
        ):
            found.append(relative)
    return sorted(found)


def split(name: str, files: list[str]) -> dict[str, str]:
    """File -> ``heldout`` or ``dev``: every third file in sha256 order is held out."""
    order = sorted(files, key=lambda f: hashlib.sha256(f"{name}/{f}".encode()).hexdigest())
    return {f: "heldout" if i % 3 == 0 else "dev" for i, f in enumerate(order)}


def _call_label(text: str) -> dict:
    line, api, model, cap = text.split()
    return {"line": int(line), "api": api, "model": None if model == "?" else model,
            "cap": None if cap == "-" else int(cap)}  # fmt: skip


def score_codebase(entry: dict, which: str) -> Score:
    """Score one codebase's files of one split (``dev`` or ``heldout``)."""
    root = materialise(entry)
    files = scope(entry, root)
    chosen = [f for f, part in split(entry["name"], files).items() if part == which]
    marks = labels(entry["name"])
    with inside(root):
        return _score(entry["name"], files, chosen, marks)


def _score(name: str, files: list[str], chosen: list[str], marks: dict) -> Score:
    from promptaudit.reading.code.build import normal_model
    from promptaudit.reading.code.js import parsing, scan
    from promptaudit.reading.loading import gather_prompts

    score = Score()
    rows, _ = gather_prompts(files, SOURCES)
    covered = _covered(rows)
    for path in chosen:
        mark = marks.get(path) or {}
        wanted = [_call_label(c) for c in mark.get("calls", [])]
        sites = scan.scan(parsing.parse(path, Path(path).read_bytes())).calls if wanted or True else []
        by_line = {s.line: s for s in sites}
        score.calls += len(wanted)
        score.sites += len(sites)
        score.sites_labelled += sum(1 for s in sites if s.line in {w["line"] for w in wanted})
        for want in wanted:
            site = by_line.get(want["line"])
            score.calls_found += site is not None
            right = site is not None and site.api.split(".", 1)[1] == want["api"] and normal_model(
                site.model) == normal_model(want["model"]) and site.cap == want["cap"] and (
                want["cap"] is not None or not site.capped)  # fmt: skip
            score.calls_right += right
            if not right:
                found = (site.api, site.model, site.cap, site.capped) if site else None
                score.misses.append(f"{name}/{path}:{want['line']} call {want} got {found}")
        for line in mark.get("prompts", []):
            score.prompts += 1
            hit = (path, line) in covered
            score.prompts_found += hit
            if not hit:
                score.misses.append(f"{name}/{path}:{line} prompt not found")
        _rows(name, path, rows, marks, covered, wanted, score)
    return score


def _covered(rows) -> set:
    """``(path, line)`` of every line some reported prompt's static text covers."""
    found = set()
    for row in rows:
        for part in row.parts:
            for piece in part.source.pieces if part.source is not None else ():
                if piece.variable is None and piece.text.strip():
                    first = piece.line + len(piece.text) - len(piece.text.lstrip("\n"))
                    last = piece.line + piece.text.rstrip().count("\n")
                    found.update((os.path.normpath(piece.path), n) for n in range(min(first, piece.line), last + 1))
    return {(p.replace(os.sep, "/"), n) for p, n in found}


def _rows(name: str, path: str, rows, marks: dict, covered: set, wanted: list, score: Score) -> None:
    labelled = {(p, n) for p, m in marks.items() for n in (m or {}).get("prompts", [])}
    for row in (r for r in rows if os.path.normpath(r.path).replace(os.sep, "/") == path):
        score.rows += 1
        mine = _covered([row])
        real = getattr(row.origin, "line", None) in {w["line"] for w in wanted} or bool(mine & labelled)
        score.rows_real += real
        if not real:
            score.misses.append(f"{name}/{path}: row {row.name} is not a labelled call or prompt")


def run(which: str) -> dict:
    """Scores of every codebase present here, and their total."""
    total, found, absent = Score(), {}, []
    for entry in manifest():
        try:
            score = score_codebase(entry, which)
        except Absent as exc:
            absent.append(f"{entry['name']}: {exc}")
            continue
        found[entry["name"]] = score.figures()
        total.add(score)
    return {"split": which, "total": total.figures(), "codebases": found, "absent": absent, "misses": total.misses}


if __name__ == "__main__":
    result = run(sys.argv[1] if len(sys.argv) > 1 else "heldout")
    if "--json" in sys.argv:
        print(json.dumps({k: v for k, v in result.items() if k != "misses"}, indent=2))
    else:
        print(json.dumps(result["total"], indent=2))
        for name, figures in result["codebases"].items():
            print(name, {k: v for k, v in figures.items() if k != "counts"})
        print("\n".join(result["misses"] + result["absent"]))

"""The local-only part of the real-prompt corpus: public collections of system prompts on GitHub.

The CI-scored corpus (:mod:`real_prompts`) is framework templates from PyPI; the issue measured PA101/PA102 on
another kind of material, the long system prompts of coding assistants and agents that public collections
gather, much richer in real repetition. Those collections are on GitHub only, so they are read from a local
mirror of the repository and scored where one exists; nothing of theirs is committed.

What is committed (all under ``tests/data/real_prompts/mirrors/``), in the formats of :mod:`real_prompts`:

``manifest.yaml``
    Each collection: ``repo`` (owner/name), the ``commit`` read, its ``licence``, the ``files`` that are
    prompts (globs, read as promptaudit reads a file given on its command line; ``exclude`` globs drop some),
    ``containers`` (folders whose subfolders, not themselves, are products) and ``same_split`` (a product that
    shares most of its text with another, a fork, takes that product's split; each with its reason).
``split.yaml``, ``labels.yaml``, ``pairs.yaml``, ``heldout_*_score.json``
    As in :mod:`real_prompts`. A unit's id is ``owner/name/path``.

Split: every file of one *product* (a collection's top folder, such as ``Cursor Prompts/``, or a container's
subfolder) shares a split, by :func:`real_prompts.split_of` of ``owner/name/product``: the versions of one
product's prompt share most of their text, and one of them in each split would leak the tuning into the
held-out part.

The files are brought by ``git archive`` from a mirror under ``$PROMPTAUDIT_GIT_MIRRORS`` (default
``/work/.mirror``; ``owner+name/repo`` or ``owner+name`` git folders) into ``.corpus-cache/github/``; where
there is none, :func:`units` raises :class:`Absent` and the tests skip (also in CI: these figures are
reported apart from the CI-scored ones).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import subprocess
from pathlib import Path

import real_prompts
import realdata
import yaml

HERE = real_prompts.HERE / "mirrors"
DEFAULT_MIRRORS = "/work/.mirror"


class Absent(Exception):
    """No local mirror of a collection (or not at the manifest's commit)."""


@functools.cache
def manifest() -> tuple[dict, ...]:
    """The collections, as the manifest lists them."""
    return tuple(yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8")) or [])


def product(entry: dict, path: str) -> str:
    """The product folder a file belongs to (its top folder, or a container's subfolder), forks mapped to
    their origin (``same_split``)."""
    parts = path.split("/")
    depth = 2 if parts[0] in entry.get("containers", []) and len(parts) > 2 else 1
    folder = "/".join(parts[:depth]) if len(parts) > 1 else ""
    return entry.get("same_split", {}).get(folder, folder)


def units() -> list[real_prompts.Unit]:
    """Every prompt of every collection (raises :class:`Absent` where a mirror is missing)."""
    found = []
    for entry in manifest():
        root = materialise(entry)
        for path in _selected(entry, root):
            rel = path.relative_to(root).as_posix()
            group = f"{entry['repo']}/{product(entry, rel)}"
            text = path.read_text(encoding="utf-8", errors="replace")
            found.append(real_prompts.Unit(f"{entry['repo']}/{rel}", path, text, split_group=group))
    return found


def _selected(entry: dict, root: Path) -> list[Path]:
    chosen = [p for p in real_prompts._expand(root, entry["files"])]
    skip = entry.get("exclude", [])
    return [p for p in chosen if not any(fnmatch.fnmatch(p.relative_to(root).as_posix(), g) for g in skip)]


def materialise(entry: dict) -> Path:
    """The collection's files at the manifest's commit, unpacked once under ``.corpus-cache/github/``."""
    target = realdata.CACHE / "github" / f"{entry['repo'].replace('/', '+')}-{entry['commit'][:12]}"
    if (target / ".complete").exists():
        return target
    git = ["git", f"--git-dir={_mirror(entry['repo'])}"]
    archive = subprocess.run([*git, "archive", "--format=tar", entry["commit"]], capture_output=True, check=False)
    if archive.returncode != 0:
        raise Absent(f"{entry['repo']}@{entry['commit']}: {archive.stderr.decode(errors='replace')[-200:]}")
    scratch = target.with_name(target.name + f".part{os.getpid()}")
    scratch.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive.stdout, check=True)
    (scratch / ".complete").write_text(entry["commit"], encoding="utf-8")
    try:
        os.replace(scratch, target)
    except OSError:  # another test process brought it meanwhile
        subprocess.run(["rm", "-rf", str(scratch)], check=False)
    return target


def _mirror(repo: str) -> Path:
    base = Path(os.environ.get("PROMPTAUDIT_GIT_MIRRORS", DEFAULT_MIRRORS))
    for candidate in (base / repo.replace("/", "+") / "repo", base / repo.replace("/", "+")):
        if (candidate / ".git").exists():
            return candidate / ".git"
        if (candidate / "HEAD").exists():
            return candidate
    raise Absent(f"no local mirror of {repo} under {base}")

"""Git plumbing through ``git`` subprocesses: the base to compare with, what changed since, and old contents.

Everything runs ``git`` with NUL-separated output, so any file name is safe. Git failures a user can fix
(not a repository, an unknown ref, no default branch) raise :class:`GitError` (exit code 2).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from promptaudit.errors import PromptauditError

ADDED, MODIFIED, DELETED, RENAMED = "added", "modified", "deleted", "renamed"
_STATUS = {"A": ADDED, "M": MODIFIED, "T": MODIFIED, "D": DELETED, "R": RENAMED, "C": ADDED}
DEFAULT_BRANCHES = ("main", "master")
BINARY_SNIFF = 8000  # git's own heuristic: a NUL byte in the first 8000 bytes means binary


class GitError(PromptauditError):
    """A git operation that failed for a reason the user can fix."""


@dataclass(frozen=True)
class Change:
    """One file that differs between a ref and the working tree (paths relative to the repository top)."""

    status: str
    path: str
    old_path: str | None = None

    @property
    def before_path(self) -> str | None:
        """Where the file's old content lives at the ref (None for an added file)."""
        return None if self.status == ADDED else (self.old_path or self.path)


# Config keys under which a repository can make git run a command. diff reads untrusted repositories (a
# cloned pull request), so every invocation overrides them; filter drivers are named per repository and
# are listed from its config first (reading config runs nothing).
SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.askPass=",
    "credential.helper=",
    "diff.external=",
    "log.showSignature=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "protocol.allow=never",
    "core.quotepath=off",
)
FILTER_COMMANDS = ("clean", "smudge", "process")


def run_git(args: list[str], cwd: str | os.PathLike | None = None) -> bytes:
    """Run ``git ARGS`` as a tool, never a shell: no pager, hook, fsmonitor, filter or external diff runs."""
    overrides = [*SAFE_CONFIG, *_filter_overrides(os.fspath(cwd) if cwd is not None else None)]
    return _run(["--no-pager", *(arg for item in overrides for arg in ("-c", item)), *args], cwd)


def _run(args: list[str], cwd: str | os.PathLike | None) -> bytes:
    """Run git and return stdout; raise GitError with git's own first error line."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}
    env.pop("GIT_EXTERNAL_DIFF", None)
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, env=env, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        command = next((a for a in args if not a.startswith("-") and "=" not in a), "command")
        raise GitError(f"git {command} failed: {message[0] if message else 'exit ' + str(done.returncode)}")
    return done.stdout


@functools.lru_cache(maxsize=8)
def _filter_overrides(cwd: str | None) -> tuple[str, ...]:
    """``-c filter.NAME.clean=`` (and smudge, process) for every filter driver the repository's config defines."""
    try:
        out = _run(["-c", "core.fsmonitor=false", "config", "--null", "--name-only", "--get-regexp", r"^filter\."], cwd)
    except GitError:  # no driver defined (git config exits 1), or not a repository: nothing to override
        return ()
    names = {key.rsplit(".", 1)[0] for key in out.decode("utf-8", "surrogateescape").split("\0") if key.count(".") >= 2}
    if any("=" in name for name in names):
        raise GitError("the repository's config names a filter driver with '=' in it; refusing to run git there")
    return tuple(f"{name}.{command}=" for name in sorted(names) for command in FILTER_COMMANDS)


def toplevel(cwd: str | os.PathLike | None = None) -> Path:
    """The top folder of the working tree containing ``cwd``; GitError outside a repository, or when the
    repository's config moves its work tree elsewhere (``core.worktree``): diff reads only inside it."""
    try:
        out = run_git(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        raise GitError(f"not a git repository: {Path(cwd or Path.cwd()).resolve()}") from None
    top = Path(out.decode().strip())
    found = work_tree_of(cwd or os.getcwd())
    chosen = os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE")  # the user's own environment, trusted
    if found is not None and not chosen and os.path.realpath(found) != os.path.realpath(top):
        raise GitError(
            f"the repository at {found} sets its work tree to {top} (core.worktree); "
            "refusing to read outside the repository"
        )
    return top


def work_tree_of(start: str | os.PathLike) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git`` (a folder or a file), found without running git."""
    here = Path(os.path.realpath(start))
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def resolve_ref(ref: str, cwd: str | os.PathLike | None = None) -> str:
    """The commit id ``ref`` names; GitError for an unknown ref."""
    try:
        out = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"unknown git ref {ref!r}") from None
    return out.decode().strip()


def default_branch(cwd: str | os.PathLike | None = None) -> str:
    """The default branch: what ``origin/HEAD`` points at, else ``main``, else ``master``."""
    try:
        out = run_git(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], cwd)
        return out.decode().strip().removeprefix("refs/remotes/")
    except GitError:
        pass
    for name in DEFAULT_BRANCHES:
        try:
            resolve_ref(name, cwd)
            return name
        except GitError:
            continue
    raise GitError("cannot find the default branch (no origin/HEAD, main or master); pass --base REF")


def merge_base(ref: str, cwd: str | os.PathLike | None = None) -> str:
    """The commit where HEAD forked from ``ref``."""
    head, other = resolve_ref("HEAD", cwd), resolve_ref(ref, cwd)
    try:
        return run_git(["merge-base", "--end-of-options", head, other], cwd).decode().strip()
    except GitError:
        raise GitError(f"HEAD and {ref!r} have no common commit; pass --base REF") from None


def changed_files(ref: str, pathspecs: list[str], cwd: str | os.PathLike | None = None) -> list[Change]:
    """Files that differ between ``ref`` and the working tree, with renames; untracked files count as added."""
    command = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", "--ignore-submodules=all"]
    out = run_git([*command, "--no-relative", "--end-of-options", _commit(ref), "--", *pathspecs], cwd)
    changes = _parse_name_status(out.decode("utf-8", "surrogateescape").split("\0"))
    return changes + [Change(ADDED, path) for path in untracked_files(pathspecs, cwd)]


def _parse_name_status(fields: list[str]) -> list[Change]:
    changes, i = [], 0
    while i < len(fields) and fields[i]:
        code = fields[i][0]
        if code in "RC":
            old, new = fields[i + 1], fields[i + 2]
            changes.append(Change(RENAMED, new, old) if code == "R" else Change(ADDED, new))
            i += 3
        else:
            changes.append(Change(_STATUS.get(code, MODIFIED), fields[i + 1]))
            i += 2
    return changes


def untracked_files(pathspecs: list[str], cwd: str | os.PathLike | None = None) -> list[str]:
    """New files git does not track yet (ignored files left out), relative to the repository top."""
    top = toplevel(cwd)
    out = run_git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--", *pathspecs], cwd)
    names = [name for name in out.decode("utf-8", "surrogateescape").split("\0") if name]
    return [name for name in names if (top / name).is_file()]


def show(ref: str, path: str, cwd: str | os.PathLike | None = None) -> bytes:
    """The content of ``path`` (relative to the repository top) at ``ref``."""
    return run_git(["cat-file", "blob", f"{_commit(ref)}:{path}"], cwd)


def _commit(ref: str) -> str:
    """A ref already resolved to a commit id; anything else (an option-like string) is refused."""
    if not re.fullmatch(r"[0-9a-f]{40}([0-9a-f]{24})?", ref):
        raise GitError(f"internal: expected a resolved commit id, got {ref!r}")
    return ref


def is_binary(data: bytes) -> bool:
    """Whether content looks binary the way git decides it (a NUL byte near the start)."""
    return b"\0" in data[:BINARY_SNIFF]


def uncommitted(paths: list[str], top: str | os.PathLike) -> set[str]:
    """Which of ``paths`` (files inside the work tree ``top``) differ from the last commit: modified, staged or
    untracked. Paths are returned as given. GitError when git cannot tell."""
    relative = {os.path.relpath(os.path.realpath(p), os.path.realpath(top)).replace(os.sep, "/"): p for p in paths}
    out = run_git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *relative], top)
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    found, index = set(), 0
    while index < len(fields) and fields[index]:
        entry = fields[index]
        found.add(entry[3:])
        index += 2 if entry[:1] in ("R", "C") else 1
    return {given for rel, given in relative.items() if rel in found}

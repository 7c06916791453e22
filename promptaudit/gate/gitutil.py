"""Git plumbing through ``git`` subprocesses: the base to compare with, what changed since, and old contents.

Everything runs ``git`` with NUL-separated output, so any file name is safe. Git failures a user can fix
(not a repository, an unknown ref, no default branch) raise :class:`GitError` (exit code 2).
"""

from __future__ import annotations

import os
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


def run_git(args: list[str], cwd: str | os.PathLike | None = None) -> bytes:
    """Run ``git ARGS`` and return stdout; raise GitError with git's own first error line."""
    command = ["git", "-c", "core.quotepath=off", *args]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[0] if message else 'exit ' + str(done.returncode)}")
    return done.stdout


def toplevel(cwd: str | os.PathLike | None = None) -> Path:
    """The top folder of the working tree containing ``cwd``; GitError outside a repository."""
    try:
        out = run_git(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        raise GitError(f"not a git repository: {Path(cwd or Path.cwd()).resolve()}") from None
    return Path(out.decode().strip())


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
    resolve_ref("HEAD", cwd)
    try:
        return run_git(["merge-base", "HEAD", ref], cwd).decode().strip()
    except GitError:
        raise GitError(f"HEAD and {ref!r} have no common commit; pass --base REF") from None


def changed_files(ref: str, pathspecs: list[str], cwd: str | os.PathLike | None = None) -> list[Change]:
    """Files that differ between ``ref`` and the working tree, with renames; untracked files count as added."""
    out = run_git(["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-relative", ref, "--", *pathspecs], cwd)
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
    return run_git(["show", f"{ref}:{path}"], cwd)


def is_binary(data: bytes) -> bool:
    """Whether content looks binary the way git decides it (a NUL byte near the start)."""
    return b"\0" in data[:BINARY_SNIFF]

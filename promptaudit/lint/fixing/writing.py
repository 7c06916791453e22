"""Writing a fixed file, after the refusals a careful user expects (each one line and exit code 2).

Refused: a file outside the folder it was found through (a symbolic link, or a folder link, that points out of
the tree), a read-only file, a file changed since ``fix`` read it (an editor saved it meanwhile: the edits were
made to other text), and, without ``--force``, a file with changes git has not committed (modified, staged or
untracked), so that every fix can be seen and undone with git. The write itself is
:func:`promptaudit.reading.files.write_atomic`: a temporary file in the same folder, flushed, renamed over the
file; mode and owner kept. The check for a concurrent change is made just before the write.
"""

from __future__ import annotations

import os
import stat

from promptaudit.errors import OutputError
from promptaudit.reading.files import read_regular, write_atomic

MAX_FIX_BYTES = 5 * 1024 * 1024
"""``fix`` reads and edits files up to this size (the cap on a JSON/YAML prompt document; no prompt is larger)."""


def inside(path: str, root: str) -> bool:
    """Whether ``path``, every link on the way resolved, lies in the folder ``root`` (resolved too)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def dirty_files(paths: list[str]) -> tuple[set[str], dict[str, str]]:
    """The files git reports as changed since the last commit, and those git could not judge (and why)."""
    from promptaudit.gate.gitutil import GitError, uncommitted, work_tree_of

    trees: dict[str, list[str]] = {}
    for path in paths:
        top = work_tree_of(os.path.dirname(os.path.realpath(path)) or ".")
        if top is not None:
            trees.setdefault(str(top), []).append(path)
    dirty, unknown = set(), {}
    for top, members in trees.items():
        try:
            dirty |= uncommitted(members, top)
        except GitError as exc:
            unknown.update(dict.fromkeys(members, str(exc)))
    return dirty, unknown


def refusal(path: str, root: str) -> str | None:
    """Why ``path`` must not be written whatever the flags (outside its tree, read-only), else None."""
    if not inside(path, root):
        where = "a symbolic link to" if os.path.islink(path) else "reached through a link, at"
        return f"is {where} {os.path.realpath(path)}, outside {root}; not written"
    mode = os.stat(path).st_mode
    if not mode & stat.S_IWUSR:
        return "is read-only; not written (make it writable to fix it)"
    return None


def write(path: str, before: bytes, after: bytes) -> None:
    """Replace ``path``'s content ``before`` with ``after`` atomically; OutputError if it changed meanwhile."""
    if read_regular(path, MAX_FIX_BYTES) != before:
        raise OutputError(path, "changed since fix read it; not written (run fix again)")
    write_atomic(path, after, through_symlink=os.path.islink(path))


def write_all(fixes: list, roots: dict[str, str], force: bool) -> tuple[frozenset[str], list[str]]:
    """Write each fixed file unless refused; the paths written, and ``path: reason`` for each refusal."""
    from promptaudit.errors import PromptauditError

    dirty, unknown = dirty_files([fix.path for fix in fixes]) if not force else (set(), {})
    written, refused = set(), []
    for fix in fixes:
        reason = refusal(fix.path, roots[fix.path]) or (None if force else _uncommitted(fix.path, dirty, unknown))
        if reason is not None:
            refused.append(f"{fix.path}: {reason}")
            continue
        try:
            write(fix.path, fix.data, fix.encoded())
        except PromptauditError as exc:
            refused.append(str(exc))
            continue
        written.add(fix.path)
    return frozenset(written), refused


def _uncommitted(path: str, dirty: set[str], unknown: dict[str, str]) -> str | None:
    if path in dirty:
        return "has changes git has not committed; not written (commit or stash them first, or give --force)"
    if path in unknown:
        return f"git cannot tell whether it has uncommitted changes ({unknown[path]}); not written (give --force)"
    return None

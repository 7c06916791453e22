"""Which files a change touches, and both versions of each: the git side of ``diff``.

Prompt files are picked by extension (plus any file named exactly); hidden files (the config, the
baseline) are left out; binary and unreadable files are skipped and said, and so is a file whose real
location (through a committed symlink) is outside the repository: it is not read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from promptaudit.gate import gitutil


@dataclass
class FileVersions:
    """One changed file: where it is now and was, and its bytes in each version (None: absent)."""

    change: gitutil.Change
    before: bytes | None
    after: bytes | None


def wanted(change: gitutil.Change, extensions: tuple[str, ...], explicit: set[str]) -> bool:
    """Prompt files by extension, plus any file the user named exactly; hidden files (config, baseline) are not."""
    names = {change.path, change.old_path} - {None}
    visible = [name for name in names if not Path(name).name.startswith(".")]
    return bool(names & explicit) or any(name.lower().endswith(extensions) for name in visible)


def changed_versions(base: str, paths: list[str], root: Path, extensions: tuple[str, ...]) -> tuple[list, list]:
    """Both versions of every changed prompt file between ``base`` and the working tree, and skipped files."""
    from promptaudit.errors import InputError

    explicit = {top_relative(p, root) for p in paths}
    found, skipped = [], []
    for change in gitutil.changed_files(base, paths):
        if not wanted(change, extensions, explicit):
            continue
        before = gitutil.show(base, change.before_path) if change.before_path else None
        try:
            after = None if change.status == gitutil.DELETED else read_inside(root, change.path)
        except InputError as exc:  # a FIFO, a link to /dev/zero, a 60 MB file: said, not read
            skipped.append((change.path, exc.reason))
            continue
        if any(gitutil.is_binary(data) for data in (before, after) if data is not None):
            skipped.append((change.path, "binary"))
            continue
        found.append(FileVersions(change, before, after))
    return found, skipped


def inside(path: str | os.PathLike, root: Path) -> bool:
    """Whether ``path``'s real location (symlinks followed) is inside the repository at ``root``."""
    top = os.path.realpath(root)
    return os.path.commonpath([top, os.path.realpath(path)]) == top


def read_inside(root: Path, path: str) -> bytes:
    """A working-tree file's bytes with the one reader, unless a symlink takes it outside the repository."""
    from promptaudit.errors import InputError
    from promptaudit.reading.files import read_regular

    if not inside(root / path, root):
        raise InputError(path, "a symlink to a file outside the repository; not read")
    return read_regular(root / path)


def top_relative(path: str, root: Path) -> str:
    """A path relative to the repository top (as git names it), else as given."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()

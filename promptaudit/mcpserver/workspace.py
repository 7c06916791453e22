"""What the server may read: the client's workspace roots, paths confined to them, and the config file in effect.

The roots are those the client declares (MCP ``roots/list``, ``file://`` URIs); a client that declares none
gets the server's default roots: ``--root`` folders, else its working directory (the folder its agent
launched it in), except the file system's root, which is never a workspace by default. A path is resolved (symlinks included) before it is checked, a folder is checked file by
file the way the CLI will walk it, and the config file is looked for only inside the first root, never in
the folders above it. What is refused raises :class:`OutsideWorkspace` (a user error, one clear line).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from promptaudit.errors import PromptauditError, UsageError

MAX_PATHS = 1000
"""Most paths one tool call may name (a folder counts as one)."""


class OutsideWorkspace(PromptauditError):
    """A path that leads outside every workspace root (directly, through ``..`` or through a symlink)."""

    def __init__(self, named: str, real: Path, roots: tuple[Path, ...]):
        via = "" if os.path.normpath(named) == str(real) else f" (it leads to {real})"
        shown = ", ".join(str(root) for root in roots)
        super().__init__(f"{named}: outside the workspace roots{via}; the server reads only inside {shown}")


@dataclass(frozen=True)
class Workspace:
    """The resolved roots the server may read, and whether the client declared them."""

    roots: tuple[Path, ...]
    declared: bool

    @property
    def home(self) -> Path:
        """The folder relative paths start from and commands run in: the first folder root."""
        folders = [root for root in self.roots if root.is_dir()]
        return folders[0] if folders else self.roots[0].parent

    def contains(self, real: Path) -> bool:
        """Whether a resolved path is a root or lies below one."""
        return any(real == root or real.is_relative_to(root) for root in self.roots)

    def describe(self) -> dict:
        """The roots as JSON, for the config resource."""
        return {"roots": [str(root) for root in self.roots], "declared_by_client": self.declared}


def from_uris(uris: list[str] | None, default: tuple[Path, ...]) -> Workspace:
    """The workspace for the root URIs a client declared; without usable ones, the ``default`` roots."""
    paths = [path for path in (_local_path(uri) for uri in uris or []) if path is not None]
    if paths:
        return Workspace(tuple(dict.fromkeys(paths)), True)
    return Workspace(tuple(root.resolve() for root in default), False)


def default_roots(named: list[str] | None, cwd: Path) -> tuple[Path, ...]:
    """The roots for clients that declare none: the ``--root`` folders, else ``cwd`` (never ``/`` implicitly)."""
    if not named:
        if cwd.resolve() == Path(cwd.anchor or "/"):
            raise UsageError(f"started in {cwd.anchor or '/'}, which is not a workspace: give --root DIR")
        return (cwd.resolve(),)
    roots = tuple(Path(name).expanduser().resolve() for name in named)
    missing = [str(root) for root in roots if not root.is_dir()]
    if missing:
        raise UsageError(f"--root {missing[0]}: not a folder")
    return roots


def _local_path(uri: str) -> Path | None:
    """The resolved local path of a ``file://`` root that exists; None for other schemes and missing paths."""
    parts = urlsplit(uri)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        return Path(unquote(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError):
        return None


def confine(named: str, workspace: Workspace) -> str:
    """Check one path a client named and return it as the command-line argument (unchanged).

    Commands run in :attr:`Workspace.home`, so a relative path means the same to them as it does here.
    """
    if not named.strip():
        raise UsageError("a path is empty")
    if "\x00" in named:
        raise UsageError(f"{named!r}: a path cannot contain a NUL character")
    if named == "-":
        raise UsageError("'-' (standard input) is not a path here: pass the prompt itself as text")
    real = _real(workspace.home / named)  # an absolute ``named`` replaces home
    if not workspace.contains(real):
        raise OutsideWorkspace(named, real, workspace.roots)
    return named


def confine_all(named: list[str], workspace: Workspace) -> list[str]:
    """:func:`confine` every path, at most :data:`MAX_PATHS` of them."""
    if len(named) > MAX_PATHS:
        raise UsageError(f"{len(named):,} paths in one call; the most is {MAX_PATHS:,} (name folders instead)")
    return [confine(path, workspace) for path in named]


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_files(named: list[str], workspace: Workspace, extensions: tuple[str, ...]) -> None:
    """Walk folders as the CLI will (same discovery, same extensions) and refuse any file that leads outside.

    Run after :func:`confine`: every named path is inside, but a folder may hold a symlink to a file or a
    folder elsewhere, which the CLI would follow.
    """
    from promptaudit.reading.sources import Source, discover

    for item in discover([str(workspace.home / path) for path in named], extensions):
        if isinstance(item, Source):
            real = _real(Path(item.path))
            if not workspace.contains(real):
                raise OutsideWorkspace(_shown(item.path, workspace), real, workspace.roots)


def _shown(path: str, workspace: Workspace) -> str:
    try:
        return Path(path).relative_to(workspace.home).as_posix()
    except ValueError:
        return path


def check_git_links(pathspecs: list[str], workspace: Workspace) -> None:
    """Refuse a ``diff`` whose working-tree files lead outside the workspace through a symlink.

    ``diff`` reads the working-tree side of every changed file: a committed symlink, a file replaced by one
    since the last commit, or a new untracked one. Git lists all three without needing the base.
    """
    from promptaudit.gate import gitutil

    try:
        top = gitutil.toplevel(workspace.home)
        names = _git_candidates(pathspecs, workspace.home)
    except gitutil.GitError:
        return  # not a work tree, no git: the command itself says so
    for name in names:
        real = _real(top / name)
        if not workspace.contains(real):
            raise OutsideWorkspace(name, real, workspace.roots)


def _git_candidates(pathspecs: list[str], cwd: Path) -> set[str]:
    """Repository-relative names of committed symlinks, modified tracked files and untracked files."""
    from promptaudit.gate import gitutil

    def listed(*args: str) -> list[str]:
        out = gitutil.run_git(["ls-files", "-z", "--full-name", *args, "--", *pathspecs], cwd)
        return [entry for entry in out.decode("utf-8", "surrogateescape").split("\0") if entry]

    links = [entry.split("\t", 1)[1] for entry in listed("--stage") if entry.startswith("120000 ")]
    return {*links, *listed("--modified"), *listed("--others", "--exclude-standard")}


def config_file(workspace: Workspace) -> Path | None:
    """The config file in effect: the nearest one from the first root, never above it (None: defaults)."""
    from promptaudit.config import find_config

    home = workspace.home
    return find_config(home, top=home) if home in workspace.roots else None

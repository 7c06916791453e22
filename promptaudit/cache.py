"""The user cache directory: where counts and derived lookups are kept between runs.

``PROMPTAUDIT_CACHE_DIR`` moves it, ``PROMPTAUDIT_NO_CACHE=1`` disables it, otherwise it lives in
``$XDG_CACHE_HOME/promptaudit`` (``~/.cache/promptaudit``). A cache that is corrupt, unreadable or
unwritable is ignored: it may make a run slower, never wrong and never a crash.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from promptaudit import __version__


def cache_dir() -> Path | None:
    """Return the cache directory, or None when caching is disabled."""
    if os.environ.get("PROMPTAUDIT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("PROMPTAUDIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "promptaudit"


def read_bytes(name: str) -> bytes | None:
    """Read one cache file, or None when it is absent, unreadable or caching is off."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        return (directory / name).read_bytes()
    except OSError:
        return None


def write_bytes(name: str, data: bytes) -> None:
    """Write one cache file atomically; any failure is silently ignored."""
    directory = cache_dir()
    if directory is None:
        return
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, directory / name)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def read_json(name: str) -> dict | None:
    """Read a JSON cache file written by this version, or None when absent or corrupt."""
    data = read_bytes(name)
    if data is None:
        return None
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(value, dict) or value.get("_version") != __version__:
        return None
    return value


def write_json(name: str, value: dict) -> None:
    """Write a JSON cache file stamped with this tool version."""
    write_bytes(name, json.dumps({**value, "_version": __version__}).encode())

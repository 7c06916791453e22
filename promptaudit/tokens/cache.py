"""The user cache directory: where counts and derived lookups are kept between runs.

``PROMPTAUDIT_CACHE_DIR`` moves it, ``PROMPTAUDIT_NO_CACHE=1`` disables it, otherwise it lives in
``$XDG_CACHE_HOME/promptaudit`` (``~/.cache/promptaudit``). A cache that is corrupt, unreadable or
unwritable is ignored: it may make a run slower, never wrong and never a crash.
"""

from __future__ import annotations

import os

from promptaudit import __version__

TYPE_CHECKING = False  # not typing's: the start-up path imports this module, which stays at os
if TYPE_CHECKING:  # (pathlib, json and the reader and writer are imported on use)
    from pathlib import Path


def digest(data: bytes) -> str:
    """A short content digest (BLAKE2b without importing hashlib's OpenSSL binding)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always builds _blake2
        from hashlib import blake2b
    return blake2b(data, digest_size=16).hexdigest()


def cache_path() -> str | None:
    """The cache directory as a string, or None when caching is disabled (no import beyond ``os``)."""
    if os.environ.get("PROMPTAUDIT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("PROMPTAUDIT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "promptaudit")


def cache_dir() -> Path | None:
    """Return the cache directory, or None when caching is disabled."""
    from pathlib import Path

    path = cache_path()
    return None if path is None else Path(path)


def read_bytes(name: str) -> bytes | None:
    """Read one cache file with the one reader, or None when it is absent, unreadable, not a regular file
    (a FIFO or a device put in its place), over 50 MB, or caching is off."""
    directory = cache_path()
    if directory is None:
        return None
    from promptaudit.errors import InputError
    from promptaudit.reading.files import read_regular

    try:
        return read_regular(os.path.join(directory, name))
    except InputError:
        return None


def write_bytes(name: str, data: bytes) -> None:
    """Write one cache file with the one writer (atomic, private to the user); any failure is ignored."""
    directory = cache_path()
    if directory is None:
        return
    from promptaudit.errors import OutputError
    from promptaudit.reading.files import write_atomic

    try:
        os.makedirs(directory, exist_ok=True)
        write_atomic(os.path.join(directory, name), data, durable=False, new_mode=0o600)
    except (OSError, OutputError):
        pass


def read_json(name: str) -> dict | None:
    """Read a JSON cache file written by this version, or None when absent or corrupt."""
    import json

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
    import json

    write_bytes(name, json.dumps({**value, "_version": __version__}).encode())

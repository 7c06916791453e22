"""What a replay dependency looks like now: a file's content digest, a folder's names, a file's size and mtime.

Shared by :mod:`.recording` (which notes what a run depended on) and :mod:`.replay` (which checks it).
"""

from __future__ import annotations

import os
import stat as stat_module

DEVICES = ("/dev/", "/proc/", "/sys/")


def digest(data: bytes) -> str:
    """A short content digest (BLAKE2b without importing hashlib's OpenSSL binding)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always builds _blake2
        from hashlib import blake2b
    return blake2b(data, digest_size=16).hexdigest()


def observe(kind: str, path: str):
    """What a dependency looks like now: a file's content digest, a folder's names, or a file's size and mtime."""
    if kind == "stat":
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return (stat.st_size, stat.st_mtime_ns)
    try:
        if kind == "listing":
            return digest("\0".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape"))
        if not stat_module.S_ISREG(os.stat(path).st_mode):
            return "not a regular file"  # never read a FIFO or a device to check it (it could block)
        with open(path, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return ""

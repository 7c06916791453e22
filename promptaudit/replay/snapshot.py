"""What a replay dependency looks like now: a file's content digest, a folder's names, a file's size and mtime.

Shared by :mod:`.recording` (which notes what a run depended on) and :mod:`.answers` (which checks it).
"""

from __future__ import annotations

import os
import stat as stat_module

from promptaudit.tokens.cache import digest

DEVICES = ("/dev/", "/proc/", "/sys/")


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

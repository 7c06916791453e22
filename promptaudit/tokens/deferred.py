"""Cache writes that only a later run needs, done after the answer is printed.

A cold run fills several caches (counts, the price index, the compact vocabulary, a replay recording);
none of them changes what this run prints, so the console entry point (:mod:`promptaudit.console`) turns
deferral on, and each write registered with :func:`later` runs once, after the command's output has been
flushed (:func:`run_all`). In any other use (the library, in-process tests) deferral is off and
:func:`later` runs the write at once, so an in-process caller sees the cache exactly as before.
A write that fails is dropped: a cache may make a run slower, never wrong.
"""

from __future__ import annotations

import sys

_PENDING: dict[object, object] = {}
_ACTIVE = False


def activate() -> None:
    """Defer writes registered with :func:`later` until :func:`run_all` (the console entry point only)."""
    global _ACTIVE
    _ACTIVE = True


def active() -> bool:
    """Whether writes are deferred in this process."""
    return _ACTIVE


def later(key: object, write) -> None:
    """Run ``write()`` after the output (once per ``key``: a later registration replaces it), or now."""
    if _ACTIVE:
        _PENDING[key] = write
    else:
        write()


def run_all() -> None:
    """Flush the output, then run every pending write once, in the order registered."""
    global _ACTIVE
    _ACTIVE = False
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    while _PENDING:
        write = _PENDING.pop(next(iter(_PENDING)))
        try:
            write()
        except (OSError, ValueError):
            pass

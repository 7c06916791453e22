"""The last line of defence: an unexpected exception becomes one line on stderr and exit code 3.

It is not how bad input is handled (every user's mistake is a PromptauditError, exit 2); it is there so
that a bug still leaves a short message and a traceback file to attach to a report, as pre-commit does.
``PROMPTAUDIT_TRACEBACK=1`` prints the traceback on stderr instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from promptaudit import __version__, exitcodes
from promptaudit.tokens import cache


def report(exc: BaseException) -> int:
    """Save the traceback, say where in one stderr line, and return the internal-error exit code."""
    text = f"promptaudit {__version__}, Python {sys.version.split()[0]}, argv {sys.argv[1:]!r}\n"
    text += "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if os.environ.get("PROMPTAUDIT_TRACEBACK", "").strip() not in ("", "0"):
        sys.stderr.write(text)
        where = "printed above"
    else:
        saved = _save(text)
        where = f"traceback in {saved}" if saved else "could not save the traceback; rerun with PROMPTAUDIT_TRACEBACK=1"
    summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    sys.stderr.write(f"promptaudit: internal error: {summary} ({where}; please report it)\n")
    return exitcodes.INTERNAL


def _save(text: str) -> Path | None:
    """Write the traceback to the cache folder, else the temp folder; None if neither is writable."""
    from promptaudit.errors import OutputError
    from promptaudit.reading.files import write_atomic

    name = f"crash-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}.log"
    for folder in (cache.cache_dir(), Path(tempfile.gettempdir())):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            write_atomic(path, text, new_mode=0o600)  # argv and paths: the user's own business
            return path
        except (OSError, OutputError):
            continue
    return None

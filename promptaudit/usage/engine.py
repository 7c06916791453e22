"""Which engine reads an input: DuckDB (an optional extra) for columnar and large line-delimited inputs, the
streaming readers otherwise.

DuckDB is an extra (``pip install 'promptaudit[duckdb]'``), not a default: its wheel is about 25 MB (66 MB
installed), more than everything else promptaudit installs, and the pre-commit hook, which runs on every
commit, never reads logs. Without it every format except Parquet is read by the streaming readers, with the
same results; Parquet needs it and says so.

``auto`` picks DuckDB for Parquet, and for line-delimited JSON and CSV files of at least ``AUTO_MIN_BYTES``
(below that the streaming reader finishes before DuckDB has started); ``stream`` and ``duckdb`` force one.
"""

from __future__ import annotations

import importlib.util
import os

from promptaudit.errors import InputError, UsageError

AUTO_MIN_BYTES = 32 * 1024 * 1024
ENGINES = ("auto", "duckdb", "stream")
INSTALL_HINT = "pip install 'promptaudit[duckdb]'"
_NOTED: set[str] = set()


def available() -> bool:
    """Whether DuckDB can be imported (without importing it)."""
    return importlib.util.find_spec("duckdb") is not None


def choose(kind: str, path: str, wanted: str) -> str:
    """``duckdb`` or ``stream`` for one input of ``kind``."""
    if wanted == "duckdb" and not available():
        raise UsageError(f"--engine duckdb needs DuckDB: {INSTALL_HINT}")
    if kind == "parquet":
        if not available():
            raise InputError(path, f"Parquet is read with DuckDB, which is not installed: {INSTALL_HINT}")
        if wanted == "stream":
            raise InputError(path, "Parquet is read with DuckDB only; drop --engine stream")
        return "duckdb"
    if kind not in ("jsonl", "csv") or path == "-" or wanted == "stream":
        return "stream"
    if wanted == "duckdb":
        return "duckdb"
    return "duckdb" if _large(path) and available() else "stream"


def _large(path: str) -> bool:
    try:
        return os.path.getsize(path) >= AUTO_MIN_BYTES
    except OSError:
        return False


def note_for(paths: list[str]) -> str | None:
    """Once per run: how to read large logs faster when DuckDB is missing."""
    if available() or "hint" in _NOTED or not any(_large(p) for p in paths if p != "-"):
        return None
    _NOTED.add("hint")
    return f"note: large logs are read about 4x faster with DuckDB: {INSTALL_HINT}"


def read(log, kind: str, counter) -> bool:
    """Read one input with DuckDB into the counter; False when the streaming reader should read it instead."""
    from promptaudit.usage.duck import read as duck

    return duck.read(log, kind, counter)

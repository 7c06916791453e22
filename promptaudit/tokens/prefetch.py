"""Start the tokenizer worker before the CLI framework is imported, when the run is going to need it.

Building tiktoken's encoder takes about 0.25 s and holds the GIL for most of it, so the overlap with
importing Typer and Rich comes from a second process (:mod:`promptaudit.tokens.worker`) started here, first
thing. Starting it when every file is unchanged would waste that work, and warm runs must not load a
vocabulary at all.
So the console entry point looks at the paths on the command line, compares their size and mtime
with those recorded after the last successful count (kept beside the counts in the count cache),
and prefetches only when some file is new or changed. A wrong guess costs time, never correctness:
the command itself still decides what to count.
"""

from __future__ import annotations

import os

from promptaudit import cache

MAX_FILES = 5_000  # beyond this, no guessing and no recording (the record would slow every run)
COUNTING_COMMANDS = frozenset({"count", "check", "audit"})  # the commands that record what they counted
OPTIONS_WITH_PATH_VALUES = frozenset({"--config", "--baseline", "--calibrate"})
DEFAULT_ENCODING = "o200k_base"


def _stat_key(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def candidate_paths(args: list[str]) -> list[str]:
    """Existing files among the arguments, with directories expanded the way commands expand them."""
    from promptaudit.reading.sources import Source, discover

    named, skip_next = [], False
    for arg in args:
        if skip_next or arg.startswith("-"):
            skip_next = arg in OPTIONS_WITH_PATH_VALUES
            continue
        if os.path.exists(arg):
            named.append(arg)
    found = []
    for item in discover(named):
        if isinstance(item, Source):
            found.append(os.path.abspath(item.path))
            if len(found) > MAX_FILES:
                return []
    return found


def encodings_for(args: list[str]) -> set[str]:
    """Encodings of the ``--model``/``-m`` values on the command line (the default when none)."""
    from promptaudit.errors import PromptauditError
    from promptaudit.tokens.tokenizers import tokenizer_for

    models = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in ("--model", "-m")]
    encodings = set()
    for model in models:
        try:
            encodings.add(tokenizer_for(model).encoding)
        except PromptauditError:
            continue
    return encodings or {DEFAULT_ENCODING}


def _seen() -> dict:
    from promptaudit.tokens.tokenizers import _count_cache

    return _count_cache().files


def unseen(paths: list[str], encoding: str) -> bool:
    """Whether any path is new or changed since it was last counted in ``encoding``."""
    seen = _seen()
    for path in paths:
        entry = seen.get(path)
        if not isinstance(entry, list) or len(entry) != 3 or entry[:2] != _stat_key(path) or encoding not in entry[2]:
            return True
    return False


def speculate(argv: list[str]) -> None:
    """Prefetch the vocabularies a counting command is about to need (see the module docstring)."""
    if not argv or argv[0] not in COUNTING_COMMANDS or cache.cache_dir() is None:
        return
    paths = candidate_paths(argv[1:])
    if not paths:
        return
    from promptaudit.tokens import worker
    from promptaudit.tokens.vocab import ENCODINGS

    # The worker builds tiktoken vocabularies only: a Claude counter (ctok, or the estimate, which reads
    # o200k token ids in this process) has nothing for it to build.
    wanted = {e for e in encodings_for(argv[1:]) if e in ENCODINGS and unseen(paths, e)}
    worker.start(wanted)


def remember(paths: list[str], encodings: set[str]) -> None:
    """Record that ``paths`` were counted in ``encodings`` as they are now (size and mtime)."""
    paths = {os.path.abspath(p) for p in paths if p != "-"}
    if not paths or len(paths) > MAX_FILES:
        return
    seen, changed = _seen(), False
    for path in paths:
        key = _stat_key(path)
        if key is None:
            continue
        previous = seen.get(path)
        known = set(previous[2]) if isinstance(previous, list) and previous[:2] == key else set()
        entry = key + [sorted(known | encodings)]
        if entry != previous:  # unchanged files need no write: warm hook runs must not rewrite the cache
            seen.pop(path, None)
            seen[path] = entry
            changed = True
    if changed:
        _save_seen()


def _save_seen() -> None:
    from promptaudit.tokens.tokenizers import _count_cache

    store = _count_cache()
    store.dirty = True
    store.save()


def speculate_safely(argv: list[str]) -> None:
    """:func:`speculate`, except that a failed guess is ignored: a prefetch must never break the command."""
    try:
        speculate(argv)
    except Exception:  # noqa: BLE001 - a guess must never break the command
        pass

"""Replay a hook run whose inputs have not changed, without importing Typer, Rich, YAML or tiktoken.

Most commits change no prompt, so ``promptaudit check`` is asked the same question again and again. The
console entry point (:func:`run`) first looks for an answer recorded for the same *question*: the same
arguments, working directory, environment, terminals, date (prices depend on it) and Python. An answer
carries what the run printed (stdout and stderr, in order), its exit code, and its *dependencies*, each
checked before the answer is used:

- every file the run read (seen by an audit hook on ``open``): its content digest, or for files of the
  Python installation (libraries, package data) its size and mtime;
- every directory it listed (``os.scandir``/``os.listdir``: folder scans) and the import path (a library
  installed or removed);
- every place the config file (or a default baseline) could appear, walking up from the working
  directory: each candidate path's content, or its absence (they are looked for with ``stat``, which no
  audit hook sees);
- every module it imported (size and mtime of its file), so a changed or upgraded tool never replays;
- the clock, for answers that priced anything: the next moment one of those prices changes (a new date's
  prices or an off-peak hour, :mod:`promptaudit.tokens.expiry`), after which the answer is not used.

A run is recorded only when it exits 0 or 1, wrote nothing outside the cache directory, started no
process, read neither standard input nor a device (``/dev``, ``/proc``, ``/sys``), and all its output reached
the real streams, and loaded no engine that reads files natively (DuckDB: no audit hook sees its reads);
anything else is simply not recorded. An answer that fails any check, or is not well-formed, is a miss: the
command runs as usual and records a fresh answer. The read-only commands (``check``, ``count``, ``audit``,
``project``, ``models``) and ``--help`` are replayed; ``diff``, ``usage`` and ``report`` always run.
"""

from __future__ import annotations

import marshal
import os
import sys
import time

from promptaudit.replay.snapshot import digest, observe

FORMAT = 1
REPLAYED_COMMANDS = frozenset({"check", "count", "audit", "project", "models"})
HELP_FLAGS = frozenset({"--help", "-h", "--version"})
# Variables that differ between otherwise identical runs and that no replayed command reads: the shell's,
# pytest's, and the index file git names for a hook during `git commit -a` (.git/next-index-<pid>.lock).
VOLATILE_ENV = frozenset({"_", "OLDPWD", "PWD", "SHLVL", "PYTEST_CURRENT_TEST", "GIT_INDEX_FILE"})
ANSWER_PREFIX = "replay-"
MAX_ANSWERS = 256  # per cache directory; the oldest half is dropped beyond this


def run(argv: list[str], slow) -> None:
    """Replay the recorded answer to ``argv`` when every dependency still holds, else call ``slow()``."""
    folder = _cache_folder()
    if folder is None or not _replayable(argv):
        slow()
        return
    question = _question(argv)
    answer = _load(os.path.join(folder, question))
    if answer is not None and all(_holds(dep) for dep in answer["deps"]):
        _print(answer["out"])
        sys.exit(answer["code"])
    from promptaudit.replay.recording import record

    record(slow, lambda answer: _save(folder, question, answer))


def _cache_folder() -> str | None:
    from promptaudit.tokens.cache import cache_path

    return cache_path()


def _replayable(argv: list[str]) -> bool:
    if "-" in argv or not sys.stdin or not sys.stdout or not sys.stderr:
        return False
    return not argv or argv[0] in REPLAYED_COMMANDS or bool(HELP_FLAGS & set(argv))


def _question(argv: list[str]) -> str:
    """A digest of everything outside the files that can change what a run prints."""
    env = sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE_ENV)
    ttys = tuple(_terminal(fd) for fd in (0, 1, 2))
    local, utc = time.strftime("%Y-%m-%d"), time.strftime("%Y-%m-%d", time.gmtime())
    facts = (FORMAT, argv, os.getcwd(), env, ttys, local, utc, sys.executable, sys.version, sys.path, sys.flags)
    return ANSWER_PREFIX + digest(marshal.dumps(repr(facts), 2)) + ".bin"


def _terminal(fd: int) -> tuple | None:
    if not os.isatty(fd):
        return None
    try:
        return tuple(os.get_terminal_size(fd))
    except OSError:
        return ()


def _load(path: str) -> dict | None:
    """The answer stored at ``path`` when it is well-formed, else None (a miss)."""
    try:
        with open(path, "rb") as handle:
            answer = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return answer if well_formed(answer) else None


def well_formed(answer) -> bool:
    """Types and ranges of an answer: exit code 0 or 1, output chunks for fd 1 or 2, known dependency kinds."""
    if type(answer) is not dict or set(answer) != {"code", "out", "deps"} or answer["code"] not in (0, 1):
        return False
    if type(answer["code"]) is not int or type(answer["out"]) is not list or type(answer["deps"]) is not list:
        return False
    chunks_ok = all(type(c) is tuple and len(c) == 2 and c[0] in (1, 2) and type(c[1]) is bytes for c in answer["out"])
    return chunks_ok and all(_dep_ok(dep) for dep in answer["deps"])


def _dep_ok(dep) -> bool:
    if type(dep) is not tuple or len(dep) != 3 or type(dep[1]) is not str:
        return False
    kind, _, expected = dep
    if kind == "until":
        return type(expected) is int
    if kind in ("file", "listing"):
        return type(expected) is str and len(expected) in (0, 32)  # "" is "absent"
    return kind == "stat" and (expected is None or (type(expected) is tuple and all(type(n) is int for n in expected)))


def _holds(dep: tuple) -> bool:
    kind, path, expected = dep
    if kind == "until":
        return time.time() < expected
    return observe(kind, path) == expected


def _print(chunks: list) -> None:
    """Write the recorded output; a reader that went away (``| head``) ends it quietly, as the CLI does."""
    streams = {1: sys.stdout.buffer, 2: sys.stderr.buffer}
    try:
        for fd, data in chunks:
            streams[fd].write(data)
            if fd == 2:
                streams[fd].flush()  # stderr is line-buffered, as in the recorded run
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
    except OSError as exc:  # a full disk, a quota: what the CLI's guarded stdout says, in one line
        _unwritable(exc)


def _unwritable(exc: OSError) -> None:
    """Say that standard output cannot take the answer, the way the CLI does, and exit 2."""
    from promptaudit import exitcodes
    from promptaudit.reading.files import os_reason

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the flush at exit fails no more
    try:
        sys.stderr.write(f"promptaudit: error: standard output: {os_reason(exc)}\n")
        sys.stderr.flush()
    except OSError:
        pass
    sys.exit(exitcodes.USAGE)


def _save(folder: str, question: str, answer: dict) -> None:
    from promptaudit.tokens import cache

    cache.write_bytes(question, marshal.dumps(answer, 2))
    _forget_oldest(folder)


def _forget_oldest(folder: str) -> None:
    try:
        names = [n for n in os.listdir(folder) if n.startswith(ANSWER_PREFIX)]
        if len(names) <= MAX_ANSWERS:
            return
        names.sort(key=lambda n: os.stat(os.path.join(folder, n)).st_mtime_ns)
        for name in names[: len(names) // 2]:
            os.unlink(os.path.join(folder, name))
    except OSError:
        pass

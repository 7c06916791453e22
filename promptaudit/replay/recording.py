"""Record a run for :mod:`promptaudit.replay.answers`: its output, exit code and dependencies.

Imported only when no recorded answer holds. The run itself is untouched: its output still goes to the
real stdout and stderr as it is written (a tee keeps a copy), and anything that makes the run unsafe to
replay (a write outside the cache, a child process, an exit other than 0 or 1) just means nothing is saved.
"""

from __future__ import annotations

import io
import os
import sys
import time

from promptaudit.replay.snapshot import DEVICES, observe
from promptaudit.tokens import expiry

PYPROJECT = "pyproject.toml"  # found by config.find_config
DEFAULT_BASELINE = ".promptaudit-baseline.json"  # gate.baseline.DEFAULT_NAME (a higher layer); a test keeps them equal
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
NATIVE_READERS = ("duckdb", "chdb", "clickhouse_connect")  # read files without Python's open: no audit event
UNSAFE_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.forkpty", "os.spawn", "os.startfile",
     "socket.connect", "os.remove", "os.rename", "os.rmdir", "os.truncate", "os.chmod", "os.chown", "os.link",
     "os.symlink", "os.utime", "shutil.rmtree", "os.chdir", "os.mkdir"}
)  # fmt: skip


class _Tee(io.RawIOBase):
    """A raw stream that passes bytes on to the real stream and keeps ``(fd, bytes)`` in order."""

    def __init__(self, target, fd: int, chunks: list) -> None:
        super().__init__()
        self.target, self.fd, self.chunks = target, fd, chunks
        self.failed = False  # a write that did not reach the real stream (a closed pipe): never replay that run

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        try:
            self.target.write(data)
        except BaseException:
            self.failed = True
            raise
        self.chunks.append((self.fd, data))
        return len(data)

    def flush(self) -> None:
        try:
            self.target.flush()
        except BaseException:
            self.failed = True
            raise

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()


class _Watcher:
    """An audit hook that notes the files read and folders listed, and whether the run did anything unsafe."""

    def __init__(self, cache_root: str) -> None:
        self.cache_root = os.path.abspath(cache_root)
        self.read: dict[str, None] = {}
        self.listed: dict[str, None] = {}
        self.unsafe = False
        self.active = True

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open":
            self._opened(*args[:3])
        elif event in ("os.listdir", "os.scandir"):
            self._listed(args[0] if args else None)
        elif event in UNSAFE_EVENTS and not self._in_cache(args):
            self.unsafe = True

    def _in_cache(self, args: tuple) -> bool:
        paths = [a for a in args if isinstance(a, (str, bytes, os.PathLike))]
        return bool(paths) and all(self._cached(self._absolute(p)) for p in paths)

    def _cached(self, where: str) -> bool:
        return where == self.cache_root or where.startswith(os.path.join(self.cache_root, ""))

    def _absolute(self, path) -> str:
        return os.path.abspath(os.fsdecode(path))

    def _opened(self, path, mode, flags) -> None:
        if isinstance(path, int) or path is None:
            return
        where = self._absolute(path)
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool((flags or 0) & WRITE_FLAGS)
        if self._cached(where):
            return
        if writing or os.path.realpath(where).startswith(DEVICES):  # /dev/stdin may say something else next time
            self.unsafe = True
        else:
            self.read.setdefault(where)

    def _listed(self, path) -> None:
        if not isinstance(path, int):
            self.listed.setdefault(self._absolute(path if path is not None else "."))


def record(slow, save) -> None:
    """Run ``slow()`` with its output teed and its reads watched; ``save(answer)`` when it can be replayed."""
    from promptaudit.tokens.cache import cache_path

    chunks: list = []
    watcher = _Watcher(cache_path() or "")
    sys.addaudithook(watcher)
    tees = [_Tee(sys.stdout.buffer, 1, chunks), _Tee(sys.stderr.buffer, 2, chunks)]
    sys.stdout, sys.stderr = _teed(sys.stdout, tees[0]), _teed(sys.stderr, tees[1])
    code = None
    try:
        slow()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if exit_.code is not None else 0
        raise
    finally:
        watcher.active = False
        delivered = _flushed(sys.stdout) and _flushed(sys.stderr) and not any(tee.failed for tee in tees)
        native = any(name in sys.modules for name in NATIVE_READERS)
        expired = (expiry.earliest() or float("inf")) <= time.time()
        safe = not watcher.unsafe and not native and not expired
        if delivered and code in (0, 1) and type(code) is int and safe:
            save({"code": code, "out": _merged(chunks), "deps": dependencies(watcher)})


def _teed(stream, tee: _Tee):
    return io.TextIOWrapper(
        tee, encoding=stream.encoding, errors=stream.errors, line_buffering=stream.line_buffering, write_through=True
    )


def _flushed(stream) -> bool:
    """Whether everything written to ``stream`` reached the real one (not so for a closed pipe)."""
    try:
        stream.flush()
    except (OSError, ValueError):
        return False
    return True


def _merged(chunks: list) -> list:
    """Consecutive chunks for the same stream joined (fewer, larger writes when replayed)."""
    merged: list = []
    for fd, data in chunks:
        if merged and merged[-1][0] == fd:
            merged[-1] = (fd, merged[-1][1] + data)
        else:
            merged.append((fd, data))
    return merged


def dependencies(watcher: _Watcher) -> list:
    """What must be unchanged for the run's output to be the same (see :mod:`promptaudit.replay.answers`)."""
    installed = tuple(os.path.join(os.path.abspath(p), "") for p in {sys.prefix, sys.base_prefix, sys.exec_prefix})
    modules = _module_files()
    deps = [("stat", p, observe("stat", p)) for p in modules]
    for path in watcher.read:
        if path not in modules:  # code is checked by size and mtime; what the run read, by content
            kind = "stat" if path.startswith(installed) or "__pycache__" in path else "file"
            deps.append((kind, path, observe(kind, path)))
    packages = {os.path.dirname(path) for path in modules}  # listed by the import system: code is checked above
    scanned = [path for path in watcher.listed if path not in packages]
    listed = dict.fromkeys([*scanned, *filter(os.path.isdir, map(os.path.abspath, sys.path))])
    deps += [("listing", p, observe("listing", p)) for p in listed]
    deps += [("file", p, observe("file", p)) for p in discovery_candidates(os.getcwd())]
    until = expiry.earliest()
    if until is not None:
        deps.append(("until", "", int(until)))  # int() rounds down: never later than the real change
    return deps


def discovery_candidates(start: str) -> list[str]:
    """Every path where the config file (or the default baseline beside it) could appear, walking up from start.

    They are looked for with ``stat``, which no audit hook sees, so each is checked by content, or as absent.
    """
    from promptaudit.config import CONFIG_NAMES

    names = (*CONFIG_NAMES, PYPROJECT, DEFAULT_BASELINE)
    return [os.path.join(folder, name) for folder in _ancestors(os.path.realpath(start)) for name in names]


def _module_files() -> dict[str, None]:
    files = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
    return dict.fromkeys(sorted(os.path.abspath(f) for f in files if isinstance(f, str)))


def _ancestors(path: str) -> list[str]:
    found = [path]
    while os.path.dirname(found[-1]) != found[-1]:
        found.append(os.path.dirname(found[-1]))
    return found

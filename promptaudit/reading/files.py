"""The one way promptaudit reads a file and the one way it writes one.

**Reading** (:func:`read_regular`, or :func:`open_regular` then :func:`read_limited` for a stream): the
descriptor is opened non-blocking and must be a regular file, checked before a byte is read, so a FIFO, a
socket or a device is refused instead of hanging or never ending; no read holds more than its cap
(``MAX_FILE_BYTES`` unless the caller names one). Failures are :class:`~promptaudit.errors.InputError`;
an absent file is its subclass :class:`~promptaudit.errors.MissingInput`.

**Writing** (:func:`write_atomic`): a temporary file in the target's own folder is written, flushed to disk
and renamed over the target, so a reader sees the old file or the new one, never half of it. The target
must be a regular file or absent: a device, FIFO, socket or directory (``""``, ``.``, ``/``) is refused.
A symbolic link is refused unless the caller writes through links (only the baseline does, as its docs
say). An existing file keeps its permission bits and its owner (a file that cannot keep its owner is not
replaced); a new one gets the umask's bits. Failures (a full disk, a read-only file system, no permission)
are :class:`~promptaudit.errors.OutputError`. :func:`check_writable` makes the same checks before any work.

**Standard output** (:func:`guard_stdout`): a write that fails (``> /dev/full``) is an OutputError too.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
from typing import BinaryIO

from promptaudit.errors import InputError, MissingInput, OutputError

MAX_FILE_BYTES = 50 * 1024 * 1024
"""The default read cap: no prompt, config or baseline is larger (usage logs are streamed instead)."""

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_ABSENT = (errno.ENOENT, errno.ENOTDIR)
TEMP_PREFIX = ".tmp-promptaudit-"
"""Temporary files start with a dot: a folder scan that runs meanwhile skips them."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words for an error message."""
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "directory" if stat.S_ISDIR(mode) else "special file"


def _not_regular(mode: int) -> str:
    return "is a directory" if stat.S_ISDIR(mode) else f"not a regular file ({file_kind(mode)})"


def os_reason(exc: OSError) -> str:
    """An OSError in a few lower-case words (``no space left on device``, ``permission denied``)."""
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    return (exc.strerror or str(exc)).lower()


# --- reading ----------------------------------------------------------------------------------------


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """Open a regular file for binary reading, or raise InputError saying what it is instead.

    The check is made on the opened descriptor (no race with a swapped file), and the open itself cannot
    block: a FIFO is opened non-blocking, then refused.
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, _READ_FLAGS)
    except OSError as exc:
        error = MissingInput if exc.errno in _ABSENT and not os.path.islink(name) else InputError
        raise error(name, _open_failure(name, exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(name, _not_regular(mode))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _open_failure(path: str, exc: OSError) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISSOCK(mode):
        return "not a regular file (socket)"
    if os.path.islink(path) and not os.path.exists(path):
        return "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
    return os_reason(exc)


def read_limited(handle: BinaryIO, path: str, limit: int | None = None) -> bytes:
    """Read at most ``limit`` bytes (default MAX_FILE_BYTES), or raise InputError: an endless stream stops there."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(path, os_reason(exc)) from None
    if len(data) > limit:
        raise too_large(path, limit)
    return data


def too_large(path: str, limit: int) -> InputError:
    """The error for a file over its cap, the cap in words."""
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return InputError(path, f"larger than {size}; not a prompt file")


def read_regular(path: str | os.PathLike, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default MAX_FILE_BYTES), or InputError.

    This is the reader for every file: prompts, config, baselines, imported modules, caches, replay answers.
    """
    name, limit = os.fspath(path), MAX_FILE_BYTES if limit is None else limit
    with open_regular(name) as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise too_large(name, limit)
        return read_limited(handle, name, limit)


# --- writing ----------------------------------------------------------------------------------------


def check_writable(path: str | os.PathLike, through_symlink: bool = False) -> str:
    """Refuse, before any work, a target :func:`write_atomic` would refuse; return the path it would write."""
    name = os.fspath(path)
    target = _target(name, through_symlink)
    _existing(name, target)
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise OutputError(name, f"folder {folder} does not exist")
    return target


def write_atomic(
    path: str | os.PathLike,
    data: bytes | str,
    through_symlink: bool = False,
    durable: bool = True,
    new_mode: int = 0o666,
) -> None:
    """Replace the file at ``path`` with ``data`` (str is written as UTF-8) atomically, or raise OutputError.

    ``through_symlink``: a symbolic link is written through to its target (else refused). ``durable``:
    the data and the rename reach the disk before this returns (caches, which may be lost, pass False).
    ``new_mode``: the permission bits of a new file, less the umask (private caches pass 0o600); an
    existing file keeps its own.
    """
    name = os.fspath(path)
    target = _target(name, through_symlink)
    existing = _existing(name, target)
    folder = os.path.dirname(target) or "."
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temp = None
    try:
        fd, temp = _create_temp(folder, new_mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            _keep_owner_and_mode(handle.fileno(), existing, name)
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise OutputError(name, os_reason(exc)) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    if durable:
        _sync_folder(folder)


def append_text(path: str | os.PathLike, text: str) -> None:
    """Append ``text`` (UTF-8) to a regular file, created if absent (files such as ``$GITHUB_OUTPUT`` that
    several writers add lines to); a FIFO, device or folder is refused, and every failure is OutputError."""
    name = os.fspath(path)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags, 0o666)
    except OSError as exc:  # a FIFO with no reader answers ENXIO: say what it is instead
        _existing(name, name)
        raise OutputError(name, os_reason(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OutputError(name, f"{_not_regular(mode)}; promptaudit writes only regular files")
        os.set_blocking(fd, True)
        os.write(fd, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(name, os_reason(exc)) from None
    finally:
        os.close(fd)


def _target(name: str, through_symlink: bool) -> str:
    """The path to replace: ``name``, or the file a symbolic link at ``name`` points to."""
    if not name:
        raise OutputError(repr(name), "no file name given")
    if name.endswith(("/", os.sep)) and not os.path.isdir(name):
        raise OutputError(name, "names a folder, not a file")
    try:
        link = stat.S_ISLNK(os.lstat(name).st_mode)
    except OSError as exc:
        if exc.errno in _ABSENT:
            return name
        raise OutputError(name, os_reason(exc)) from None
    if not link:
        return name
    if not through_symlink:
        raise OutputError(name, "is a symbolic link; not written through (name the file it points to)")
    return os.path.realpath(name)


def _existing(name: str, target: str) -> os.stat_result | None:
    """The target's status when it is a regular file, None when absent; OutputError for anything else."""
    try:
        status = os.stat(target)
    except OSError as exc:
        if exc.errno in _ABSENT:
            return None
        raise OutputError(name, os_reason(exc)) from None
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(name, f"{_not_regular(status.st_mode)}; promptaudit writes only regular files")
    return status


def _create_temp(folder: str, mode: int) -> tuple[int, str]:
    """A new, empty temporary file in ``folder`` (``mode`` less the umask, as ``open()`` would make it)."""
    for _ in range(100):
        temp = os.path.join(folder, TEMP_PREFIX + os.urandom(6).hex())
        try:
            return os.open(temp, _TEMP_FLAGS, mode), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)


def _keep_owner_and_mode(fd: int, existing: os.stat_result | None, name: str) -> None:
    """Give the new file the replaced file's owner, group and permission bits (a new file keeps the umask's)."""
    if existing is None:
        return
    made = os.fstat(fd)
    if (made.st_uid, made.st_gid) != (existing.st_uid, existing.st_gid) and hasattr(os, "fchown"):
        try:
            os.fchown(fd, existing.st_uid, existing.st_gid)
        except PermissionError:
            if made.st_uid != existing.st_uid:
                raise OutputError(name, f"belongs to another user (uid {existing.st_uid}); not replaced") from None
    mode = stat.S_IMODE(existing.st_mode)
    if stat.S_IMODE(os.fstat(fd).st_mode) != mode and hasattr(os, "fchmod"):  # chown clears set-id bits: after it
        os.fchmod(fd, mode)


def _sync_folder(folder: str) -> None:
    """Flush the rename to disk (best effort: some systems cannot open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- standard output --------------------------------------------------------------------------------


class _GuardedOutput(io.TextIOWrapper):
    """Standard output on which a failed write (a full disk, an I/O error) raises OutputError.

    A closed pipe stays a BrokenPipeError (``promptaudit ... | head`` is not an error). After a failure
    the descriptor points at the null device, so what is still buffered can be dropped at exit.
    """

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: OSError) -> OutputError:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.fileno())
            os.close(devnull)
        return OutputError("standard output", os_reason(exc))


def guard_stdout() -> None:
    """Make every later write to ``sys.stdout`` that fails (``> /dev/full``) an OutputError, exit code 2."""
    stream = sys.stdout
    if isinstance(stream, _GuardedOutput) or not isinstance(stream, io.TextIOWrapper):
        return
    stream.flush()
    guarded = _GuardedOutput(
        stream.buffer,
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=stream.write_through,
    )
    guarded.wrapped = stream  # keep it alive: a collected wrapper would close the shared buffer
    sys.stdout = guarded

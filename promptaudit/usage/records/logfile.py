"""Streaming log readers: plain files, gzip (sniffed by magic bytes, not the name) and stdin (``-``).

Each reader yields raw lines as bytes; nothing holds more than one line at a time. Problems with a whole
input (missing, unreadable, binary, corrupt gzip) raise InputError with one clear line. A gzip stream that
ends early is not fatal: the lines read so far are kept and ``LogFile.truncated`` says what happened.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from promptaudit.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 8192


@dataclass
class LogFile:
    """One input being read: its name, size on disk (for progress), and how reading ended."""

    path: str
    size: int = 0
    lines: int = 0
    truncated: str | None = None
    _raw: io.BufferedReader | None = None

    @property
    def position(self) -> int:
        """Compressed bytes consumed so far (for a progress bar)."""
        try:
            return self._raw.tell() if self._raw is not None else 0
        except (OSError, ValueError):
            return 0


def total_size(paths: list[str]) -> int:
    """Bytes on disk of every readable path (stdin counts as 0), for sizing a progress bar."""
    size = 0
    for path in paths:
        try:
            size += os.path.getsize(path) if path != "-" else 0
        except OSError:
            pass
    return size


def read_lines(log: LogFile) -> Iterator[bytes]:
    """Yield every line of ``log`` as bytes; raise InputError when the input cannot be read at all."""
    raw = _open_raw(log)
    log._raw = raw
    try:
        head = raw.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        if head.startswith(GZIP_MAGIC):
            yield from _gzip_lines(log, raw)
        else:
            _refuse_binary(log.path, head)
            yield from _count(log, raw)
    finally:
        if log.path != "-":
            raw.close()


def _open_raw(log: LogFile) -> io.BufferedReader:
    if log.path == "-":
        stream = sys.stdin.buffer
        return stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    if os.path.isdir(log.path):
        raise InputError(log.path, "is a directory, not a log file")
    try:
        raw = open(log.path, "rb")  # noqa: SIM115 - closed by read_lines
    except FileNotFoundError:
        raise InputError(log.path, "no such file") from None
    except OSError as exc:
        raise InputError(log.path, f"cannot read: {exc.strerror or exc}") from None
    log.size = os.fstat(raw.fileno()).st_size
    return raw


def _refuse_binary(path: str, head: bytes) -> None:
    if b"\x00" in head:
        raise InputError(path, "looks binary (NUL bytes), not a JSON Lines log")


def _count(log: LogFile, lines) -> Iterator[bytes]:
    for line in lines:
        log.lines += 1
        yield line


def _gzip_lines(log: LogFile, raw: io.BufferedReader) -> Iterator[bytes]:
    stream = gzip.GzipFile(fileobj=raw, mode="rb")
    try:
        _refuse_binary(log.path, stream.peek(SNIFF_BYTES)[:SNIFF_BYTES])
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(log.path, f"not a readable gzip file ({exc})") from None
    try:
        yield from _count(log, io.BufferedReader(_Blocks(stream)))
    except EOFError:
        log.truncated = f"gzip stream ends early (truncated) after line {log.lines:,}"
    except (OSError, zlib.error) as exc:
        log.truncated = f"gzip data is corrupt after line {log.lines:,} ({exc})"


class _Blocks(io.RawIOBase):
    """A GzipFile seen as raw blocks, so that a C BufferedReader splits the lines.

    Iterating a GzipFile calls its Python ``readline`` once per line; this costs one Python call per
    block instead. Each block is one ``read1`` of the buffer's size (8 KiB, as GzipFile's own buffer), so
    the data is decompressed in the same steps as before and a corrupt or truncated stream stops after
    exactly the same line.
    """

    def __init__(self, stream: gzip.GzipFile) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)

"""Find prompt files and read them as text, turning every unreadable input into an InputError.

Directories are walked recursively for prompt-like extensions (configurable); hidden directories and
dependency folders are skipped; symlinked directories are followed once, so a symlink loop is reported
instead of walked forever. ``-`` reads standard input.

Every file is read by :mod:`promptaudit.reading.files` (regular files only, checked before a read could
block or never end; at most ``MAX_FILE_BYTES``); its reader's names are importable from here too.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from promptaudit.errors import InputError, SkippedInput
from promptaudit.reading import files
from promptaudit.reading.files import (  # noqa: F401 - the reader's names, for callers not yet importing files
    MAX_FILE_BYTES,
    file_kind,
    open_regular,
    read_limited,
    read_regular,
)

DEFAULT_EXTENSIONS = (".txt", ".md", ".prompt", ".j2", ".jinja", ".jinja2", ".mustache", ".yaml", ".yml", ".json")
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
STDIN = "-"
_SNIFF = 8192


@dataclass(frozen=True)
class Source:
    """One input to read: a file path, or standard input (``path == '-'``)."""

    path: str

    @property
    def is_stdin(self) -> bool:
        return self.path == STDIN


def discover(paths: list[str], extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> Iterator[Source | InputError]:
    """Yield a Source for each file to read, or an InputError for each path that cannot be used.

    Files named explicitly are read whatever their extension; directories contribute prompt-like files,
    and say so when they hold none. FIFOs, sockets and devices met in a folder come as SkippedInput.
    """
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            yield Source(STDIN)
            continue
        for item in _expand(raw, tuple(e.lower() for e in extensions)):
            if isinstance(item, Source):
                # abspath, not realpath: no system call per file on large trees
                real = os.path.abspath(item.path)
                if real in seen:
                    continue  # the same file named twice (``d`` and ``d/x.txt``) is counted once
                seen.add(real)
            yield item


def _expand(raw: str, extensions: tuple[str, ...]) -> Iterator[Source | InputError]:
    path = Path(raw)
    try:
        is_dir = path.is_dir()
        exists = path.exists()
    except OSError as exc:
        yield InputError(raw, files.os_reason(exc))
        return
    if not exists:
        yield InputError(raw, "symlink loop" if _is_loop(path) else "no such file or directory")
    elif is_dir:
        yield from _walk_or_say_empty(path, extensions)
    else:
        yield Source(raw)


def _walk_or_say_empty(root: Path, extensions: tuple[str, ...]) -> Iterator[Source | InputError]:
    found = False
    for item in _walk(root, extensions):
        found = found or isinstance(item, Source)
        yield item
    if not found:
        yield InputError(str(root), f"no prompt files in this folder (looked for {', '.join(extensions)})")


def _is_loop(path: Path) -> bool:
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return True
    except OSError as exc:
        return exc.errno == 40  # ELOOP
    return False


def _walk(root: Path, extensions: tuple[str, ...]) -> Iterator[Source | InputError]:
    """Files of a tree in ``os.walk`` order, with an explicit stack: a tree 1,000 levels deep is fine."""
    seen: set[tuple[int, int]] = set()
    pending = [str(root)]
    while pending:
        dirpath = pending.pop()
        try:
            identity = _identity(dirpath)
            with os.scandir(dirpath) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield InputError(dirpath, f"cannot read this folder: {files.os_reason(exc)}")
            continue
        if identity in seen:
            if _loops_back(root, dirpath, identity):
                yield InputError(dirpath, "symlink loop (directory already visited); skipped")
            continue  # otherwise a second path (a symlink alias) to a directory already walked: count it once
        seen.add(identity)
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_dir(entry):
                if entry.name not in SKIPPED_DIRS:
                    subdirs.append(entry.path)
            elif entry.name.lower().endswith(extensions):
                yield _file_entry(entry)
        pending.extend(reversed(subdirs))


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _file_entry(entry: os.DirEntry) -> Source | InputError:
    """A Source for a regular file (or a broken link, reported when read); SkippedInput for the rest."""
    try:
        if entry.is_file():  # no system call for plain files: the directory listing says what they are
            return Source(entry.path)
        mode = os.stat(entry.path).st_mode
    except OSError:
        return Source(entry.path)
    return SkippedInput(entry.path, f"skipped: not a regular file ({file_kind(mode)})")


def _identity(path: str | Path) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_dev, status.st_ino


def _loops_back(root: Path, dirpath: str, identity: tuple[int, int]) -> bool:
    """True when ``dirpath`` is one of its own ancestors below ``root``: a real cycle, not an alias."""
    path = Path(dirpath)
    depth = len(path.parts) - len(root.parts)
    return any(_identity(parent) == identity for parent in list(path.parents)[:depth])


def read_bytes(source: Source) -> bytes:
    """The raw bytes of a source (at most MAX_FILE_BYTES), or InputError."""
    if source.is_stdin:
        return read_stdin()
    return read_regular(source.path)


def read_stdin(limit: int | None = None) -> bytes:
    """Standard input, at most ``limit`` bytes; binary data is refused from its first block, not after 50 MB."""
    limit, stream = files.MAX_FILE_BYTES if limit is None else limit, sys.stdin.buffer
    head = stream.read(_SNIFF)
    if b"\x00" in head:
        raise InputError(STDIN, "binary data (NUL bytes); not a prompt")
    data = head + stream.read(limit + 1 - len(head)) if len(head) == _SNIFF else head
    if len(data) > limit:
        raise files.too_large(STDIN, limit)
    return data


_BOMS = (  # longest first: a UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(path: str, data: bytes) -> str:
    """Decode prompt bytes as UTF-8, or as UTF-16/UTF-32 when a byte-order mark says so (the mark is dropped).

    Without a mark, anything that is not UTF-8 is an InputError saying why.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_marked(path, data[len(bom) :], codec)
    if b"\x00" in data[:_SNIFF]:
        raise InputError(path, "binary file (NUL bytes); not a prompt")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); save it as UTF-8"
        ) from None
    return _non_empty(path, text)


def _decode_marked(path: str, data: bytes, codec: str) -> str:
    name = codec[:6].upper()
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid {name} after its byte-order mark (byte {exc.start + 1})") from None
    if "\x00" in text[:_SNIFF]:
        raise InputError(path, f"binary file (NUL characters after a {name} byte-order mark); not a prompt")
    return _non_empty(path, text)


def _non_empty(path: str, text: str) -> str:
    if not text.strip():
        raise InputError(path, "empty file" if not text else "file holds only whitespace")
    return text


def read_text(source: Source) -> str:
    """Read and decode one source as prompt text."""
    return decode(source.path, read_bytes(source))

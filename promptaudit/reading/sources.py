"""Find prompt files and read them as text, turning every unreadable input into an InputError.

Directories are walked recursively for prompt-like extensions (configurable); hidden directories and
dependency folders are skipped; symlinked directories are followed once, so a symlink loop is reported
instead of walked forever. ``-`` reads standard input.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from promptaudit.errors import InputError

DEFAULT_EXTENSIONS = (".txt", ".md", ".prompt", ".j2", ".jinja", ".jinja2", ".mustache", ".yaml", ".yml", ".json")
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
STDIN = "-"
MAX_FILE_BYTES = 50 * 1024 * 1024
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

    Files named explicitly are read whatever their extension; directories contribute prompt-like files.
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
        yield InputError(raw, _os_reason(exc))
        return
    if not exists:
        yield InputError(raw, "symlink loop" if _is_loop(path) else "no such file or directory")
    elif is_dir:
        yield from _walk(path, extensions)
    else:
        yield Source(raw)


def _is_loop(path: Path) -> bool:
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return True
    except OSError as exc:
        return exc.errno == 40  # ELOOP
    return False


def _walk(root: Path, extensions: tuple[str, ...]) -> Iterator[Source | InputError]:
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=None):
        identity = _identity(dirpath)
        if identity in seen:
            dirnames[:] = []
            if _loops_back(root, dirpath, identity):
                yield InputError(dirpath, "symlink loop (directory already visited); skipped")
            continue  # otherwise a second path (a symlink alias) to a directory already walked: count it once
        seen.add(identity)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            if name.lower().endswith(extensions) and not name.startswith("."):
                # Broken links are reported when read: one stat per file here would slow large trees.
                yield Source(os.path.join(dirpath, name))


def _identity(path: str | Path) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


def _loops_back(root: Path, dirpath: str, identity: tuple[int, int]) -> bool:
    """True when ``dirpath`` is one of its own ancestors below ``root``: a real cycle, not an alias."""
    path = Path(dirpath)
    depth = len(path.parts) - len(root.parts)
    return any(_identity(parent) == identity for parent in list(path.parents)[:depth])


def _os_reason(exc: OSError) -> str:
    if exc.errno == 40:
        return "symlink loop"
    return (exc.strerror or str(exc)).lower()


def read_bytes(source: Source) -> bytes:
    """The raw bytes of a source, or InputError."""
    if source.is_stdin:
        return sys.stdin.buffer.read()
    try:
        with open(source.path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                raise InputError(source.path, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a prompt file")
            return handle.read()
    except IsADirectoryError:
        raise InputError(source.path, "is a directory") from None
    except OSError as exc:
        raise InputError(source.path, _read_failure(source.path, exc)) from None


def _read_failure(path: str, exc: OSError) -> str:
    if os.path.islink(path) and not os.path.exists(path):
        return "symlink loop" if exc.errno == 40 else "broken symlink"
    return _os_reason(exc)


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

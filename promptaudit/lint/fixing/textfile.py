"""A file's bytes as text that can be written back byte for byte: encoding, byte-order mark and line endings kept."""

from __future__ import annotations

import bisect
import codecs
import io
import re
import tokenize
from dataclasses import dataclass

from promptaudit.errors import InputError

_BOMS = (  # longest first, as the reader checks them (a UTF-32 LE mark starts with the UTF-16 LE one)
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF8, "utf-8"),
)


@dataclass(frozen=True)
class FileText:
    """The decoded text of a file and how to encode an edited text the same way."""

    text: str
    bom: bytes
    codec: str

    def encode(self, text: str) -> bytes:
        """``text`` as the file's bytes: the same byte-order mark and encoding (line endings are in the text)."""
        return self.bom + text.encode(self.codec)


def read_back(path: str, data: bytes) -> FileText:
    """The text promptaudit reads from ``data``, with its encoding; InputError unless encoding that text again
    gives ``data`` byte for byte (then an edit changes nothing but what it edits)."""
    from promptaudit.reading.loading import PYTHON_SOURCES
    from promptaudit.reading.sources import decode

    if path.lower().endswith(PYTHON_SOURCES):
        found = _python(path, data)
    else:
        bom, codec = next(((b, c) for b, c in _BOMS if data.startswith(b)), (b"", "utf-8"))
        found = FileText(decode(path, data), bom, codec)
    if found.encode(found.text) != data:
        raise InputError(path, f"cannot be written back byte for byte as {found.codec}; not fixed")
    return found


def _python(path: str, data: bytes) -> FileText:
    from promptaudit.reading.code.decoding import decode_source

    text = decode_source(path, data)
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    if encoding == "utf-8-sig" or data.startswith(codecs.BOM_UTF8):
        return FileText(text, codecs.BOM_UTF8, "utf-8")
    return FileText(text, b"", encoding)


class Lines:
    """Offsets of a text's lines, to turn 1-based ``(line, column)`` positions into offsets and back."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def offset(self, line: int, column: int) -> int:
        """The offset of 1-based ``(line, column)`` (a column past the line's end stays on that line's end)."""
        start = self.starts[min(max(line, 1), len(self.starts)) - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return min(start + column - 1, max(end, start))

    def line_of(self, offset: int) -> int:
        """The 1-based line holding ``offset``."""
        return bisect.bisect_right(self.starts, offset)

"""What kind of input a log is, sniffed from its first bytes (no flag needed), and which reader reads it.

Kinds: ``jsonl`` (one JSON value per line: provider responses, OTLP exports, gateway rows), ``sse`` (raw
server-sent-event stream logs: ``data:``/``event:`` lines, see sse.py), ``json`` (one
document: a JSON array or a pretty-printed page, as export tools and usage APIs write them), ``csv`` (a header
row; by extension ``.csv``/``.tsv`` or by content) and ``parquet`` (by its ``PAR1`` magic). Any of the text
kinds may be gzip-compressed (sniffed by magic bytes). Non-regular files (FIFOs, devices) are refused before
they are opened, so a named pipe cannot hang the command.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import sys
import zlib
from collections.abc import Callable

from promptaudit.errors import InputError
from promptaudit.usage.records.logfile import GZIP_MAGIC, SNIFF_BYTES, LogFile
from promptaudit.usage.sources.sse import is_sse

PARQUET_MAGIC = b"PAR1"
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024  # a whole-file JSON document is decoded at once; bigger: use JSON Lines
TABLE_EXTENSIONS = (".csv", ".tsv", ".csv.gz", ".tsv.gz")


def read_input(log: LogFile, counter, progress: Callable[[], None]) -> None:
    """Read one input into the counter with the engine and reader its kind needs."""
    from promptaudit.usage import engine
    from promptaudit.usage.clickhouse.source import is_source, redacted

    if is_source(log.path):
        from promptaudit.usage.clickhouse import read as ch_read

        log.path = redacted(log.path)  # from here on no message or output can hold a password
        ch_read.read(log, counter)
        return
    kind = input_kind(log.path)
    chosen = engine.choose(kind, log.path, counter.options.engine)
    if chosen == "duckdb" and not engine.read(log, kind, counter):
        chosen = "stream"
    counter.scan.engines[log.path] = f"{kind} via {chosen}"
    if chosen == "duckdb":
        pass
    elif kind == "csv":
        from promptaudit.usage.sources.tabular import scan_csv

        scan_csv(log, counter)
    elif kind == "json":
        scan_document(log, counter)
    elif kind == "sse":
        from promptaudit.usage.sources.sse import scan_sse

        scan_sse(log, counter)
    else:
        from promptaudit.usage.stream.lines import scan_lines

        scan_lines(log, counter, progress)
    progress()


def input_kind(path: str) -> str:
    """``jsonl``, ``json``, ``csv`` or ``parquet``; InputError when the path cannot be read."""
    head = _head(path)
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        return "jsonl" if _first_line_is_json(text) else "json"
    if is_sse(text.split(b"\n", 1)[0]):
        return "sse"  # a stream log's data: lines hold commas: checked before the CSV sniff
    if path.lower().endswith(TABLE_EXTENSIONS) or b"," in text.split(b"\n", 1)[0]:
        return "csv"
    return "jsonl"


def _first_line_is_json(text: bytes) -> bool:
    line, newline, _ = text.partition(b"\n")
    if not newline and len(text) >= SNIFF_BYTES:
        return True  # a first line longer than the sniff: only line-delimited logs have those
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def regular_file(path: str) -> None:
    """Refuse what is not a regular file (a FIFO would block, a device may never end); InputError."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a directory, not a log file")
    if not stat.S_ISREG(mode):
        raise InputError(path, "is not a regular file (a named pipe, socket or device); give a file, or - for stdin")


def _head(path: str) -> bytes:
    if path == "-":
        stream = sys.stdin.buffer
        return stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
    regular_file(path)
    try:
        with open(path, "rb") as raw:
            head = raw.read(SNIFF_BYTES)
            if head.startswith(GZIP_MAGIC):
                raw.seek(0)
                return _gzip_head(path, raw)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    return head


def _gzip_head(path: str, raw) -> bytes:
    try:
        return gzip.GzipFile(fileobj=raw).read(SNIFF_BYTES)
    except (EOFError, OSError, zlib.error):
        return b""  # the line reader reports the damage with the lines it could read


def scan_document(log: LogFile, counter) -> None:
    """Read a whole-file JSON document (an array of rows, or one page/report object)."""
    from promptaudit.usage.sources.buckets import is_report
    from promptaudit.usage.sources.extract import any_records

    doc = _load_document(log)
    if isinstance(doc, dict) and isinstance(doc.get("data"), list) and not is_report(doc):
        doc = doc["data"]  # a page of rows (Langfuse observations): locate problems by item
    items = doc if isinstance(doc, list) else [doc]
    paths = counter.paths
    for number, item in enumerate(items, 1):
        where = f"{log.path}: item {number}" if isinstance(doc, list) else log.path
        counter.take(any_records(item, *paths), where)


def _load_document(log: LogFile) -> object:
    from promptaudit.usage.records.logfile import read_lines

    size, chunks = 0, []
    for line in read_lines(log):
        size += len(line)
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(log.path, f"a JSON document over {MAX_DOCUMENT_BYTES // 2**20} MB; write it as JSON Lines")
        chunks.append(line)
    try:
        return json.loads(b"".join(chunks))
    except ValueError as exc:
        raise InputError(log.path, f"not valid JSON ({exc})") from None
    except RecursionError:  # json's decoder recurses once per nesting level
        raise InputError(log.path, "not valid JSON (nested too deeply)") from None

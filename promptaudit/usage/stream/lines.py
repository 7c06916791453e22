"""The streaming reader of line-delimited JSON logs: one decode and (usually) one record per line."""

from __future__ import annotations

import json
from collections.abc import Callable

from promptaudit.usage.records.logfile import LogFile, read_lines
from promptaudit.usage.records.values import BadValue
from promptaudit.usage.sources.extract import other_records
from promptaudit.usage.sources.gateways import gateway_kind
from promptaudit.usage.sources.responses import fields
from promptaudit.usage.stream.decoding import json_loader

PROGRESS_EVERY = 50_000


def scan_lines(log: LogFile, counter, progress: Callable[[], None]) -> None:
    """The streaming reader of line-delimited JSON: one decode and (usually) one record per line."""
    # Hot loop: kept flat on purpose (local names; per line one decode, one extract and one count call).
    loads, count, tag_path, route_path, timed = json_loader(), counter.count, *counter.paths, counter.stamps
    for number, line in enumerate(read_lines(log), 1):
        try:
            obj = loads(line)
            found = fields(obj, tag_path, route_path, timed)
        except BadValue as exc:
            counter.scan.refuse(f"{log.path}:{number}", exc)
            continue
        except (ValueError, TypeError, KeyError, AttributeError):
            if line.strip():
                count_line(line, f"{log.path}:{number}", counter)
            continue
        if found is not None and not (found[0][-6:] == " usage" and gateway_kind(obj)):
            count(found)
        else:  # other formats (a gateway row also looks like a bare usage object: prompt_tokens at the top)
            counter.take(other_records(obj, tag_path, route_path), f"{log.path}:{number}")
        if number % PROGRESS_EVERY == 0:
            progress()


def count_line(line: bytes, where: str, counter) -> None:
    """A line the fast path refused: the standard library decides whether it is JSON at all (orjson refuses
    ``Infinity`` and ``1e400``, which ``json`` reads), so both parsers give the same verdict."""
    try:
        obj = json.loads(line)
        found = fields(obj, *counter.paths, counter.stamps)
    except BadValue as exc:
        counter.scan.refuse(where, exc)
        return
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        counter.scan.bad_line(where, "invalid_json")
        return
    if found is not None and not (found[0][-6:] == " usage" and gateway_kind(obj)):
        counter.count(found)
    else:
        counter.take(other_records(obj, *counter.paths), where)

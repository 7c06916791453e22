"""Checks that values read from YAML or JSON are what the readers need, naming the path to a bad one.

YAML can hold values JSON cannot (dates, sets, ``!!binary`` bytes, non-string keys, ``.inf``), and JSON
strings can hold lone surrogates (``"\\ud800"``) that are not text. A tool schema or a tool call is billed
as its JSON, so every value in it must be JSON; every text must be valid Unicode.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import Any


def type_name(value: Any) -> str:
    """The YAML/JSON name of a value's type, for error messages."""
    names = {
        bool: "a boolean",
        dict: "a mapping",
        list: "a list",
        str: "a string",
        type(None): "null",
        bytes: "binary data (!!binary)",
        datetime.datetime: "a timestamp",
        datetime.date: "a date",
        set: "a set (!!set)",
        tuple: "a list",
    }
    if isinstance(value, float) and not math.isfinite(value):
        return "a number too large or not finite"
    return next((n for t, n in names.items() if isinstance(value, t)), "a number")


def text_problem(text: str) -> str | None:
    """Why ``text`` is not valid Unicode text (a lone surrogate), else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"not valid Unicode text (a lone surrogate {text[exc.start]!a} at character {exc.start + 1})"
    return None


def json_problem(value: Any, where: tuple) -> tuple[tuple, str] | None:
    """``(path, reason)`` for the first value inside ``value`` that JSON cannot hold, else None."""
    stack = [(value, where)]
    while stack:
        item, at = stack.pop()
        reason = _own_problem(item)
        if reason:
            return at, reason
        if isinstance(item, dict):
            bad_keys = [k for k in item if not isinstance(k, str)]
            if bad_keys:
                return at, f"a key must be a string, got {type_name(bad_keys[0])} {bad_keys[0]!r:.40} (quote it)"
            stack.extend((v, at + (k,)) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((v, at + (i,)) for i, v in reversed(list(enumerate(item))))
    return None


def _own_problem(item: Any) -> str | None:
    if isinstance(item, (dict, list, bool, type(None))):
        return None
    if isinstance(item, str):
        return text_problem(item)
    if isinstance(item, int):
        return None
    if isinstance(item, float):
        return None if math.isfinite(item) else f"{type_name(item)} is not valid JSON"
    return f"{type_name(item)} is not JSON (quote it to make it a string)"


def to_json(value: Any, compact: bool = True) -> str:
    """The JSON a provider is sent (check :func:`json_problem` first)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None)

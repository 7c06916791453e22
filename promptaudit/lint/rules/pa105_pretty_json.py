"""PA105 pretty-json: JSON inside a prompt laid out with indentation and spaces that compact JSON drops.

A pretty-printed schema, example or record is the same data as its compact form, for more tokens on every
request: the newlines, the indentation and the spaces after ``:`` and ``,`` are each billed. The finding
covers the JSON value as written; ``tokens_saved`` is its tokens minus the tokens of
``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, at least ``min_tokens_saved``. Only text
that parses as a JSON object or array with at least ``min_members`` members is considered, and the
compact form holds exactly the same value (key order and non-ASCII text kept). Templates whose braces are
placeholders (``{{`` escapes, ``{name}`` fields) do not parse and are left alone.

Fix: ``promptaudit fix`` writes the compact form in place of the value as written.

Anti-pattern::

    Reply with:
    {
        "label": "positive",
        "confidence": 0.9
    }

Best practice::

    Reply with: {"label":"positive","confidence":0.9}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from promptaudit.lint.findings import Edit, Problem

ID = "PA105"
NAME = "pretty-json"
CATEGORY = "size"
SEVERITY = "warning"
OPTIONS = {"min_tokens_saved": 10, "min_members": 2}
FIX = "Send the JSON compact: json.dumps(value, ensure_ascii=False, separators=(',', ':'))."
SAVINGS_OVERLAP = True
FIXABLE = True
_OPENING = re.compile(r"[{\[]")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class PrettyJson:
    """A JSON value written at ``[start, end)`` of the prompt text, and its compact form."""

    start: int
    end: int
    compact: str


def candidates(text: str, min_members: int) -> list[PrettyJson]:
    """Every outermost JSON object or array in ``text`` that is laid out over several lines or with spaces."""
    found, position = [], 0
    while (match := _OPENING.search(text, position)) is not None:
        try:
            value, end = _DECODER.raw_decode(text, match.start())
        except (ValueError, RecursionError):
            position = match.start() + 1
            continue
        written = text[match.start() : end]
        compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if isinstance(value, (dict, list)) and len(value) >= min_members and written != compact:
            found.append(PrettyJson(match.start(), end, compact))
        position = end
    return found


def check(ctx) -> Iterator[Problem]:
    """Yield one problem per pretty-printed JSON value whose compact form saves enough tokens."""
    found = candidates(ctx.text, ctx.options["min_members"])
    counts = ctx.count([text for item in found for text in (ctx.text[item.start : item.end], item.compact)])
    for index, item in enumerate(found):
        saved = counts[2 * index] - counts[2 * index + 1]
        if saved < ctx.options["min_tokens_saved"]:
            continue
        line, column = ctx.locate(item.start)
        end_line, end_column = ctx.locate(item.end)
        message = f"pretty-printed JSON ({counts[2 * index]:,} tokens); compact JSON is the same data in {counts[2 * index + 1]:,}"
        edit = Edit(item.start, item.end, item.compact)
        yield Problem(line, column, message, tokens_saved=saved, end_line=end_line, end_column=end_column, edit=edit)

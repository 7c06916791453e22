"""PA202 dynamic-before-static: a template variable comes before static text, so the prefix never repeats.

A provider caches the longest prefix that is identical across requests. A variable (``{{ x }}``,
``{x}``, ``{% ... %}``, ``$x``, a clear ``<x>`` placeholder) changes on every request, so nothing after
it can be cached. The finding points at the first variable and says how many static tokens follow it
(at least ``min_static_tokens``), which could be cached if the variables moved to the end.
``tokens_saved`` is 0: the fix moves text, it does not remove it. When even all the static text together
stays under the model's cache minimum, moving the variables saves nothing yet: the finding is ``info``.

A placeholder that is shown rather than filled is text, not a variable (:func:`shown_not_filled`): one in
a worked example or transcript, after "replace ... with", "such as", "e.g." or "for example" on its line, a
numbered slot (``{{1}}``), or one glued into a word or tag (``<step_{{step_number}}>``: an output format).

Anti-pattern::

    Customer name: {{ customer_name }}
    You are writing a reply to a support ticket. <instructions>

Best practice::

    You are writing a reply to a support ticket. <instructions>
    Customer name: {{ customer_name }}
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from promptaudit.lint.findings import Problem
from promptaudit.lint.rules._caching import cache_rules, saving_text
from promptaudit.lint.rules._regions import regions
from promptaudit.reading.templates import STATIC, VARIABLE

ID = "PA202"
NAME = "dynamic-before-static"
CATEGORY = "caching"
SEVERITY = "warning"
OPTIONS = {"min_static_tokens": 50}
FIX = "Move the template variables after the static instructions (or to the end of the prompt)."


_SHOWN_AFTER = re.compile(r"(?:\breplace\b.*\bwith|\bsuch as|\be\.g\.,?|\bfor example,?|\blike)\s*[`'\"(]?$", re.I)


def shown_not_filled(ctx, segment) -> bool:
    """Whether a placeholder is written as an example of syntax rather than filled per request."""
    line_start = ctx.text.rfind("\n", 0, segment.start) + 1
    line_end = ctx.text.find("\n", segment.end)
    before = ctx.text[line_start : segment.start]
    after = ctx.text[segment.end : line_end if line_end >= 0 else len(ctx.text)]
    glued = bool(before) and (before[-1].isalnum() or before[-1] == "_" or "<" in before[before.rfind(">") + 1 :])
    numbered = (segment.name or "").strip().isdigit()
    return (
        regions(ctx).in_example(segment.start)
        or bool(_SHOWN_AFTER.search(before))
        or numbered
        or glued
        or (bool(after) and (after[0].isalnum() or after[0] == "_"))
    )


def static_after_first_variable(ctx) -> tuple[object | None, int, int]:
    """``(first variable, static tokens after it, static tokens before it)``; placeholders that are shown,
    not filled, count as static text."""
    segments = ctx.segments()
    first = next((i for i, s in enumerate(segments) if s.kind == VARIABLE and not shown_not_filled(ctx, s)), None)
    if first is None:
        return None, 0, 0
    before = [s.text for s in segments[:first] if s.text.strip()]
    after = [
        s.text
        for s in segments[first:]
        if (s.kind == STATIC or s.kind == VARIABLE and shown_not_filled(ctx, s)) and s.text.strip()
    ]
    counts = ctx.count(before + after)
    return segments[first], sum(counts[len(before) :]), sum(counts[: len(before)])


def check(ctx) -> Iterator[Problem]:
    """Yield one problem when enough static text follows the first variable."""
    variable, after, before = static_after_first_variable(ctx)
    if variable is None or after < ctx.options["min_static_tokens"]:
        return
    line, column = ctx.locate(variable.start)
    end_line, end_column = ctx.locate(variable.end)
    rules = cache_rules(ctx)
    total_static = before + after
    short = rules is not None and total_static < rules.min_tokens
    if short:
        outcome = f"the static text would still be {rules.min_tokens - total_static:,} tokens under the cache minimum"
    else:
        outcome = saving_text(ctx, total_static)
    message = f"{variable.text} comes before {after:,} tokens of static text; with variables last, {outcome}"
    severity = "info" if short else None
    yield Problem(line, column, message, severity=severity, end_line=end_line, end_column=end_column)

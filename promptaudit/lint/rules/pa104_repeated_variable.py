"""PA104 repeated-variable: the same template variable inserted more than once, so its value is billed twice.

A template that sends ``{{ selected_code }}`` in the instructions and again at the end pays for the code
twice on every request, often the largest waste in the file. Each later insertion is one finding at its
own span. When the name's head noun (its last part) says the value is bulk content (a word of
``promptaudit/lint/data/bulk_variables.yaml``: code, document, history, diff, ...) the finding is a ``warning`` saving the value's tokens: the bound value
(``--var`` or ``vars:`` in config) when given, else an estimate of a short paragraph, labelled as such.
Other names (``{{ language }}``) may hold one word: ``info``, no savings. Placeholders shown rather than filled
(examples, "replace ... with {{x}}"), names with an index or attribute (``{fence[0]}``), and insertions in
different branches of one ``{% if %}`` are not counted.

Anti-pattern::

    Review this code: {{ selected_code }}
    ...
    Here is the code again: {{ selected_code }}

Best practice::

    Review this code: {{ selected_code }}
    ...
    Refer to the code above.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import resources

from promptaudit.lint.findings import Problem
from promptaudit.lint.rules._regions import regions
from promptaudit.lint.rules.pa202_dynamic_before_static import shown_not_filled
from promptaudit.reading.templates import VARIABLE

ID = "PA104"
NAME = "repeated-variable"
CATEGORY = "redundancy"
SEVERITY = "warning"
OPTIONS: dict = {}
FIX = "Insert the variable once and refer back to it."
SAVINGS_OVERLAP = True
_PLAIN_NAME = re.compile(r"[A-Za-z_]\w*")
_NAME_PARTS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@functools.lru_cache(maxsize=1)
def bulk_words() -> frozenset[str]:
    """The documented words that mark a variable's value as bulk content."""
    from promptaudit.reading.safeyaml import load_yaml

    data = load_yaml(
        resources.files("promptaudit.lint").joinpath("data/bulk_variables.yaml").read_text(encoding="utf-8")
    )
    return frozenset(data["words"])


def is_bulk(name: str) -> bool:
    """Whether a variable's head noun (the last part of its name) says its value is bulk content:
    ``selected_code`` and ``chatHistory`` do, ``code_block_opening_tag`` and ``docs_for_language`` do not."""
    parts = _NAME_PARTS.findall(name)
    return bool(parts) and parts[-1].lower() in bulk_words()


def repeats(ctx) -> list[tuple]:
    """``(later segment, first segment)`` for every filled variable inserted again under the same name."""
    first: dict[str, object] = {}
    found = []
    for segment in ctx.segments():
        name = (segment.name or "").strip()
        if segment.kind != VARIABLE or not _PLAIN_NAME.fullmatch(name) or shown_not_filled(ctx, segment):
            continue
        if name in first and not _exclusive(ctx, first[name], segment):
            found.append((segment, first[name]))
        first.setdefault(name, segment)
    return found


def _exclusive(ctx, a, b) -> bool:
    facts = regions(ctx)
    branches = dict(facts.branch(a.start))
    return any(block in branches and branches[block] != branch for block, branch in facts.branch(b.start))


def _value_tokens(ctx, names: list[str]) -> dict[str, int]:
    values = [ctx.prompt.values[n] for n in names if n in ctx.prompt.values]
    return dict(zip([n for n in names if n in ctx.prompt.values], ctx.count(values)))


def check(ctx) -> Iterator[Problem]:
    """Yield one problem per extra insertion, saving the value's tokens when the value is bulk content."""
    from promptaudit.reading.formats.variables import DEFAULT_VARIABLE_TOKENS

    found = repeats(ctx)
    measured = _value_tokens(ctx, list(dict.fromkeys(s.name.strip() for s, _ in found)))
    for later, earlier in found:
        name = later.name.strip()
        line, column = ctx.locate(later.start)
        end_line, end_column = ctx.locate(later.end)
        first_line, _ = ctx.locate(earlier.start)
        extent = {"end_line": end_line, "end_column": end_column}
        message = f"{later.text} is inserted again (first on line {first_line}): every request bills its value twice"
        if name in measured:
            yield Problem(line, column, f"{message} ({measured[name]:,} tokens)", tokens_saved=measured[name], **extent)
        elif is_bulk(name):
            estimate = (
                f" (~{DEFAULT_VARIABLE_TOKENS} tokens, estimated: no value bound; give --var {name}=... to measure)"
            )
            yield Problem(line, column, message + estimate, tokens_saved=DEFAULT_VARIABLE_TOKENS, **extent)
        else:
            yield Problem(line, column, f"{message} (if its value is long)", severity="info", **extent)

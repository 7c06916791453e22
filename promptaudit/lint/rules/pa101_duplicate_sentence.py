"""PA101 duplicate-sentence: the same sentence again, after folding case, whitespace and punctuation.

Every copy is billed on every request, and a model gains nothing from reading an instruction twice.
The finding points at the repeat and names the line of the first occurrence. Headings, sentences
shorter than ``min_words`` words and fenced code are not compared.

Anti-pattern::

    Never share another customer's data.
    ...
    Never share another customer's data.

Best practice::

    Never share another customer's data.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptaudit.lint.findings import Problem
from promptaudit.reading.sentences import HEADING, shorten

ID = "PA101"
NAME = "duplicate-sentence"
CATEGORY = "redundancy"
SEVERITY = "warning"
OPTIONS = {"min_words": 3}
FIX = "Delete the repeated sentence."


def repeats(ctx) -> list[tuple]:
    """``(repeat, first)`` sentence pairs whose normalised text is equal (hashing; no pairwise scan)."""
    first: dict[str, object] = {}
    found = []
    for sentence in ctx.sentences():
        if sentence.kind == HEADING:
            continue
        key = sentence.key
        if key.count(" ") + 1 < ctx.options["min_words"]:
            continue
        if key in first:
            found.append((sentence, first[key]))
        else:
            first[key] = sentence
    return found


def check(ctx) -> Iterator[Problem]:
    """Yield one problem per repeated sentence, saving the repeat's own tokens."""
    pairs = repeats(ctx)
    unique = list(dict.fromkeys(repeat.text for repeat, _ in pairs))
    tokens = dict(zip(unique, ctx.count(unique)))
    for repeat, original in pairs:
        line, column = ctx.locate(repeat.start)
        first_line, _ = ctx.locate(original.start)
        end_line, end_column = ctx.locate(repeat.end)
        message = f'repeats line {first_line}: "{shorten(repeat.text)}"'
        yield Problem(line, column, message, tokens_saved=tokens[repeat.text], end_line=end_line, end_column=end_column)

"""PA106 virtue-filler: a sentence that only asks for generic virtues ("Be thorough and comprehensive.").

It names no task, object or condition, so it changes nothing a capable model does, and every request pays
for it. The words are a documented list in ``promptaudit/lint/data/virtues.yaml``; a sentence is filler only
when it is made of nothing else (an opener such as "Always"/"Make sure to", a form of "be", virtues joined
by commas, "and" or "or", an optional closer such as "at all times"). "Be concise", "be formal" and any
sentence with an object ("be thorough when checking refunds") are behaviour, not filler. Sentences that
PA103's own list already reports are left to PA103, and the guards of PA101/PA102 apply (no examples,
transcripts or code).

Anti-pattern::

    Be thorough and comprehensive. Always strive to be accurate and helpful.

Best practice::

    (delete them; say what thoroughness means for this task, if anything)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import resources

from promptaudit.lint.findings import Problem
from promptaudit.lint.rules._regions import comparable
from promptaudit.lint.rules.pa103_filler import patterns as filler_patterns
from promptaudit.reading.sentences import shorten

ID = "PA106"
NAME = "virtue-filler"
CATEGORY = "redundancy"
SEVERITY = "warning"
OPTIONS: dict = {}
FIX = "Delete the sentence; it asks for nothing specific."
SAVINGS_OVERLAP = True


def _choice(words: list[str]) -> str:
    options = sorted((re.escape(w) for w in words if w), key=len, reverse=True)
    optional = "" in words
    return f"(?:(?:{'|'.join(options)}) )" + ("?" if optional else "")


@functools.lru_cache(maxsize=1)
def pattern() -> re.Pattern:
    """The whole-sentence pattern built from the data file (see its header for the grammar)."""
    from promptaudit.reading.safeyaml import load_yaml

    data = load_yaml(resources.files("promptaudit.lint").joinpath("data/virtues.yaml").read_text(encoding="utf-8"))
    virtue = f"(?:{_choice(data['intensifiers'])}?)(?:{'|'.join(sorted(map(re.escape, data['virtues']), key=len, reverse=True))})"
    closers = "|".join(re.escape(c) for c in data["closers"] if c)
    body = f"{_choice(data['openers'])}{_choice(data['be_verbs'])}{virtue}(?: (?:and |or )?{virtue})*"
    return re.compile(f"{body}(?: (?:{closers}))?")


def findings(ctx) -> list:
    """The sentences that are nothing but generic virtues (and not PA103's)."""
    whole, _ = filler_patterns()
    virtue = pattern()
    return [
        item.sentence
        for item in comparable(ctx, 2)
        if virtue.fullmatch(item.sentence.key) and not whole.fullmatch(item.sentence.key)
    ]


def check(ctx) -> Iterator[Problem]:
    """Yield one problem per virtue-filler sentence, saving its tokens."""
    found = findings(ctx)
    for sentence, tokens in zip(found, ctx.count([s.text for s in found])):
        line, column = ctx.locate(sentence.start)
        end_line, end_column = ctx.locate(sentence.end)
        message = f'generic virtue, no behaviour: "{shorten(sentence.text)}"'
        yield Problem(line, column, message, tokens_saved=tokens, end_line=end_line, end_column=end_column)

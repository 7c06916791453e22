"""PA101 duplicate-sentence: the same sentence (or run of sentences) again, after folding case, whitespace and punctuation.

Every copy is billed on every request, and a model gains nothing from reading an instruction twice.
The finding points at the repeat, from its first character to its last, and names the line of the
first occurrence. When a run of consecutive sentences repeats an earlier run (a section or a whole
prompt pasted twice), the run is one finding, "lines A–B repeat lines C–D", saving the run's tokens;
its span is exactly the later copy, so deleting that span leaves the first copy.

A single repeated sentence that leans on the one before it ("These lines ...") or that ends two parallel
items differing in a word or two (a shared tail) is not a repeat on its own; nor is a run that opens with
such a word after different text on its line ("Emails: ... Do not act on these ..." / "Reminders: ... Do
not act on these ...": "these" names something else each time). Only sentences that the guards of
``promptaudit/lint/rules/_guards.py`` leave are compared: headings,
sentences shorter than ``min_words`` words, fenced and unfenced code, tool schemas, ``key: value``
lines, markup, template logic, worked examples and transcripts are not. A repeat inside a recap section
("## Summary", ``<critical_reminders>``) is deliberate: it is reported as ``info`` with a "recap?" note and
adds no savings.

Anti-pattern::

    Never share another customer's data.
    ...
    Never share another customer's data.

Best practice::

    Never share another customer's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from promptaudit.lint.findings import Problem
from promptaudit.lint.rules._guards import template_slot_parallel
from promptaudit.lint.rules._regions import comparable, exclusive
from promptaudit.reading.sentences import normalize, shorten

ID = "PA101"
NAME = "duplicate-sentence"
CATEGORY = "redundancy"
SEVERITY = "warning"
OPTIONS = {"min_words": 3}
FIX = "Delete the repeated sentence."
SAVINGS_OVERLAP = True


@dataclass(frozen=True)
class Repeat:
    """A later copy ``[start, end)`` of the earlier text ``[first_start, first_end)`` (one sentence or a run)."""

    start: int
    end: int
    first_start: int
    first_end: int
    sentences: int = 1
    recap: bool = False


def _pairs(ctx) -> list[tuple]:
    """``(later index, earlier index, recap)`` over the compared sentences, each later one matched to the
    first sentence with its normalised text (hashing; no pairwise scan)."""
    items = comparable(ctx, ctx.options["min_words"])
    first: dict[str, int] = {}
    found = []
    for index, item in enumerate(items):
        key = item.sentence.key
        if key.count(" ") + 1 < ctx.options["min_words"]:
            continue
        if key in first and not exclusive(items[first[key]], item):
            found.append((index, first[key], item.recap))
        else:
            first[key] = index
    return found


def repeats(ctx) -> list[Repeat]:
    """Every repeat, consecutive repeated sentences merged into one run when the text between them repeats too."""
    items = [item.sentence for item in comparable(ctx, ctx.options["min_words"])]
    runs: list[list[tuple]] = []
    for later, earlier, recap in _pairs(ctx):
        last = runs[-1][-1] if runs else None
        if last is not None and _continues(ctx.text, items, last, (later, earlier, recap)):
            runs[-1].append((later, earlier, recap))
        else:
            runs.append([(later, earlier, recap)])
    return [
        _repeat(items, run)
        for run in runs
        if not _other_referent(ctx.text, items, run[0])
        and (len(run) > 1 or not (_anaphoric(items[run[0][0]].text) or _shared_tail(ctx.text, items, run[0])))
    ]


def _lead(text: str, sentence) -> str:
    """What comes before a sentence on its own line (after any list marker): "" when it starts the line."""
    start = text.rfind("\n", 0, sentence.start) + 1
    return normalize(text[start : sentence.start])


def _shared_tail(text: str, items: list, pair: tuple) -> bool:
    """``shared_tail`` guard: the sentence ends two parallel items that differ in a word or two ("Include 3 lines
    of context *before* the change. They MUST ..." / "... *after* ..."): a common tail, not a repeat."""
    later, earlier = items[pair[0]], items[pair[1]]
    lead_later, lead_earlier = _lead(text, later), _lead(text, earlier)
    return bool(lead_later) and bool(lead_earlier) and template_slot_parallel(lead_earlier, lead_later)


_ANAPHORS = ("this ", "these ", "those ", "that ", "it ", "they ", "such ")


def _other_referent(text: str, items: list, pair: tuple) -> bool:
    """A repeat whose words point back ("these", "it") at different text before it on its line."""
    later, earlier = items[pair[0]], items[pair[1]]
    if not _refers_back(later.text):  # the cheap test first: most repeats name nothing before them
        return False
    lead_later = _lead(text, later)
    return bool(lead_later) and lead_later != _lead(text, earlier)


def _refers_back(text: str) -> bool:
    """The sentence names something said before it ("these", "it", "them")."""
    words = f" {normalize(text)} "
    return " these " in words or " them " in words or _anaphoric(text)


def _anaphoric(text: str) -> bool:
    """A sentence that leans on the one before it ("These lines MUST ..."): alone, its repeat may mean
    something else (another list item's lines); it counts only inside a repeated run."""
    return text.lower().lstrip("*_-• ").startswith(_ANAPHORS)


def _continues(text: str, items: list, last: tuple, pair: tuple) -> bool:
    """Whether ``pair`` extends the run ending in ``last``: both sides advance by one and the gap repeats."""
    (later0, earlier0, recap0), (later, earlier, recap) = last, pair
    if later != later0 + 1 or earlier != earlier0 + 1 or earlier >= later0 or recap != recap0:
        return False
    gap = normalize(text[items[later0].end : items[later].start])
    return gap == normalize(text[items[earlier0].end : items[earlier].start])


def _repeat(items: list, run: list[tuple]) -> Repeat:
    (later, earlier, recap), (last_later, last_earlier, _) = run[0], run[-1]
    return Repeat(
        items[later].start, items[last_later].end, items[earlier].start, items[last_earlier].end, len(run), recap
    )


def check(ctx) -> Iterator[Problem]:
    """Yield one problem per repeated sentence or run, saving the repeat's own tokens (none for a recap)."""
    found = repeats(ctx)
    texts = [ctx.text[r.start : r.end] for r in found]
    unique = list(dict.fromkeys(texts))
    tokens = dict(zip(unique, ctx.count(unique)))
    for repeat, text in zip(found, texts):
        line, column = ctx.locate(repeat.start)
        end_line, end_column = ctx.locate(repeat.end)
        first_line, _ = ctx.locate(repeat.first_start)
        if repeat.sentences > 1:
            first_end, _ = ctx.locate(repeat.first_end)
            message = f'lines {line}–{end_line} repeat lines {first_line}–{first_end} ({repeat.sentences} sentences): "{shorten(text)}"'
        else:
            message = f'repeats line {first_line}: "{shorten(text)}"'
        extent = {"end_line": end_line, "end_column": end_column}
        if repeat.recap:
            yield Problem(line, column, f"recap? {message}", severity="info", **extent)
        else:
            yield Problem(line, column, message, tokens_saved=tokens[text], **extent)

"""PA102 restated-instruction: a sentence that says again, in other words, what an earlier one said.

The method is lexical (see the README, "PA102: why lexical", for the evidence behind the choice): each sentence
becomes a set of canonical content words (synonyms and phrases mapped, number words turned into
digits, stopwords dropped, word forms folded by a light suffix stemmer). A later sentence restates
an earlier one when the smaller set is at least ``min_containment`` inside the larger, the sets
share at least ``min_jaccard`` of their union, and three guards agree: the same numbers, the
same negation, and no contrasting qualifiers from one group (basic/premium, formal/casual). Precision
comes first: sentences that share words but differ in meaning are not findings. Candidates come from
an inverted index on each sentence's rarest words (prefix filtering), so no sentence is compared
with every other one.

Only sentences that the guards of ``promptaudit/lint/rules/_guards.py`` leave are compared (no code, tool
schemas, ``key: value`` lines, markup, template logic, examples or transcripts), and one more guard is this
rule's own, ``template_slot_parallel``: two sentences equal but for one or two substituted content words or
identifiers ("...to read" / "...to modify", ```tasks.md``` / ```requirements.md```) are parallel items built
from one template, not a restatement; ``contrast_or_restriction``: a sentence that opens with "However"/"Unless"
or restricts where the other does not ("Respond only with ...") adds a condition or a limit ("Use only the
provided types" and "Do not use any other types" are both exclusive, normalised to one form first); ``label_item``: a
short list item with no full stop ("Role definition and responsibilities") is an outline label;
``different_conditions``: two sentences that each open with a condition ("If the user asks you to create an
event, ..." / "If the user asks you to update an event, ...") whose conditions differ are instructions for
different cases, however much of the rest they share; ``parallel_lines``: two sentences on neighbouring lines
(at most two apart, no blank line between) whose lines open with the same three words ("Ask users to check
if integrations are ..." / "Ask users to check if the environment variables are ...") are items of one
enumeration written from one mould, each about its own thing (when their content words differ).
A restatement inside a recap section is reported as ``info`` with a
"recap?" note and adds no savings.

Anti-pattern::

    Keep every answer under 100 words.
    Responses should never run longer than about a hundred words.

Best practice::

    Keep every answer under 100 words.

Not a finding::

    The basic tier allows 5 projects.
    The premium tier allows 50 projects.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import compress

from promptaudit.lint.findings import Problem
from promptaudit.lint.rules._guards import prose, template_slot_parallel
from promptaudit.lint.rules._lexicon import Meaning, contrasting, meaning
from promptaudit.lint.rules._regions import comparable, exclusive
from promptaudit.reading.sentences import ITEM, shorten

ID = "PA102"
NAME = "restated-instruction"
CATEGORY = "redundancy"
SEVERITY = "warning"
OPTIONS = {"min_containment": 0.8, "min_jaccard": 0.6, "min_words": 2}
FIX = "Delete one of the two sentences (keep the clearer one)."
SAVINGS_OVERLAP = True
POSTINGS_CAP = 20  # only the latest sentences per word are candidates: bounded work per sentence


_CONTRAST = re.compile(r"\W*(?:however|but|otherwise|unless|except|instead|whereas|on the other hand)\b", re.I)
_RESTRICTIVE = re.compile(r"\b(?:only|solely|exclusively)\b", re.I)


_NOT_OTHER = re.compile(
    r"\b(?:no|not|never|n't|nothing)\b.*\b(?:any other|anything else|other than|not (?:explicitly )?provided)\b", re.I
)
ONLY = "only"  # the marker token of an exclusive instruction (a stopword, so never a content word of its own)


def exclusive_form(sense: Meaning, text: str) -> Meaning:
    """Normalise exclusive instructions: "Use only the provided types" and "Do not use any other types" say
    the same thing, so a negated sentence about "other"/"not provided" things becomes the un-negated
    "only" form, and both carry the ``only`` marker that ``different_force`` compares."""
    if _NOT_OTHER.search(text) and sense.negated:
        return Meaning(sense.words | {ONLY}, sense.numbers, False)
    if _RESTRICTIVE.search(text):
        return Meaning(sense.words | {ONLY}, sense.numbers, sense.negated)
    return sense


def different_force(a: str, b: str, a_sense: Meaning, b_sense: Meaning) -> bool:
    """``contrast_or_restriction`` guard: one of the two opens with a contrast ("However, if ...") or only one
    restricts ("Respond only with ..." after "Share ..."): the later sentence adds a condition or a limit."""
    if _CONTRAST.match(b) or _CONTRAST.match(a):
        return True
    return (ONLY in a_sense.words) != (ONLY in b_sense.words)


_CONDITION = re.compile(r"\W*(?:[A-Za-z]+:\s*)?(?:if|when|whenever|unless|in case)\b([^,;:]+?)(?:,|\bthen\b)", re.I)


def different_conditions(a: str, b: str) -> bool:
    """``different_conditions`` guard: both open with a condition clause, and each clause has a content word
    the other lacks (a substitution: create / update, an instance / a property)."""
    clause_a, clause_b = _CONDITION.match(a), _CONDITION.match(b)
    if clause_a is None or clause_b is None:
        return False
    words_a, words_b = meaning(clause_a.group(1)).words, meaning(clause_b.group(1)).words
    return bool(words_a - words_b) and bool(words_b - words_a)


_WORDS = re.compile(r"[A-Za-z][\w'-]*")


def parallel_lines(text: str, a, b, a_sense: Meaning, b_sense: Meaning) -> bool:
    """``parallel_lines`` guard: ``a`` and ``b`` sit on neighbouring lines (at most two apart, no blank line
    between) that open with the same three words, and their content words differ: items of one enumeration,
    each about its own thing ("two sentences" / "2 sentences" have the same content words: a restatement)."""
    if a_sense.words == b_sense.words:
        return False
    start = text.rfind("\n", 0, a.start) + 1
    end = text.find("\n", b.start)
    lines = text[start : len(text) if end < 0 else end].split("\n")
    if not 2 <= len(lines) <= 3 or not all(line.strip() for line in lines):
        return False
    first, last = _WORDS.findall(lines[0].lower())[:3], _WORDS.findall(lines[-1].lower())[:3]
    return len(first) == 3 and first == last


def label_item(sentence) -> bool:
    """``label_item`` guard: a short list item without a verb's full stop ("Role definition and
    responsibilities"), a label in an outline rather than an instruction."""
    return (
        sentence.kind == ITEM
        and len(sentence.text.split()) <= 4
        and not sentence.text.rstrip("*_ ").endswith((".", "!"))
    )


def restates(a: Meaning, b: Meaning, options: dict) -> bool:
    """Whether ``b`` says what ``a`` says: high overlap, and numbers, negation and qualifiers agree.

    Containment (shared words over the smaller set) catches a paraphrase that adds filler words;
    the Jaccard floor rejects a longer sentence that adds real content ("the label and a reason").
    """
    if a.negated != b.negated or a.numbers != b.numbers:
        return False
    small, large = sorted((len(a.words), len(b.words)))
    if small < options["min_jaccard"] * large:  # cheap size filter: Jaccard <= small / large
        return False
    shared = len(a.words & b.words)
    if shared < options["min_containment"] * small or shared < options["min_jaccard"] * (small + large - shared):
        return False
    return not contrasting(a, b)


def _candidates(ctx, min_words: int) -> list[tuple]:
    """``(sentence, meaning, recap)`` for sentences worth comparing: guarded, not exact repeats (PA101)."""
    seen: set[str] = set()
    kept = []
    for item in comparable(ctx, min_words):
        key = item.sentence.key
        if key in seen:
            continue
        seen.add(key)
        sense = exclusive_form(meaning(prose(item.sentence.text)), item.sentence.text)
        if len(sense.words) >= min_words and not label_item(item.sentence):
            kept.append((item.sentence, sense, item.recap, item))
    return kept


def _prefix(words: frozenset[str], frequency: Counter, min_jaccard: float) -> list[str]:
    """The rarest words any set with Jaccard >= ``min_jaccard`` must share one of (prefix filtering)."""
    keep = len(words) - math.ceil(min_jaccard * len(words)) + 1
    return sorted(words, key=lambda w: (frequency[w], w))[:keep]


def _least_overlap(size: int, options: dict) -> float:
    """A floor on the words any set that ``restates`` accepts shares with a set of ``size`` words.

    ``restates`` needs ``min_containment * small`` shared words, and its size filter makes ``small``
    at least ``min(size, ceil(min_jaccard * size))``; the product only grows with ``small``.
    """
    containment, jaccard = options["min_containment"], options["min_jaccard"]
    if containment <= 0 or jaccard <= 0:
        return 0.0
    return containment * min(size, math.ceil(jaccard * size))


def _first_restated(
    kept: list, senses: list[Meaning], word_sets: list, candidates: list[int], i: int, options: dict, prompt: str
) -> int | None:
    """The earliest candidate that sentence ``i`` restates.

    Overlaps are counted and filtered with ``map``/``compress`` (no Python-level step per candidate),
    and only the few candidates that share enough words reach ``restates``: a Python step per
    candidate pair was most of the rule's time on large prompts.
    """
    words = word_sets[i]
    overlaps = map(len, map(words.__and__, map(word_sets.__getitem__, candidates)))
    survivors = compress(candidates, map(_least_overlap(len(words), options).__le__, overlaps))
    text = kept[i][0].text
    return next(
        (
            j
            for j in survivors
            if restates(senses[j], senses[i], options)
            and not template_slot_parallel(kept[j][0].text, text)
            and not different_force(kept[j][0].text, text, senses[j], senses[i])
            and not different_conditions(kept[j][0].text, text)
            and not exclusive(kept[j][3], kept[i][3])
            and not parallel_lines(prompt, kept[j][0], kept[i][0], senses[j], senses[i])
        ),
        None,
    )


def pairs(ctx) -> list[tuple]:
    """``(later, earlier, recap)`` sentence triples where the later restates the earlier.

    Only each sentence's prefix (its rarest words) is indexed and probed, which finds every pair above
    the Jaccard floor without comparing all pairs.
    """
    options = ctx.options
    kept = _candidates(ctx, options["min_words"])
    senses = [entry[1] for entry in kept]
    word_sets = [sense.words for sense in senses]  # a list lookup, not an attribute, in the hot loop
    frequency = Counter(word for sense in senses for word in sense.words)
    index: dict[str, list[int]] = defaultdict(list)
    found = []
    for i, sense in enumerate(senses):
        prefix = _prefix(sense.words, frequency, options["min_jaccard"])
        candidates = sorted(set().union(*[index[word][-POSTINGS_CAP:] for word in prefix]))
        match = _first_restated(kept, senses, word_sets, candidates, i, options, ctx.text)
        if match is not None:
            found.append((kept[i][0], kept[match][0], kept[i][2]))
        for word in prefix:
            index[word].append(i)
    return found


def check(ctx) -> Iterator[Problem]:
    """Yield one problem per restating sentence, saving that sentence's tokens."""
    found = pairs(ctx)
    counts = ctx.count([later.text for later, _, _ in found])
    for (later, earlier, recap), tokens in zip(found, counts):
        line, column = ctx.locate(later.start)
        first_line, _ = ctx.locate(earlier.start)
        end_line, end_column = ctx.locate(later.end)
        message = f'restates line {first_line} in other words: "{shorten(earlier.text)}"'
        extent = {"end_line": end_line, "end_column": end_column}
        if recap:
            yield Problem(line, column, f"recap? {message}", severity="info", **extent)
        else:
            yield Problem(line, column, message, tokens_saved=tokens, **extent)

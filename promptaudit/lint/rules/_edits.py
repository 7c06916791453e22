"""Edits that fixable rules share (see ``FIXABLE`` in the rule protocol): a cut that leaves a sentence."""

from __future__ import annotations

from promptaudit.lint.findings import Edit

MIN_REST_WORDS = 3
"""A cut leaves a sentence only when at least this many words remain ("Note that X." leaves too little)."""


def cut_lead_in(text: str, start: int, cut: int, end: int) -> Edit | None:
    """The edit that deletes the lead-in ``text[start:cut]`` (the spaces after it included) from the sentence
    ``text[start:end]``, so that what follows starts the sentence; None unless the rest reads as one.

    The rest must follow on the same line, start with a letter and hold :data:`MIN_REST_WORDS` words. Its first
    letter becomes a capital when the lead-in started with one and the first word is all lower case ("you
    should" -> "You should"); a word with a capital of its own (``iOS``, ``GPT``, ``I``) is left as written.
    """
    gap, rest = text[start:cut], text[cut:end]
    words = rest.split()
    if "\n" in gap or len(words) < MIN_REST_WORDS or not rest[:1].isalpha():
        return None
    first = words[0]
    capital = rest[0].upper()
    if text[start].isupper() and first == first.lower() and len(capital) == 1 and capital != rest[0]:
        return Edit(start, cut + 1, capital)
    return Edit(start, cut)

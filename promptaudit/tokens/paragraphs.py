"""Split a text where tiktoken's pre-tokenizer always splits it, so each paragraph is counted (and cached) once.

tiktoken counts a text as the sum of its pre-tokens, each encoded on its own, so a text cut where a pre-token
always starts has exactly the count of its parts. Both of its patterns (cl100k_base, o200k_base) start a
pre-token at a letter or digit that follows a newline: no pattern can carry a newline into a letter or digit
(the letter patterns' optional first character excludes ``\\r`` and ``\\n``; the punctuation pattern's tail
takes only ``\\r``, ``\\n`` and ``/``; whitespace patterns take whitespace). A blank line followed by a letter or
a digit (``str.isalnum``: Unicode letters and numbers) is such a place, and a natural one: a template's
rendered and static texts differ from the text as written only in the paragraphs that hold variables, and an
edited prompt only in the paragraphs edited, so the rest is counted once (and then found in the count cache).
tests/tokens/test_paragraphs.py checks the sums against tiktoken on every fixture and on generated text.
"""

from __future__ import annotations

import re

_PARAGRAPH = re.compile(r"\n\n(?=[^\W_])")  # [^\W_]: a character that str.isalnum() accepts


def paragraphs(text: str) -> list[str]:
    """``text`` cut after each blank line that a letter or digit follows; the parts join back to ``text``."""
    cuts = [match.end() for match in _PARAGRAPH.finditer(text)]
    if not cuts:
        return [text]
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)])]

"""Sentence meaning, lexically: canonical content words, numbers and negation (for PA102).

Phrases and synonyms map to one canonical token (``data/restatement.yaml``), number words become
digits, negation becomes a flag, stopwords drop out, and a light stemmer folds plurals.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|n't")


@dataclass(frozen=True)
class Meaning:
    """What PA102 compares: content words (numbers included), the numbers alone, and negation."""

    words: frozenset[str]
    numbers: frozenset[str]
    negated: bool


@dataclass(frozen=True)
class Lexicon:
    phrases: re.Pattern
    canonical: dict[str, str]
    numbers: dict[str, int]
    negations: frozenset[str]
    stopwords: frozenset[str]
    contrast_group: dict[str, int]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon from the data file, compiled once."""
    from promptaudit.safeyaml import load_yaml

    data = load_yaml(resources.files("promptaudit").joinpath("data/restatement.yaml").read_text(encoding="utf-8"))
    canonical = {v.lower(): k for k, variants in data["phrases"].items() for v in variants}
    multi = sorted((v for v in canonical if " " in v or "-" in v), key=len, reverse=True)
    phrases = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in multi) + r")\b")
    groups = {word: i for i, group in enumerate(data["contrasts"]) for word in group}
    return Lexicon(
        phrases,
        canonical,
        data["numbers"],
        frozenset(data["negations"]),
        frozenset(data["stopwords"]),
        groups,
    )


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _words(text: str, lex: Lexicon) -> list[str]:
    text = text.lower().replace("’", "'").replace("-", " ")
    text = lex.phrases.sub(lambda m: " " + lex.canonical[m.group(0)] + " ", text)
    if "'" not in text:  # most sentences: no contraction or possessive to split
        return _WORD.findall(text)
    words = []
    for raw in _WORD.findall(text):
        if raw.endswith("n't"):
            words += [raw[:-3], "n't"] if raw != "n't" else ["n't"]
        else:
            words.append(raw.split("'")[0])
    return words


def _numbers(words: list[str], lex: Lexicon) -> list[str]:
    """Replace number words with digits, folding "two hundred" into 200."""
    if lex.numbers.keys().isdisjoint(words):  # most sentences: nothing to fold
        return words
    out: list[str] = []
    for word in words:
        value = lex.numbers.get(word)
        if value is None:
            out.append(word)
        elif value in (100, 1000) and out and out[-1].isdigit():
            out[-1] = str(int(out[-1]) * value)
        elif _adds_to(out, value):
            out[-2:] = [str(int(out[-2]) + value)] if out[-1] == "and" else [str(int(out[-1]) + value)]
        else:
            out.append(str(value))
    return out


def _adds_to(out: list[str], value: int) -> bool:
    """Whether ``value`` continues a hundreds number: "a hundred and fifty", "two hundred five"."""
    previous = out[-2] if out[-1:] == ["and"] and len(out) > 1 else (out[-1] if out else "")
    return previous.isdigit() and int(previous) % 100 == 0 and int(previous) > 0 and value < 100


@functools.lru_cache(maxsize=65_536)
def _content(word: str) -> str:
    """The canonical content word for ``word``; "" for stopwords and negations (cached: words repeat)."""
    lex = lexicon()
    if word in lex.negations or word in lex.stopwords:
        return ""
    word = lex.canonical.get(word, word)
    stem = _stem(word)
    return lex.canonical.get(stem, stem)


def meaning(text: str) -> Meaning:
    """The canonical content of one sentence."""
    lex = lexicon()
    words = _numbers(_words(text, lex), lex)
    negated = not lex.negations.isdisjoint(words)
    content = set(map(_content, words))
    content.discard("")
    return Meaning(frozenset(content), frozenset(w for w in content if w.isdigit()), negated)


def contrasting(a: Meaning, b: Meaning) -> bool:
    """Whether the two use different words from one contrast group (basic/premium, formal/casual)."""
    groups = lexicon().contrast_group
    only_a = {groups[w] for w in a.words - b.words if w in groups}
    only_b = {groups[w] for w in b.words - a.words if w in groups}
    return bool(only_a & only_b)

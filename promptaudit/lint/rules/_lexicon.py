"""Sentence meaning, lexically: canonical content words, numbers and negation (for PA102).

Phrases and synonyms map to one canonical token (``data/restatement.yaml``), number words become
digits, negation becomes a flag, stopwords drop out, and a light suffix stemmer folds word forms
(cite/citation, store/stored, reply/replies) so a synonym listed once covers its inflections.
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
    phrase_canonical: dict[str, str]
    canonical: dict[str, str]  # a word's stem -> its canonical stem
    numbers: dict[str, int]
    negations: frozenset[str]
    stopwords: frozenset[str]
    contrast_group: dict[str, int]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon from the data file, compiled once."""
    from promptaudit.reading.safeyaml import load_yaml

    data = load_yaml(resources.files("promptaudit.lint").joinpath("data/restatement.yaml").read_text(encoding="utf-8"))
    canonical = {v.lower(): k for k, variants in data["phrases"].items() for v in variants}
    # A canonical form of two words ("bullet list") must be spliced into the text to split into tokens.
    multi = sorted((v for v, k in canonical.items() if " " in v + k or "-" in v), key=len, reverse=True)
    phrases = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in multi) + r")\b")
    by_stem = {stem(v): stem(k) for v, k in canonical.items() if " " not in v + k}
    return Lexicon(
        phrases,
        canonical,
        by_stem,
        data["numbers"],
        frozenset(data["negations"]),
        frozenset(data["stopwords"]),
        _contrast_groups(data["contrasts"], by_stem),
    )


def _contrast_groups(contrasts: list[list[str]], by_stem: dict[str, str]) -> dict[str, int]:
    """Each contrasting word, in the canonical stemmed form meanings hold, to its group number."""
    return {by_stem.get(stem(w), stem(w)): i for i, group in enumerate(contrasts) for w in group}


# (suffix, replacement, letters that must remain): "citation" -> "cit", but "state" keeps its "ate".
_INFLECTIONS = (("ies", "y", 3), ("ied", "y", 3), ("ing", "", 3), ("ed", "", 3), ("s", "", 3))
_DERIVATIONS = (("ations", "", 3), ("ation", "", 3), ("ness", "", 4), ("ate", "", 4))
_KEEP_DOUBLE = frozenset("lsz")


def _strip(word: str, suffixes: tuple) -> tuple[str, bool]:
    """``word`` without the first suffix that leaves enough letters, and whether one went."""
    for suffix, replacement, min_stem in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            return word[: -len(suffix)] + replacement, True
    return word, False


def _inflection(word: str) -> str:
    """Plural, past and -ing forms to the base (stopped -> stop, escalated -> escalate)."""
    if word.endswith(("ss", "us", "is", "eed")):  # class, status, analysis, exceed: not inflected
        return word
    base, stripped = _strip(word, _INFLECTIONS)
    if not stripped or word.endswith(("ies", "ied", "s")):
        return base
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in _KEEP_DOUBLE:
        return base[:-1]  # stopped, planned: the doubled consonant belongs to the suffix
    return base + "e" if base.endswith(("at", "bl", "iz")) else base


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A light Porter-style stem: inflections, a few derivations, then a silent final e.

    Deliberately short of Porter or Snowball: it never strips -ly, whose stems would merge contrasting
    words (weekly/week, monthly/month), nor -er, -ion or -ment.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    word, _ = _strip(_inflection(word), _DERIVATIONS)
    if len(word) >= 4 and word.endswith("e") and not word.endswith("ee"):
        return word[:-1]
    return word


_IDENTIFIER = re.compile(r"\b(?=[\w.-]*[a-z])[a-z0-9]+(?:(?:[_.][a-z0-9]+)+|(?:-[a-z0-9]+){2,})\b")


def _words(text: str, lex: Lexicon) -> list[str]:
    """Lower-case words; a compound name (``search_codebase``, ``z-ai-web-dev-sdk``, ``next.js``) is one word,
    so a shared name counts once, not once per part."""
    text = _IDENTIFIER.sub(lambda m: re.sub(r"[_.-]", "", m.group(0)), text.lower().replace("’", "'"))
    text = text.replace("-", " ")
    text = lex.phrases.sub(lambda m: " " + lex.phrase_canonical[m.group(0)] + " ", text)
    if "'" not in text:  # most sentences: no contraction or possessive to split
        return _WORD.findall(text)
    words = []
    for raw in _WORD.findall(text):
        if raw.endswith("n't"):
            words += [raw[:-3], "n't"] if raw != "n't" else ["n't"]
        else:
            words.append(raw.split("'")[0])
    return words


MAX_FOLDED_DIGITS = 18


def _numbers(words: list[str], lex: Lexicon) -> list[str]:
    """Replace number words with digits, folding "two hundred" into 200."""
    if lex.numbers.keys().isdisjoint(words):  # most sentences: nothing to fold
        return words
    out: list[str] = []
    for word in words:
        value = lex.numbers.get(word)
        if value is None:
            out.append(word)
        elif value in (100, 1000) and out and _small_number(out[-1]):
            out[-1] = str(int(out[-1]) * value)
        elif _adds_to(out, value):
            out[-2:] = [str(int(out[-2]) + value)] if out[-1] == "and" else [str(int(out[-1]) + value)]
        else:
            out.append(str(value))
    return out


def _adds_to(out: list[str], value: int) -> bool:
    """Whether ``value`` continues a hundreds number: "a hundred and fifty", "two hundred five"."""
    previous = out[-2] if out[-1:] == ["and"] and len(out) > 1 else (out[-1] if out else "")
    return _small_number(previous) and int(previous) % 100 == 0 and int(previous) > 0 and value < 100


def _small_number(word: str) -> bool:
    """Digits short enough to fold ("2" of "2 hundred"); a 5,000-digit run is left as it is (int() refuses it)."""
    return word.isdigit() and len(word) <= MAX_FOLDED_DIGITS


@functools.lru_cache(maxsize=65_536)
def _content(word: str) -> str:
    """The canonical content word for ``word``; "" for stopwords and negations (cached: words repeat)."""
    lex = lexicon()
    if word in lex.negations or word in lex.stopwords:
        return ""
    base = stem(word)
    return lex.canonical.get(base, base)


def content_word(word: str) -> str:
    """The canonical content form of one lower-case word ("two" -> "2"); "" for stopwords and negations."""
    number = lexicon().numbers.get(word)
    return str(number) if number is not None else _content(word)


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

"""Claude token estimates where ctok is not installed: one fitted factor per script feature and family.

A text is measured by the features Claude's tokenizers are sensitive to, and the estimate is the sum of
each feature times its fitted factor (``data/claude_estimates.yaml``, fitted with ctok by
``tools/fit_claude_estimates.py`` on the labelled texts under ``benchmarks/claude/fit``):

* its o200k_base tokens, attributed to the script of their first non-space character: common and rare
  ASCII words (o200k id below or above :data:`RARE_TOKEN_ID`), accented Latin, digits, whitespace,
  punctuation and symbols (most of code and JSON), Cyrillic, kana, anything else;
* characters that Claude tokenizes near one per character whatever o200k does with them: Han
  ideographs, kana, Hangul syllables and words, CJK punctuation;
* capitalised words and upper-case runs, which cost Claude's tokenizers a case marker.

The result is a labelled estimate with a measured error band per script (``docs/claude-counts.md``).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from importlib import resources

RARE_TOKEN_ID = 10_000
TOKEN_FEATURES = ("word", "word_rare", "latin_ext", "digit", "space", "punct", "cyrillic", "other", "kana")
TEXT_FEATURES = ("cap_words", "upper_runs", "han_chars", "kana_chars", "hangul_chars", "hangul_words", "cjk_punct")
FEATURES = TOKEN_FEATURES + TEXT_FEATURES

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uff65"
_PATTERNS = {
    "cap_words": re.compile("[A-Z][a-z]"),
    "upper_runs": re.compile("[A-Z]{2,}"),
    "han_chars": re.compile(f"[{_HAN}]"),
    "kana_chars": re.compile(f"[{_KANA}]"),
    "hangul_chars": re.compile(f"[{_HANGUL}]"),
    "hangul_words": re.compile(f"[{_HANGUL}]+"),
    "cjk_punct": re.compile(f"[{_CJK_PUNCT}]"),
}
_RANGES = (  # (first, last, script) for the non-ASCII characters that decide a token's class
    (0x3040, 0x30FF, "kana"), (0x31F0, 0x31FF, "kana"), (0xFF66, 0xFF9F, "kana"),
    (0x1100, 0x11FF, "cjk"), (0x3130, 0x318F, "cjk"), (0xAC00, 0xD7AF, "cjk"),
    (0x3400, 0x4DBF, "cjk"), (0x4E00, 0x9FFF, "cjk"), (0xF900, 0xFAFF, "cjk"), (0x20000, 0x2FFFF, "cjk"),
    (0x3000, 0x303F, "cjk"), (0xFF00, 0xFF65, "cjk"),
    (0x00C0, 0x024F, "latin_ext"), (0x1E00, 0x1EFF, "latin_ext"), (0x0400, 0x052F, "cyrillic"),
)  # fmt: skip


@functools.lru_cache(maxsize=4096)
def char_script(ch: str) -> str:
    """The feature a character's token is attributed to (``cjk`` tokens are measured by characters instead)."""
    code = ord(ch)
    if code < 128:
        return "word" if ch.isalpha() else "digit" if ch.isdigit() else "space" if ch.isspace() else "punct"
    for first, last, script in _RANGES:
        if first <= code <= last:
            return script
    if ch.isspace():
        return "space"
    return "punct" if unicodedata.category(ch)[0] in "PS" and code < 0x2C00 else "other"


def _token_script(text: str, start: int, end: int, token: int) -> str:
    for ch in text[start : max(end, start + 1)]:
        script = char_script(ch)
        if script != "space":
            return "word_rare" if script == "word" and token >= RARE_TOKEN_ID else script
    return "space"


def features(text: str, encoding) -> dict[str, int]:
    """The estimate's features of ``text``; ``encoding`` is tiktoken's o200k_base ``Encoding``."""
    found = dict.fromkeys(FEATURES, 0)
    tokens = encoding.encode_ordinary(text)
    _, offsets = encoding.decode_with_offsets(tokens)
    ends = offsets[1:] + [len(text)]
    for token, start, end in zip(tokens, offsets, ends):
        script = _token_script(text, start, end, token)
        if script in found:
            found[script] += 1
    for name, pattern in _PATTERNS.items():
        found[name] = len(pattern.findall(text))
    return found


@functools.lru_cache(maxsize=1)
def table() -> dict:
    """The fitted table: ``families`` (family -> feature factors and bands) plus provenance."""
    import yaml

    text = resources.files("promptaudit.tokens").joinpath("data/claude_estimates.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def estimate(found: dict[str, int], family: str) -> int:
    """The estimate for one text's features in ``family`` (rounded up; never below one token for text)."""
    factors = table()["families"][family]["factors"]
    value = sum(factors.get(name, 0.0) * count for name, count in found.items())
    return math.ceil(value) if value > 0 else 0


def estimate_counts(texts: list[str], family: str) -> list[int]:
    """Estimated Claude content tokens of ``texts`` in ``family`` (loads o200k_base in this process)."""
    from promptaudit.tokens.vocab import load_encoding

    encoding = load_encoding("o200k_base")
    return [estimate(features(text, encoding), family) if text else 0 for text in texts]


def band(family: str, script: str) -> float:
    """The measured relative error band (e.g. 0.15 for ±15%) of ``family`` estimates on ``script`` texts."""
    bands = table()["families"][family]["bands"]
    return float(bands.get(script, max(bands.values())))

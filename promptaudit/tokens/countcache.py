"""The count cache: exact encoder counts keyed by a text's digest and encoding, kept between runs.

A cache that cannot lie: an entry is used only when it is a plain integer inside what its text could hold
(0 for the empty text; otherwise at least one token per :data:`LONGEST_TOKEN_BYTES` bytes and at most one
per byte). Anything else is a miss: the text is counted again and the entry rewritten. The file is written
atomically (temporary file, then rename) and merged with what other processes wrote meanwhile, so hooks
running side by side never see half a file and keep each other's entries.
"""

from __future__ import annotations

import functools
import hashlib

from promptaudit.tokens import cache
from promptaudit.tokens.small import as_tiktoken_sees

COUNT_CACHE = "counts-v2.json"
COUNT_CACHE_LIMIT = 50_000
LONGEST_TOKEN_BYTES = {"o200k_base": 128, "cl100k_base": 128}  # checked against the ranks by a test


@functools.lru_cache(maxsize=4096)
def text_digest(text: str) -> str:
    """The cache key part for ``text`` (memoised: large prompts cost real time to hash)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16, person=b"pa-count").hexdigest()


def plausible(tokens: object, text: str, encoding: str) -> bool:
    """Whether ``tokens`` could be the count of ``text`` in ``encoding`` (a range check, not a recount)."""
    if type(tokens) is not int:  # JSON true is an int to Python, and a float is never a count
        return False
    size = len(as_tiktoken_sees(text).encode("utf-8"))
    if size == 0:
        return tokens == 0
    if encoding not in LONGEST_TOKEN_BYTES:  # a Claude counter (tokens/claude.py): case and word markers
        return 0 <= tokens <= 2 * size + 2  # can outnumber bytes; no lower bound is published
    return -(-size // LONGEST_TOKEN_BYTES[encoding]) <= tokens <= size


class CountCache:
    """Counts persisted in the user cache; :meth:`get` validates every entry against its text."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = _stored_counts()
        self.fresh: dict[str, int] = {}

    def get(self, text: str, encoding: str) -> int | None:
        """The cached count of ``text``, or None when absent or implausible (then it is a miss)."""
        value = self.counts.get(text_digest(text) + encoding)
        return value if plausible(value, text, encoding) else None  # type: ignore[return-value]

    def put(self, text: str, encoding: str, tokens: int) -> None:
        """Remember a freshly computed count (written by :meth:`save`)."""
        key = text_digest(text) + encoding
        self.counts[key] = self.fresh[key] = tokens

    def save(self) -> None:
        """Merge the fresh counts into the file as it is now and write it atomically; no-op when none."""
        if not self.fresh:
            return
        merged = {**_stored_counts(), **self.fresh}
        if len(merged) > COUNT_CACHE_LIMIT:  # keep the newest entries (dicts keep insertion order)
            merged = dict(list(merged.items())[-COUNT_CACHE_LIMIT:])
        cache.write_json(COUNT_CACHE, {"counts": merged})
        self.fresh = {}


def _stored_counts() -> dict[str, int]:
    """The file's entries with a string key and an integer value (each is range-checked when used)."""
    stored = cache.read_json(COUNT_CACHE) or {}
    counts = stored.get("counts")
    if not isinstance(counts, dict):
        return {}
    return {k: v for k, v in counts.items() if isinstance(k, str) and type(v) is int}

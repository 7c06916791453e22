"""The start-up tokenizer process: same counts as in-process tiktoken, and never a reason to fail."""

from __future__ import annotations

import subprocess
import sys

import pytest

from promptaudit.tokens import tokenizers as tokens
from promptaudit.tokens import worker
from promptaudit.tokens.vocab import load_encoding

TEXTS = ["Hello, world!", "Classify the message. <|endoftext|> Reply with one label.", "你好，世界。", ""]


@pytest.fixture(autouse=True)
def no_worker_left(monkeypatch):
    monkeypatch.delenv("PROMPTAUDIT_NO_WORKER", raising=False)
    worker.stop()
    yield
    worker.stop()


def expected(texts: list[str]) -> list[int]:
    return [len(t) for t in load_encoding("o200k_base").encode_ordinary_batch(texts)]


def test_without_a_worker_count_returns_none():
    assert worker.count(TEXTS, "o200k_base") is None
    assert worker.serving() == frozenset()


def test_worker_counts_equal_in_process_tiktoken():
    worker.start({"o200k_base"})
    assert worker.serving() == {"o200k_base"}
    assert worker.count(TEXTS, "o200k_base") == expected(TEXTS)
    assert worker.count(["second request"], "o200k_base") == expected(["second request"])


def test_the_environment_can_turn_the_worker_off(monkeypatch):
    monkeypatch.setenv("PROMPTAUDIT_NO_WORKER", "1")
    worker.start({"o200k_base"})
    assert worker.serving() == frozenset()


def test_worker_is_not_asked_for_an_encoding_it_did_not_build():
    worker.start({"o200k_base"})
    assert worker.count(TEXTS, "cl100k_base") is None


def fake_child(code: str) -> worker._Child:
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return worker._Child(process, frozenset({"o200k_base"}))


def test_hints_are_encoded_ahead_and_answer_the_count():
    worker.start({"o200k_base"})
    worker.hint(TEXTS[:2])
    assert worker.count(TEXTS, "o200k_base") == expected(TEXTS)


def test_a_dead_worker_means_in_process_counting(monkeypatch, isolated_env):
    monkeypatch.setattr(worker, "_child", fake_child("pass"))

    assert worker.count(TEXTS, "o200k_base") is None
    assert worker.serving() == frozenset()  # stopped after the failure
    assert tokens.encoder_counts(TEXTS, "o200k_base") == expected(TEXTS)


def test_a_worker_that_answers_nonsense_is_dropped(monkeypatch):
    liar = fake_child("import sys; sys.stdout.buffer.write(b'\\x00' * 8); sys.stdout.flush()")
    monkeypatch.setattr(worker, "_child", liar)

    assert worker.count(TEXTS, "o200k_base") is None
    assert worker.serving() == frozenset()

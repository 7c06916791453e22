"""Cache writes only later runs need wait until the answer is printed; the console script turns this on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from promptaudit.tokens import deferred, vocab

SCRIPT = Path(sys.executable).parent / "promptaudit"


@pytest.fixture
def deferring(monkeypatch):
    monkeypatch.setattr(deferred, "_PENDING", {})
    deferred.activate()
    yield
    monkeypatch.setattr(deferred, "_ACTIVE", False)


def test_in_process_writes_run_at_once():
    done = []
    deferred.later("k", lambda: done.append(1))
    assert done == [1] and not deferred.active()


def test_deferred_writes_run_once_each_after_the_output(deferring, capsys):
    done = []
    deferred.later("a", lambda: done.append("first a"))
    deferred.later("b", lambda: done.append("b"))
    deferred.later("a", lambda: done.append("second a"))  # replaces the first, keeps its place
    print("answer")
    assert done == []

    deferred.run_all()

    assert done == ["second a", "b"] and capsys.readouterr().out == "answer\n"
    assert not deferred.active()


def test_a_failing_write_is_dropped(deferring):
    done = []

    def broken():
        raise OSError("disk full")

    deferred.later("broken", broken)
    deferred.later("ok", lambda: done.append(1))
    deferred.run_all()
    assert done == [1]


def run(cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(cache)}
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_compact_vocabulary_is_written_by_the_second_run_that_needs_it(
    isolated_env, reference_encoding, monkeypatch
):
    """A cold run leaves only a note; the next one writes the compact copy; both print exact counts."""
    cache = isolated_env / "cache"
    name, expected_hash = "o200k_base", vocab.EXPECTED["o200k_base"][1]
    table, wanted = cache / vocab._compact_name(name, expected_hash), cache / vocab._wanted_name(name, expected_hash)
    texts = ["Reply in French.\n", "Reply in Spanish, briefly.\n", "Reply in German.\n"]
    outputs = []
    for i, text in enumerate(texts):
        (isolated_env / f"p{i}.txt").write_text(text, encoding="utf-8")
        done = run(cache, "count", f"p{i}.txt", "--format", "csv")
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
        assert wanted.exists() and table.exists() == (i >= 1)
    for text, output in zip(texts, outputs):
        assert f",{len(reference_encoding(name).encode_ordinary(text))}," in output
    monkeypatch.setenv("PROMPTAUDIT_CACHE_DIR", str(cache))
    assert vocab._read_compact(name, expected_hash) is not None  # the listed, verified copy

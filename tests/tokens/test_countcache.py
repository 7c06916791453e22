"""countcache.py: entries are range-checked against their text, writes are atomic and merged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from promptaudit import __version__
from promptaudit.tokens import countcache, vocab
from promptaudit.tokens import tokenizers as tokens
from promptaudit.tokens.paragraphs import paragraphs

REPO = Path(__file__).resolve().parents[2]
TEXT = "Answer in one word: positive, negative or neutral. " * 20


def cache_file(isolated_env) -> Path:
    return isolated_env / ".cache" / "promptaudit" / countcache.COUNT_CACHE


def store(isolated_env, text: str, value) -> None:
    path = cache_file(isolated_env)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = countcache.text_digest(text) + "o200k_base"
    path.write_text(json.dumps({"counts": {key: value}, "_version": __version__}))


@pytest.mark.parametrize("encoding", vocab.ENCODINGS)
def test_longest_token_bytes_is_the_vocabularys(encoding):
    assert countcache.LONGEST_TOKEN_BYTES[encoding] == max(map(len, vocab.ranks(encoding)))


@pytest.mark.parametrize(
    ("tokens", "text", "plausible"),
    [
        (0, "", True),
        (1, "", False),
        (1, "a", True),
        (2, "a", False),
        (len(TEXT.encode()), TEXT, True),
        (len(TEXT.encode()) + 1, TEXT, False),
        (1, TEXT, False),  # a 1,000-byte text cannot be one token
        (-(-len(TEXT.encode()) // 128), TEXT, True),
        (10**40, TEXT, False),
        (-3, TEXT, False),
        (True, "a", False),
        (3.0, TEXT, False),
        ("12", TEXT, False),
        (None, TEXT, False),
    ],
)
def test_plausible_counts(tokens, text, plausible):
    assert countcache.plausible(tokens, text, "o200k_base") is plausible


@pytest.mark.parametrize("lie", [1, 10**40, -1, 0, True, 2.5, "many", None, [3], {"n": 3}])
def test_a_lying_entry_is_a_miss_recounted_and_rewritten(isolated_env, reference_encoding, lie):
    truth = len(reference_encoding("o200k_base").encode_ordinary(TEXT))
    store(isolated_env, TEXT, lie)

    assert tokens.encoder_counts([TEXT], "o200k_base") == [truth]
    stored = json.loads(cache_file(isolated_env).read_text())["counts"]
    assert stored[countcache.text_digest(TEXT) + "o200k_base"] == truth


def test_a_save_keeps_what_another_process_wrote_meanwhile(isolated_env):
    first = countcache.CountCache()
    first.put("from the first process", "o200k_base", 4)
    other = countcache.CountCache()
    other.put("from another process", "o200k_base", 3)
    other.save()
    first.save()

    stored = json.loads(cache_file(isolated_env).read_text())["counts"]
    assert set(stored) == {
        countcache.text_digest(t) + "o200k_base" for t in ("from the first process", "from another process")
    }


def test_a_cache_with_nothing_new_is_not_written(isolated_env):
    countcache.CountCache().save()
    assert not cache_file(isolated_env).exists()


def read(paths: list[Path]) -> list:
    from promptaudit.reading.loading import gather_prompts
    from promptaudit.reading.sources import DEFAULT_EXTENSIONS

    prompts, errors = gather_prompts([str(p) for p in paths], DEFAULT_EXTENSIONS)
    assert errors == []
    return prompts


def billed(paths: list[Path]) -> list[str]:
    """The texts counting these files stores (parts and framing), read in-process."""
    from promptaudit.tokens.counting import billed_texts

    return billed_texts(read(paths))


def in_process_total(path: Path) -> int:
    from promptaudit.tokens.counting import prompt_tokens

    return sum(count.tokens for count in prompt_tokens(read([path]), "gpt-4o"))


def test_eight_processes_on_one_cold_cache(isolated_env, tmp_path, reference_encoding):
    """Eight console scripts start together on one empty cache, each on its own overlapping share of the files.

    Every count each prints equals in-process counting, and afterwards every entry in the cache equals
    tiktoken's count of its text and none is missing.
    """
    sources = sorted((REPO / "sample_prompts").iterdir()) + sorted((REPO / "tests" / "data" / "text").iterdir())
    files = []
    for i, source in enumerate(sources):
        suffix = ".txt" if source.suffix == ".py" else source.suffix  # a .py file is read as Python code
        files.append(tmp_path / f"p{i}{suffix}")
        files[-1].write_bytes(source.read_bytes() + f"\nProcess-shared variant {i}.\n".encode())
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "shared")}
    script = str(Path(sys.executable).parent / "promptaudit")
    shares = [[f.name for i, f in enumerate(files) if (i + k) % 3] for k in range(8)]
    runs = [
        subprocess.Popen([script, "count", "--format", "json", *share], cwd=tmp_path, env=env, stdout=subprocess.PIPE)
        for share in shares
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]

    def truth(text: str) -> int:
        return len(reference_encoding("o200k_base").encode_ordinary(text))

    whole = {f.name: in_process_total(f) for f in files}
    for run, output, share in zip(runs, outputs, shares):
        assert run.returncode == 0
        assert {f["path"]: f["counts"][0]["tokens"] for f in json.loads(output)["files"]} == {
            n: whole[n] for n in share
        }
    stored = json.loads((tmp_path / "shared" / countcache.COUNT_CACHE).read_text())["counts"]
    pieces = {part for t in billed(files) for part in paragraphs(t)}  # counts are kept per paragraph
    assert stored == {countcache.text_digest(t) + "o200k_base": truth(t) for t in pieces}
    assert not [p for p in (tmp_path / "shared").iterdir() if p.name.startswith(".tmp-")]

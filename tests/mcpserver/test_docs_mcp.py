"""docs/mcp.md says what the server does: its tools, arguments and resources, and a worked session that is real."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from promptaudit.mcpserver import resources, tools

from .conftest import run_async

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "mcp.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "tools"))


def table_rows(first_cell: str) -> list[list[str]]:
    """The rows of the page's tables whose first cell starts with ``first_cell``."""
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in PAGE.splitlines()
        if line.startswith(f"| {first_cell}")
    ]


def documented_tools() -> dict[str, tuple[str, set[str]]]:
    """Tool -> (command it runs, argument names) from the Tools table."""
    header = PAGE.index("| Tool | Runs | Arguments")
    table = PAGE[header:].split("\n\n", 1)[0].splitlines()[2:]
    found = {}
    for line in table:
        name, runs, arguments = (cell.strip() for cell in line.strip("|").split("|"))
        names = {n for n in re.findall(r"`([^`]+)`", arguments) if not n.startswith("-") and " " not in n}
        found[name.strip("`")] = (runs.strip("`"), names)
    return found


def test_the_tools_table_names_every_tool_and_the_command_it_runs():
    assert {name: runs for name, (runs, _) in documented_tools().items()} == tools.COMMANDS


def test_the_tools_table_names_every_argument(tmp_path):
    pytest.importorskip("mcp")
    from promptaudit.mcpserver import runner, server

    async def listed():
        return await server.build(server.Settings((tmp_path,), runner.Limits()), tmp_path).list_tools()

    actual = {tool.name: set(tool.inputSchema["properties"]) for tool in run_async(listed)}
    assert {name: arguments for name, (_, arguments) in documented_tools().items()} == actual


def test_the_resources_table_names_every_resource():
    documented = {row[0].strip("`") for row in table_rows("`promptaudit://")}
    assert documented == {resources.PRICES_URI, resources.RULES_URI, resources.CONFIG_URI}


def test_the_worked_session_is_what_the_server_answers():
    pytest.importorskip("mcp")
    import docs_samples
    import mcp_session

    drift = docs_samples.drift()
    if drift and not os.environ.get("CI"):
        pytest.skip("the session is made at constraints.txt's versions: " + "; ".join(drift))
    assert mcp_session.main([]) == 0, "run: python tools/mcp_session.py --write"

"""What every tool call shares: the workspace it may read, the config, a bound on parallel runs, and turning a
command's answer (or failure) into a tool result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import anyio
from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from mcp.shared.exceptions import McpError
from mcp.types import CallToolResult, ClientCapabilities, RootsCapability, TextContent

from promptaudit.errors import PromptauditError, UsageError
from promptaudit.mcpserver import runner, tools
from promptaudit.mcpserver.workspace import Workspace, config_file, confine_all, from_uris

PARALLEL_RUNS = 2
"""Commands run at once; more calls wait their turn (the machine is the user's, not the agent's)."""
ROOTS_TIMEOUT = 10.0
"""Seconds the client has to answer ``roots/list``."""


@dataclass(frozen=True)
class Settings:
    """How the server runs: the roots for clients that declare none, and the limits of each command run."""

    roots: tuple[Path, ...]
    limits: runner.Limits


class Service:
    """What every call shares: the settings, a bound on parallel runs and the empty config file."""

    def __init__(self, settings: Settings, scratch: Path):
        self.settings = settings
        self.limiter = anyio.CapacityLimiter(PARALLEL_RUNS)
        self.no_config = scratch / "promptaudit.yaml"  # bundled defaults: stops the CLI looking above the roots
        self.no_config.write_text("", encoding="utf-8")

    async def workspace(self, ctx: Context | None) -> Workspace:
        """The roots the client declares now (asked on every call: they change), else the default roots."""
        return from_uris(await _client_roots(ctx), self.settings.roots)

    def config(self, workspace: Workspace) -> Path:
        """The config file for the CLI's ``--config``: the workspace's, else an empty one (defaults)."""
        return config_file(workspace) or self.no_config

    async def answer(self, ctx: Context, tool: str, arguments: dict, inputs: Callable) -> CallToolResult:
        """Run a tool's command; every failure becomes a tool error with one message."""
        try:
            flags = tools.options(arguments)  # first: a bad value is said before any file is looked at
            workspace = await self.workspace(ctx)
            config = await in_thread(self.config, workspace)
            positional, stdin = await in_thread(inputs, workspace, config)
            call = tools.command(tool, config, flags, positional, workspace.home, stdin)
            async with self.limiter:
                found = await runner.run(call, self.settings.limits)
        except PromptauditError as exc:
            raise ToolError(str(exc)) from None
        return _result(found)

    async def document(self, ctx: Context, tool: str, arguments: dict) -> runner.CliAnswer:
        """A tool's command's answer, for a resource, in the client's workspace."""
        workspace = await self.workspace(ctx)
        config = await in_thread(self.config, workspace)
        async with self.limiter:
            call = tools.command(tool, config, tools.options(arguments), [], workspace.home)
            return await runner.run(call, self.settings.limits)


async def in_thread(function: Callable, *args):
    """Run blocking work (a folder walk, git, reading the config) off the event loop."""
    return await anyio.to_thread.run_sync(function, *args, abandon_on_cancel=True)


async def _client_roots(ctx: Context | None) -> list[str] | None:
    """The client's root URIs, or None when it declares no roots capability (or there is no request)."""
    try:
        session = ctx.session if ctx is not None else None
    except ValueError:  # a context outside a request
        return None
    if session is None or not session.check_client_capability(ClientCapabilities(roots=RootsCapability())):
        return None
    try:
        with anyio.fail_after(ROOTS_TIMEOUT):
            listed = await session.list_roots()
    except TimeoutError:
        raise UsageError(f"the client did not list its workspace roots within {ROOTS_TIMEOUT:g} s") from None
    except McpError as exc:
        raise UsageError(f"the client could not list its workspace roots: {exc}") from None
    return [str(root.uri) for root in listed.roots]


def _result(found: runner.CliAnswer) -> CallToolResult:
    """The command's JSON as text (exactly as printed) and as structured content, then its notes."""
    content = [TextContent(type="text", text=found.text)]
    if found.notes:
        content.append(TextContent(type="text", text="promptaudit notes:\n" + "\n".join(found.notes)))
    document = found.document if isinstance(found.document, dict) else {"result": found.document}
    return CallToolResult(content=content, structuredContent=document)


def prompts(paths: list[str] | None, text: str | None) -> Callable:
    """Inputs for a command that reads prompts: confined paths (every file of a folder checked) or text."""

    def prepare(workspace: Workspace, config: Path):
        return tools.prompt_arguments(paths, text, workspace, config)

    return prepare


def files(named: list[str]) -> Callable:
    """Inputs for a command that reads the files named and nothing else (usage logs)."""
    return lambda workspace, config: (confine_all(list(named), workspace), None)


def nothing(workspace: Workspace, config: Path):
    """Inputs for a command that reads no user file."""
    return [], None


def git_tree(paths: list[str] | None) -> Callable:
    """Inputs for ``diff``: confined paths (default: the first root) whose changed files stay inside."""

    def prepare(workspace: Workspace, config: Path):
        return tools.diff_arguments(paths, workspace), None

    return prepare

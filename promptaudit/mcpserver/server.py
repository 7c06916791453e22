"""The SDK wiring of ``promptaudit mcp``: six tools and three resources on the official MCP SDK's ``FastMCP``.

Each tool checks its inputs against the workspace, runs one promptaudit command (``runner``) and returns
that command's JSON document twice, as the spec suggests: as text (exactly as printed) and as structured
content. The CLI's notes (assumptions, defaulted template variables) follow as a second text block. A user
mistake, a path outside the workspace or a failed run is a tool error (``isError``) with one clear message.
"""

from __future__ import annotations

import inspect
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from io import TextIOWrapper
from pathlib import Path
from typing import Annotated

import anyio
from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.exceptions import ResourceError
from mcp.server.stdio import stdio_server
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import Field

from promptaudit import __version__
from promptaudit.errors import PromptauditError
from promptaudit.mcpserver import resources, tools
from promptaudit.mcpserver.service import Service, Settings, files, git_tree, in_thread, nothing, prompts
from promptaudit.mcpserver.workspace import MAX_PATHS, config_file

INSTRUCTIONS = (
    "promptaudit counts tokens and prices LLM prompts offline. Every tool returns the JSON document of the "
    "matching promptaudit command (`promptaudit COMMAND --format json`), so its numbers are the CLI's. Money is "
    "USD as decimal strings. Paths are files or folders inside the workspace roots, relative to the first root; "
    "pass `text` instead to ask about a prompt that is not in a file."
)
READ_ONLY = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False)

Paths = Annotated[
    list[str] | None,
    Field(description="Prompt files or folders in the workspace (relative to the first root).", max_length=MAX_PATHS),
]
Text = Annotated[
    str | None, Field(description=f"The prompt itself, instead of paths (at most {tools.MAX_TEXT_BYTES:,} bytes).")
]
Models = Annotated[list[str] | None, Field(description="Models (default: the config's, else gpt-4o).", max_length=32)]
Model = Annotated[str | None, Field(description="Model (default: the config's, else gpt-4o).")]
Vars = Annotated[dict[str, str] | None, Field(description="Template variable values, name -> value.")]
PerDay = Annotated[float | None, Field(description="Requests per day, per prompt.")]
Fraction = Annotated[float | None, Field(description="A share from 0 to 1.")]
Tokens = Annotated[int | None, Field(description="Tokens per request.")]


class PromptauditServer(FastMCP):
    """FastMCP serving stdio on private copies of fds 0 and 1 (:func:`claim_stdio`), with promptaudit's version."""

    def __init__(self, service: Service):
        super().__init__("promptaudit", instructions=INSTRUCTIONS, log_level="WARNING")
        self._mcp_server.version = __version__
        self.service = service

    async def run_stdio_async(self) -> None:
        """The SDK's own stdio loop, on the streams :func:`claim_stdio` hands over."""
        stdin, stdout = claim_stdio()
        async with stdio_server(stdin, stdout) as (read, write):
            await self._mcp_server.run(read, write, self._mcp_server.create_initialization_options())


def claim_stdio():
    """The protocol's own copies of stdin and stdout; fd 0 then reads nothing and fd 1 writes to stderr.

    Whatever this process (or a child that inherits them) might print can then never reach the wire.
    """
    wire_in, wire_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    stdin = TextIOWrapper(os.fdopen(wire_in, "rb"), encoding="utf-8", errors="replace")
    stdout = TextIOWrapper(os.fdopen(wire_out, "wb"), encoding="utf-8")
    return anyio.wrap_file(stdin), anyio.wrap_file(stdout)


def build(settings: Settings, scratch: Path) -> PromptauditServer:
    """The server with its tools and resources."""
    server = PromptauditServer(Service(settings, scratch))
    _tools(server, server.service)
    _resources(server, server.service)
    return server


def _tool(server: FastMCP) -> Callable:
    """Register a function as a read-only tool; its docstring, on one line, is the description agents read."""

    def register(function: Callable) -> Callable:
        description = " ".join(inspect.cleandoc(function.__doc__ or "").split())
        server.add_tool(function, description=description, annotations=READ_ONLY)
        return function

    return register


def _tools(server: FastMCP, service: Service) -> None:
    @_tool(server)
    async def count_tokens(
        ctx: Context, paths: Paths = None, text: Text = None, models: Models = None, vars: Vars = None
    ) -> CallToolResult:
        """Exact token counts (OpenAI; Claude reconstructed or estimated, Gemini estimated: each count says
        which) and input cost per request, per file and model. Same JSON as `promptaudit count --format json`."""
        return await service.answer(ctx, "count_tokens", {"models": models, "vars": vars}, prompts(paths, text))

    @_tool(server)
    async def project_cost(
        ctx: Context,
        paths: Paths = None,
        text: Text = None,
        models: Models = None,
        per_day: PerDay = None,
        rps: Annotated[float | None, Field(description="Requests per second, per prompt.")] = None,
        rpm: Annotated[float | None, Field(description="Requests per minute, per prompt.")] = None,
        per_month: Annotated[float | None, Field(description="Requests per month, per prompt.")] = None,
        total_per_day: Annotated[
            float | None, Field(description="Total requests per day across the prompts (split by shares).")
        ] = None,
        shares: Annotated[
            dict[str, float] | None, Field(description="With total_per_day: prompt file -> share of the traffic.")
        ] = None,
        output_tokens: Tokens = None,
        user_tokens: Annotated[int | None, Field(description="Variable input tokens per request.")] = None,
        max_tokens: Annotated[int | None, Field(description="Output cap to evaluate.")] = None,
        cache_hit_rate: Fraction = None,
        batch_share: Fraction = None,
        route_to: Annotated[str | None, Field(description="Cheaper model for the routing what-if.")] = None,
        route_share: Fraction = None,
        fallback_rate: Fraction = None,
        days_per_month: Annotated[float | None, Field(description="Days in a month (default 30).")] = None,
        vars: Vars = None,
    ) -> CallToolResult:
        """Cost per request, day and month per model at a traffic volume, and what each lever saves (caching,
        trimming, Batch API, routing with its fallback break-even, max_tokens). Give one volume: per_day, rps,
        rpm, per_month, or total_per_day with shares. Same JSON as `promptaudit project --format json`."""
        arguments = {
            "models": models, "per_day": per_day, "rps": rps, "rpm": rpm, "per_month": per_month,
            "total_per_day": total_per_day, "shares": shares, "output_tokens": output_tokens,
            "user_tokens": user_tokens, "max_tokens": max_tokens, "cache_hit_rate": cache_hit_rate,
            "batch_share": batch_share, "route_to": route_to, "route_share": route_share,
            "fallback_rate": fallback_rate, "days_per_month": days_per_month, "vars": vars,
        }  # fmt: skip
        return await service.answer(ctx, "project_cost", arguments, prompts(paths, text))

    @_tool(server)
    async def audit_prompt(
        ctx: Context,
        paths: Paths = None,
        text: Text = None,
        model: Model = None,
        per_day: Annotated[float | None, Field(description="Requests per day, for savings per month.")] = None,
        max_tokens: Annotated[int | None, Field(description="Token budget per prompt (rule PA301).")] = None,
        select: Annotated[list[str] | None, Field(description="Rule IDs or prefixes to run.")] = None,
        ignore: Annotated[list[str] | None, Field(description="Rule IDs or prefixes to skip.")] = None,
        vars: Vars = None,
    ) -> CallToolResult:
        """Findings that waste tokens or block caching, each with its file, line and column, the tokens a fix
        saves and (with per_day) the money per month. Same JSON as `promptaudit audit --format json`."""
        arguments = {"model": model, "per_day": per_day, "max_tokens": max_tokens, "select": select}
        arguments |= {"ignore": ignore, "vars": vars}
        return await service.answer(ctx, "audit_prompt", arguments, prompts(paths, text))

    @_tool(server)
    async def list_models(
        ctx: Context,
        provider: Annotated[str | None, Field(description="Only this provider: openai, anthropic, google.")] = None,
    ) -> CallToolResult:
        """The model catalog: prices per million tokens (input, cached input, cache write, output, batch),
        context window, cache minimum and tokenizer. Same JSON as `promptaudit models --format json`."""
        return await service.answer(ctx, "list_models", {"provider": provider}, nothing)

    @_tool(server)
    async def usage_summary(
        ctx: Context,
        logs: Annotated[list[str], Field(description="Usage log files in the workspace.", max_length=MAX_PATHS)],
        by: Annotated[str | None, Field(description="Group by model (default), tag, day or a field.")] = None,
        since: Annotated[str | None, Field(description="Only records at or after this ISO date/time.")] = None,
        until: Annotated[str | None, Field(description="Only records before this ISO date/time.")] = None,
        model: Annotated[str | None, Field(description="Model for records that name none.")] = None,
    ) -> CallToolResult:
        """Measured spend, cache hit rate and output lengths from API usage logs (OpenAI, Anthropic, Gemini;
        JSON Lines, JSON, CSV, Parquet). Same JSON as `promptaudit usage --format json`."""
        arguments = {"by": by, "since": since, "until": until, "model": model}
        return await service.answer(ctx, "usage_summary", arguments, files(logs))

    @_tool(server)
    async def diff_cost(
        ctx: Context,
        base: Annotated[str | None, Field(description="Git ref to compare with (default: merge base).")] = None,
        paths: Annotated[
            list[str] | None, Field(description="Limit to these paths (default: the first root).", max_length=MAX_PATHS)
        ] = None,
        model: Model = None,
        per_day: PerDay = None,
    ) -> CallToolResult:
        """Tokens and $/month before and after, per changed prompt file, between a git ref and the working tree
        of the first root. Same JSON as `promptaudit diff --format json`."""
        arguments = {"base": base, "model": model, "per_day": per_day}
        return await service.answer(ctx, "diff_cost", arguments, git_tree(paths))


def _resources(server: FastMCP, service: Service) -> None:
    @server.resource(resources.PRICES_URI, name="prices", mime_type="application/json")
    async def prices() -> str:
        """The price source the tools use and the date its prices were last checked."""
        with _resource_errors():
            answer = await service.document(server.get_context(), "list_models", {})
            return resources.dumps(resources.price_facts(answer.document))

    @server.resource(resources.RULES_URI, name="rules", mime_type="application/json")
    def rules() -> str:
        """Every audit rule: ID, name, category, default severity, options and documentation."""
        return resources.dumps(resources.rule_catalogue())

    @server.resource(resources.CONFIG_URI, name="config", mime_type="application/json")
    async def config() -> str:
        """The config file in effect (from the first workspace root) and its settings."""
        with _resource_errors():
            workspace = await service.workspace(server.get_context())
            path = await in_thread(config_file, workspace)
            return resources.dumps(await in_thread(resources.config_in_effect, workspace, path))


@contextmanager
def _resource_errors():
    """A user's mistake (a broken config file) as a resource error with its message, not a generic one."""
    try:
        yield
    except PromptauditError as exc:
        raise ResourceError(str(exc)) from None


def serve(settings: Settings) -> None:
    """Serve over stdio until the client closes the connection."""
    with tempfile.TemporaryDirectory(prefix="promptaudit-mcp-") as scratch:
        build(settings, Path(scratch)).run("stdio")

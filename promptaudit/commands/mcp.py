"""``promptaudit mcp``: serve promptaudit's numbers to coding agents over the Model Context Protocol (stdio).

The server (:mod:`promptaudit.mcpserver`) needs the official MCP SDK, the ``[mcp]`` extra; without it this
command says once how to install it and exits 2. Stdout is the protocol channel, so this command prints
nothing there itself; diagnostics go to stderr.
"""

from __future__ import annotations

from typing import Annotated

import typer

from promptaudit.commands._common import user_errors

INSTALL_HINT = "promptaudit mcp needs the MCP SDK: pip install 'promptaudit[mcp]'"


@user_errors
def mcp_command(
    root: Annotated[
        list[str] | None,
        typer.Option(
            "--root",
            help="Workspace folder for clients that declare no roots (default: the working directory); repeatable.",
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds one tool call may run before it is stopped.", min=1)
    ] = 300.0,
) -> None:
    """Serve count, project, audit, models, usage and diff to coding agents as MCP tools (stdio)."""
    from pathlib import Path

    from promptaudit.errors import UsageError
    from promptaudit.mcpserver.workspace import default_roots

    roots = default_roots(root, Path.cwd())
    try:
        from promptaudit.mcpserver import runner, server
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] != "mcp":
            raise
        raise UsageError(INSTALL_HINT) from None
    server.serve(server.Settings(roots, runner.Limits(timeout)))

"""The MCP server behind ``promptaudit mcp``: coding agents ask promptaudit and get the CLI's own numbers.

Design (docs/mcp.md says it for users):

- **Every tool runs the promptaudit CLI** (``python -m promptaudit COMMAND ... --format json``) in a subprocess
  and returns the JSON document that command prints. No figure is computed twice, so an agent and a person
  at a terminal always see the same numbers; a command's JSON is its contract, here too.
- **stdout is the protocol channel.** The SDK's stdio transport points fd 1 at stderr while it serves, and
  the CLI's output is read from a pipe, so nothing the commands print can corrupt the wire.
- **A run can be stopped.** Each run has a timeout, bounded output and its own process group: a slow or
  runaway command is killed, a client that disconnects cancels its runs, and the server never hangs.
- **Confined to the workspace.** Paths resolve against the roots the client declares (or the working
  directory); symlinks are resolved before the check; a folder is refused if a file in it leads outside;
  the config is looked for only inside the roots (:mod:`promptaudit.mcpserver.workspace`).

Modules: :mod:`~promptaudit.mcpserver.workspace` (roots, confinement, config file),
:mod:`~promptaudit.mcpserver.runner` (the CLI subprocess), :mod:`~promptaudit.mcpserver.tools` (tool
arguments -> command lines, one table), :mod:`~promptaudit.mcpserver.resources` (prices, rules, config),
:mod:`~promptaudit.mcpserver.service` (what every call shares) and :mod:`~promptaudit.mcpserver.server` (the
SDK wiring). Only ``service`` and ``server`` import the SDK.
"""

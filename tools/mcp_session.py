"""Keep the worked session in docs/mcp.md equal to what ``promptaudit mcp`` really answers.

The session runs the installed console script over stdio with the MCP SDK's own client, from the repository
root (declared as the client's root), and renders each request and answer as Markdown between the
``<!-- mcp-session: begin -->`` and ``<!-- mcp-session: end -->`` markers. ``--write`` rewrites them;
``--check`` (the default) exits 1 when they differ. Like the console samples (tools/docs_samples.py), the
answers depend on the pinned prices and vocabularies, so they are made at the versions constraints.txt pins.
Needs the ``[mcp]`` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "mcp.md"
BEGIN, END = "<!-- mcp-session: begin -->", "<!-- mcp-session: end -->"
SECTION = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.S)
STEPS = [
    (
        "Count a prompt for two models.",
        "count_tokens",
        {"paths": ["sample_prompts/support_agent.txt"], "models": ["gpt-4o", "gpt-4o-mini"]},
    ),
    (
        "What it costs at 10,000 requests a day with 250 output tokens, and what each lever saves.",
        "project_cost",
        {"paths": ["sample_prompts/support_agent.txt"], "per_day": 10000, "output_tokens": 250},
    ),
    (
        "What wastes tokens, where, and what fixing it saves per month.",
        "audit_prompt",
        {"paths": ["sample_prompts/support_agent.txt"], "per_day": 10000},
    ),
    ("A path outside the workspace is refused.", "count_tokens", {"paths": ["../"]}),
]


def fenced(text: str, language: str = "json") -> str:
    return f"```{language}\n{text.rstrip()}\n```\n"


async def session() -> str:
    """Run the session and return its Markdown."""
    from mcp import ClientSession, StdioServerParameters, types
    from mcp.client.stdio import stdio_client

    async def roots(context):
        return types.ListRootsResult(roots=[types.Root(uri=ROOT.as_uri(), name="promptaudit")])

    script = str(Path(sys.executable).with_name("promptaudit"))
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": cache, "NO_COLOR": "1"}
        params = StdioServerParameters(command=script, args=["mcp"], cwd=str(ROOT), env=env)
        async with (
            stdio_client(params) as (read, write),
            ClientSession(read, write, list_roots_callback=roots) as client,
        ):
            return await _steps(client)


async def _steps(client) -> str:
    init = await client.initialize()
    listed = await client.list_tools()
    out = [
        "**The agent starts `promptaudit mcp` and initialises** (the client declares the repository as its root):\n\n"
    ]
    out.append(
        fenced(
            json.dumps(
                {"protocolVersion": init.protocolVersion, "serverInfo": {"name": init.serverInfo.name}}, indent=2
            )
        )
    )
    out.append(
        "\n**`tools/list`** answers six tools:\n\n| Tool | What it says of itself (first sentence) |\n|---|---|\n"
    )
    out += [f"| `{t.name}` | {t.description.split('. ')[0]}. |\n" for t in listed.tools]
    for number, (why, tool, arguments) in enumerate(STEPS, 1):
        result = await client.call_tool(tool, arguments)
        out.append(f"\n**{number}. {why}** `tools/call` `{tool}` with:\n\n")
        out.append(fenced(json.dumps(arguments)))
        label = "a tool error (`isError: true`)" if result.isError else "the JSON (also as `structuredContent`)"
        out.append(f"\nThe answer, {label}:\n\n")
        out.append(fenced(result.content[0].text, "json" if not result.isError else "text"))
        if len(result.content) > 1:
            out.append("\nand the command's notes:\n\n" + fenced(result.content[1].text, "text"))
    prices = await client.read_resource("promptaudit://prices")
    out.append("\n**`resources/read`** `promptaudit://prices`:\n\n" + fenced(prices.contents[0].text))
    # The repository's own location is not part of the answer: shown as a typical checkout.
    return "".join(out).replace(str(ROOT), "/home/you/project").replace(str(ROOT.parent), "/home/you")


def main(argv: list[str] | None = None) -> int:
    import anyio

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the session in docs/mcp.md")
    args = parser.parse_args(argv)
    page = PAGE.read_text(encoding="utf-8")
    fresh = SECTION.sub(lambda _: f"{BEGIN}\n{anyio.run(session)}{END}", page)
    if args.write:
        PAGE.write_text(fresh, encoding="utf-8")
        return 0
    if fresh != page:
        print("docs/mcp.md: the worked session differs; run: python tools/mcp_session.py --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

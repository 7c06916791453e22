"""PA001 not-a-prompt-document: a .json/.yaml file did not parse as a prompt document; it was counted as text.

A file with a structured extension is read as a chat request, a tool list or named prompts. When it does
not parse (a syntax error, an undefined YAML alias, text after the JSON value, Markdown saved as
``.json``), is refused by the safe loader (alias bombs, code-running tags, absurd nesting), or parses into
something that is not a prompt document, promptaudit counts the raw text instead, so a folder still gets
counted; this finding says where the parser stopped. The count is of the file as written, which is
probably not what a caller sends: fix the file, or give it the extension of what it really is.

Anti-pattern::

    {"tools": [{"type": "function", "function": {"name": "get_price"}}]}
    --- captured from the staging gateway ---

Best practice::

    {"tools": [{"type": "function", "function": {"name": "get_price"}}]}
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from promptaudit.lint.findings import Problem

ID = "PA001"
NAME = "not-a-prompt-document"
CATEGORY = "input"
SEVERITY = "warning"
OPTIONS: dict = {}
FIX = "Fix the syntax at that line and column, or rename the file to the format it really is (.md, .txt)."
_WHERE = re.compile(r"line (\d+)(?:, column (\d+))?")


def check(ctx) -> Iterator[Problem]:
    """Yield one problem for a structured file that was counted as plain text."""
    reason = ctx.prompt.unparsed
    if not reason:
        return
    where = _WHERE.match(reason)
    line, column = (int(where.group(1)), int(where.group(2) or 1)) if where else (1, 1)
    yield Problem(line, column, f"not read as a prompt document ({reason}); counted as plain text", FIX)

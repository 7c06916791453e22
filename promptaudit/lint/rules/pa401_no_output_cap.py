"""PA401 no-output-cap: a chat request file declares no ``max_tokens``, so the reply is uncapped.

Output tokens cost several times input tokens (4x to 8x at list prices), and a model with no cap can
ramble, repeat itself, or run to its maximum on a bad day. A request file that states ``max_tokens``
also lets ``project`` price the output side; one without it cannot.

Anti-pattern::

    model: gpt-4o
    messages:
      - {role: user, content: "Summarise this ticket."}

Best practice::

    model: gpt-4o
    max_tokens: 200
    messages:
      - {role: user, content: "Summarise this ticket in two sentences."}
"""

from __future__ import annotations

from collections.abc import Iterator

from promptaudit.lint.findings import Problem

ID = "PA401"
NAME = "no-output-cap"
CATEGORY = "output"
SEVERITY = "info"
OPTIONS: dict = {}
FIX = "Set max_tokens (max_completion_tokens for OpenAI reasoning models) to the longest reply you need."


def check(ctx) -> Iterator[Problem]:
    """Yield one problem for a chat request (message file) that declares no output cap."""
    prompt = ctx.prompt
    if prompt.kind != "chat" or prompt.max_tokens is not None:
        return
    price = ctx.price
    ratio = price.output_mtok / price.input_mtok if price.input_mtok else 0
    cost = f"; output costs {ratio:.3g}x input on {ctx.model}" if ratio else ""
    yield Problem(1, 1, f"no max_tokens: the reply is uncapped{cost}", FIX)

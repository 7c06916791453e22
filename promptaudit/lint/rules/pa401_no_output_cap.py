"""PA401 no-output-cap: a chat request (file or SDK call in code) declares no ``max_tokens``, so the reply is uncapped.

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

In Python code the finding points at the SDK call that passes none of ``max_tokens``,
``max_completion_tokens`` or ``max_output_tokens`` (Gemini: in ``config``). A call that passes ``**kwargs``
may carry a cap, so it is not reported; ``count_tokens`` and batch submissions generate nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptaudit.lint.findings import Problem
from promptaudit.reading.code.found import CallSite

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
    origin = prompt.origin
    if origin is not None and (not isinstance(origin, CallSite) or origin.capped or not origin.generates):
        return  # in code only SDK calls are requests; a LangChain template's cap is on its model object
    model, price = _own_price(ctx)
    ratio = price.output_mtok / price.input_mtok if price.input_mtok else 0
    cost = f"; output costs {ratio:.3g}x input on {model}" if ratio else ""
    yield Problem(*ctx.anchor, f"no max_tokens: the reply is uncapped{cost}", FIX)


def _own_price(ctx):
    """The model the request names (a code call's own ``model=``) and its price, else the run's model."""
    from promptaudit.errors import UnknownModelError
    from promptaudit.money import pricing

    own = ctx.prompt.model
    if own and own != ctx.model:
        try:
            return own, pricing.price_for(own)
        except UnknownModelError:
            pass
    return ctx.model, ctx.price

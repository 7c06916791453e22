"""PA601 batch-candidate: an SDK call runs once per item of a loop over data, where nobody waits for the reply.

OpenAI's Batch API and Anthropic's Message Batches take the same requests at half the price (results within
24 hours). A call made for every row of a file, every record of a query or every item of a list, outside a
web request handler and without streaming, is usually such a job. ``while`` loops (agents, chat turns) and
retry loops (``for attempt in range(3)`` whose variable the call does not use) are not data loops, and a
module that already submits batches is not reported. The finding points at the call and names the loop.

Anti-pattern::

    for row in reader:
        client.chat.completions.create(model="gpt-4o-mini", messages=[..., {"role": "user", "content": row["text"]}])

Best practice::

    lines = [{"custom_id": row["id"], "method": "POST", "url": "/v1/chat/completions", "body": {...}} for row in reader]
    client.batches.create(input_file_id=upload(lines).id, endpoint="/v1/chat/completions", completion_window="24h")
"""

from __future__ import annotations

from collections.abc import Iterator

from promptaudit.lint.findings import Problem
from promptaudit.reading.code.found import CallSite

ID = "PA601"
NAME = "batch-candidate"
CATEGORY = "routing"
SEVERITY = "info"
OPTIONS: dict = {"discount": 0.5}
FIX = "Collect the requests and submit them as one Batch API job (OpenAI batches.create, Anthropic messages.batches)."


def check(ctx) -> Iterator[Problem]:
    """Yield one problem for an SDK call made once per item of a data loop with no latency need."""
    site = ctx.prompt.origin
    if not isinstance(site, CallSite) or site.loop_line is None or site.latency_bound or site.batched:
        return
    if not site.generates:
        return
    share = f"{ctx.options['discount']:.0%}"
    message = f"{site.api} runs once per item of the loop on line {site.loop_line}; a batch job costs {share} less"
    yield Problem(*ctx.anchor, message)

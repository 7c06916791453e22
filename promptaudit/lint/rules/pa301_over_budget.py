"""PA301 over-budget: the prompt has more tokens than its budget.

The budget is ``--max-tokens``, else the first ``budgets:`` glob in config that matches the file, else
the config's ``max_tokens`` (see :mod:`promptaudit.gate.budgets`). Without a budget the rule is silent.
``tokens_saved`` is 0: the other rules say what to cut.

Anti-pattern::

    # budgets: {"prompts/*.txt": 500}
    prompts/agent.txt is 812 tokens

Best practice::

    prompts/agent.txt is 480 tokens (redundancy removed, examples moved to retrieval)
"""

from __future__ import annotations

from collections.abc import Iterator

from promptaudit.lint.findings import Problem

ID = "PA301"
NAME = "over-budget"
CATEGORY = "size"
SEVERITY = "error"
OPTIONS: dict = {}
FIX = "Trim the prompt (fix the redundancy findings first) or raise its budget."


def check(ctx) -> Iterator[Problem]:
    """Yield one problem, at line 1 (at the call or constant in code), when the prompt's tokens exceed its budget."""
    budget = ctx.budget
    if budget is None or ctx.total_tokens <= budget.tokens:
        return
    over = ctx.total_tokens - budget.tokens
    message = f"{ctx.total_tokens:,} tokens is {over:,} over the budget of {budget.tokens:,} ({budget.origin})"
    yield Problem(*ctx.anchor, message)

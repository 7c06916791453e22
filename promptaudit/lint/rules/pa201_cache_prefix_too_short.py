"""PA201 cache-prefix-too-short: the static prefix is under the model's minimum cacheable length.

Providers cache only a prefix of at least a minimum length (1,024 tokens on OpenAI and most Claude
models; 2,048 or 4,096 on others, see ``data/providers.yaml``). The static prefix is everything before
the first template variable. When the whole prompt is long enough but the prefix is not, moving
variables later makes it qualify: a ``warning``. When the whole prompt is under the minimum but at
least ``note_from_share`` of it, an ``info`` note; prompts far below the minimum get nothing.
``tokens_saved`` is 0: caching removes no text, it makes the prefix cheaper; the message gives $/month.

Anti-pattern::

    User: {{ user_name }}
    <1,500 tokens of instructions>

Best practice::

    <1,500 tokens of instructions>
    User: {{ user_name }}
"""

from __future__ import annotations

from collections.abc import Iterator

from promptaudit.lint.findings import Problem
from promptaudit.lint.rules._caching import cache_rules, saving_text

ID = "PA201"
NAME = "cache-prefix-too-short"
CATEGORY = "caching"
SEVERITY = "warning"
OPTIONS = {"note_from_share": 0.5}
FIX = "Put static instructions first and template variables last, so the static prefix reaches the minimum."


def _where(ctx) -> tuple[int, int]:
    first = next((s for s in ctx.segments() if s.dynamic), None)
    return ctx.locate(first.start) if first else (1, 1)


def check(ctx) -> Iterator[Problem]:
    """Yield one problem when the static prefix is shorter than the cache minimum."""
    rules = cache_rules(ctx)
    if rules is None:
        return
    prefix = ctx.prompt.static_prefix()
    prefix_tokens = ctx.count([prefix])[0] if prefix.strip() else 0
    minimum = rules.min_tokens
    if prefix_tokens >= minimum or ctx.total_tokens < minimum * ctx.options["note_from_share"]:
        return
    line, column = _where(ctx)
    message = (
        f"static prefix is {prefix_tokens:,} tokens, {minimum - prefix_tokens:,} short of {ctx.model}'s "
        f"{minimum:,}-token cache minimum; once it qualifies, {saving_text(ctx, minimum)}"
    )
    if ctx.total_tokens >= minimum:
        yield Problem(line, column, message)
    else:
        note = f"; the whole prompt is only {ctx.total_tokens:,} tokens"
        yield Problem(line, column, message + note, "Nothing to do unless the prompt grows.", severity="info")

"""Anthropic ``cache_control`` breakpoints: which blocks each one caches, and whether it can cache at all.

Anthropic builds the cache prefix in the order tools -> system -> messages, and a breakpoint caches
everything up to and including its block. A request may carry at most :data:`MAX_BREAKPOINTS`; a
breakpoint whose cumulative prefix is under the model's minimum silently never caches while the
request still pays full price.
"""

from __future__ import annotations

from dataclasses import dataclass

from promptaudit.reading.prompts import Prompt

MAX_BREAKPOINTS = 4
STAND_IN_MODEL = "claude-sonnet-4-5"
"""Model used for the analysis when neither the file nor the command names a Claude model."""


@dataclass(frozen=True)
class Breakpoint:
    """One ``cache_control`` breakpoint and the prefix it would cache."""

    number: int
    label: str
    line: int
    ttl: str
    blocks: tuple[str, ...]
    prefix_tokens: int
    minimum: int

    @property
    def below_minimum(self) -> bool:
        return self.prefix_tokens < self.minimum


def cache_minimum(model: str) -> int:
    """The smallest prefix ``model`` caches (tokens), from data/providers.yaml (per model, else Anthropic's)."""
    from promptaudit.money.providers import facts_for

    return int(facts_for(model, "anthropic").cache.min_tokens)


def analysis_model(prompt: Prompt, models: list[str]) -> str:
    """The Claude model to check against: the file's, else the first requested, else a stand-in."""
    candidates = [prompt.model or "", *models]
    return next((m for m in candidates if m.lower().startswith("claude")), STAND_IN_MODEL)


def breakpoints(prompt: Prompt, model: str) -> list[Breakpoint]:
    """Every breakpoint of ``prompt`` with its blocks and cumulative prefix tokens for ``model``."""
    if not any(part.cache_breakpoint for part in prompt.parts):
        return []
    from promptaudit.tokens.counting import measure

    measured = measure([prompt], model)[0]
    minimum = cache_minimum(model)
    found, running, start = [], 0, 0
    for index, counted in enumerate(measured.parts):
        running += counted.total
        part = counted.part
        if part.cache_breakpoint:
            blocks = tuple(p.label for p in prompt.parts[start : index + 1])
            found.append(
                Breakpoint(len(found) + 1, part.label, part.line, part.cache_breakpoint, blocks, running, minimum)
            )
            start = index + 1
    return found


def notes(prompt: Prompt, model: str) -> list[str]:
    """Plain-language findings about the breakpoints (what each caches, too many, below the minimum)."""
    found = breakpoints(prompt, model)
    lines = []
    for bp in found:
        lines.append(
            f"cache breakpoint {bp.number} (line {bp.line}, ttl {bp.ttl}) caches {len(bp.blocks)} new block(s): "
            f"{', '.join(bp.blocks)}; prefix ~{bp.prefix_tokens:,} tokens for {model}"
        )
        if bp.below_minimum:
            lines.append(
                f"cache breakpoint {bp.number} (line {bp.line}): prefix ~{bp.prefix_tokens:,} tokens is under "
                f"{model}'s minimum of {bp.minimum:,}; it never caches, and every request pays full price"
            )
    if len(found) > MAX_BREAKPOINTS:
        lines.append(f"{len(found)} cache breakpoints: Anthropic allows at most {MAX_BREAKPOINTS} per request")
    return lines

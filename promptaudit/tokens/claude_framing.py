"""promptaudit's framing for Anthropic requests counted with a Claude counter (documented in docs/claude-counts.md).

* Every request pays ctok's measured single-message frame once (v3 7, v4.7 11, v4.8 6 tokens), shown as
  the request's ``reply_priming``. For a request that is one user message this is what ctok reconstructs.
* Each further turn (a system prompt, every message after the first) adds :data:`TURN_TOKENS`: an
  estimate, since Anthropic publishes no per-message rule and ctok measured single messages only. A
  request with such turns is therefore counted as an estimate even where its content is reconstructed.
* Tool definitions are content (their compact JSON, counted by the same counter); the tool-use system
  prompt Anthropic adds when tools are present is not included.
"""

from __future__ import annotations

from promptaudit.reading.prompts import Part, Prompt

TURN_TOKENS = 3
"""Estimated tokens per extra turn: a turn marker of Claude's ``\\n\\nHuman:`` / ``\\n\\nAssistant:`` shape."""


def applies(prompt: Prompt) -> bool:
    """Whether ``prompt`` is an Anthropic chat request (framed here when its model is a Claude model)."""
    return prompt.kind == "chat" and prompt.provider_format == "anthropic"


def turn_framing(parts: list[Part]) -> list[int]:
    """Estimated framing per part: :data:`TURN_TOKENS` on the first part of each turn after the first."""
    seen: set = set()
    framing = []
    for part in parts:
        turn = "system" if part.kind == "system" else part.message
        if turn is None or turn in seen:
            framing.append(0)
            continue
        framing.append(TURN_TOKENS if seen else 0)
        seen.add(turn)
    return framing


def estimated(framing: list[int]) -> bool:
    """Whether the framing includes an estimated turn."""
    return any(framing)

"""Count prompts for one model: the step from prompts to tokens (framing, variables, one batch per model).

Chat files in OpenAI format are counted the way OpenAI's published counting guide does (the
openai-cookbook "How to count tokens with tiktoken"): each message costs its content, its role, and
:data:`TOKENS_PER_MESSAGE`; a ``name`` adds :data:`TOKENS_PER_NAME` plus the name; every request adds
:data:`REPLY_PRIMING` for the reply. Tool and function schemas are counted as their compact JSON, an
approximation: OpenAI renders tools into its own internal format, which adds tokens it does not publish.
Anthropic requests get no framing tokens (Anthropic publishes no rule); Claude and Gemini counts stay
labelled estimates. Template variables count as their bound value, or as a labelled default.
"""

from __future__ import annotations

from dataclasses import dataclass

from promptaudit.reading.formats.variables import Rendered, render
from promptaudit.reading.prompts import Part, Prompt
from promptaudit.tokens import tokenizers as tokens

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3


@dataclass(frozen=True)
class PartCount:
    """One part's tokens for one model: its content (variables filled in) and its message framing."""

    part: Part
    tokens: int
    framing: int = 0
    defaulted: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.tokens + self.framing

    def to_json(self) -> dict:
        p = self.part
        return {"label": p.label, "line": p.line, "kind": p.kind, "role": p.role, "tokens": self.tokens,
                "framing": self.framing, "static": p.static, "cache_breakpoint": p.cache_breakpoint,
                "defaulted_variables": list(self.defaulted)}  # fmt: skip


@dataclass(frozen=True)
class Measured:
    """Every part of one prompt counted for one model, plus the reply priming."""

    parts: tuple[PartCount, ...]
    priming: int
    exact: bool

    @property
    def total(self) -> int:
        return sum(p.total for p in self.parts) + self.priming


def is_openai_chat(prompt: Prompt) -> bool:
    """True when the published OpenAI chat framing applies to ``prompt``."""
    return prompt.kind == "chat" and prompt.provider_format == "openai"


def _framing_texts(prompts: list[Prompt]) -> list[str]:
    texts = {p.role or "" for prompt in prompts if is_openai_chat(prompt) for p in prompt.parts}
    texts |= {p.author for prompt in prompts if is_openai_chat(prompt) for p in prompt.parts if p.author}
    return sorted(texts)


def _framing(prompt: Prompt, parts: list[Part], counted: dict[str, int]) -> list[int]:
    """Framing tokens per part: charged once per message, on its first part."""
    seen: set[int] = set()
    framing = []
    for part in parts:
        if not is_openai_chat(prompt) or part.message is None or part.message in seen:
            framing.append(0)
            continue
        seen.add(part.message)
        name = TOKENS_PER_NAME + counted[part.author] if part.author else 0
        framing.append(TOKENS_PER_MESSAGE + counted[part.role or ""] + name)
    return framing


def _rendered(prompts: list[Prompt]) -> list[list[Rendered]]:
    return [[render(part, prompt.values) for part in prompt.parts] for prompt in prompts]


def billed_texts(prompts: list[Prompt]) -> list[str]:
    """Exactly the texts :func:`measure` will count: parts with variables filled in, plus chat framing."""
    return [r.text for group in _rendered(prompts) for r in group] + _framing_texts(prompts)


def measure(prompts: list[Prompt], model: str) -> list[Measured]:
    """Count every part of every prompt for ``model`` in one batch."""
    tokenizer = tokens.tokenizer_for(model)
    rendered = _rendered(prompts)
    flat = [r.text for group in rendered for r in group]
    extras = _framing_texts(prompts)
    counted = [c.tokens for c in tokens.count_texts(flat + extras, model)] if flat or extras else []
    by_text = dict(zip(extras, counted[len(flat) :]))
    results, offset = [], 0
    for prompt, group in zip(prompts, rendered):
        sizes = counted[offset : offset + len(group)]
        offset += len(group)
        framing = _framing(prompt, prompt.parts, by_text)
        parts = tuple(
            PartCount(part, size + r.default_tokens, frame, r.defaulted)
            for part, size, frame, r in zip(prompt.parts, sizes, framing, group)
        )
        exact = tokenizer.exact and not any(r.defaulted for r in group)
        results.append(Measured(parts, REPLY_PRIMING if is_openai_chat(prompt) else 0, exact))
    return results


def prompt_tokens(prompts: list[Prompt], model: str) -> list[tokens.TokenCount]:
    """Tokens of each prompt for ``model``: its parts (variables filled in) plus chat framing."""
    label = tokens.tokenizer_for(model).label
    return [tokens.TokenCount(model, label, m.total, m.exact) for m in measure(prompts, model)]


def prompt_overhead(prompt: Prompt, model: str) -> int:
    """Billing overhead beyond the parts' text: OpenAI chat framing and reply priming; 0 for plain text."""
    measured = measure([prompt], model)[0]
    return sum(p.framing for p in measured.parts) + measured.priming

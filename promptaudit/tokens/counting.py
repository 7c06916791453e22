"""Count prompts for one model: the step from prompts to tokens (framing, variables, one batch per model).

Chat files in OpenAI format are counted the way OpenAI's published counting guide does (the
openai-cookbook "How to count tokens with tiktoken"): each message costs its content, its role, and
:data:`TOKENS_PER_MESSAGE`; a ``name`` adds :data:`TOKENS_PER_NAME` plus the name; every request adds
:data:`REPLY_PRIMING` for the reply. Tool and function schemas are counted as their compact JSON, an
approximation: OpenAI renders tools into its own internal format, which adds tokens it does not publish.
Anthropic requests counted for a Claude model get the framing of :mod:`promptaudit.tokens.claude_framing`
(ctok's measured request frame, plus an estimate per extra turn); for other models they get none.

A prompt's count is its text *as written* (placeholders and all: what a caller sends when nothing is
filled in), exact whenever the model's tokenizer is public. Template variables are an overlay: the
*rendered* count fills each one with its bound value, or a labelled default, and is an estimate
whenever a default was used.
"""

from __future__ import annotations

from dataclasses import dataclass

from promptaudit.reading.formats.variables import Rendered, render
from promptaudit.reading.prompts import Part, Prompt
from promptaudit.tokens import claude, claude_framing
from promptaudit.tokens import tokenizers as tokens

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3


@dataclass(frozen=True)
class PartCount:
    """One part's tokens for one model: as written, rendered (variables filled in), and message framing."""

    part: Part
    tokens: int
    framing: int = 0
    defaulted: tuple[str, ...] = ()
    rendered: int | None = None
    """Tokens with the variables filled in (defaults included); None when the part has no template logic."""
    static: int | None = None
    """Tokens of what is sent on every request: the rendered text with every variable left empty."""

    @property
    def total(self) -> int:
        return self.tokens + self.framing

    @property
    def rendered_total(self) -> int:
        return (self.tokens if self.rendered is None else self.rendered) + self.framing

    @property
    def static_total(self) -> int:
        return (self.tokens if self.static is None else self.static) + self.framing

    def to_json(self) -> dict:
        p = self.part
        return {"label": p.label, "line": p.line, "kind": p.kind, "role": p.role, "tokens": self.tokens,
                "rendered_tokens": self.rendered_total - self.framing, "framing": self.framing,
                "static": p.static, "cache_breakpoint": p.cache_breakpoint,
                "variables": [v.to_json() for v in p.variables],
                "defaulted_variables": list(self.defaulted)}  # fmt: skip


@dataclass(frozen=True)
class Measured:
    """Every part of one prompt counted for one model, plus the reply priming."""

    parts: tuple[PartCount, ...]
    priming: int
    exact: bool
    """True when the count as written is exact (the model's tokenizer is public)."""
    rendered_exact: bool = True
    """True when the rendered count is exact too: exact, and every variable had a value."""
    method: str = "exact"
    """How the count as written was made: ``exact``, ``reconstructed`` or ``estimate`` (estimated framing)."""
    rendered_method: str = "exact"
    """The same for the rendered count (a defaulted variable makes it an estimate)."""

    @property
    def total(self) -> int:
        """Tokens as written: the primary count."""
        return sum(p.total for p in self.parts) + self.priming

    @property
    def rendered_total(self) -> int:
        """Tokens with the variables filled in (an estimate unless :attr:`rendered_exact`)."""
        return sum(p.rendered_total for p in self.parts) + self.priming

    @property
    def static_total(self) -> int:
        """Tokens sent on every request whatever the variables hold (exact): the rendered text without them."""
        return sum(p.static_total for p in self.parts) + self.priming


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


def _rendered(prompts: list[Prompt]) -> list[list[Rendered | None]]:
    """Each part's rendered text; None for parts that render as written (no template logic, no escape)."""
    groups = []
    for prompt in prompts:
        group = [render(part, prompt.values) for part in prompt.parts]
        groups.append([None if r.text == part.text and not r.defaulted else r for part, r in zip(prompt.parts, group)])
    return groups


def _static_texts(prompts: list[Prompt]) -> list[list[str | None]]:
    """Each templated part rendered with no values at all (what every request sends); None otherwise."""
    return [[None if part.static else render(part, {}).text for part in prompt.parts] for prompt in prompts]


def billed_texts(prompts: list[Prompt]) -> list[str]:
    """Exactly the texts :func:`measure` will count: parts as written, rendered, static, and chat framing."""
    written = [part.text for prompt in prompts for part in prompt.parts]
    rendered = [r.text for group in _rendered(prompts) for r in group if r is not None]
    static = [text for group in _static_texts(prompts) for text in group if text is not None]
    return written + rendered + static + _framing_texts(prompts)


def measure(prompts: list[Prompt], model: str) -> list[Measured]:
    """Count every part of every prompt for ``model`` in one batch: as written, and rendered."""
    tokenizer = tokens.tokenizer_for(model)
    exact = tokenizer.exact
    texts = list(dict.fromkeys(billed_texts(prompts)))  # a template's rendered text is often its static one
    counted = dict(zip(texts, (c.tokens for c in tokens.count_texts(texts, model)))) if texts else {}
    results = []
    for prompt, group, statics in zip(prompts, _rendered(prompts), _static_texts(prompts)):
        framing, priming, framed_estimate = _prompt_framing(prompt, tokenizer, counted)
        parts = tuple(
            PartCount(part, counted[part.text], frame, *_rendered_count(r, counted), _static_count(text, counted))
            for part, frame, r, text in zip(prompt.parts, framing, group, statics)
        )
        defaulted = any(p.defaulted for p in parts)
        method = "estimate" if framed_estimate else tokenizer.method
        rendered_method = "estimate" if defaulted else method
        results.append(Measured(parts, priming, exact, exact and not defaulted, method, rendered_method))
    return results


def _prompt_framing(
    prompt: Prompt, tokenizer: tokens.Tokenizer, counted: dict[str, int]
) -> tuple[list[int], int, bool]:
    """(framing per part, request priming, whether the framing is estimated) for one prompt."""
    if claude.handles(tokenizer.encoding) and claude_framing.applies(prompt):
        framing = claude_framing.turn_framing(prompt.parts)
        return framing, claude.request_frame(tokenizer.encoding), claude_framing.estimated(framing)
    return _framing(prompt, prompt.parts, counted), _priming(prompt), False


def _rendered_count(rendered: Rendered | None, counted: dict[str, int]) -> tuple[tuple[str, ...], int | None]:
    if rendered is None:
        return (), None
    return rendered.defaulted, counted[rendered.text] + rendered.default_tokens


def _static_count(text: str | None, counted: dict[str, int]) -> int | None:
    return None if text is None else counted[text]


def _priming(prompt: Prompt) -> int:
    """The reply priming OpenAI adds to a chat request with messages (a tools-only file sends none)."""
    return REPLY_PRIMING if is_openai_chat(prompt) and prompt.messages else 0


def prompt_tokens(prompts: list[Prompt], model: str, rendered: bool = False) -> list[tokens.TokenCount]:
    """Tokens of each prompt for ``model`` as written (parts plus chat framing), or ``rendered``."""
    label = tokens.tokenizer_for(model).label
    return [
        tokens.TokenCount(model, label, m.rendered_total, m.rendered_exact, m.rendered_method)
        if rendered
        else tokens.TokenCount(model, label, m.total, m.exact, m.method)
        for m in measure(prompts, model)
    ]


def prompt_overhead(prompt: Prompt, model: str) -> int:
    """Billing overhead beyond the parts' text: OpenAI chat framing and reply priming; 0 for plain text."""
    measured = measure([prompt], model)[0]
    return sum(p.framing for p in measured.parts) + measured.priming

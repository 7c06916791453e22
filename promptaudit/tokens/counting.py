"""Count prompts for one model: the step from prompts to tokens (framing, variables, one batch per model).

Chat files in OpenAI format are counted the way OpenAI's published counting guide does (the
openai-cookbook "How to count tokens with tiktoken"): each message costs its content, its role, and
:data:`TOKENS_PER_MESSAGE`; a ``name`` adds :data:`TOKENS_PER_NAME` plus the name; every request adds
:data:`REPLY_PRIMING` for the reply. Tool and function schemas are counted as their compact JSON, an
approximation: OpenAI renders tools into its own internal format (:mod:`.openai_tools` reconstructs it for
OpenAI requests counted on an OpenAI model; elsewhere the compact JSON is counted), so a count with tools is
never exact. Every way a count falls short of exact is named by :mod:`.approximations`.
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
from promptaudit.tokens import approximations as approx
from promptaudit.tokens import claude, claude_framing, openai_tools
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
    approximations: tuple[str, ...] = ()
    """Why the count as written is not exact (:mod:`.approximations` keys); empty when it is."""
    rendered_approximations: tuple[str, ...] = ()
    """The same for the rendered count (adds ``variables`` when a variable was defaulted)."""

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


def renders_tools(prompt: Prompt, tokenizer: tokens.Tokenizer) -> bool:
    """Whether ``prompt``'s tools are billed in OpenAI's rendering (an OpenAI request on an OpenAI model)."""
    return bool(prompt.tools) and prompt.provider_format == "openai" and tokenizer.exact


def billed_text(part: Part, rendering: bool) -> str:
    """The text a part is billed as: its text, or for a function tool in OpenAI's rendering that rendering."""
    if rendering and part.kind == "tool":
        return openai_tools.render_json(part.text) or part.text
    return part.text


def billed_texts(prompts: list[Prompt], tokenizer: tokens.Tokenizer | None = None) -> list[str]:
    """Exactly the texts :func:`measure` will count: parts as billed, rendered, static, and chat framing."""
    rendering = [tokenizer is not None and renders_tools(prompt, tokenizer) for prompt in prompts]
    written = [billed_text(part, r) for prompt, r in zip(prompts, rendering) for part in prompt.parts]
    rendered = [r.text for group in _rendered(prompts) for r in group if r is not None]
    static = [text for group in _static_texts(prompts) for text in group if text is not None]
    wrapper = [openai_tools.NAMESPACE_OPEN, openai_tools.NAMESPACE_CLOSE] if any(rendering) else []
    return written + rendered + static + _framing_texts(prompts) + wrapper


def measure(prompts: list[Prompt], model: str) -> list[Measured]:
    """Count every part of every prompt for ``model`` in one batch: as written, and rendered."""
    tokenizer = tokens.tokenizer_for(model)
    texts = list(dict.fromkeys(billed_texts(prompts, tokenizer)))  # a template's rendered text is often its static one
    counted = dict(zip(texts, (c.tokens for c in tokens.count_texts(texts, model)))) if texts else {}
    return [
        _measured(prompt, tokenizer, counted, group, statics)
        for prompt, group, statics in zip(prompts, _rendered(prompts), _static_texts(prompts))
    ]


def _measured(prompt: Prompt, tokenizer: tokens.Tokenizer, counted: dict[str, int], group, statics) -> Measured:
    """One prompt's parts counted (as billed, rendered, static), its framing and why it is not exact."""
    framing, priming, framed_estimate = _prompt_framing(prompt, tokenizer, counted)
    rendering = renders_tools(prompt, tokenizer)
    framing = _with_tool_overhead(prompt, framing, counted, tokenizer.model) if rendering else framing
    parts = tuple(
        PartCount(
            part,
            counted[billed_text(part, rendering)],
            frame,
            *_rendered_count(r, counted),
            _static_count(text, counted),
        )  # fmt: skip
        for part, frame, r, text in zip(prompt.parts, framing, group, statics)
    )
    reasons = approx.combine(
        [approx.TOKENIZER] if tokenizer.method == "estimate" else [],
        [approx.TOOLS] if prompt.tools else [],
        [approx.FRAMING] if framed_estimate else [],
    )
    rendered_reasons = approx.combine(reasons, [approx.VARIABLES] if any(p.defaulted for p in parts) else [])
    exact = tokenizer.exact and not reasons
    method = "estimate" if reasons else tokenizer.method
    rendered_method = "estimate" if rendered_reasons else tokenizer.method
    return Measured(parts, priming, exact, exact and not rendered_reasons, method, rendered_method, reasons,
                    rendered_reasons)  # fmt: skip


def _with_tool_overhead(prompt: Prompt, framing: list[int], counted: dict[str, int], model: str) -> list[int]:
    """Framing with OpenAI's tool namespace and its measured overhead charged on the first tool part."""
    first = next(i for i, part in enumerate(prompt.parts) if part.kind == "tool")
    wrapper = counted[openai_tools.NAMESPACE_OPEN] + counted[openai_tools.NAMESPACE_CLOSE]
    return [f + (wrapper + openai_tools.overhead(model) if i == first else 0) for i, f in enumerate(framing)]


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
        tokens.TokenCount(
            model, label, m.rendered_total, m.rendered_exact, m.rendered_method, m.rendered_approximations
        )
        if rendered
        else tokens.TokenCount(model, label, m.total, m.exact, m.method, m.approximations)
        for m in measure(prompts, model)
    ]


def prompt_overhead(prompt: Prompt, model: str) -> int:
    """Billing overhead beyond the parts' text: OpenAI chat framing and reply priming; 0 for plain text."""
    measured = measure([prompt], model)[0]
    return sum(p.framing for p in measured.parts) + measured.priming

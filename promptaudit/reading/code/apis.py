"""Which calls are LLM SDK calls, and which keywords of each hold the prompt, the model and the output cap.

A call is recognised by the end of its attribute chain (``client.chat.completions.create``,
``self.llm.messages.create``); ``with_raw_response``, ``with_streaming_response`` and ``aio`` are looked
through, so async clients and raw responses map to the same API. To keep a Twilio ``client.messages.create``
out, the call must pass the keyword its API requires (``messages=``, ``input=``, ``contents=``...) or
``**kwargs``, and the module must import the SDK or the call must name a ``model=``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

LOOKED_THROUGH = frozenset({"with_raw_response", "with_streaming_response", "aio"})


@dataclass(frozen=True)
class Api:
    """One SDK method: its canonical name, provider, shape of request, and the keywords that cap the reply."""

    name: str
    provider: str
    shape: str
    """``chat`` (messages), ``responses`` (instructions + input), ``anthropic`` (system + messages),
    ``gemini`` (config.system_instruction + contents) or ``batch`` (no prompt in the call)."""
    caps: tuple[str, ...] = ()
    generates: bool = True
    """False for calls that bill no generation: token counting and batch submission."""
    requires: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()


_OPENAI_CAPS = ("max_tokens", "max_completion_tokens")
TABLE: dict[tuple[str, ...], Api] = {
    ("chat", "completions", "create"): Api(
        "openai.chat.completions.create", "openai", "chat", _OPENAI_CAPS, requires=("messages",), packages=("openai",)
    ),
    ("chat", "completions", "parse"): Api(
        "openai.chat.completions.parse", "openai", "chat", _OPENAI_CAPS, requires=("messages",), packages=("openai",)
    ),
    ("responses", "create"): Api(
        "openai.responses.create",
        "openai",
        "responses",
        ("max_output_tokens",),
        requires=("input", "instructions"),
        packages=("openai",),
    ),
    ("responses", "parse"): Api(
        "openai.responses.parse",
        "openai",
        "responses",
        ("max_output_tokens",),
        requires=("input", "instructions"),
        packages=("openai",),
    ),
    ("batches", "create"): Api(
        "openai.batches.create", "openai", "batch", generates=False, requires=("input_file_id",), packages=("openai",)
    ),
    ("messages", "batches", "create"): Api(
        "anthropic.messages.batches.create",
        "anthropic",
        "batch",
        generates=False,
        requires=("requests",),
        packages=("anthropic",),
    ),
    ("messages", "create"): Api(
        "anthropic.messages.create",
        "anthropic",
        "anthropic",
        ("max_tokens",),
        requires=("messages",),
        packages=("anthropic",),
    ),
    ("messages", "stream"): Api(
        "anthropic.messages.stream",
        "anthropic",
        "anthropic",
        ("max_tokens",),
        requires=("messages",),
        packages=("anthropic",),
    ),
    ("messages", "count_tokens"): Api(
        "anthropic.messages.count_tokens",
        "anthropic",
        "anthropic",
        generates=False,
        requires=("messages",),
        packages=("anthropic",),
    ),
    ("models", "generate_content"): Api(
        "google.models.generate_content",
        "google",
        "gemini",
        ("max_output_tokens",),
        requires=("contents",),
        packages=("google", "vertexai"),
    ),
    ("models", "generate_content_stream"): Api(
        "google.models.generate_content_stream",
        "google",
        "gemini",
        ("max_output_tokens",),
        requires=("contents",),
        packages=("google", "vertexai"),
    ),
}
LITELLM = {
    "completion": Api("litellm.completion", "litellm", "chat", _OPENAI_CAPS, requires=("messages",)),
    "acompletion": Api("litellm.acompletion", "litellm", "chat", _OPENAI_CAPS, requires=("messages",)),
}
_LONGEST = max(len(k) for k in TABLE)


def chain(func: ast.expr) -> list[str]:
    """The attribute names of a call's function, outermost last (``["client", "chat", ...]``)."""
    names = []
    while isinstance(func, ast.Attribute):
        names.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        names.append(func.id)
    return [n for n in reversed(names) if n not in LOOKED_THROUGH]


def recognise(call: ast.Call, module) -> Api | None:
    """The SDK method ``call`` invokes, or None."""
    names = chain(call.func)
    api = _litellm(names, module) or _table(names)
    if api is None:
        return None
    if "beta" in names:
        api = _beta(api)
    return api if _plausible(api, call, module) else None


def _table(names: list[str]) -> Api | None:
    for size in range(min(_LONGEST, len(names) - 1), 1, -1):
        api = TABLE.get(tuple(names[-size:]))
        if api is not None:
            return api
    return None


def _litellm(names: list[str], module) -> Api | None:
    if not names or names[-1] not in LITELLM:
        return None
    if len(names) == 2 and names[0] == "litellm":
        return LITELLM[names[-1]]
    imported = module.imports.get(names[0]) if len(names) == 1 else None
    return LITELLM[imported.attr] if imported and imported.module == "litellm" and imported.attr in LITELLM else None


def _beta(api: Api) -> Api:
    if api.provider != "anthropic":
        return api
    return Api(api.name.replace("anthropic.", "anthropic.beta.", 1), api.provider, api.shape, api.caps,
               api.generates, api.requires, api.packages)  # fmt: skip


def _plausible(api: Api, call: ast.Call, module) -> bool:
    keywords = {k.arg for k in call.keywords}
    if None not in keywords and not keywords & set(api.requires):
        return False
    return not api.packages or bool(module.imported_packages & set(api.packages)) or "model" in keywords

"""Which calls are LLM SDK calls, and which keywords of each hold the prompt, the model and the output cap.

A call is recognised by the end of its attribute chain (``client.chat.completions.create``,
``self.llm.messages.create``); ``with_raw_response``, ``with_streaming_response`` and ``aio`` are looked
through, so async clients and raw responses map to the same API. The tables cover the provider SDKs
(OpenAI and every OpenAI-compatible client, Anthropic, Google GenAI, LiteLLM, Mistral, Cohere, Ollama,
Bedrock, Hugging Face) and the methods wrappers add (instructor's ``create_partial``, ``create_iterable``,
``create_with_completion``). To keep a Twilio ``client.messages.create`` out, the call must pass the keyword its
API requires (``messages=``, ``input=``, ``contents=``...) or ``**kwargs``, and the module must import an LLM
package or the call must name a ``model=``. Short, common method names (``chat``, ``completion``,
``converse``) count only in a module that imports the package they belong to.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

LOOKED_THROUGH = frozenset({"with_raw_response", "with_streaming_response", "aio"})
LLM_PACKAGES = frozenset({
    "openai", "anthropic", "litellm", "google", "vertexai", "mistralai", "cohere", "groq", "together", "fireworks",
    "ollama", "instructor", "boto3", "botocore", "huggingface_hub", "cerebras", "xai_sdk", "zhipuai", "dashscope",
    "langchain", "langchain_openai", "langchain_anthropic", "langchain_core", "langchain_community", "llama_index",
})  # fmt: skip
"""Packages whose import makes a module one that may call a model (``langchain*`` counts by prefix)."""
INSTRUCTOR = ("create_partial", "create_iterable", "create_with_completion")


@dataclass(frozen=True)
class Api:
    """One SDK method: its canonical name, provider, shape of request, and the keywords that cap the reply."""

    name: str
    provider: str
    shape: str
    """``chat`` (messages), ``completion`` (one ``prompt`` text), ``responses`` (instructions + input),
    ``anthropic`` (system + messages), ``gemini`` (config.system_instruction + contents), ``converse``
    (Bedrock: system blocks + messages), ``assistants`` (a run: instructions), ``opaque`` (a request body the
    scan does not read) or ``batch`` (no prompt)."""
    caps: tuple[str, ...] = ()
    generates: bool = True
    """False for calls that bill no generation: token counting and batch submission."""
    requires: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    """The module must import one of these for the call to count (empty: any LLM package, or ``model=``)."""


_OPENAI_CAPS = ("max_tokens", "max_completion_tokens")


def _chat(name: str, provider: str = "openai", packages: tuple[str, ...] = ()) -> Api:
    return Api(name, provider, "chat", _OPENAI_CAPS, requires=("messages",), packages=packages)


def _anthropic(name: str, generates: bool = True) -> Api:
    return Api(name, "anthropic", "anthropic", ("max_tokens",) if generates else (), generates, ("messages",))


def _responses(name: str) -> Api:
    return Api(name, "openai", "responses", ("max_output_tokens",), requires=("input", "instructions"))


def _gemini(name: str, packages=("google", "vertexai")) -> Api:
    return Api(name, "google", "gemini", ("max_output_tokens",), requires=("contents",), packages=packages)


def _bedrock(method: str, shape: str = "converse", requires=("messages", "modelId")) -> Api:
    """Bedrock runtime: ``converse`` (system blocks + messages) or ``invoke_model`` (a JSON body: opaque)."""
    caps = ("maxTokens",) if shape == "converse" else ()
    return Api(f"bedrock.{method}", "bedrock", shape, caps, requires=requires, packages=("boto3", "botocore"))


def _run(name: str) -> Api:
    return Api(name, "openai", "assistants", ("max_completion_tokens",), requires=("assistant_id",))


TABLE: dict[tuple[str, ...], Api] = {
    ("chat", "completions", "create"): _chat("openai.chat.completions.create"),
    ("chat", "completions", "parse"): _chat("openai.chat.completions.parse"),
    ("chat", "completions", "stream"): _chat("openai.chat.completions.stream"),
    **{("chat", "completions", m): _chat(f"openai.chat.completions.{m}") for m in INSTRUCTOR},
    ("completions", "create"): Api(
        "openai.completions.create", "openai", "completion", _OPENAI_CAPS, requires=("prompt",)
    ),  # fmt: skip
    ("responses", "create"): _responses("openai.responses.create"),
    ("responses", "parse"): _responses("openai.responses.parse"),
    ("responses", "stream"): _responses("openai.responses.stream"),
    ("threads", "messages", "create"): Api("openai.beta.threads.messages.create", "openai", "batch", generates=False),
    ("threads", "runs", "create"): _run("openai.beta.threads.runs.create"),
    ("threads", "runs", "create_and_poll"): _run("openai.beta.threads.runs.create_and_poll"),
    ("threads", "runs", "stream"): _run("openai.beta.threads.runs.stream"),
    ("batches", "create"): Api(
        "openai.batches.create", "openai", "batch", generates=False, requires=("input_file_id",), packages=("openai",)
    ),  # fmt: skip
    ("messages", "batches", "create"): Api(
        "anthropic.messages.batches.create",
        "anthropic",
        "batch",
        generates=False,
        requires=("requests",),
        packages=("anthropic",),
    ),  # fmt: skip
    ("messages", "create"): _anthropic("anthropic.messages.create"),
    ("messages", "stream"): _anthropic("anthropic.messages.stream"),
    **{("messages", m): _anthropic(f"anthropic.messages.{m}") for m in INSTRUCTOR},
    ("messages", "count_tokens"): _anthropic("anthropic.messages.count_tokens", generates=False),
    ("models", "generate_content"): _gemini("google.models.generate_content"),
    ("models", "generate_content_stream"): _gemini("google.models.generate_content_stream"),
    ("chat", "complete"): _chat("mistral.chat.complete", "mistral", ("mistralai",)),
    ("chat", "complete_async"): _chat("mistral.chat.complete_async", "mistral", ("mistralai",)),
}
SHORT: dict[str, Api] = {
    "completion": _chat("litellm.completion", "litellm", ("litellm",)),
    "acompletion": _chat("litellm.acompletion", "litellm", ("litellm",)),
    "chat": Api(
        "ollama.chat",
        "ollama",
        "chat",
        ("max_tokens",),
        requires=("messages", "message"),
        packages=("ollama", "cohere"),
    ),  # fmt: skip
    "chat_completion": _chat("huggingface.chat_completion", "huggingface", ("huggingface_hub",)),
    "generate_content": _gemini("google.generate_content"),
    "generate_content_async": _gemini("google.generate_content_async"),
    "converse": _bedrock("converse"),
    "converse_stream": _bedrock("converse_stream"),
    "invoke_model": _bedrock("invoke_model", "opaque", ("body", "modelId")),
}
"""Methods recognised by their last name alone, only in a module that imports one of their packages."""
INSTRUCTOR_CREATE = _chat("instructor.create", "instructor")
"""``client.create(response_model=..., messages=...)``: instructor's provider-neutral client."""
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


def recognise(call: ast.Call, module, func: ast.expr | None = None) -> Api | None:
    """The SDK method ``call`` invokes (through ``func`` when given: an alias's value), or None."""
    names = chain(func if func is not None else call.func)
    api = _table(names) or _short(names, module) or _instructor(names, call)
    if api is None:
        return None
    if "beta" in names and api.provider == "anthropic":
        api = replace(api, name=api.name.replace("anthropic.", "anthropic.beta.", 1))
    return api if _plausible(api, call, module, names[0] if names else "") else None


def method(node: ast.expr, module) -> Api | None:
    """The SDK method a reference names (``client.chat.completions.create`` passed to a retry helper)."""
    names = chain(node)
    if not isinstance(node, ast.Attribute) or len(names) < 2:
        return None
    return _table(names) or _short(names, module)


def _table(names: list[str]) -> Api | None:
    for size in range(min(_LONGEST, len(names) - 1), 1, -1):
        api = TABLE.get(tuple(names[-size:]))
        if api is not None:
            return api
    return None


def _short(names: list[str], module) -> Api | None:
    if not names or names[-1] not in SHORT:
        return None
    api = SHORT[names[-1]]
    if len(names) == 1:
        imported = module.imports.get(names[0])
        return api if imported is not None and imported.module.split(".")[0] in api.packages else None
    return api if names[0] in api.packages or imports_any(module, api.packages) else None


def _instructor(names: list[str], call: ast.Call) -> Api | None:
    keywords = {k.arg for k in call.keywords}
    if len(names) >= 2 and names[-1] in ("create", *INSTRUCTOR) and "response_model" in keywords:
        return INSTRUCTOR_CREATE
    return None


def imports_any(module, packages) -> bool:
    """True when the module imports one of ``packages`` (``langchain`` matches every ``langchain_*``)."""
    imported = module.imported_packages
    return bool(imported & set(packages)) or (
        "langchain" in packages and any(p.startswith("langchain") for p in imported)
    )


def _plausible(api: Api, call: ast.Call, module, receiver: str) -> bool:
    keywords = {k.arg for k in call.keywords}
    if None not in keywords and not keywords & set(api.requires) and not _positional(api, call):
        return False
    if api.packages:
        named = receiver in api.packages or "model" in keywords or "response_model" in keywords
        return named or imports_any(module, api.packages)
    return imports_any(module, LLM_PACKAGES) or "model" in keywords


def _positional(api: Api, call: ast.Call) -> bool:
    """Gemini's ``generate_content("...")`` and LiteLLM's ``completion(model, messages)`` pass them by position."""
    return bool(call.args) and api.shape in ("gemini", "chat") and api.provider in ("google", "litellm")

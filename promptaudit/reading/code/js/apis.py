"""Which JS/TS calls are LLM SDK calls, and which option keys hold the prompt, the model and the output cap.

A method call is recognised by the end of its member chain (``client.chat.completions.create``,
``this.anthropic.beta.messages.stream``); ``beta`` is looked through for OpenAI and names the beta API for
Anthropic. To keep an unrelated ``messages.create`` (a chat SDK, Twilio) out, the options object must hold a
key its API requires (``messages``, ``input``, ``contents``...) or be only known at run time, and the module
must import the SDK or the options must name a ``model``. The Vercel AI SDK's functions count when imported
from ``ai``; LangChain chat models (``new ChatOpenAI({...})``) when the module imports a LangChain package.
"""

from __future__ import annotations

from promptaudit.reading.code.apis import Api

OPENAI, ANTHROPIC, GOOGLE = (
    ("openai",),
    ("@anthropic-ai/sdk", "@anthropic-ai/bedrock-sdk", "@anthropic-ai/vertex-sdk"),
    ("@google/genai",),
)
_CHAT_CAPS = ("max_tokens", "max_completion_tokens")


def _openai(chain: str, shape: str, caps: tuple, requires: tuple, generates: bool = True) -> Api:
    return Api(f"openai.{chain}", "openai", shape, caps, generates, requires, OPENAI)


def _anthropic(chain: str, generates: bool = True, shape: str = "anthropic") -> Api:
    requires = ("requests",) if shape == "batch" else ("messages",)
    caps = ("max_tokens",) if generates else ()
    return Api(f"anthropic.{chain}", "anthropic", shape, caps, generates, requires, ANTHROPIC)


def _google(chain: str, generates: bool = True) -> Api:
    caps = ("maxOutputTokens",) if generates else ()
    return Api(f"google.{chain}", "google", "gemini", caps, generates, ("contents",), GOOGLE)


TABLE: dict[tuple[str, ...], Api] = {
    **{("chat", "completions", m): _openai(f"chat.completions.{m}", "chat", _CHAT_CAPS, ("messages",))
       for m in ("create", "parse", "stream", "runTools")},
    **{("responses", m): _openai(f"responses.{m}", "responses", ("max_output_tokens",), ("input", "instructions"))
       for m in ("create", "parse", "stream")},
    ("completions", "create"): _openai("completions.create", "completions", ("max_tokens",), ("prompt",)),
    ("batches", "create"): _openai("batches.create", "batch", (), ("input_file_id",), generates=False),
    **{("messages", m): _anthropic(f"messages.{m}") for m in ("create", "stream", "parse", "toolRunner")},
    ("messages", "countTokens"): _anthropic("messages.countTokens", generates=False),
    ("messages", "batches", "create"): _anthropic("messages.batches.create", False, "batch"),
    ("models", "generateContent"): _google("models.generateContent"),
    ("models", "generateContentStream"): _google("models.generateContentStream"),
    ("models", "countTokens"): _google("models.countTokens", generates=False),
}  # fmt: skip
_LONGEST = max(len(k) for k in TABLE)

VERCEL = {
    name: Api(f"ai.{name}", "ai", "vercel", ("maxOutputTokens", "maxTokens"), True, ("model",), ("ai",))
    for name in ("generateText", "streamText", "generateObject", "streamObject")
}
VERCEL_PROVIDERS = {
    "openai": "openai", "azure": "openai", "anthropic": "anthropic", "bedrock": "anthropic", "google": "google",
    "vertex": "google", "gemini": "google", "mistral": "mistral", "groq": "groq", "xai": "xai",
}  # fmt: skip

LANGCHAIN_MODELS = {
    "ChatOpenAI": "openai", "AzureChatOpenAI": "openai", "ChatAnthropic": "anthropic",
    "ChatGoogleGenerativeAI": "google", "ChatVertexAI": "google", "ChatMistralAI": "mistral", "ChatGroq": "groq",
    "ChatBedrockConverse": "anthropic", "ChatOllama": "ollama", "ChatXAI": "xai", "ChatDeepSeek": "deepseek",
}  # fmt: skip
LANGCHAIN_CAPS = ("maxTokens", "maxCompletionTokens", "maxOutputTokens", "max_tokens")
LANGCHAIN_CALLS = frozenset({"invoke", "stream", "batch", "streamEvents"})
METHODS = frozenset(k[-1] for k in TABLE) | LANGCHAIN_CALLS
"""Method names worth a look: the scan asks tree-sitter for calls of these names only."""


def langchain_model(name: str) -> Api:
    """The record for ``new ChatOpenAI({...})``: where a LangChain chat model's model and cap are set."""
    return Api(f"langchain.{name}", LANGCHAIN_MODELS[name], "langchain", LANGCHAIN_CAPS, False)


def langchain_call(model: Api, method: str) -> Api:
    """``llm.invoke([...])`` on a LangChain chat model: a request with the model's settings."""
    return Api(f"{model.name}.{method}", model.provider, "langchain-call", model.caps, True)


def table(names: list[str]) -> Api | None:
    """The SDK method a member chain ends with (``[..., "chat", "completions", "create"]``), or None."""
    provider_beta = "beta" in names
    names = [n for n in names if n != "beta"]
    for size in range(min(_LONGEST, len(names) - 1), 1, -1):
        api = TABLE.get(tuple(names[-size:]))
        if api is not None:
            return _beta(api) if provider_beta else api
    return None


def _beta(api: Api) -> Api:
    if api.provider != "anthropic":
        return api
    name = api.name.replace("anthropic.", "anthropic.beta.", 1)
    return Api(name, api.provider, api.shape, api.caps, api.generates, api.requires, api.packages)


def sdk_imported(packages: set[str], api: Api) -> bool:
    """True when the module imports the package the API belongs to (any ``@langchain``/``@ai-sdk`` counts)."""
    return bool(packages & set(api.packages)) or not api.packages

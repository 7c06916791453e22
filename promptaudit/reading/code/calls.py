"""Read one SDK call: its messages in the order the provider receives them, its model and its output cap.

Order: tools, then the system text (Anthropic ``system``, OpenAI Responses ``instructions``, Gemini
``system_instruction``, Bedrock ``system`` blocks, an Assistants run's ``instructions``), then the messages.
The keywords are the call's own plus those of a params dict it spreads (:mod:`.params`); a client built with
``model=`` / ``max_tokens=`` (``instructor.from_cohere(..., model=...)``, ``ChatOpenAI(model=...)``) lends
them to its calls. A call whose texts cannot be read is still a call: its prompt is "built at run time".
"""

from __future__ import annotations

import ast
import json

from promptaudit.reading.code import params
from promptaudit.reading.code.apis import Api
from promptaudit.reading.code.contents import ContentReader
from promptaudit.reading.code.found import CallSite, Message
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.recognition import WRAPS

SETTINGS = {"config": ("max_output_tokens", "system_instruction"), "generation_config": ("max_output_tokens",),
            "inferenceConfig": ("maxTokens",), "options": ("num_predict",)}  # fmt: skip
"""Keywords that hold a settings object, and the cap (and system text) inside it."""
MODEL_KEYWORDS = ("model", "modelId", "model_id", "model_name")
CLIENT_CAPS = ("max_tokens", "max_output_tokens", "max_completion_tokens")


class CallReader(ContentReader):
    """Reads the calls of one module."""

    def read(self, call: ast.Call, api: Api) -> CallSite:
        """The :class:`CallSite` for ``call``."""
        keywords = params.keywords(self.module, self.resolver, call)
        line, column = self.module.start(call)
        site = CallSite(api.name, api.provider, api.generates, self.module.path, line, column)
        client = self.client_keywords(call)
        model = next((keywords.get(k) for k in MODEL_KEYWORDS if k in keywords), None)
        model = model if model is not None or keywords.open else next(
            (client[k] for k in MODEL_KEYWORDS if k in client), None)  # fmt: skip
        site.model = self.model(model, call)
        site.cap, site.capped = self._cap(api, keywords)
        if not site.capped and any(k in client for k in CLIENT_CAPS):
            site.cap, site.capped = self.integer(next(client[k] for k in CLIENT_CAPS if k in client), call), True
        elif not site.capped and api.shape == "langchain" and not client:
            site.capped = True  # a model object built elsewhere: its cap is set where it is built
        if api.shape not in ("batch", "opaque"):
            site.messages = self._tools(keywords, call) + self._messages(api, keywords, call)
        return site

    def client_keywords(self, call: ast.Call) -> dict[str, ast.expr]:
        """The keywords the receiver was built with (``client = from_cohere(co, model=..., max_tokens=...)``,
        ``ChatOpenAI(model=...)`` behind ``.with_structured_output(X)`` or in a ``prompt | llm`` chain)."""
        return self._built(call.func.value if isinstance(call.func, ast.Attribute) else None, call, 0)

    def _built(self, node: ast.expr | None, at: ast.AST, depth: int) -> dict[str, ast.expr]:
        if node is None or depth > 6:
            return {}
        if isinstance(node, ast.Attribute):
            return self._built(node.value, at, depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self._built(node.right, at, depth + 1) or self._built(node.left, at, depth + 1)
        if isinstance(node, ast.Name):
            binding = self.resolver.bound(self.module, node, at)
            if binding is None or binding.module is not self.module:
                return {}
            return self._built(binding.node, binding.node, depth + 1)
        if not isinstance(node, ast.Call):
            return {}
        if isinstance(node.func, ast.Attribute) and node.func.attr in WRAPS:
            return self._built(node.func.value, at, depth + 1)  # llm.with_structured_output(X)
        return {k.arg: k.value for k in node.keywords if k.arg}

    def model(self, node: ast.expr | None, at: ast.AST) -> str | None:
        """A model name: a literal, a constant, or the default of ``os.getenv`` / ``os.environ.get``."""
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Call) and _is_getenv(node) and len(node.args) == 2:
            return self.model(node.args[1], at)
        binding = self.resolver.bound(self.module, node, at)
        if binding is None:
            return None
        return CallReader(binding.module, self.resolver).model(binding.node, binding.node)

    def integer(self, node: ast.expr, at: ast.AST) -> int | None:
        """An int literal or the int constant a name resolves to."""
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, int) and not isinstance(node.value, bool) else None
        binding = self.resolver.bound(self.module, node, at)
        if binding is None or not isinstance(binding.node, ast.Constant):
            return None
        return CallReader(binding.module, self.resolver).integer(binding.node, binding.node)

    def _cap(self, api: Api, keywords: params.Keywords) -> tuple[int | None, bool]:
        for name in api.caps:
            if name in keywords:
                value = keywords.get(name)
                none = isinstance(value, ast.Constant) and value.value is None
                return (None, False) if none else (self.integer(value, keywords.at[name]), True)
        for holder, inside in SETTINGS.items():
            if holder in keywords:
                settings = self._settings(keywords.get(holder), keywords.at[holder])
                if settings is None:
                    return None, True  # a settings object built elsewhere: it may set the cap
                if inside[0] in settings:
                    return self.integer(settings[inside[0]], keywords.at[holder]), True
        return None, keywords.open  # unread keywords may carry the cap

    def _settings(self, node: ast.expr, at: ast.AST) -> dict | None:
        """Keyword -> value of a ``GenerateContentConfig(...)`` call or a dict literal."""
        if isinstance(node, (ast.Name, ast.Attribute)):
            binding = self.resolver.bound(self.module, node, at)
            node = binding.node if binding is not None and binding.module is self.module else node
        if isinstance(node, ast.Call):
            if not node.keywords or node.args or any(k.arg is None for k in node.keywords):
                return None  # built by a helper (self._build_config()), not a config constructor: unknown
            return {k.arg: k.value for k in node.keywords}
        if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
            return {k.value: v for k, v in zip(node.keys, node.values)}
        return None

    def _tools(self, keywords: params.Keywords, call: ast.Call) -> list[Message]:
        node = keywords.get("tools")
        items = self.resolver.elements(self.module, node, keywords.at["tools"]) if node is not None else None
        tools = []
        for owner, item in items or []:
            try:
                schema = ast.literal_eval(item)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            if isinstance(schema, dict):
                schema.pop("cache_control", None)
                text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
                tools.append(Message("tool", _located(owner, item, text), kind="tool", templated=False))
        return tools

    def _messages(self, api: Api, keywords: params.Keywords, call: ast.Call) -> list[Message]:
        out: list[Message] = []
        for name in SYSTEM_KEYWORDS.get(api.shape, ()):
            if name in keywords:
                out += self._system(keywords.get(name), keywords.at[name])
        if api.shape == "gemini":
            return out + self._gemini(keywords, call)
        if api.shape == "langchain":
            return out + self._message_list(call.args[0] if call.args else keywords.get("input"), call, "*")
        main, role = MAIN_TEXT.get(api.shape, ("messages", "*"))
        node = keywords.get(main)
        if node is None and api.shape == "chat" and len(call.args) >= 2 and api.provider == "litellm":
            node = call.args[1]  # completion(model, messages)
        return out + self._message_list(node, keywords.at.get(main, call), role)

    def _gemini(self, keywords: params.Keywords, call: ast.Call) -> list[Message]:
        out = []
        for holder in ("config", "generation_config"):
            settings = self._settings(keywords.get(holder), keywords.at[holder]) if holder in keywords else None
            if settings and "system_instruction" in settings:
                out += self._system(settings["system_instruction"], keywords.at[holder])
        contents = keywords.get("contents")
        return out + self._contents(contents if contents is not None else (call.args[0] if call.args else None), call)


SYSTEM_KEYWORDS = {"anthropic": ("system",), "responses": ("instructions",), "converse": ("system",),
                   "assistants": ("instructions", "additional_instructions")}  # fmt: skip
MAIN_TEXT = {"responses": ("input", "user"), "completion": ("prompt", "user"),
             "assistants": ("additional_messages", "*")}  # fmt: skip
"""The keyword that holds each request shape's main text, and the role of a bare string there."""


def _is_getenv(node: ast.Call) -> bool:
    func = node.func
    return isinstance(func, ast.Attribute) and (
        func.attr == "getenv"
        or func.attr == "get"
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "environ"
    )


def _located(module: Module, node: ast.expr, text: str):
    from promptaudit.reading.code.text import Piece, Text

    line, column = module.start(node)
    return Text((Piece(text, module.path, line, column),), module.path, line, column)

"""Which calls of a module send a request to a model, however the SDK method is reached.

Directly (``client.chat.completions.create(...)``, :mod:`.apis`); through a module-level alias
(``completion = client.chat.completions.create`` or ``= litellm.completion``, then ``completion(...)``);
through a method reference handed to a helper (``retry(client.chat.completions.create, **kw)``,
``asyncio.to_thread(client.responses.create, ...)``: the helper's call carries the request); or through a
LangChain chat model's ``invoke`` family (``llm.invoke``, ``ChatOpenAI(...).with_structured_output(X).ainvoke``,
``(prompt | llm).invoke``) in a module that imports LangChain.
"""

from __future__ import annotations

import ast
import re
from functools import cached_property

from promptaudit.reading.code import apis
from promptaudit.reading.code.apis import Api
from promptaudit.reading.code.module import Module

INVOKE = frozenset({"invoke", "ainvoke", "stream", "astream", "batch", "abatch"})
WRAPS = frozenset({"with_structured_output", "bind_tools", "bind", "with_retry", "with_config", "with_fallbacks"})
MODEL_CLASS = re.compile(r"^(Azure)?Chat[A-Z]\w*$|^init_chat_model$")
MODEL_NAME = re.compile(r"(^|_)(llm|chat|model|chain)s?($|_)", re.IGNORECASE)
LANGCHAIN = Api("langchain.invoke", "langchain", "langchain", ("max_tokens", "max_completion_tokens"))


class Recogniser:
    """Recognises the model calls of one module."""

    def __init__(self, module: Module):
        self.module = module

    def __call__(self, call: ast.Call) -> Api | None:
        """The API ``call`` sends a request to, or None."""
        api = apis.recognise(call, self.module)
        if api is not None:
            return api
        if isinstance(call.func, ast.Name) and call.func.id in self.aliases:
            for value in self.aliases[call.func.id]:
                api = apis.recognise(call, self.module, func=value)
                if api is not None:
                    return api
        return self._reference(call) or self._langchain(call)

    @cached_property
    def aliases(self) -> dict[str, list[ast.expr]]:
        """Module-level names bound to an attribute chain (in ``if``/``try`` branches too)."""
        found: dict[str, list[ast.expr]] = {}
        for node in _module_statements(self.module.tree.body):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, []).append(node.value)
        return found

    def _reference(self, call: ast.Call) -> Api | None:
        """``helper(client.chat.completions.create, **kw)``: the SDK method handed over as a value."""
        for arg in call.args[:2]:
            api = apis.method(arg, self.module) if isinstance(arg, ast.Attribute) else None
            if api is not None and api.generates:
                return api
        return None

    def _langchain(self, call: ast.Call) -> Api | None:
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in INVOKE):
            return None
        if not apis.imports_any(self.module, ("langchain",)):
            return None
        return LANGCHAIN if self._is_model(func.value) else None

    def _is_model(self, receiver: ast.expr, depth: int = 0) -> bool:
        if depth > 4:
            return False
        if isinstance(receiver, ast.Call):
            func = receiver.func
            if isinstance(func, ast.Attribute) and func.attr in WRAPS:
                return self._is_model(func.value, depth + 1)
            return bool(MODEL_CLASS.match(_last_name(func)))
        if isinstance(receiver, ast.BinOp) and isinstance(receiver.op, ast.BitOr):
            return self._is_model(receiver.left, depth + 1) or self._is_model(receiver.right, depth + 1)
        return bool(MODEL_NAME.search(_last_name(receiver)))


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _module_statements(body: list[ast.stmt]):
    """Module-level statements, looking into ``if``/``try``/``with`` blocks but not functions or classes."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With)):
            for block in ("body", "orelse", "finalbody"):
                yield from _module_statements(getattr(node, block, []) or [])
            for handler in getattr(node, "handlers", []):
                yield from _module_statements(handler.body)

"""Read one SDK call: its messages in the order the provider receives them, its model and its output cap.

Order: tools, then the system text (Anthropic ``system``, OpenAI Responses ``instructions``, Gemini
``system_instruction``), then the messages. A ``messages=`` name is followed to the list assigned earlier in
the same function, plus what ``.append``/``.extend`` add to it before the call.
"""

from __future__ import annotations

import ast
import json

from promptaudit.reading.code.apis import Api
from promptaudit.reading.code.found import CallSite, Message
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.values import Resolver, _own_nodes, enclosing

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
TEXT_BLOCKS = ("text", "input_text", "output_text")


class CallReader:
    """Reads the calls of one module."""

    def __init__(self, module: Module, resolver: Resolver):
        self.module, self.resolver = module, resolver

    def read(self, call: ast.Call, api: Api) -> CallSite:
        """The :class:`CallSite` for ``call``."""
        keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
        line, column = self.module.start(call)
        site = CallSite(api.name, api.provider, api.generates, self.module.path, line, column)
        site.model = self.model(keywords.get("model"), call)
        site.cap, site.capped = self._cap(api, call, keywords)
        if api.shape != "batch":
            site.messages = self._tools(keywords.get("tools"), call) + self._messages(api, keywords, call)
        return site

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

    def _cap(self, api: Api, call: ast.Call, keywords: dict) -> tuple[int | None, bool]:
        if any(k.arg is None for k in call.keywords):
            return None, True  # **kwargs may carry the cap
        for name in api.caps:
            if name in keywords:
                value = keywords[name]
                none = isinstance(value, ast.Constant) and value.value is None
                return (None, False) if none else (self.integer(value, call), True)
        if api.shape == "gemini" and "config" in keywords:
            return self._gemini_cap(keywords["config"], call)
        return None, False

    def _gemini_cap(self, config: ast.expr, call: ast.Call) -> tuple[int | None, bool]:
        settings = self._settings(config, call)
        if settings is None:
            return None, True  # a config built elsewhere: it may set the cap
        if "max_output_tokens" not in settings:
            return None, False
        return self.integer(settings["max_output_tokens"], call), True

    def _settings(self, node: ast.expr, at: ast.AST) -> dict | None:
        """Keyword -> value of a ``GenerateContentConfig(...)`` call or a dict literal."""
        if isinstance(node, (ast.Name, ast.Attribute)):
            binding = self.resolver.bound(self.module, node, at)
            node = binding.node if binding is not None and binding.module is self.module else node
        if isinstance(node, ast.Call):
            if any(k.arg is None for k in node.keywords):
                return None
            return {k.arg: k.value for k in node.keywords}
        if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
            return {k.value: v for k, v in zip(node.keys, node.values)}
        return None

    def _tools(self, node: ast.expr | None, at: ast.AST) -> list[Message]:
        items = self.resolver.elements(self.module, node, at) if node is not None else None
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

    def _messages(self, api: Api, keywords: dict, call: ast.Call) -> list[Message]:
        out: list[Message] = []
        if api.shape == "anthropic" and "system" in keywords:
            out += self._system(keywords["system"], call)
        if api.shape == "responses" and "instructions" in keywords:
            out += self._system(keywords["instructions"], call)
        if api.shape == "gemini":
            settings = self._settings(keywords["config"], call) if "config" in keywords else None
            if settings and "system_instruction" in settings:
                out += self._system(settings["system_instruction"], call)
            return out + self._contents(keywords.get("contents"), call)
        if api.shape == "responses":
            return out + self._message_list(keywords.get("input"), call, "user")
        return out + self._message_list(keywords.get("messages"), call, "*")

    def _system(self, node: ast.expr, at: ast.AST) -> list[Message]:
        blocks = self.resolver.elements(self.module, node, at)
        if blocks is None:
            return [Message("system", self.resolver.content(self.module, node), kind="system")]
        found = []
        for owner, block in blocks:
            found += [Message("system", m.text, "system", None, m.cache_breakpoint) for m in
                      CallReader(owner, self.resolver)._block(block, "system", None)]  # fmt: skip
        return found

    def _message_list(self, node: ast.expr | None, call: ast.Call, unknown_role: str) -> list[Message]:
        if node is None:
            return []
        items = self.listed(node, call)
        if items is None:
            text = self.resolver.content(self.module, node)
            return [Message("user" if self._is_text(node) else unknown_role, text, index=0)]
        found = []
        for index, (owner, item) in enumerate(items):
            found += CallReader(owner, self.resolver)._message(item, index)
        return found

    def _is_text(self, node: ast.expr) -> bool:
        return isinstance(node, (ast.Constant, ast.JoinedStr)) or self.resolver.text(self.module, node) is not None

    def listed(self, node: ast.expr, call: ast.Call) -> list | None:
        """Elements of a message list: a literal, a local list plus what is appended to it before ``call``,
        or the list a helper function of the module returns (``messages=build_messages(...)``)."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            returned = _returned_list(self.module, node.func.id)
            return self.resolver.elements(self.module, returned, returned) if returned is not None else None
        if isinstance(node, ast.Name):
            binding = self.resolver.bound(self.module, node, call)
            if binding is not None and binding.module is self.module and isinstance(binding.node, ast.List):
                base = self.resolver.elements(self.module, binding.node, call) or []
                return base + self._appended(node.id, binding.node, call)
        return self.resolver.elements(self.module, node, call)

    def _appended(self, name: str, start: ast.AST, call: ast.Call) -> list:
        scope = enclosing(self.module, call, FUNCTIONS) or self.module.tree
        added = []
        for node in _own_nodes(scope):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            target = node.func.value
            if not (isinstance(target, ast.Name) and target.id == name and _between(start, node, call)):
                continue
            if node.func.attr == "append":
                added.append((node, (self.module, node.args[0])))
            elif node.func.attr == "extend":
                more = self.resolver.elements(self.module, node.args[0], call)
                added += [(node, item) for item in more or [(self.module, node.args[0])]]
        return [item for _, item in sorted(added, key=lambda pair: (pair[0].lineno, pair[0].col_offset))]

    def _message(self, item: ast.expr, index: int) -> list[Message]:
        if isinstance(item, ast.Starred):  # *history: messages only known at run time
            item = item.value
        if not isinstance(item, ast.Dict) or not all(isinstance(k, ast.Constant) for k in item.keys if k):
            return [Message("*", self.resolver.content(self.module, item), index=index)]
        fields = {k.value: v for k, v in zip(item.keys, item.values) if k is not None}
        role = fields.get("role")
        role = role.value if isinstance(role, ast.Constant) and isinstance(role.value, str) else "*"
        content = fields.get("content", fields.get("parts"))
        if content is None:
            return []
        kind = "system" if role == "system" else "message"
        return [Message(m.role, m.text, kind, index, m.cache_breakpoint) for m in self._blocks(content, role, index)]

    def _blocks(self, content: ast.expr, role: str, index: int | None) -> list[Message]:
        """A message's content: a string, or a list of content blocks (text, tool_result, ...)."""
        blocks = self.resolver.elements(self.module, content, content)
        if blocks is None or isinstance(content, (ast.Constant, ast.JoinedStr)):
            return [Message(role, self.resolver.content(self.module, content), index=index)]
        found = []
        for owner, block in blocks:
            found += CallReader(owner, self.resolver)._block(block, role, index)
        return found

    def _block(self, block: ast.expr, role: str, index: int | None) -> list[Message]:
        if not isinstance(block, ast.Dict):
            return [Message(role, self.resolver.content(self.module, block), index=index)]
        fields = {k.value: v for k, v in zip(block.keys, block.values) if isinstance(k, ast.Constant)}
        kind = fields.get("type")
        kind = kind.value if isinstance(kind, ast.Constant) else "text"
        breakpoint = "5m" if "cache_control" in fields else None
        text = fields.get("text", fields.get("content") if kind == "tool_result" else None)
        if text is None:
            return []
        return [Message(role, self.resolver.content(self.module, text), index=index, cache_breakpoint=breakpoint)]

    def _contents(self, node: ast.expr | None, call: ast.Call) -> list[Message]:
        """Gemini ``contents``: a string, a list of strings, or Content objects / dicts with ``parts``."""
        if node is None:
            return []
        items = self.resolver.elements(self.module, node, call)
        if items is None:
            return [Message("user", self.resolver.content(self.module, node), index=0)]
        found = []
        for index, (owner, item) in enumerate(items):
            reader = CallReader(owner, self.resolver)
            if isinstance(item, ast.Call) and chain_name(item.func) == "Content":
                found += reader._content_call(item, index)
            elif isinstance(item, ast.Dict):
                found += reader._message(item, index)
            else:
                found.append(Message("user", reader.resolver.content(owner, item), index=index))
        return found

    def _content_call(self, item: ast.Call, index: int) -> list[Message]:
        fields = {k.arg: k.value for k in item.keywords if k.arg}
        role = fields.get("role")
        role = role.value if isinstance(role, ast.Constant) and isinstance(role.value, str) else "user"
        parts = self.resolver.elements(self.module, fields["parts"], item) if "parts" in fields else None
        found = []
        for owner, part in parts or []:
            text = _part_text(part)
            if text is not None:
                found.append(Message(role, self.resolver.content(owner, text), index=index))
        return found


def _returned_list(module: Module, name: str) -> ast.List | None:
    """The list literal a module-level function returns as its last statement, if it does."""
    function = module.functions.get(name)
    last = function.body[-1] if function is not None and function.body else None
    return last.value if isinstance(last, ast.Return) and isinstance(last.value, ast.List) else None


def chain_name(func: ast.expr) -> str:
    """The last name of a call's function (``types.Content`` -> ``Content``)."""
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _part_text(part: ast.expr) -> ast.expr | None:
    if isinstance(part, ast.Call):
        fields = {k.arg: k.value for k in part.keywords if k.arg}
        return fields.get("text", part.args[0] if part.args else None)
    if isinstance(part, ast.Dict):
        return next((v for k, v in zip(part.keys, part.values) if isinstance(k, ast.Constant) and k.value == "text"),
                    None)  # fmt: skip
    return part


def _is_getenv(node: ast.Call) -> bool:
    func = node.func
    return isinstance(func, ast.Attribute) and (
        func.attr == "getenv"
        or func.attr == "get"
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "environ"
    )


def _between(start: ast.AST, node: ast.AST, end: ast.AST) -> bool:
    return (start.lineno, start.col_offset) < (node.lineno, node.col_offset) < (end.lineno, end.col_offset)


def _located(module: Module, node: ast.expr, text: str):
    from promptaudit.reading.code.text import Piece, Text

    line, column = module.start(node)
    return Text((Piece(text, module.path, line, column),), module.path, line, column)

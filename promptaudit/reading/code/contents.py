"""The texts inside a request: message lists, content blocks, system blocks and Gemini contents.

A message is a dict literal, a ``dict(role=..., content=...)`` call, a ``("system", text)`` tuple or a message
object (``SystemMessage(content=...)``, ``HumanMessage(...)``); a content block is a dict or a typed block
(``TextBlockParam(type="text", text=...)``), followed through a local name. A list is a literal, a name bound
to one (plus what ``.append``/``.extend`` add before the call), ``[...] + history``, or the list a module
helper returns.
"""

from __future__ import annotations

import ast

from promptaudit.reading.code.found import Message
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.values import FUNCTIONS, Resolver, _own_nodes, enclosing

MESSAGE_CLASSES = {"System": "system", "Human": "user", "AI": "assistant", "User": "user", "Assistant": "assistant",
                   "Developer": "developer", "Tool": "tool", "Chat": "user"}  # fmt: skip
TUPLE_ROLES = {"system": "system", "human": "user", "user": "user", "ai": "assistant", "assistant": "assistant"}


class ContentReader:
    """Reads the texts of a request written in one module."""

    def __init__(self, module: Module, resolver: Resolver):
        self.module, self.resolver = module, resolver

    def _again(self, module: Module):
        return type(self)(module, self.resolver)

    def _system(self, node: ast.expr, at: ast.AST) -> list[Message]:
        blocks = self.resolver.elements(self.module, node, at)
        if blocks is None:
            return [Message("system", self.resolver.content(self.module, node), kind="system")]
        found = []
        for owner, block in blocks:
            found += [Message("system", m.text, "system", None, m.cache_breakpoint) for m in
                      self._again(owner)._block(block, "system", None)]  # fmt: skip
        return found

    def _message_list(self, node: ast.expr | None, call: ast.AST, unknown_role: str) -> list[Message]:
        if node is None:
            return []
        items = self.listed(node, call)
        if items is None:
            text = self.resolver.content(self.module, node)
            return [Message("user" if self._is_text(node) else unknown_role, text, index=0)]
        found = []
        for index, (owner, item) in enumerate(items):
            found += self._again(owner)._message(item, index)
        return found

    def _is_text(self, node: ast.expr) -> bool:
        return isinstance(node, (ast.Constant, ast.JoinedStr)) or self.resolver.text(self.module, node) is not None

    def listed(self, node: ast.expr, call: ast.AST) -> list | None:
        """Elements of a message list: a literal, a local list plus what is appended to it before ``call``,
        ``[...] + history``, or the list a helper function of the module returns (``messages=build(...)``)."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            returned = _returned_list(self.module, node.func.id)
            return self.resolver.elements(self.module, returned, returned) if returned is not None else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.listed(node.left, call), self.listed(node.right, call)
            if left is None and right is None:
                return None
            return (left or [(self.module, node.left)]) + (right or [(self.module, node.right)])
        if isinstance(node, ast.Name):
            binding = self.resolver.bound(self.module, node, call)
            if (
                binding is not None
                and binding.module is self.module
                and isinstance(binding.node, (ast.List, ast.BinOp))
            ):
                base = self.listed(binding.node, binding.node) or []
                return base + self._appended(node.id, binding.node, call)
        return self.resolver.elements(self.module, node, call)

    def _appended(self, name: str, start: ast.AST, call: ast.AST) -> list:
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
        fields = _fields(item)
        if fields is None:
            return self._other_message(item, index)
        role = fields.get("role")
        role = role.value if isinstance(role, ast.Constant) and isinstance(role.value, str) else "*"
        content = fields.get("content", fields.get("parts"))
        if content is None:
            return []
        kind = "system" if role == "system" else "message"
        return [Message(m.role, m.text, kind, index, m.cache_breakpoint) for m in self._blocks(content, role, index)]

    def _other_message(self, item: ast.expr, index: int) -> list[Message]:
        """A ``(role, text)`` tuple or a message object; anything else is messages known at run time."""
        role, content = _tuple_message(item) or _object_message(item) or (None, None)
        if role is None:
            return [Message("*", self.resolver.content(self.module, item), index=index)]
        kind = "system" if role == "system" else "message"
        return [Message(m.role, m.text, kind, index, m.cache_breakpoint) for m in self._blocks(content, role, index)]

    def _blocks(self, content: ast.expr, role: str, index: int | None) -> list[Message]:
        """A message's content: a string, or a list of content blocks (text, tool_result, ...)."""
        blocks = self.resolver.elements(self.module, content, content)
        if blocks is None or isinstance(content, (ast.Constant, ast.JoinedStr)):
            return [Message(role, self.resolver.content(self.module, content), index=index)]
        found = []
        for owner, block in blocks:
            found += self._again(owner)._block(block, role, index)
        return found

    def _block(self, block: ast.expr, role: str, index: int | None) -> list[Message]:
        fields = _fields(self._followed(block))
        if fields is None:
            return [Message(role, self.resolver.content(self.module, block), index=index)]
        kind = fields.get("type")
        kind = kind.value if isinstance(kind, ast.Constant) else "text"
        breakpoint = "5m" if "cache_control" in fields else None
        text = fields.get("text", fields.get("content") if kind == "tool_result" else None)
        if text is None:
            return []
        return [Message(role, self.resolver.content(self.module, text), index=index, cache_breakpoint=breakpoint)]

    def _followed(self, block: ast.expr) -> ast.expr:
        """A block bound to a local name (``system = TextBlockParam(...)`` then ``system=[system]``)."""
        if not isinstance(block, ast.Name):
            return block
        binding = self.resolver.bound(self.module, block, block)
        if binding is not None and binding.module is self.module and isinstance(binding.node, (ast.Dict, ast.Call)):
            return binding.node
        return block

    def _contents(self, node: ast.expr | None, call: ast.AST) -> list[Message]:
        """Gemini ``contents``: a string, a list of strings, or Content objects / dicts with ``parts``."""
        if node is None:
            return []
        items = self.resolver.elements(self.module, node, call)
        if items is None:
            return [Message("user", self.resolver.content(self.module, node), index=0)]
        found = []
        for index, (owner, item) in enumerate(items):
            reader = self._again(owner)
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


def _fields(node: ast.expr) -> dict | None:
    """Key -> value of a dict literal with constant keys, or of a call made with keywords only
    (``dict(role=..., content=...)``, ``TextBlockParam(type="text", text=...)``)."""
    if isinstance(node, ast.Dict):
        if not all(isinstance(k, ast.Constant) for k in node.keys if k is not None):
            return None
        return {k.value: v for k, v in zip(node.keys, node.values) if k is not None}
    if isinstance(node, ast.Call) and not node.args and node.keywords:
        fields = {k.arg: k.value for k in node.keywords if k.arg}
        return fields if "role" in fields or "text" in fields or "type" in fields else None
    return None


def _tuple_message(item: ast.expr) -> tuple[str, ast.expr] | None:
    if isinstance(item, ast.Tuple) and len(item.elts) == 2 and isinstance(item.elts[0], ast.Constant):
        role = TUPLE_ROLES.get(str(item.elts[0].value))
        return (role, item.elts[1]) if role else None
    return None


def _object_message(item: ast.expr) -> tuple[str, ast.expr] | None:
    """``SystemMessage(content=...)``, ``HumanMessage("...")``, ``ChatMessage(role=..., content=...)``."""
    if not isinstance(item, ast.Call):
        return None
    name = chain_name(item.func)
    role = next((r for prefix, r in MESSAGE_CLASSES.items() if name == f"{prefix}Message"), None)
    fields = {k.arg: k.value for k in item.keywords if k.arg}
    content = fields.get("content", item.args[0] if item.args else None)
    return (role, content) if role is not None and content is not None else None


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


def _between(start: ast.AST, node: ast.AST, end: ast.AST) -> bool:
    return (start.lineno, start.col_offset) < (node.lineno, node.col_offset) < (end.lineno, end.col_offset)

"""LangChain prompt templates: ``PromptTemplate`` and ``ChatPromptTemplate`` in their usual spellings.

``PromptTemplate(template=...)``, ``PromptTemplate.from_template(...)``, ``ChatPromptTemplate.from_template``,
``ChatPromptTemplate.from_messages([...])`` (and its constructor) with ``(role, template)`` tuples,
``*MessagePromptTemplate.from_template(...)``, message objects and ``MessagesPlaceholder``. Template fields
(``{question}``) become variables and ``{{``/``}}`` single braces, as LangChain's f-string format does.
"""

from __future__ import annotations

import ast

from promptaudit.reading.code.apis import chain
from promptaudit.reading.code.found import Message, Template
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.text import Text, variable
from promptaudit.reading.code.values import Resolver

ROLES = {"system": "system", "human": "user", "user": "user", "ai": "assistant", "assistant": "assistant"}
CLASS_ROLES = {"System": "system", "Human": "user", "AI": "assistant", "Chat": "user"}


def recognise(call: ast.Call, module: Module) -> str | None:
    """``langchain.PromptTemplate`` / ``langchain.ChatPromptTemplate`` when ``call`` builds one, else None."""
    if not module.uses_langchain:
        return None
    names = chain(call.func)
    if not names:
        return None
    owner = names[-2] if names[-1] in ("from_template", "from_messages") and len(names) > 1 else names[-1]
    if owner in ("PromptTemplate", "ChatPromptTemplate"):
        return f"langchain.{owner}"
    return None


def read(call: ast.Call, api: str, module: Module, resolver: Resolver) -> Template:
    """The template's messages (a PromptTemplate is one user message)."""
    line, column = module.start(call)
    template = Template(api, module.path, line, column)
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    jinja = (
        isinstance(keywords.get("template_format"), ast.Constant) and keywords["template_format"].value != "f-string"
    )
    reader = _Reader(module, resolver, jinja)
    if chain(call.func)[-1] == "from_messages" or chain(call.func)[-1] == "ChatPromptTemplate":
        listed = call.args[0] if call.args else keywords.get("messages")
        template.messages = reader.messages(listed, call) if listed is not None else []
    else:
        source = keywords.get("template", call.args[0] if call.args else None)
        template.messages = [reader.message("user", source, 0)] if source is not None else []
    return template


class _Reader:
    def __init__(self, module: Module, resolver: Resolver, jinja: bool):
        self.module, self.resolver, self.jinja = module, resolver, jinja

    def message(self, role: str, node: ast.expr, index: int, templated: bool = True) -> Message:
        text = self.resolver.text(self.module, node)
        if text is None:
            return Message(role, self.resolver.content(self.module, node), index=index)
        if templated and not self.jinja:
            text = self.resolver.formatted(self.module, text, None)
        return Message(role, text, "system" if role == "system" else "message", index)

    def messages(self, node: ast.expr, at: ast.AST) -> list[Message]:
        items = self.resolver.elements(self.module, node, at)
        if items is None:
            return [Message("*", self.resolver.content(self.module, node))]
        found = []
        for index, (owner, item) in enumerate(items):
            reader = _Reader(owner, self.resolver, self.jinja)
            found += reader.element(self._followed(owner, item), index)
        return found

    def _followed(self, owner: Module, item: ast.expr) -> ast.expr:
        """A name bound to a message template built earlier is read as that template."""
        binding = self.resolver.bound(owner, item, item) if isinstance(item, ast.Name) else None
        return binding.node if binding is not None and isinstance(binding.node, (ast.Call, ast.Tuple)) else item

    def element(self, item: ast.expr, index: int) -> list[Message]:
        if isinstance(item, ast.Tuple) and len(item.elts) == 2 and isinstance(item.elts[0], ast.Constant):
            role = str(item.elts[0].value)
            if role == "placeholder":
                return [Message("*", self.resolver.content(self.module, item.elts[1]), index=index)]
            return [self.message(ROLES.get(role, "user"), item.elts[1], index)]
        if isinstance(item, ast.Call):
            return self._call(item, index)
        return [Message("*", self.resolver.content(self.module, item), index=index)]

    def _placeholder(self, name: ast.expr, index: int) -> Message:
        """``MessagesPlaceholder("history")``: the messages a variable holds at run time."""
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            line, column = self.module.start(name)
            piece = variable(name.value, self.module.path, line, column)
            return Message("*", Text((piece,), self.module.path, line, column), index=index)
        return Message("*", self.resolver.content(self.module, name), index=index)

    def _call(self, item: ast.Call, index: int) -> list[Message]:
        names = chain(item.func)
        keywords = {k.arg: k.value for k in item.keywords if k.arg}
        if names and names[-1] == "MessagesPlaceholder":
            return [self._placeholder(keywords.get("variable_name", item.args[0] if item.args else item), index)]
        owner = names[-2] if len(names) > 1 and names[-1] == "from_template" else names[-1] if names else ""
        role = next((r for prefix, r in CLASS_ROLES.items() if owner.startswith(prefix)), None)
        source = keywords.get("content", keywords.get("template", item.args[0] if item.args else None))
        if role is None or source is None:
            return [Message("*", self.resolver.content(self.module, item), index=index)]
        return [self.message(role, source, index, templated=owner.endswith("PromptTemplate"))]

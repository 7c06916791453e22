"""LangChain.js prompt templates: ``PromptTemplate`` and ``ChatPromptTemplate`` in their usual spellings.

``PromptTemplate.fromTemplate(...)``, ``new PromptTemplate({ template })``, ``ChatPromptTemplate.fromTemplate``,
``ChatPromptTemplate.fromMessages([...])`` with ``["system", "..."]`` pairs, ``*MessagePromptTemplate
.fromTemplate(...)``, message objects (``new SystemMessage("...")``) and ``MessagesPlaceholder``. Template
fields (``{question}``) become variables and ``{{``/``}}`` single braces, as LangChain's f-string format does
(the same reading as for Python: :meth:`promptaudit.reading.code.values.Resolver.formatted`).
"""

from __future__ import annotations

from promptaudit.reading.code.found import Message, Template
from promptaudit.reading.code.js.calls import LANGCHAIN_ROLES, CallReader
from promptaudit.reading.code.js.module import JsModule, unwrap
from promptaudit.reading.code.js.values import Resolver
from promptaudit.reading.code.text import Text, variable
from promptaudit.reading.code.values import Resolver as PythonResolver

OWNERS = ("PromptTemplate", "ChatPromptTemplate")
CLASS_ROLES = {"System": "system", "Human": "user", "AI": "assistant", "Chat": "user"}
_FORMATTER = PythonResolver()


def formatted(text: Text) -> Text:
    """A LangChain f-string template: ``{field}`` a variable, ``{{`` a brace (shared with the Python scan)."""
    return _FORMATTER.formatted(None, text, None)


def read(module: JsModule, resolver: Resolver, node, owner: str, method: str | None) -> Template:
    """The template built by ``node`` (``owner.method(...)`` or ``new owner({...})``)."""
    line, column = module.start(node)
    template = Template(f"langchain.{owner}", module.path, line, column)
    arguments = node.child_by_field_name("arguments")
    first = next((a for a in arguments.named_children if a.type != "comment"), None) if arguments else None
    if first is None:
        return template
    reader = _Reader(module, resolver)
    if method == "fromMessages":
        template.messages = reader.messages(first, node)
        return template
    source = first
    if method is None:
        fields = resolver.fields(module, first, node)
        source = fields.get("template", (module, None))[1]
        if "templateFormat" in fields or "template_format" in fields:
            reader.plain = True
    template.messages = [reader.message("user", source, 0)] if source is not None else []
    return template


class _Reader:
    def __init__(self, module: JsModule, resolver: Resolver, plain: bool = False):
        self.module, self.resolver, self.plain = module, resolver, plain

    def message(self, role: str, node, index: int, templated: bool = True) -> Message:
        text = self.resolver.text(self.module, node)
        if text is None:
            return Message(role, self.resolver.content(self.module, node), index=index)
        if templated and not self.plain:
            text = formatted(text)
        return Message(role, text, "system" if role == "system" else "message", index)

    def messages(self, node, at) -> list[Message]:
        items = self.resolver.elements(self.module, node, at)
        if items is None:
            return [Message("*", self.resolver.content(self.module, node))]
        found = []
        for index, (owner, item) in enumerate(items):
            found += _Reader(owner, self.resolver, self.plain).element(self._followed(owner, item), index)
        return found

    def _followed(self, owner: JsModule, item):
        """A name bound to a message template built earlier is read as that template."""
        binding = self.resolver.bound(owner, item, item) if unwrap(item).type == "identifier" else None
        return binding.node if binding is not None and binding.module is owner else item

    def element(self, item, index: int) -> list[Message]:
        node = unwrap(item)
        if node.type == "array" and len(node.named_children) == 2:
            role_text = self.resolver.text(self.module, node.named_children[0])
            role = LANGCHAIN_ROLES.get(role_text.text if role_text else "", "user")
            if role == "*":
                return [Message("*", self._placeholder(node.named_children[1]), index=index)]
            return [self.message(role, node.named_children[1], index)]
        if node.type == "new_expression" and self._class(node) == "MessagesPlaceholder":
            return [Message("*", self._placeholder(_first_argument(node) or node), index=index)]
        if node.type == "call_expression" and self._class(node).endswith("MessagePromptTemplate"):
            role = next((r for prefix, r in CLASS_ROLES.items() if self._class(node).startswith(prefix)), "user")
            source = _first_argument(node)
            return [self.message(role, source, index)] if source is not None else []
        return CallReader(self.module, self.resolver).langchain_message(node, index)

    def _class(self, node) -> str:
        target = node.child_by_field_name("constructor") or node.child_by_field_name("function")
        if target is None:
            return ""
        if target.type == "member_expression" and node.type == "call_expression":
            target = target.child_by_field_name("object")
        return self.module.text_of(target).rsplit(".", 1)[-1]

    def _placeholder(self, name) -> Text:
        """``MessagesPlaceholder("history")``: the messages a variable holds at run time."""
        text = self.resolver.text(self.module, name)
        if text is not None and not text.variables:
            line, column = self.module.start(name)
            return Text((variable(text.text, self.module.path, line, column),), self.module.path, line, column)
        return self.resolver.content(self.module, name)


def _first_argument(node):
    arguments = node.child_by_field_name("arguments")
    return next((a for a in arguments.named_children if a.type != "comment"), None) if arguments else None

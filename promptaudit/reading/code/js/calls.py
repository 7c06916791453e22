"""Read one JS/TS SDK call: its texts in the order the provider receives them, its model and its output cap.

Order: tools (literal JSON schemas, billed as compact JSON), then the system text (Anthropic and Vercel
``system``, OpenAI Responses ``instructions``, Gemini ``config.systemInstruction``), then the messages. The
options object may be a literal, a name bound to one (``create(params)``), or a literal with spreads of
known objects (``{ ...base, stream: true }``). A ``messages`` name is followed to the array declared earlier
in the function plus what ``.push`` adds to it before the call, or to the array a helper function returns.
"""

from __future__ import annotations

import json

from promptaudit.reading.code.apis import Api
from promptaudit.reading.code.found import CallSite, Message
from promptaudit.reading.code.js.models import model_of
from promptaudit.reading.code.js.module import JsModule, unwrap
from promptaudit.reading.code.js.values import Resolver, enclosing_functions, own_nodes
from promptaudit.reading.code.text import Piece, Text

TEXT_BLOCKS = ("text", "input_text", "output_text")
LANGCHAIN_ROLES = {"system": "system", "human": "user", "user": "user", "ai": "assistant", "assistant": "assistant",
                   "developer": "developer", "placeholder": "*"}  # fmt: skip
MESSAGE_CLASSES = {"SystemMessage": "system", "HumanMessage": "user", "AIMessage": "assistant", "ChatMessage": "user"}


class CallReader:
    """Reads the calls of one module."""

    def __init__(self, module: JsModule, resolver: Resolver):
        self.module, self.resolver = module, resolver

    def read(self, call, api: Api, options, settings: dict | None = None) -> CallSite:
        """The :class:`CallSite` for ``call`` (``settings``: a LangChain model's constructor fields)."""
        line, column = self.module.start(call)
        site = CallSite(api.name, api.provider, api.generates, self.module.path, line, column)
        fields = settings if settings is not None else self.resolver.fields(self.module, options, call)
        known = bool(fields) or options is None or unwrap(options).type == "object"
        model = fields.get("model") or fields.get("modelName")
        site.model, provider = model_of(self.resolver, *model, call) if model else (None, None)
        site.provider = provider or site.provider
        site.cap, site.capped = self._cap(api, fields, known, call)
        if api.shape in ("batch", "langchain") or not api.generates and api.shape != "anthropic":
            return site
        if api.shape == "langchain-call":
            site.messages = self._langchain(options, call)
            return site
        site.messages = self._tools(fields.get("tools"), call) + self._texts(api, fields, known, options, call)
        return site

    def _cap(self, api: Api, fields: dict, known: bool, call) -> tuple[int | None, bool]:
        if not known or "..." in fields:
            return None, True  # options built elsewhere, or spread from an unknown object: may carry a cap
        for name in api.caps:
            if name in fields:
                owner, value = fields[name]
                if unwrap(value).type in ("null", "undefined"):
                    return None, False
                return self.resolver.integer(owner, value, call), True
        if api.shape == "gemini" and "config" in fields:
            return self._gemini_cap(fields["config"], call)
        return None, False

    def _gemini_cap(self, config: tuple, call) -> tuple[int | None, bool]:
        settings = self.resolver.fields(*config, call)
        if not settings or "..." in settings:
            return None, True
        if "maxOutputTokens" not in settings:
            return None, False
        return self.resolver.integer(*settings["maxOutputTokens"], call), True

    def _tools(self, tools: tuple | None, call) -> list[Message]:
        items = self.resolver.elements(*tools, call) if tools else None
        found = []
        for owner, item in items or []:
            try:
                schema = self.resolver.literal(owner, item, call)
            except (KeyError, RecursionError):
                continue
            if isinstance(schema, dict):
                schema.pop("cache_control", None)
                text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
                found.append(Message("tool", located(owner, item, text), kind="tool", templated=False))
        return found

    def _texts(self, api: Api, fields: dict, known: bool, options, call) -> list[Message]:
        if not known:
            return [Message("*", self.resolver.content(self.module, options), index=0)]
        shape, out = api.shape, []
        system = {"anthropic": "system", "vercel": "system", "responses": "instructions"}.get(shape)
        if system in fields:
            out += self._system(fields[system], call)
        if shape == "gemini":
            config = self.resolver.fields(*fields["config"], call) if "config" in fields else {}
            if "systemInstruction" in config:
                out += self._system(config["systemInstruction"], call)
            return out + self._contents(fields.get("contents"), call)
        for key, role in (("prompt", "user"), ("input", "user")):
            if key in fields and shape in ("vercel", "completions", "responses"):
                return out + self._message_list(fields[key], call, role)
        return out + self._message_list(fields.get("messages"), call, "*")

    def _system(self, value: tuple, at) -> list[Message]:
        owner, node = value
        blocks = self.resolver.elements(owner, node, at)
        if blocks is None and unwrap(node).type == "object":
            blocks = [(owner, node)]
        if blocks is None:
            return [Message("system", self.resolver.content(owner, node), kind="system")]
        found = []
        for block_owner, block in blocks:
            found += [Message("system", m.text, "system", None, m.cache_breakpoint) for m in
                      CallReader(block_owner, self.resolver)._block(block, "system", None)]  # fmt: skip
        return found

    def _message_list(self, value: tuple | None, call, unknown_role: str) -> list[Message]:
        if value is None:
            return []
        owner, node = value
        items = CallReader(owner, self.resolver).listed(node, call)
        if items is None:
            is_text = self.resolver.text(owner, node) is not None
            return [Message("user" if is_text else unknown_role, self.resolver.content(owner, node), index=0)]
        found = []
        for index, (item_owner, item) in enumerate(items):
            found += CallReader(item_owner, self.resolver)._message(item, index)
        return found

    def listed(self, node, call) -> list | None:
        """Elements of a message array: a literal, a local array plus what is pushed to it before ``call``, or
        the array a helper function of the tree returns (``messages: buildMessages(...)``)."""
        node = unwrap(node)
        if node is not None and node.type == "call_expression":
            returned = self.resolver.function_return(self.module, node.child_by_field_name("function"), node)
            return self.resolver.elements(*returned, returned[1]) if returned is not None else None
        if node is not None and node.type in ("identifier", "shorthand_property_identifier"):
            binding = self.resolver.bound(self.module, node, call)
            if binding is not None and binding.module is self.module:
                base = self.resolver.elements(self.module, binding.node, call)
                pushed = self._pushed(self.module.text_of(node), binding.node, call)
                if base is not None or pushed:  # a run-time array (``history.map(...)``) plus what is pushed
                    return (base if base is not None else [(self.module, binding.node)]) + pushed
        return self.resolver.elements(self.module, node, call)

    def _pushed(self, name: str, start, call) -> list:
        function = next(enclosing_functions(call), None)
        nodes = own_nodes(function) if function is not None else _walk(self.module.root)
        added = []
        for node in nodes:
            if node.type != "call_expression" or not start.end_byte <= node.start_byte < call.start_byte:
                continue
            target = node.child_by_field_name("function")
            if target is None or target.type != "member_expression":
                continue
            if self.module.text_of(target).replace(" ", "") == f"{name}.push":
                arguments = node.child_by_field_name("arguments")
                added += [(node, a) for a in arguments.named_children if a.type != "comment"]
        found = []
        for _, argument in sorted(added, key=lambda pair: pair[0].start_byte):
            if argument.type == "spread_element":
                more = self.resolver.elements(self.module, argument.named_children[0], call)
                found += more if more is not None else [(self.module, argument)]
            else:
                found.append((self.module, argument))
        return found

    def _message(self, item, index: int) -> list[Message]:
        node = unwrap(item)
        if node.type == "spread_element":
            return [Message("*", self.resolver.content(self.module, node.named_children[0]), index=index)]
        fields = self.resolver.fields(self.module, node, node)
        if not fields or "..." in fields or ("content" not in fields and "parts" not in fields):
            return [Message("*", self.resolver.content(self.module, node), index=index)]
        role = _string(self.resolver, fields.get("role") or fields.get("type"), node) or "*"
        role = LANGCHAIN_ROLES.get(role, role) if role in ("human", "ai") else role
        content = fields.get("content") or fields.get("parts")
        kind = "system" if role == "system" else "message"
        return [Message(m.role, m.text, kind, index, m.cache_breakpoint) for m in self._blocks(content, role, index)]

    def _blocks(self, content: tuple, role: str, index: int | None) -> list[Message]:
        """A message's content: a string, or an array of content blocks (text, tool_result, parts)."""
        owner, node = content
        blocks = self.resolver.elements(owner, node, node)
        if blocks is None:
            return [Message(role, self.resolver.content(owner, node), index=index)]
        found = []
        for block_owner, block in blocks:
            found += CallReader(block_owner, self.resolver)._block(block, role, index)
        return found

    def _block(self, block, role: str, index: int | None) -> list[Message]:
        if unwrap(block).type != "object":
            return [Message(role, self.resolver.content(self.module, block), index=index)]
        fields = self.resolver.fields(self.module, block, block)
        kind = _string(self.resolver, fields.get("type"), block) or "text"
        text = fields.get("text") or (fields.get("content") if kind == "tool_result" else None)
        if text is None:
            return []
        breakpoint = "5m" if "cache_control" in fields else None
        return [Message(role, self.resolver.content(*text), index=index, cache_breakpoint=breakpoint)]

    def _contents(self, value: tuple | None, call) -> list[Message]:
        """Gemini ``contents``: a string, an array of strings or parts, or ``{ role, parts }`` objects."""
        if value is None:
            return []
        items = CallReader(value[0], self.resolver).listed(value[1], call)
        if items is None:
            return [Message("user", self.resolver.content(*value), index=0)]
        found = []
        for index, (owner, item) in enumerate(items):
            reader = CallReader(owner, self.resolver)
            fields = self.resolver.fields(owner, item, item) if unwrap(item).type == "object" else {}
            if "parts" in fields:
                role = _string(self.resolver, fields.get("role"), item) or "user"
                found += [Message("assistant" if role == "model" else role, m.text, index=index)
                          for m in reader._blocks(fields["parts"], role, index)]  # fmt: skip
            else:
                found += reader._block(item, "user", index) if fields else [
                    Message("user", self.resolver.content(owner, item), index=index)]  # fmt: skip
        return found

    def _langchain(self, argument, call) -> list[Message]:
        """``llm.invoke("...")`` or ``llm.invoke([...])``: tuples, message objects, ``new SystemMessage(...)``."""
        if argument is None:
            return []
        items = self.listed(argument, call)
        if items is None:
            return [Message("user", self.resolver.content(self.module, argument), index=0)]
        found = []
        for index, (owner, item) in enumerate(items):
            found += CallReader(owner, self.resolver).langchain_message(item, index)
        return found

    def langchain_message(self, item, index: int) -> list[Message]:
        """One LangChain message: ``["system", "..."]``, ``new SystemMessage("...")`` or ``{ role, content }``."""
        node = unwrap(item)
        if node.type == "array" and len(node.named_children) == 2:
            role = LANGCHAIN_ROLES.get(_string(self.resolver, (self.module, node.named_children[0]), node) or "", "*")
            text = self.resolver.content(self.module, node.named_children[1])
            return [Message(role, text, "system" if role == "system" else "message", index)]
        if node.type == "new_expression":
            return self._message_object(node, index)
        return self._message(node, index)

    def _message_object(self, node, index: int) -> list[Message]:
        constructor = self.module.text_of(node.child_by_field_name("constructor")).rsplit(".", 1)[-1]
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        role = MESSAGE_CLASSES.get(constructor)
        if role is None or first is None:
            return [Message("*", self.resolver.content(self.module, node), index=index)]
        fields = self.resolver.fields(self.module, first, node) if unwrap(first).type == "object" else {}
        text = (
            self.resolver.content(*fields["content"])
            if "content" in fields
            else self.resolver.content(self.module, first)
        )
        return [Message(role, text, "system" if role == "system" else "message", index)]


def _string(resolver: Resolver, value: tuple | None, at) -> str | None:
    if value is None:
        return None
    text = resolver.text(*value)
    return text.text if text is not None and not text.variables else None


def _walk(root):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.named_children)


def located(module: JsModule, node, text: str) -> Text:
    """A text that is not written as one literal (a tool schema as JSON), placed at ``node``."""
    line, column = module.start(node)
    return Text((Piece(text, module.path, line, column),), module.path, line, column)

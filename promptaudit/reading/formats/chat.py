"""Chat requests in OpenAI and Anthropic style: tools, system, messages and their content blocks.

One :class:`~promptaudit.reading.prompts.Part` per tool, system block and message content block, in the order
Anthropic builds its cache prefix (tools, then system, then messages). Anything in the wrong shape where
a message is expected is an InputError that names the file, the line and the place (``messages[2].content``).
"""

from __future__ import annotations

from typing import Any

from promptaudit.errors import InputError
from promptaudit.reading.formats.documents import Document
from promptaudit.reading.formats.values import json_problem, text_problem, to_json, type_name
from promptaudit.reading.prompts import Part, Prompt
from promptaudit.reading.templates import DEFAULT, Placeholders

ROLES = ("system", "developer", "user", "assistant", "tool", "function")
TTLS = ("5m", "1h")
MAX_TOKENS_KEYS = ("max_tokens", "max_completion_tokens", "max_output_tokens")
_ANTHROPIC_BLOCKS = ("tool_use", "tool_result", "image", "document", "thinking", "redacted_thinking")
_OPENAI_ROLES = ("system", "developer", "tool", "function")


def place(where: tuple) -> str:
    """A path as users read it: ``messages[2].content``."""
    text = ""
    for key in where:
        text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else str(key)
    return text or "the document"


class ChatReader:
    """Builds the parts of one chat request, collecting notes and clues to the provider format."""

    def __init__(self, path: str, doc: Document, placeholders: Placeholders = DEFAULT):
        self.path, self.doc, self.placeholders = path, doc, placeholders
        self.parts: list[Part] = []
        self.notes: list[str] = []
        self.clues: set[str] = set()
        self.message_index = 0

    def fail(self, where: tuple, reason: str):
        """Raise the InputError for a value in the wrong shape."""
        raise InputError(self.path, f"line {self.doc.line(where)}: {place(where)}: {reason}")

    def expect(self, value: Any, kind: type, where: tuple, wanted: str) -> Any:
        """``value`` if it is a ``kind``, else fail saying what was wanted."""
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.fail(where, f"expected {wanted}, got {type_name(value)}")
        if isinstance(value, str) and text_problem(value):
            self.fail(where, text_problem(value))
        return value

    def field(self, mapping: dict, key: str, kind: type, where: tuple, wanted: str) -> Any:
        """``mapping[key]`` if present and a ``kind``; a missing key is named as missing."""
        if key not in mapping:
            self.fail(where, f"{key!r} is missing (expected {wanted})")
        return self.expect(mapping[key], kind, where + (key,), wanted)

    def json_text(self, value: Any, where: tuple, compact: bool = True) -> str:
        """The JSON a provider is sent for ``value``; fail on the first value JSON cannot hold."""
        problem = json_problem(value, where)
        if problem is not None:
            self.fail(*problem)
        return to_json(value, compact)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def add(self, label: str, text: str, where: tuple, **fields) -> None:
        """Add one billed part; its variables use the file's placeholder syntax and the text's own lines."""
        if text_problem(text):
            self.fail(where, text_problem(text))
        fields.setdefault("placeholders", self.placeholders)
        fields.setdefault("lines_match", self.doc.lines_match(where))
        if fields.get("kind", "text") != "tool":
            fields.setdefault("span", self.doc.span(where, self.path))
        self.parts.append(Part(label=label, text=str(text), line=self.doc.line(where), **fields))

    def breakpoint(self, block: dict, where: tuple) -> str | None:
        """The TTL of a block's ``cache_control`` (Anthropic), or None."""
        if "cache_control" not in block or block["cache_control"] is None:
            return None
        self.clues.add("anthropic")
        control = self.expect(block["cache_control"], dict, where + ("cache_control",), "a mapping {type: ephemeral}")
        ttl = control.get("ttl", "5m")
        if control.get("type", "ephemeral") != "ephemeral" or ttl not in TTLS:
            self.fail(where + ("cache_control",), "expected {type: ephemeral} with an optional ttl of 5m or 1h")
        return str(ttl)


def read_tools(reader: ChatReader, data: dict, where: tuple) -> None:
    """Add one part per tool or function definition: its JSON schema, billed as input tokens."""
    for key in ("tools", "functions"):
        if key not in data or data[key] is None:
            continue
        tools = reader.expect(data[key], list, where + (key,), "a list of tool definitions")
        for i, tool in enumerate(tools):
            _read_tool(reader, key, tool, where + (key, i))


def _read_tool(reader: ChatReader, key: str, tool: Any, where: tuple) -> None:
    tool = reader.expect(tool, dict, where, "a tool definition (a mapping with a name and a schema)")
    if "input_schema" in tool:
        reader.clues.add("anthropic")
    if key == "functions" or "function" in tool:
        reader.clues.add("openai")
    breakpoint = reader.breakpoint(tool, where)
    schema = {k: v for k, v in tool.items() if k != "cache_control"}
    named = schema.get("function", schema) if isinstance(schema.get("function"), dict) else schema
    label = f"{key}[{where[-1]}] {named.get('name', '?')}"
    text = reader.json_text(schema, where)
    reader.add(label, text, where, kind="tool", cache_breakpoint=breakpoint, templated=False)


def read_system(reader: ChatReader, data: dict, where: tuple) -> None:
    """Add Anthropic's top-level ``system`` (a string, or a list of text blocks)."""
    if "system" not in data or data["system"] is None:
        return
    reader.clues.add("anthropic")
    system = data["system"]
    if isinstance(system, str):
        reader.add("system", system, where + ("system",), kind="system", role="system")
        return
    blocks = reader.expect(system, list, where + ("system",), "a string or a list of text blocks")
    for i, block in enumerate(blocks):
        at = where + ("system", i)
        block = reader.expect(block, dict, at, "a text block {type: text, text: ...}")
        text = reader.field(block, "text", str, at, "a string")
        reader.add(
            f"system[{i}]",
            text,
            at + ("text",),
            kind="system",
            role="system",
            cache_breakpoint=reader.breakpoint(block, at),
        )


def read_messages(reader: ChatReader, messages: Any, where: tuple) -> None:
    """Add every message of a ``messages`` list, one part per content block."""
    messages = reader.expect(messages, list, where, "a list of messages")
    for i, message in enumerate(messages):
        _read_message(reader, message, where + (i,))


def _read_message(reader: ChatReader, message: Any, where: tuple) -> None:
    message = reader.expect(message, dict, where, "a message mapping with role and content")
    role = reader.field(message, "role", str, where, f"a role ({', '.join(ROLES)})")
    if role not in ROLES:
        reader.fail(where + ("role",), f"unknown role {role!a} (expected one of {', '.join(ROLES)})")
    if role in _OPENAI_ROLES:
        reader.clues.add("openai")
    author = message.get("name")
    if author is not None:
        reader.clues.add("openai")
        author = reader.expect(author, str, where + ("name",), "a string")
    index, before = reader.message_index, len(reader.parts)
    reader.message_index += 1
    _read_content(reader, message, where, {"role": role, "author": author, "message": index})
    _read_tool_calls(reader, message, where, {"role": role, "message": index})
    if len(reader.parts) == before:  # an empty message is still framed and billed
        reader.add(place(where), "", where, kind="message", role=role, author=author, message=index)


def _read_content(reader: ChatReader, message: dict, where: tuple, fields: dict) -> None:
    content, at = message.get("content"), where + ("content",)
    label = place(where)
    if content is None or isinstance(content, str):
        if content:
            reader.add(label, content, at, kind="message", **fields)
        return
    blocks = reader.expect(content, list, at, "a string or a list of content parts")
    for j, block in enumerate(blocks):
        _read_block(reader, block, at + (j,), place(at + (j,)), fields)


def _read_block(reader: ChatReader, block: Any, at: tuple, label: str, fields: dict) -> None:
    block = reader.expect(block, dict, at, "a content part mapping {type: text, text: ...}")
    kind = block.get("type", "text")
    breakpoint = reader.breakpoint(block, at)
    if kind in _ANTHROPIC_BLOCKS:
        reader.clues.add("anthropic")
    text, templated = _block_text(reader, block, at, kind)
    if text is None:
        reader.note(f"{kind} blocks are not counted (billed by size, not by text)")
        text = ""
    line_at = at + ("text",) if isinstance(block.get("text"), str) else at
    reader.add(f"{label} ({kind})" if kind != "text" else label, text, line_at, kind="message",
               cache_breakpoint=breakpoint, templated=templated, **fields)  # fmt: skip


def _block_text(reader: ChatReader, block: dict, at: tuple, kind: str) -> tuple[str | None, bool]:
    if kind in ("text", "input_text", "output_text"):
        return reader.field(block, "text", str, at, "a string"), True
    if kind == "tool_result":
        return _tool_result_text(reader, block.get("content", ""), at + ("content",)), True
    if kind == "tool_use":
        call = {"name": block.get("name"), "input": block.get("input")}
        return reader.json_text(call, at, compact=False), False
    if kind in ("thinking", "redacted_thinking"):
        key = "thinking" if block.get("thinking") else "data"
        return (reader.expect(block[key], str, at + (key,), "a string") if block.get(key) else ""), False
    return None, False


def _tool_result_text(reader: ChatReader, content: Any, at: tuple) -> str:
    if isinstance(content, str):
        return content
    blocks = reader.expect(content, list, at, "a string or a list of text blocks")
    texts = []
    for i, block in enumerate(blocks):
        block = reader.expect(block, dict, at + (i,), "a content block mapping")
        if block.get("type", "text") == "text":
            texts.append(reader.field(block, "text", str, at + (i,), "a string"))
    return "\n".join(texts)


def _read_tool_calls(reader: ChatReader, message: dict, where: tuple, fields: dict) -> None:
    if message.get("tool_calls") is None and message.get("function_call") is not None:
        at = where + ("function_call",)
        call = reader.expect(message["function_call"], dict, at, "a mapping {name: ..., arguments: ...}")
        reader.add(place(at), reader.json_text(call, at), at, kind="message", templated=False, **fields)
        return
    calls = reader.expect(message.get("tool_calls") or [], list, where + ("tool_calls",), "a list of tool calls")
    for i, call in enumerate(calls):
        at = where + ("tool_calls", i)
        call = reader.expect(call, dict, at, "a tool call mapping")
        function = call.get("function", call)
        text = reader.json_text(function, at + ("function",) if "function" in call else at)
        reader.add(place(at), text, at, kind="message", templated=False, **fields)


def read_chat(reader: ChatReader, data: dict | list, where: tuple) -> None:
    """Fill ``reader`` from one request: a mapping (tools, system, messages) or a bare message list."""
    if isinstance(data, list):
        read_messages(reader, data, where)
        return
    read_tools(reader, data, where)
    read_system(reader, data, where)
    if data.get("messages") is not None:
        read_messages(reader, data["messages"], where + ("messages",))
    if isinstance(data.get("cache_control"), dict):
        reader.clues.add("anthropic")
        reader.note("top-level cache_control: Anthropic places the breakpoint automatically on the last block")


RESPONSES_ITEMS = ("message", "function_call", "function_call_output")


def is_responses(data) -> bool:
    """An OpenAI Responses request: ``instructions`` text, or ``input`` as text (with a ``model``) or as items."""
    if not isinstance(data, dict) or any(k in data for k in ("messages", "system", "functions")):
        return False
    given = data.get("input")
    if isinstance(data.get("instructions"), str) and (given is None or isinstance(given, (str, list))):
        return True
    if isinstance(given, str):
        return isinstance(data.get("model"), str)
    items = given if isinstance(given, list) else []
    return any(isinstance(i, dict) and ("role" in i or i.get("type") in RESPONSES_ITEMS) for i in items)


def read_responses(reader: ChatReader, data: dict, where: tuple) -> None:
    """Fill ``reader`` from an OpenAI Responses request: tools, ``instructions`` (billed as a developer message
    before the input), then ``input`` (text, or message and function-call items)."""
    reader.clues.add("openai")
    read_tools(reader, data, where)
    built_in = sorted({t.get("type") for t in data.get("tools") or [] if isinstance(t, dict)} - {"function", None})
    if built_in:
        reader.note(
            f"built-in tools ({', '.join(map(str, built_in))}) add instructions OpenAI bills but does not publish; not counted"
        )
    if data.get("previous_response_id") is not None:
        reader.note("previous_response_id: the earlier turns the server adds are billed but not counted here")
    if data.get("instructions") is not None:
        text = reader.expect(data["instructions"], str, where + ("instructions",), "a string")
        index, reader.message_index = reader.message_index, reader.message_index + 1
        reader.add("instructions", text, where + ("instructions",), kind="message", role="developer", message=index)
    given = data.get("input")
    if isinstance(given, str):
        index, reader.message_index = reader.message_index, reader.message_index + 1
        reader.add("input", given, where + ("input",), kind="message", role="user", message=index)
        return
    for i, item in enumerate(reader.expect(given or [], list, where + ("input",), "a string or a list of items")):
        _read_item(reader, item, where + ("input", i))


def _read_item(reader: ChatReader, item, at: tuple) -> None:
    item = reader.expect(item, dict, at, "an input item (a message or a function call)")
    kind = item.get("type", "message")
    if "role" in item or kind == "message":
        _read_message(reader, item, at)
        return
    if kind not in ("function_call", "function_call_output"):
        reader.note(f"{kind} input items are not counted")
        return
    index, reader.message_index = reader.message_index, reader.message_index + 1
    if kind == "function_call":
        call = {"name": item.get("name"), "arguments": item.get("arguments")}
        text, role = reader.json_text(call, at), "assistant"
    else:
        output = item.get("output", "")
        text, role = (output if isinstance(output, str) else reader.json_text(output, at)), "tool"
    reader.add(place(at), text, at, kind="message", role=role, message=index, templated=False)


def provider_of(clues: set[str], model: str | None) -> str:
    """``anthropic`` or ``openai``: the declared model decides, else the shape of the request."""
    if model:
        name = model.lower()
        if name.startswith("claude"):
            return "anthropic"
        if name.startswith(("gpt", "o1", "o3", "o4", "chatgpt", "ft:gpt")):
            return "openai"
    return "anthropic" if "anthropic" in clues and "openai" not in clues else "openai"


def build(reader: ChatReader, name: str | None, model: str | None, max_tokens: int | None) -> Prompt:
    """The chat Prompt that ``reader`` collected."""
    fmt = provider_of(reader.clues, model)
    return Prompt(reader.path, reader.parts, name=name, kind="chat", model=model, max_tokens=max_tokens,
                  notes=list(reader.notes), provider_format=fmt)  # fmt: skip

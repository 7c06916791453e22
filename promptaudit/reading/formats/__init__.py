"""Parsers for structured prompt files (YAML and JSON); :mod:`promptaudit.reading.loading` dispatches to them.

A document is, in this order of checks:

1. one chat request: a mapping with ``messages``, ``system``, ``tools`` or ``functions`` (OpenAI or
   Anthropic style, with optional ``model`` and ``max_tokens``), an OpenAI Responses request
   (``instructions`` and/or ``input``), a bare list of messages, or a bare list of tool definitions;
2. one text prompt: a mapping with a string ``prompt`` or ``template`` (plus optional ``model``, and
   LangChain's ``template_format``: ``f-string``, ``jinja2`` or ``mustache``);
3. several named prompts: a mapping of name -> any of the above, or name -> a string, or name -> a group
   (a mapping of names to strings, such as smolagents' ``planning: {initial_plan: ..., ...}``; its prompts are
   named ``group.name``). Each is sent on its own, so rules never compare one with another.

A file that does not parse (a syntax error, an undefined alias, trailing text, Markdown in a ``.json``),
that a safe loader refuses (alias bombs, code-running tags, absurd nesting: nothing is expanded or run),
or that parses into something that is not a prompt document, is counted as plain text; the prompt's
``unparsed`` says where and why, and every command warns once. A document that *is* shaped like a prompt
but holds a bad value (a message without a role, a date in a tool schema, a boolean prompt name) is an
InputError naming the line and the path to the value.
"""

from __future__ import annotations

from typing import Any

from promptaudit.errors import InputError
from promptaudit.reading import templates
from promptaudit.reading.formats.chat import (
    MAX_TOKENS_KEYS,
    ChatReader,
    build,
    is_responses,
    read_chat,
    read_responses,
)
from promptaudit.reading.formats.documents import Document, DocumentError, load_document
from promptaudit.reading.formats.values import type_name
from promptaudit.reading.prompts import Part, Prompt, parse_text

TEXT_KEYS = ("prompt", "template")
REQUEST_KEYS = ("messages", "system", "tools", "functions")
MAX_OUTPUT_TOKENS = 10_000_000
"""A ``max_tokens`` above this is no model's output limit: refused as a mistake."""
NOT_A_PROMPT = "line 1, column 1: not a prompt document (no messages, system, tools, prompt or template key)"
_TOOL_KEYS = ("input_schema", "parameters", "function")


def parse_structured(path: str, text: str, declared: templates.Placeholders | None = None) -> list[Prompt]:
    """Parse a YAML or JSON file into prompts; text that is not a prompt document becomes one text prompt."""
    try:
        doc = load_document(text, path.lower().endswith(".json"))
    except DocumentError as exc:
        return as_text(path, text, declared, str(exc))
    data = _tool_list(doc.data)
    if data is not doc.data:
        doc = doc.wrapped("tools", data)
    if is_prompt(data):
        return [_prompt(path, doc, data, (), None, declared)]
    if _is_named(data):
        return [_named(path, doc, value, where, declared) for where, value in _named_values(data)]
    return as_text(path, text, declared, NOT_A_PROMPT)


def as_text(path: str, text: str, declared: templates.Placeholders | None, reason: str) -> list[Prompt]:
    """The whole file as one plain-text prompt, remembering why it was not read as a document."""
    prompts = parse_text(path, text, declared or templates.DEFAULT)
    prompts[0].unparsed = reason
    return prompts


def is_prompt(value: Any) -> bool:
    """True for a chat request, a bare message list, or a mapping with a ``prompt``/``template`` string."""
    if isinstance(value, list):
        return any(isinstance(m, dict) and "role" in m for m in value)
    if not isinstance(value, dict):
        return False
    if is_responses(value):
        return True
    return any(k in value for k in REQUEST_KEYS) or any(isinstance(value.get(k), str) for k in TEXT_KEYS)


def _tool_list(data: Any) -> Any:
    """A bare list of tool definitions, as the request ``{tools: [...]}`` it is sent in."""
    if isinstance(data, list) and data and all(_is_tool(item) for item in data):
        return {"tools": data}
    return data


def _is_tool(item: Any) -> bool:
    return isinstance(item, dict) and "role" not in item and any(k in item for k in _TOOL_KEYS)


def _is_named(data: Any) -> bool:
    if not isinstance(data, dict) or not data:
        return False
    return all(is_prompt(v) or isinstance(v, str) or _is_group(v) for v in data.values())


def _is_group(value: Any) -> bool:
    """A mapping of names to prompt strings one level down (``planning: {initial_plan: ..., ...}``)."""
    return (
        isinstance(value, dict)
        and bool(value)
        and not is_prompt(value)
        and all(isinstance(v, str) for v in value.values())
    )


def _named_values(data: dict) -> list[tuple[tuple, Any]]:
    """``(where, value)`` of every named prompt, groups opened one level."""
    found = []
    for key, value in data.items():
        found += [((key, inner), text) for inner, text in value.items()] if _is_group(value) else [((key,), value)]
    return found


def _named(path: str, doc: Document, value: Any, where: tuple, declared) -> Prompt:
    for key in where:
        if not isinstance(key, str):
            reason = f"a prompt name must be a string, got {type_name(key)} {key!r:.40} (quote it)"
            raise InputError(path, f"line {doc.line(where)}: {reason}")
    return _prompt(path, doc, value, where, ".".join(where), declared)


def _prompt(path: str, doc: Document, value: Any, where: tuple, name: str | None, declared) -> Prompt:
    reader = ChatReader(path, doc, declared or _template_format(path, doc, value, where) or templates.DEFAULT)
    if isinstance(value, str):
        return _text_prompt(reader, value, where, name, None, None)
    model = _model(reader, value, where)
    max_tokens = _max_tokens(reader, value, where)
    if is_responses(value):
        read_responses(reader, value, where)
        return build(reader, name, model, max_tokens)
    if isinstance(value, dict) and not any(k in value for k in REQUEST_KEYS):
        key = next(k for k in TEXT_KEYS if isinstance(value.get(k), str))
        return _text_prompt(reader, value[key], where + (key,), name, model, max_tokens)
    read_chat(reader, value, where)
    return build(reader, name, model, max_tokens)


def _template_format(path: str, doc: Document, value: Any, where: tuple) -> templates.Placeholders | None:
    """A document's own ``template_format`` (LangChain prompt files), declaring the syntax of its text."""
    if not isinstance(value, dict) or value.get("template_format") is None:
        return None
    declared = value["template_format"]
    syntax = templates.syntax_name(declared) if isinstance(declared, str) else None
    if syntax is None:
        known = "f-string, jinja2, mustache, " + ", ".join(templates.SYNTAXES)
        reason = f"template_format: unknown {declared!r:.40} (expected one of {known})"
        raise InputError(path, f"line {doc.line(where + ('template_format',))}: {reason}")
    return templates.declared([syntax])


def _text_prompt(reader: ChatReader, text: str, where: tuple, name, model, max_tokens) -> Prompt:
    reader.add(name or "", text, where)
    part: Part = reader.parts[-1]
    kind = "text" if part.static else "template"
    return Prompt(reader.path, [part], name=name, kind=kind, model=model, max_tokens=max_tokens)


def _model(reader: ChatReader, value: Any, where: tuple) -> str | None:
    if not isinstance(value, dict) or value.get("model") is None:
        return None
    return str(reader.expect(value["model"], str, where + ("model",), "a model name"))


def _max_tokens(reader: ChatReader, value: Any, where: tuple) -> int | None:
    if not isinstance(value, dict):
        return None
    key = next((k for k in MAX_TOKENS_KEYS if value.get(k) is not None), None)
    if key is None:
        return None
    cap = reader.expect(value[key], int, where + (key,), "a positive whole number")
    if not 0 < cap <= MAX_OUTPUT_TOKENS:
        shown = f"{cap}" if cap <= 0 or len(str(cap)) < 20 else f"a {len(str(cap)):,}-digit number"
        reader.fail(where + (key,), f"expected a positive whole number up to {MAX_OUTPUT_TOKENS:,}, got {shown}")
    return int(cap)

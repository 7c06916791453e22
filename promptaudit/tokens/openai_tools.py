"""OpenAI function definitions as the API bills them: a TypeScript-like namespace, not the JSON that is sent.

OpenAI does not bill a tool's JSON schema as written. Its models see the functions rendered as type
declarations inside a ``functions`` namespace (a format OpenAI staff described in its developer forum and
that open-source token counters reconstruct): the description as a ``//`` comment, then
``type NAME = (_: { ... }) => any;`` with one ``name?: type,`` line per property (``?`` when optional),
each property's description and default as comments above it, enums as unions of literals, arrays as
``T[]`` and nested objects in braces. This module renders that text from the tool's JSON; its tokens are
counted with the model's own (exact) encoding.

What the rendering cannot know is added as a measured constant per request (``data/tool_overhead.yaml``):
the section header the API wraps around the namespace and the model family's hidden tool instructions.
The count stays an approximation, labelled so everywhere; its measured error against billed
``prompt_tokens`` in real recorded requests is in docs/counting-and-templates.md.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

NAMESPACE_OPEN = "namespace functions {\n\n"
NAMESPACE_CLOSE = "} // namespace functions"
INDENT = "  "
MAX_DEPTH = 8
"""Nested schemas deeper than this are rendered as ``object`` (a recursive ``$ref`` must not loop)."""


def function_of(tool: Any) -> dict | None:
    """The function definition inside a tool (chat ``{type, function}``, Responses or legacy ``functions``)."""
    if not isinstance(tool, dict):
        return None
    inner = tool.get("function")
    if isinstance(inner, dict) and isinstance(inner.get("name"), str):
        return inner
    if isinstance(tool.get("name"), str) and tool.get("type", "function") == "function" and "input_schema" not in tool:
        return tool
    return None


def render_json(text: str) -> str | None:
    """The billed rendering of one tool written as JSON; None when it is not a function definition."""
    try:
        function = function_of(json.loads(text))
    except ValueError:
        return None
    return None if function is None else render(function)


def render(function: dict) -> str:
    """One function's declaration, followed by the blank line that separates it from the next."""
    lines = _comment(function.get("description"), "")
    schema = function.get("parameters") if isinstance(function.get("parameters"), dict) else {}
    defs = _definitions(schema)
    if _properties(schema):
        lines.append(f"type {function['name']} = (_: {{")
        lines += _object_lines(schema, defs, "", 0)
        lines.append("}) => any;")
    else:
        lines.append(f"type {function['name']} = () => any;")
    return "\n".join(lines) + "\n\n"


def _comment(text: Any, indent: str) -> list[str]:
    if not isinstance(text, str) or not text:
        return []
    return [f"{indent}// {line}" for line in text.splitlines()]


def _definitions(schema: dict) -> dict:
    found = schema.get("$defs") or schema.get("definitions") or {}
    return found if isinstance(found, dict) else {}


def _properties(schema: dict) -> dict:
    found = schema.get("properties")
    return found if isinstance(found, dict) else {}


def _object_lines(schema: dict, defs: dict, indent: str, depth: int) -> list[str]:
    required = schema.get("required") if isinstance(schema.get("required"), list) else []
    lines = []
    for name, raw in _properties(schema).items():
        prop = _resolve(raw, defs)
        lines += _comment(prop.get("description"), indent)
        if "default" in prop:
            lines.append(f"{indent}// default: {json.dumps(prop['default'], ensure_ascii=False)}")
        optional = "" if name in required else "?"
        lines.append(f"{indent}{name}{optional}: {_type(prop, defs, indent, depth + 1)},")
    return lines


def _resolve(prop: Any, defs: dict) -> dict:
    """A property with a local ``$ref`` (``#/$defs/Name``) replaced by its definition."""
    if not isinstance(prop, dict):
        return {}
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in defs and isinstance(defs[ref.rsplit("/", 1)[-1]], dict):
        return {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in prop.items() if k != "$ref"}}
    return prop


def _type(prop: dict, defs: dict, indent: str, depth: int) -> str:
    """The TypeScript type of one schema."""
    if depth > MAX_DEPTH:
        return "object"
    if isinstance(prop.get("enum"), list):
        return " | ".join(json.dumps(value, ensure_ascii=False) for value in prop["enum"]) or "never"
    if "const" in prop:
        return json.dumps(prop["const"], ensure_ascii=False)
    union = prop.get("anyOf") or prop.get("oneOf")
    if isinstance(union, list):
        return " | ".join(_type(_resolve(p, defs), defs, indent, depth + 1) for p in union) or "any"
    kind = prop.get("type")
    if isinstance(kind, list):
        return " | ".join(_type({**prop, "type": k}, defs, indent, depth) for k in kind) or "any"
    return _simple(kind, prop, defs, indent, depth)


def _simple(kind: Any, prop: dict, defs: dict, indent: str, depth: int) -> str:
    if kind == "array":
        items = prop.get("items")
        return f"{_type(_resolve(items, defs), defs, indent, depth + 1)}[]" if isinstance(items, dict) else "any[]"
    if kind == "object" or _properties(prop):
        if not _properties(prop):
            return "object"
        inner = _object_lines(prop, defs, indent + INDENT, depth)
        return "{\n" + "\n".join(inner) + f"\n{indent}}}"
    if kind in ("integer", "number"):
        return "number"
    return kind if kind in ("string", "boolean", "null") else "any"


@functools.lru_cache(maxsize=1)
def _overheads() -> dict:
    import yaml

    text = resources.files("promptaudit.tokens").joinpath("data/tool_overhead.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def overhead(model: str) -> int:
    """Measured tokens the API adds to a request with function tools beyond the rendered declarations."""
    data, name = _overheads(), model.strip().lower()
    for rule in data["families"]:
        if name.startswith(rule["prefix"]):
            return int(rule["tokens"])
    return int(data["default"])

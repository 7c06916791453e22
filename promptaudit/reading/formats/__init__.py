"""Parsers for structured prompt files (YAML and JSON); :mod:`promptaudit.reading.prompts` dispatches to them.

A document is, in this order of checks:

1. one chat request: a mapping with ``messages`` and/or ``system`` (OpenAI or Anthropic style, with
   optional ``tools`` / ``functions``, ``model`` and ``max_tokens``), or a bare list of messages;
2. one text prompt: a mapping with a string ``prompt`` or ``template`` (plus optional ``model``...);
3. several named prompts: a mapping of name -> any of the above, or name -> a string;
4. anything else: counted as plain text, with a note saying so.
"""

from __future__ import annotations

from typing import Any

from promptaudit.errors import InputError
from promptaudit.reading.formats.chat import MAX_TOKENS_KEYS, ChatReader, build, read_chat
from promptaudit.reading.formats.documents import Document, DocumentError, load_document
from promptaudit.reading.prompts import Part, Prompt, parse_text

TEXT_KEYS = ("prompt", "template")
NOT_A_PROMPT = "not a recognised prompt structure (no messages, system or prompt key); counted as plain text"


def parse_structured(path: str, text: str) -> list[Prompt]:
    """Parse a YAML or JSON file into prompts, or raise InputError naming the line and the place."""
    try:
        doc = load_document(text, path.lower().endswith(".json"))
    except DocumentError as exc:
        raise InputError(path, str(exc)) from None
    data = doc.data
    if is_prompt(data):
        return [_prompt(path, doc, data, (), None)]
    if _is_named(data):
        return [_prompt(path, doc, value, (key,), str(key)) for key, value in data.items()]
    prompts = parse_text(path, text)
    prompts[0].notes.append(NOT_A_PROMPT)
    return prompts


def is_prompt(value: Any) -> bool:
    """True for a chat request, a bare message list, or a mapping with a ``prompt``/``template`` string."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(m, dict) and "role" in m for m in value)
    if not isinstance(value, dict):
        return False
    return "messages" in value or "system" in value or any(isinstance(value.get(k), str) for k in TEXT_KEYS)


def _is_named(data: Any) -> bool:
    if not isinstance(data, dict) or not data:
        return False
    return all(is_prompt(v) or isinstance(v, str) for v in data.values())


def _prompt(path: str, doc: Document, value: Any, where: tuple, name: str | None) -> Prompt:
    reader = ChatReader(path, doc)
    if isinstance(value, str):
        return _text_prompt(reader, value, where, name, None, None)
    model = _model(reader, value, where)
    max_tokens = _max_tokens(reader, value, where)
    if isinstance(value, dict) and "messages" not in value and "system" not in value:
        key = next(k for k in TEXT_KEYS if isinstance(value.get(k), str))
        return _text_prompt(reader, value[key], where + (key,), name, model, max_tokens)
    read_chat(reader, value, where)
    return build(reader, name, model, max_tokens)


def _text_prompt(reader: ChatReader, text: str, where: tuple, name, model, max_tokens) -> Prompt:
    part = Part(label=name or "", text=str(text), line=reader.doc.line(where))
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
    if cap <= 0:
        reader.fail(where + (key,), f"expected a positive whole number, got {cap}")
    return int(cap)

"""Turn what a module scan found into prompts, the shape every command reads.

One chat prompt per SDK call that bills a generation (``count_tokens`` and batch submissions do not), one
per LangChain template, few-shot list or framework object, and one text prompt per prompt constant that no
call or template of the run sends (a constant a call sends is counted with the call, never twice). A call
or template whose texts are all unknown (only variables: ``messages=history``, ``create(**kwargs)``) is still a
row, marked :data:`UNRESOLVED`, with no parts: nothing is invented for it, so it counts 0 tokens.
"""

from __future__ import annotations

import os
from dataclasses import replace

from promptaudit.reading.code.found import CallSite, Constant, Message, Scan, Template
from promptaudit.reading.code.text import Text
from promptaudit.reading.prompts import Part, Prompt
from promptaudit.reading.templates import NONE

ORDER = {"tool": 0, "system": 1, "message": 2}
UNRESOLVED = "prompt not resolved: built at run time"


def prompts(scan: Scan) -> list[Prompt]:
    """The prompts of one scanned module, in source order."""
    built = [_call_prompt(site) for site in scan.calls if site.generates]
    built += [_template_prompt(template) for template in scan.templates if template.messages]
    sent = {k for prompt in built for part in prompt.parts if part.source is not None for k in keys(part.source)}
    built += [_constant_prompt(c) for c in scan.constants if key(c.text) not in sent]
    return sorted(built, key=lambda p: (p.origin.line, p.origin.column))


def key(text: Text) -> tuple[str, int, int]:
    """Where a text is written: two prompts sending the same constant share its key."""
    return os.path.abspath(text.path), text.line, text.column


def keys(text: Text) -> set[tuple[str, int, int]]:
    """The keys of a text and of every named text it was assembled from (``A + "\n\n" + B``)."""
    return {key(text), *((os.path.abspath(p), line, column) for p, line, column in text.includes)}


def _part(message: Message, label: str) -> Part:
    """A part whose variables are the spans the scan located (f-string fields, format fields, arguments)."""
    text = message.text
    line = text.pieces[0].line if text.pieces else text.line
    role = None if message.kind == "tool" else ("user" if message.role == "*" else message.role)
    return Part(label=label, text=text.text, line=line, kind=message.kind, role=role, message=message.index,
                cache_breakpoint=message.cache_breakpoint, templated=message.templated, placeholders=NONE,
                lines_match=_lines_match(text), variable_spans=tuple(text.spans()), source=text)  # fmt: skip


def _lines_match(text: Text) -> bool:
    """True when every variable is on the file line its newlines say (reports then place it exactly)."""
    line = text.pieces[0].line if text.pieces else text.line
    whole, counted = text.text, 0
    for start, _, _ in text.spans():  # in order: the newlines are counted once, not once per variable
        line += whole.count("\n", counted, start)
        counted = start
        if text.locate(start)[1] != line:
            return False
    return True


def _parts(messages: list[Message]) -> list[Part]:
    ordered = sorted(messages, key=lambda m: ORDER[m.kind] if m.kind != "system" or m.index is None else 2)
    return [_part(m, _label(m, i)) for i, m in enumerate(ordered)]


def _label(message: Message, position: int) -> str:
    if message.kind == "tool":
        return f"tools[{position}]"
    if message.index is None:
        return "system"
    return f"messages[{message.index}]"


def _resolved(messages: list[Message]) -> bool:
    """True when some text of the request is known (not only variables standing for run-time values)."""
    return any(m.text.has_static for m in messages)


def _call_prompt(site: CallSite) -> Prompt:
    fmt = _format(site)
    known = _resolved(site.messages)
    return Prompt(site.path, _parts(site.messages) if known else [], name=site.short_name, kind="chat",
                  model=normal_model(site.model), max_tokens=site.cap, provider_format=fmt, origin=site,
                  unresolved=None if known else UNRESOLVED)  # fmt: skip


def _template_prompt(template: Template) -> Prompt:
    known = _resolved(template.messages)
    parts = _parts(template.messages) if known else []
    name = template.name or f"{template.api.split('.', 1)[1]}@{template.line}"
    model, unresolved = normal_model(template.model), None if known else UNRESOLVED
    if template.api.endswith(("ChatPromptTemplate", "python.messages")) and len(parts) > 1:
        return Prompt(template.path, parts, name=name, kind="chat", provider_format="openai", origin=template,
                      model=model, max_tokens=template.cap, unresolved=unresolved)  # fmt: skip
    kind = "text" if all(part.static for part in parts) else "template"
    return Prompt(template.path, parts, name=name, kind=kind, origin=template, model=model, max_tokens=template.cap,
                  unresolved=unresolved)  # fmt: skip


def _constant_prompt(constant: Constant) -> Prompt:
    part = replace(_part(Message("user", constant.text, "message"), ""), label="", kind="text", role=None, message=None)
    return Prompt(constant.text.path, [part], name=constant.name, kind="text" if part.static else "template",
                  origin=constant)  # fmt: skip


def _format(site: CallSite) -> str:
    model = (site.model or "").lower()
    if site.provider == "anthropic" or "claude" in model:
        return "anthropic"
    if site.provider == "google" or "gemini" in model:
        return "google"
    return "openai"


def normal_model(model: str | None) -> str | None:
    """The model name prices know: LiteLLM's ``provider/`` prefix dropped (``anthropic/claude-haiku-4-5``)."""
    if model is None:
        return None
    return model.split("/", 1)[1] if "/" in model and not model.startswith("ft:") else model

"""Prompts held outside an SDK call: constants, few-shot lists, prompt functions, framework objects.

A **constant** is a prompt when its text is known statically and has at least ``min_words`` words, and either
its name says so (a configured suffix: ``PROMPT``, ``_SYSTEM``, ``INSTRUCTIONS``; any case) in a module that
may hold prompts (it imports an LLM package, or its file or folder name says ``prompt``), or it is written
where prompts are kept whatever its name: any string constant of a **prompt module** (file or folder named
``*prompt*``) or of a **prompt class** (``class EditBlockPrompts``, ``class Prompts``). A list of chat
messages kept there (``example_messages = [dict(role="user", content=...)]``) is a few-shot prompt.
A **prompt function** (in a prompt module, or named ``*prompt*`` / ``*instructions*``) is a prompt through
the text it returns. A **framework object** built with ``instructions=``, ``system_prompt=``, ``system=`` or
``system_message=`` (``Agent(name=..., instructions=...)``, ``assistants.create(instructions=...)``) holds
that text as its system prompt, with the ``model=`` it names; a callable there is read through its return.
"""

from __future__ import annotations

import ast
import os
import re

from promptaudit.reading.code.apis import LLM_PACKAGES, imports_any
from promptaudit.reading.code.contents import ContentReader
from promptaudit.reading.code.found import Constant, Message, ScanSettings, Template
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.text import is_format_template
from promptaudit.reading.code.values import Resolver, _own_nodes

FRAMEWORK_KEYWORDS = ("instructions", "system_prompt", "system", "system_message", "additional_instructions")
PROMPT_FUNCTION = re.compile(r"prompt|instruction", re.IGNORECASE)


def is_prompt_module(module: Module) -> bool:
    """True when the file or its folder is named for prompts (``prompts.py``, ``edit_prompts.py``, ``prompts/``)."""
    folder, name = os.path.split(module.path.lower())
    return "prompt" in name or "prompt" in os.path.basename(folder)


def holds_prompts(module: Module) -> bool:
    """True when prompt-named constants of this module are prompts (not ``PASSWORD_PROMPT`` of a CLI helper)."""
    return imports_any(module, LLM_PACKAGES) or is_prompt_module(module)


def constants(module: Module, resolver: Resolver, settings: ScanSettings) -> list[Constant]:
    """The module's and its classes' prompt constants, in source order."""
    suffixes = tuple(s.upper() for s in settings.prompt_names)
    named = holds_prompts(module)
    scopes = [(None, module.constants, is_prompt_module(module))]
    scopes += [(owner, attrs, "PROMPT" in owner.upper()) for owner, attrs in module.classes.items()]
    found = []
    for owner, scope, any_name in scopes:
        for name, node in scope.items():
            if not (any_name or named and name.upper().endswith(suffixes)):
                continue
            text = resolver.text(module, node)
            if text is not None and len(text.static_text.split()) >= settings.min_words:
                shown = f"{owner}.{name}" if owner and any_name else name
                found.append(
                    Constant(shown, resolver.formatted(module, text, None) if is_format_template(text) else text)
                )
    found += _returned(module, resolver, settings)
    return sorted(found, key=lambda c: (c.text.line, c.text.column))


def few_shot(module: Module, resolver: Resolver) -> list[Template]:
    """Lists of chat messages kept in a prompt module or class (``example_messages = [...]``)."""
    scopes = [(None, module.constants)] if is_prompt_module(module) else []
    scopes += [(owner, attrs) for owner, attrs in module.classes.items() if "PROMPT" in owner.upper()]
    found = []
    for owner, scope in scopes:
        for name, node in scope.items():
            if not isinstance(node, ast.List) or not node.elts:
                continue
            messages = ContentReader(module, resolver)._message_list(node, node, "*")
            if any(m.role != "*" and m.text.has_static for m in messages):
                line, column = module.start(node)
                shown = f"{owner}.{name}" if owner else name
                found.append(Template("python.messages", module.path, line, column, messages, shown))
    return found


def _returned(module: Module, resolver: Resolver, settings: ScanSettings) -> list[Constant]:
    """Texts returned by prompt functions (in a prompt module, or named for prompts or instructions)."""
    every = is_prompt_module(module)
    found = []
    for name, function in module.functions.items():
        if not (every or PROMPT_FUNCTION.search(name)):
            continue
        for node in _own_nodes(function):
            if isinstance(node, ast.Return) and node.value is not None:
                text = resolver.text(module, node.value)
                if text is not None and len(text.static_text.split()) >= settings.min_words:
                    found.append(Constant(f"{name}()", text))
    return found


def framework(module: Module, resolver: Resolver, call: ast.Call, settings: ScanSettings) -> Template | None:
    """A framework object built with its system prompt (``Agent(instructions=...)``), or None."""
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    held = next((keywords[k] for k in FRAMEWORK_KEYWORDS if k in keywords), None)
    if held is None:
        return None
    text = resolver.text(module, held) or _callable_text(module, resolver, held)
    if text is None or len(text.static_text.split()) < settings.min_words:
        return None
    line, column = module.start(call)
    callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "call")
    template = Template(f"framework.{callee}", module.path, line, column, [Message("system", text, "system")])
    model = keywords.get("model")
    template.model = model.value if isinstance(model, ast.Constant) and isinstance(model.value, str) else None
    return template


def _callable_text(module: Module, resolver: Resolver, node: ast.expr):
    """The text a function passed as the prompt returns (``Agent(instructions=triage_instructions)``)."""
    function = module.functions.get(node.id) if isinstance(node, ast.Name) else None
    if function is None:
        return None
    returns = [n.value for n in _own_nodes(function) if isinstance(n, ast.Return) and n.value is not None]
    return resolver.text(module, returns[-1]) if returns else None

"""One level of the project's own wrapper functions: ``def gpt_call(prompt): return client...create(...)``.

A module-level function is a wrapper when one of its parameters is the whole text of a message of an SDK
call it makes (``{"role": "user", "content": prompt}``); a parameter that fills a field of a template
(``f"Classify this: {data}"``) carries a value, not a prompt. Each call of the wrapper in the same module that passes a known
text for that parameter (``gpt_call("Summarise the ticket below...")``) is a prompt row of its own, named
``gpt_call@LINE``, holding the texts handed over in the role the wrapper gives them. The SDK call inside the
wrapper stays the call row (its static texts counted once, there).
"""

from __future__ import annotations

import ast

from promptaudit.reading.code import context
from promptaudit.reading.code.found import CallSite, Message, ScanSettings, Template
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.values import Resolver


def wrappers(module: Module, sites: list[tuple[CallSite, ast.Call]]) -> dict[str, dict[str, tuple[int, str]]]:
    """Wrapper name -> {parameter: (position, role)} for the parameters that reach an SDK call's texts."""
    found: dict[str, dict[str, tuple[int, str]]] = {}
    for site, node in sites:
        function = context.enclosing_function(module, node)
        if function is None or not site.generates:
            continue
        positions = {a.arg: i for i, a in enumerate([*function.args.posonlyargs, *function.args.args])}
        positions |= {a.arg: -1 for a in function.args.kwonlyargs}
        for message in site.messages:
            if message.text.has_static or len(message.text.variables) != 1:
                continue  # a parameter filling a field of a template text is a value, not a prompt
            for name in message.text.variables:
                if name in positions:
                    role = "system" if message.kind == "system" else "user"
                    found.setdefault(function.name, {})[name] = (positions[name], role)
    return found


def handed(
    module: Module, resolver: Resolver, call: ast.Call, wrapped: dict, settings: ScanSettings
) -> Template | None:
    """The texts a call of a wrapper hands over, as one prompt row (None when none is known)."""
    if not isinstance(call.func, ast.Name) or call.func.id not in wrapped:
        return None
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    messages = []
    for parameter, (position, role) in wrapped[call.func.id].items():
        argument = keywords.get(parameter, call.args[position] if 0 <= position < len(call.args) else None)
        text = resolver.text(module, argument) if argument is not None else None
        if text is not None and len(text.static_text.split()) >= settings.min_words:
            messages.append(Message(role, text, "system" if role == "system" else "message", len(messages)))
    if not messages:
        return None
    line, column = module.start(call)
    return Template(f"wrapper.{call.func.id}", module.path, line, column, messages)

"""Scan one module: its SDK calls, its LangChain templates and its prompt-named constants.

A constant is a prompt when its name ends in one of the configured suffixes (``PROMPT``, ``_SYSTEM``,
``INSTRUCTIONS`` by default, any case), its text is known statically and has at least ``min_words`` words, and
its module is one where prompts live: it imports an LLM SDK or LangChain, or its file or folder name says
``prompt``. (``PASSWORD_PROMPT = "Password: "`` in a CLI helper is not an LLM prompt.)
"""

from __future__ import annotations

import ast
import os
import re

from promptaudit.reading.code import apis, context, templating
from promptaudit.reading.code.calls import CallReader
from promptaudit.reading.code.found import CallSite, Constant, Scan, ScanSettings
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.values import Resolver

FIELD = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_.]*\}(?!\})")
LLM_PACKAGES = frozenset({"openai", "anthropic", "litellm", "google", "vertexai", "mistralai", "cohere", "groq"})


DEFAULT_SETTINGS = ScanSettings()


def scan(module: Module, settings: ScanSettings = DEFAULT_SETTINGS) -> Scan:
    """Everything ``module`` holds that is a prompt or sends one."""
    resolver = Resolver()
    found = Scan(module.path)
    reader = CallReader(module, resolver)
    nodes: list[tuple[CallSite, ast.Call]] = []
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        api = apis.recognise(node, module)
        if api is not None:
            nodes.append((_site(module, reader, node, api), node))
            continue
        kind = templating.recognise(node, module)
        if kind is not None:
            found.templates.append(templating.read(node, kind, module, resolver))
    if _holds_prompts(module):
        found.constants = _constants(module, resolver, settings)
    _settle_context(module, nodes)
    found.calls = [site for site, _ in nodes]
    found.calls.sort(key=lambda s: (s.line, s.column))
    found.templates.sort(key=lambda t: (t.line, t.column))
    return found


def _site(module: Module, reader: CallReader, node: ast.Call, api) -> CallSite:
    site = reader.read(node, api)
    loop = context.data_loop(module, node)
    site.loop_line = loop.lineno if loop is not None else None
    site.latency_bound = context.latency_bound(module, node) or api.name.endswith("stream")
    return site


def _settle_context(module: Module, nodes: list[tuple[CallSite, ast.Call]]) -> None:
    """Batch facts for the whole module, and calls reached from a data loop through one local helper."""
    batched = any(not s.generates and s.api.endswith("batches.create") for s, _ in nodes)
    for site, node in nodes:
        site.batched = batched
        if site.loop_line is None and site.generates and not site.latency_bound:
            site.loop_line = _helper_loop(module, node)


def _helper_loop(module: Module, call: ast.Call) -> int | None:
    function = context.enclosing_function(module, call)
    if function is None:
        return None
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function.name:
            loop = context.data_loop(module, node)
            if loop is not None and not context.latency_bound(module, node):
                return loop.lineno
    return None


def _is_template(text) -> bool:
    """A constant written as a ``str.format`` template: it has a ``{name}`` field (``{{ x }}`` is Jinja)."""
    return not text.variables and bool(FIELD.search(text.text))


def _holds_prompts(module: Module) -> bool:
    if module.imported_packages & LLM_PACKAGES or any(p.startswith("langchain") for p in module.imported_packages):
        return True
    folder, name = os.path.split(module.path.lower())
    return "prompt" in name or "prompt" in os.path.basename(folder)


def _constants(module: Module, resolver: Resolver, settings: ScanSettings) -> list[Constant]:
    suffixes = tuple(s.upper() for s in settings.prompt_names)
    scopes = [module.constants, *module.classes.values()]
    found = []
    for scope in scopes:
        for name, node in scope.items():
            if not name.upper().endswith(suffixes):
                continue
            text = resolver.text(module, node)
            if text is not None and len(text.static_text.split()) >= settings.min_words:
                found.append(Constant(name, resolver.formatted(module, text, None) if _is_template(text) else text))
    return sorted(found, key=lambda c: (c.text.line, c.text.column))

"""Scan one module: its model calls, its LangChain templates, and the prompts it holds.

Calls are recognised by :mod:`.recognition` (SDK methods however they are reached, LangChain chat models);
prompts held outside a call (constants, few-shot lists, prompt functions, framework objects) by
:mod:`.holders`. A constant is a prompt when its name, module or class says so (``PASSWORD_PROMPT =
"Password: "`` in a CLI helper is not an LLM prompt).
"""

from __future__ import annotations

import ast

from promptaudit.reading.code import context, holders, templating, wrappers
from promptaudit.reading.code.calls import CallReader
from promptaudit.reading.code.found import CallSite, Scan, ScanSettings
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.recognition import Recogniser
from promptaudit.reading.code.values import Resolver

DEFAULT_SETTINGS = ScanSettings()


def scan(module: Module, settings: ScanSettings = DEFAULT_SETTINGS) -> Scan:
    """Everything ``module`` holds that is a prompt or sends one."""
    resolver = Resolver()
    found = Scan(module.path)
    reader = CallReader(module, resolver)
    recognise = Recogniser(module)
    nodes: list[tuple[CallSite, ast.Call]] = []
    others: list[ast.Call] = []
    for node in module.calls:
        api = recognise(node)
        if api is not None:
            nodes.append((_site(module, reader, node, api), node))
            continue
        kind = templating.recognise(node, module)
        if kind is not None:
            found.templates.append(templating.read(node, kind, module, resolver))
            continue
        held = holders.framework(module, resolver, node, settings)
        if held is not None:
            found.templates.append(held)
        elif isinstance(node.func, ast.Name):
            others.append(node)
    wrapped = wrappers.wrappers(module, nodes)
    for node in others if wrapped else ():
        handed = wrappers.handed(module, resolver, node, wrapped, settings)
        found.templates += [handed] if handed is not None else []
    found.constants = holders.constants(module, resolver, settings)
    found.templates += holders.few_shot(module, resolver)
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
    for node in module.calls:
        if isinstance(node.func, ast.Name) and node.func.id == function.name:
            loop = context.data_loop(module, node)
            if loop is not None and not context.latency_bound(module, node):
                return loop.lineno
    return None

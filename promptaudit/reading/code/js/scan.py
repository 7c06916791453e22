"""Scan one JS/TS module into the language-neutral records of :mod:`promptaudit.reading.code.found`.

tree-sitter's query engine (in C) picks the candidate nodes: calls of the SDK methods' names, of the Vercel
AI SDK's functions, of LangChain's template builders, and ``new`` of LangChain classes; only those are read
in Python, which keeps the scan close to the parse's own speed. Prompt constants follow the same rule as in
Python: a top-level name ending in a configured suffix (``PROMPT``, ``_SYSTEM``, ``INSTRUCTIONS``; any case,
so ``systemPrompt`` too), text known statically, at least ``min_words`` words, in a module that imports an
LLM SDK or LangChain or whose file or folder name says ``prompt``. A prompt-named function that returns a
string (``updateDocumentPrompt = (content) => `...```) is such a constant, its parameters variables.
"""

from __future__ import annotations

import os

from promptaudit.reading.code.found import CallSite, Constant, Scan, ScanSettings, Template
from promptaudit.reading.code.js import apis, context, templating
from promptaudit.reading.code.js.calls import MESSAGE_CLASSES, CallReader
from promptaudit.reading.code.js.module import FUNCTION_TYPES, JsModule, declared, unwrap
from promptaudit.reading.code.js.values import Resolver, last_return
from promptaudit.reading.code.text import is_format_template

TEMPLATE_METHODS = ("fromTemplate", "fromMessages")
LLM_PACKAGES = ("openai", "@anthropic-ai/", "ai", "@ai-sdk/", "@google/genai", "@google/generative-ai", "langchain",
                "@langchain/", "@mistralai/", "groq-sdk", "cohere-ai", "ollama", "@openrouter/")  # fmt: skip
_QUERIES: dict = {}
DEFAULT_SETTINGS = ScanSettings()


def _query(language):
    """Calls and constructions worth reading, as one tree-sitter query (names filtered in C)."""
    key = id(language)
    if key not in _QUERIES:
        import tree_sitter

        methods = " ".join(f'"{m}"' for m in sorted(apis.METHODS | set(TEMPLATE_METHODS)))
        functions = " ".join(f'"{f}"' for f in sorted(apis.VERCEL))
        classes = " ".join(f'"{c}"' for c in sorted({*apis.LANGCHAIN_MODELS, *MESSAGE_CLASSES, "PromptTemplate"}))
        source = f"""
        (call_expression function: (member_expression property: (property_identifier) @m (#any-of? @m {methods}))) @call
        (call_expression function: (identifier) @f (#any-of? @f {functions})) @call
        (new_expression constructor: (identifier) @c (#any-of? @c {classes})) @new
        (new_expression constructor: (member_expression property: (property_identifier) @c (#any-of? @c {classes}))) @new
        """
        query = tree_sitter.Query(language, source)
        _QUERIES[key] = (query, tree_sitter.QueryCursor)
    return _QUERIES[key]


def candidates(module: JsModule) -> list:
    """``(node, name)`` of every call or ``new`` the query picks, in source order."""
    query, cursor_type = _query(module.tree.language)
    found = []
    for _, match in cursor_type(query).matches(module.root):
        node = (match.get("call") or match.get("new"))[0]
        name = (match.get("m") or match.get("f") or match.get("c"))[0]
        found.append((node, module.text_of(name)))
    return sorted(found, key=lambda pair: pair[0].start_byte)


def scan(module: JsModule, settings: ScanSettings = DEFAULT_SETTINGS) -> Scan:
    """Everything ``module`` holds that is a prompt or sends one."""
    resolver = Resolver()
    found = Scan(module.path)
    reader = CallReader(module, resolver)
    langchain = any(p == "langchain" or p.startswith("@langchain/") for p in module.packages)
    for node, name in candidates(module):
        if node.type == "new_expression":
            _construction(module, resolver, reader, node, name, langchain, found)
        elif name in TEMPLATE_METHODS:
            _template_call(module, resolver, node, name, langchain, found)
        else:
            site = _call(module, resolver, reader, node, name)
            if site is not None:
                found.calls.append(site)
    found.templates = _unsent_messages(found)
    if holds_prompts(module):
        found.constants = constants(module, resolver, settings)
    batched = any(not s.generates and s.api.endswith("batches.create") for s in found.calls)
    for site in found.calls:
        site.batched = batched
    return found


def _construction(module, resolver, reader, node, name: str, langchain: bool, found: Scan) -> None:
    if not langchain:
        return
    if name == "PromptTemplate":
        found.templates.append(templating.read(module, resolver, node, name, None))
    elif name in MESSAGE_CLASSES:
        line, column = module.start(node)
        message = Template(f"langchain.{name}", module.path, line, column, reader.langchain_message(node, 0))
        found.templates.append(message)
    elif name in apis.LANGCHAIN_MODELS:
        found.calls.append(reader.read(node, apis.langchain_model(name), first_argument(node)))


def _unsent_messages(found: Scan) -> list[Template]:
    """Templates, less message objects (``new SystemMessage(...)``) that a call or template already sends:
    one given to ``createReactAgent({ messageModifier })`` is its own prompt, one in ``llm.invoke([...])`` is not."""
    single = [t for t in found.templates if t.api.split(".", 1)[1] in MESSAGE_CLASSES]
    others = [*found.calls, *(t for t in found.templates if t not in single)]
    sent = {k for site in others for m in site.messages for k in (m.text.includes | {m.text.key})}
    return [t for t in found.templates if t not in single or _own_text(t, sent)]


def _own_text(message: Template, sent: set) -> bool:
    """A message object with static text that no call or template of the module sends."""
    return any(m.text.has_static and m.text.key not in sent for m in message.messages)


def _template_call(module, resolver, node, method: str, langchain: bool, found: Scan) -> None:
    owner = module.text_of(node.child_by_field_name("function").child_by_field_name("object")).rsplit(".", 1)[-1]
    if langchain and owner in templating.OWNERS:
        found.templates.append(templating.read(module, resolver, node, owner, method))


def _call(module: JsModule, resolver: Resolver, reader: CallReader, node, name: str) -> CallSite | None:
    function = node.child_by_field_name("function")
    options = first_argument(node)
    if name in apis.LANGCHAIN_CALLS:
        site = _langchain_call(module, resolver, reader, node, name)
        if site is not None:
            return _placed(module, node, site, {})
    api = _vercel(module, function, name) if name in apis.VERCEL else apis.table(chain(module, function))
    if api is None or options is None:
        return None
    fields = resolver.fields(module, options, node)
    if not _plausible(module, api, fields, options):
        return None
    return _placed(module, node, reader.read(node, api, options), fields)


def _placed(module: JsModule, node, site: CallSite, fields: dict) -> CallSite:
    if site.generates:
        loop = context.data_loop(module, node)
        site.loop_line = module.start(loop)[0] if loop is not None else None
        site.latency_bound = context.latency_bound(module, node, site.api, fields)
    return site


def _langchain_call(module, resolver, reader, node, method: str) -> CallSite | None:
    receiver = node.child_by_field_name("function").child_by_field_name("object")
    binding = resolver.bound(module, receiver, node)
    built = unwrap(binding.node) if binding is not None else None
    if built is None or built.type != "new_expression":
        return None
    name = binding.module.text_of(built.child_by_field_name("constructor")).rsplit(".", 1)[-1]
    if name not in apis.LANGCHAIN_MODELS:
        return None
    settings = resolver.fields(binding.module, first_argument(built), built) if first_argument(built) else {}
    api = apis.langchain_call(apis.langchain_model(name), method)
    return reader.read(node, api, first_argument(node), settings)


def _vercel(module: JsModule, function, name: str):
    imported = module.imports.get(name) if function.type == "identifier" else None
    return apis.VERCEL[name] if imported is not None and imported.source == "ai" else None


def _plausible(module: JsModule, api, fields: dict, options) -> bool:
    literal = unwrap(options).type == "object"
    if (fields or literal) and "..." not in fields and not set(fields) & set(api.requires):
        return False
    return apis.sdk_imported(module.packages, api) or "model" in fields


def chain(module: JsModule, function) -> list[str]:
    """The names of a member chain, outermost last (``["client", "chat", "completions", "create"]``)."""
    names = []
    node = function
    while node is not None and node.type == "member_expression":
        names.append(module.text_of(node.child_by_field_name("property")))
        node = unwrap(node.child_by_field_name("object"))
    if node is not None and node.type in ("identifier", "this"):
        names.append(module.text_of(node))
    return names[::-1]


def first_argument(node):
    """The first argument of a call or ``new`` (None when there is none)."""
    arguments = node.child_by_field_name("arguments")
    if arguments is None or arguments.type != "arguments":
        return None
    return next((a for a in arguments.named_children if a.type != "comment"), None)


def holds_prompts(module: JsModule) -> bool:
    """A module that imports an LLM SDK or LangChain, or whose file or folder name says ``prompt``."""
    if any(p == name or p.startswith(name) and name.endswith("/") for p in module.packages for name in LLM_PACKAGES):
        return True
    return _named_prompt(module)


def _named_prompt(module: JsModule) -> bool:
    folder, name = os.path.split(module.path.lower())
    return "prompt" in name or "prompt" in os.path.basename(folder)


def constants(module: JsModule, resolver: Resolver, settings: ScanSettings) -> list[Constant]:
    """Top-level prompt-named strings, in source order. In a module whose file or folder name says
    ``prompt``, also prompt-named functions returning a string, and every exported string."""
    suffixes = tuple(s.upper() for s in settings.prompt_names)
    prompt_file = _named_prompt(module)
    found = []
    for statement in module.root.named_children:
        exported = statement.type == "export_statement"
        for name, value in declared(statement):
            named = name.upper().endswith(suffixes)
            if not (named or exported and prompt_file) or not prompt_file and unwrap(value).type in FUNCTION_TYPES:
                continue
            text = _constant_text(module, resolver, value)
            if text is not None and len(text.static_text.split()) >= settings.min_words:
                templated = is_format_template(text)
                found.append(Constant(name, templating.formatted(text) if templated else text))
    return found


def _constant_text(module: JsModule, resolver: Resolver, value):
    value = unwrap(value)
    if value is not None and value.type in FUNCTION_TYPES:
        value = last_return(module, value)
    return resolver.text(module, value) if value is not None else None

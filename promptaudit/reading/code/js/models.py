"""The model a JS/TS call names, as prices know it, and the provider it implies.

A literal or a constant (also ``process.env.MODEL ?? "gpt-4o"``); a Vercel AI SDK provider call
(``openai("gpt-4.1")``, ``anthropic.messages("...")``, ``gateway("anthropic/claude-...")``,
``registry.languageModel("openai:gpt-4o")``); ``wrapLanguageModel({ model })``; or a helper function of the
scanned tree that returns one of those (``getTitleModel()``). A registry's ``provider:`` prefix is dropped.
"""

from __future__ import annotations

from promptaudit.reading.code.js.apis import VERCEL_PROVIDERS
from promptaudit.reading.code.js.module import JsModule, unwrap
from promptaudit.reading.code.js.values import MAX_DEPTH, NAMES, Resolver

FALLBACKS = ("??", "||")


def model_of(resolver: Resolver, module: JsModule, node, at, depth: int = 0) -> tuple[str | None, str | None]:
    """``(model, provider)`` the expression names; provider None when only the model says it."""
    node = unwrap(node)
    if node is None or depth > MAX_DEPTH:
        return None, None
    if node.type in ("string", "template_string"):
        text = resolver.text(module, node)
        return _split(text.text) if text is not None and not text.variables else (None, None)
    if node.type in NAMES:
        binding = resolver.bound(module, node, at)
        return model_of(resolver, binding.module, binding.node, binding.node, depth + 1) if binding else (None, None)
    if node.type == "binary_expression" and module.text_of(node.child_by_field_name("operator")) in FALLBACKS:
        left = model_of(resolver, module, node.child_by_field_name("left"), at, depth + 1)
        return left if left[0] else model_of(resolver, module, node.child_by_field_name("right"), at, depth + 1)
    if node.type == "call_expression":
        return _called(resolver, module, node, depth)
    return None, None


def _called(resolver: Resolver, module: JsModule, node, depth: int) -> tuple[str | None, str | None]:
    function = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    listed = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
    returned = resolver.function_return(module, function, node)
    if returned is not None:
        return model_of(resolver, *returned, returned[1], depth + 1)
    if listed and unwrap(listed[0]).type == "object":
        fields = resolver.fields(module, listed[0], node)
        return model_of(resolver, *fields["model"], node, depth + 1) if "model" in fields else (None, None)
    if not listed:
        return None, None
    model, provider = model_of(resolver, module, listed[0], node, depth + 1)
    return model, provider or _factory(module, function)


def _factory(module: JsModule, function) -> str | None:
    """The provider of a Vercel AI SDK factory call: ``openai(...)``, ``anthropic.messages(...)``..."""
    written = module.text_of(function).split(".", 1)[0]
    return VERCEL_PROVIDERS.get(written)


def _split(written: str) -> tuple[str | None, str | None]:
    """``openai:gpt-4o`` (a provider registry id) -> ``("gpt-4o", "openai")``; ``a/b`` keeps its prefix."""
    written = written.strip()
    if not written:
        return None, None
    if ":" in written and not written.startswith("ft:"):
        provider, model = written.split(":", 1)
        return model, VERCEL_PROVIDERS.get(provider, provider)
    provider = written.split("/", 1)[0] if "/" in written else None
    return written, VERCEL_PROVIDERS.get(provider) if provider else None

"""Where a JS/TS call runs: once per item of a loop over data (a Batch API candidate), or with someone waiting.

A data loop is a ``for``/``for...of``/``for...in`` whose variables (or names assigned in its body) reach the
call's arguments, or a callback passed to ``.map``/``.forEach``/``.flatMap`` (``Promise.all(items.map(...))``)
whose parameters do. ``while`` and ``do`` loops are conversations and agent loops, not data. A call is
latency-bound when it streams or runs in a web request handler: a Next.js route handler (``export async
function POST``), a server action (``"use server"``), or a callback given to ``app.get``/``router.post``...
"""

from __future__ import annotations

from promptaudit.reading.code.js.module import FUNCTION_TYPES, JsModule
from promptaudit.reading.code.js.values import parameters

ITERATORS = frozenset({"map", "forEach", "flatMap"})
ROUTES = frozenset({"get", "post", "put", "patch", "delete", "all", "route", "use", "handle"})
HANDLERS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "handler", "action", "loader"})
LOOPS = frozenset({"for_statement", "for_in_statement"})


def data_loop(module: JsModule, call):
    """The innermost loop over data that runs ``call`` once per item, or None."""
    used = _names(module, call.child_by_field_name("arguments"))
    node = call.parent
    while node is not None:
        if node.type in ("while_statement", "do_statement"):
            return None
        if node.type in LOOPS:
            return node if used & _loop_names(module, node) else None
        if node.type in FUNCTION_TYPES:
            if _is_iterator_callback(module, node):
                return node.parent.parent if used & parameters(module, node) else None
            return None
        node = node.parent
    return None


def _names(module: JsModule, node) -> set[str]:
    names, stack = set(), [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier"):
            names.add(module.text_of(current))
        stack.extend(current.named_children)
    return names


def _loop_names(module: JsModule, loop) -> set[str]:
    left = loop.child_by_field_name("left") or loop.child_by_field_name("initializer")
    names = _names(module, left)
    body = loop.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        current = stack.pop()
        if current.type == "variable_declarator":
            names |= _names(module, current.child_by_field_name("name"))
        stack.extend(c for c in current.named_children if c.type not in FUNCTION_TYPES)
    return names


def _is_iterator_callback(module: JsModule, function) -> bool:
    """True for ``items.map((item) => ...)``: the function is an argument of an array iteration method."""
    arguments = function.parent
    call = arguments.parent if arguments is not None else None
    if call is None or arguments.type != "arguments" or call.type != "call_expression":
        return False
    callee = call.child_by_field_name("function")
    return (
        callee is not None
        and callee.type == "member_expression"
        and module.text_of(callee.child_by_field_name("property")) in ITERATORS
    )


def latency_bound(module: JsModule, call, api_name: str, fields: dict) -> bool:
    """True when the call streams its reply or runs inside a web request handler."""
    if api_name.split(".")[-1].startswith("stream") or api_name.endswith(("streamText", "streamObject")):
        return True
    stream = fields.get("stream")
    if stream is not None and stream[1].type == "true":
        return True
    if _server_action(module):
        return True
    node = call.parent
    while node is not None:
        if node.type in FUNCTION_TYPES and (_route_handler(module, node) or _route_callback(module, node)):
            return True
        node = node.parent
    return False


def _server_action(module: JsModule) -> bool:
    first = next((c for c in module.root.named_children if c.type != "comment"), None)
    return (
        first is not None
        and first.type == "expression_statement"
        and module.text_of(first).strip("'\"; ") == "use server"
    )


def _route_handler(module: JsModule, function) -> bool:
    name = function.child_by_field_name("name")
    if name is None and function.parent is not None and function.parent.type == "variable_declarator":
        name = function.parent.child_by_field_name("name")
    return name is not None and module.text_of(name) in HANDLERS


def _route_callback(module: JsModule, function) -> bool:
    arguments = function.parent
    call = arguments.parent if arguments is not None and arguments.type == "arguments" else None
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None or callee.type != "member_expression":
        return False
    owner = module.text_of(callee.child_by_field_name("object")).rsplit(".", 1)[-1].lower()
    method = module.text_of(callee.child_by_field_name("property"))
    return method in ROUTES and owner in ("app", "router", "server", "api", "fastify", "hono")

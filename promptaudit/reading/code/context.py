"""Where a call runs: once per item of a loop over data (a Batch API candidate), or with someone waiting.

A data loop is a ``for`` / ``async for`` or a comprehension (also inside ``asyncio.gather(*(...))``) whose
variable (or a name assigned or appended to in its body) reaches the call's arguments. A ``while`` loop is a
conversation or agent loop: each request needs the previous reply, so it is not a data loop, and a ``for`` over
``range()`` whose variable the call does not use is a retry loop. A call is latency-bound when it streams or
runs in a web request handler (a function decorated with ``@app.get``, ``@router.post``, ``@bp.route``...).
"""

from __future__ import annotations

import ast

from promptaudit.reading.code.module import Module

ROUTES = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "websocket"})
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def data_loop(module: Module, call: ast.Call) -> ast.AST | None:
    """The innermost loop over data that runs ``call`` once per item, or None."""
    node, parent = call, module.parents.get(call)
    while parent is not None and not isinstance(parent, SCOPES):
        if isinstance(parent, ast.While) and node in parent.body:
            return None
        if isinstance(parent, (ast.For, ast.AsyncFor)) and node in parent.body:
            return parent if _uses(call, _loop_names(parent)) else None
        if isinstance(parent, COMPREHENSIONS) and node not in parent.generators:
            names = {n for g in parent.generators for n in _stored(g.target)}
            return parent if _uses(call, names) else None
        node, parent = parent, module.parents.get(parent)
    return None


def _stored(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _loop_names(loop: ast.For | ast.AsyncFor) -> set[str]:
    names = _stored(loop.target)
    for node in (n for stmt in loop.body for n in ast.walk(stmt)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif _mutates(node):
            names.add(node.func.value.id)
    return names


def _mutates(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("append", "extend", "insert")
        and isinstance(node.func.value, ast.Name)
    )


def _uses(call: ast.Call, names: set[str]) -> bool:
    arguments = [*call.args, *(k.value for k in call.keywords)]
    return any(isinstance(n, ast.Name) and n.id in names for arg in arguments for n in ast.walk(arg))


def latency_bound(module: Module, call: ast.Call) -> bool:
    """True when the call streams its reply or runs inside a web request handler."""
    if any(k.arg == "stream" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords):
        return True
    parent = module.parents.get(call)
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(map(_is_route, parent.decorator_list)):
            return True
        parent = module.parents.get(parent)
    return False


def _is_route(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in ROUTES


def enclosing_function(module: Module, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The module-level function ``node`` is written in, if any."""
    found, parent = None, module.parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found = parent
        parent = module.parents.get(parent)
    return found if found is not None and found in module.tree.body else None

"""The keywords a call really passes: its own, plus those of a params dict it spreads (``create(**params)``).

A spread dict is followed when it is written in the same module: a dict literal or ``dict(...)`` bound to a
local of the calling function (with the ``params["k"] = v`` and ``params.update({...})`` made to it before
the call), or the dict a helper function or method of the module returns (``self._prepare_params()``).
Whatever cannot be followed (a parameter, ``**other``, ``update(extra)``) leaves the keywords *open*: they
may hold more (a cap, a model) than the scan sees.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from promptaudit.reading.code.module import Module
from promptaudit.reading.code.values import FUNCTIONS, Resolver, _own_nodes, enclosing

MAX_DEPTH = 4


@dataclass
class Keywords:
    """Keyword -> value expression, and where each value is evaluated (the call, or a helper's return)."""

    values: dict[str, ast.expr] = field(default_factory=dict)
    at: dict[str, ast.AST] = field(default_factory=dict)
    open: bool = False
    """True when some keywords come from something the scan cannot read (they may hold more)."""

    def get(self, key: str) -> ast.expr | None:
        return self.values.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def put(self, key: str, value: ast.expr, at: ast.AST) -> None:
        self.values[key], self.at[key] = value, at


def keywords(module: Module, resolver: Resolver, call: ast.Call) -> Keywords:
    """Every keyword ``call`` passes that the scan can see."""
    found = Keywords()
    for keyword in call.keywords:
        if keyword.arg is not None:
            found.put(keyword.arg, keyword.value, call)
        elif not _spread(module, resolver, keyword.value, call, found, 0):
            found.open = True
    return found


def _spread(module: Module, resolver: Resolver, node: ast.expr, at: ast.AST, into: Keywords, depth: int) -> bool:
    """Add the entries of the dict ``node`` evaluates to; False when it cannot be followed at all."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if key is None:
                _close(into, _spread(module, resolver, value, at, into, depth + 1))
            elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                into.put(key.value, value, at)
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for arg in node.args:
            _close(into, _spread(module, resolver, arg, at, into, depth + 1))
        for keyword in node.keywords:
            if keyword.arg is None:
                _close(into, _spread(module, resolver, keyword.value, at, into, depth + 1))
            else:
                into.put(keyword.arg, keyword.value, at)
        return True
    if isinstance(node, ast.Name):
        return _local(module, resolver, node, at, into, depth)
    if isinstance(node, ast.Call):
        returned = _helper_return(module, node, at)
        return returned is not None and _spread(module, resolver, returned[0], returned[1], into, depth + 1)
    return False


def _close(into: Keywords, known: bool) -> None:
    """Mark the keywords open when a part could not be read (after reading it: it may have opened them too)."""
    into.open = into.open or not known


def _local(module: Module, resolver: Resolver, node: ast.Name, at: ast.AST, into: Keywords, depth: int) -> bool:
    function = enclosing(module, at, FUNCTIONS)
    binding = resolver.lookup(module, node.id, at)
    if function is None or binding is None or binding.module is not module:
        return False
    bound = binding.node
    _close(into, _spread(module, resolver, bound, bound, into, depth + 1))
    for change in _changes(function, node.id, bound, at):
        _close(into, _apply(module, resolver, change, into, depth))
    return True


def _changes(function: ast.AST, name: str, start: ast.AST, end: ast.AST) -> list[ast.AST]:
    """``name["k"] = v`` and ``name.update(...)`` between the dict's binding and the call, in source order."""
    found = []
    for node in _own_nodes(function):
        if not isinstance(node, (ast.Assign, ast.Call)) or not _between(start, node, end):
            continue
        if isinstance(node, ast.Assign) and any(_item_of(t, name) for t in node.targets):
            found.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            if isinstance(node.func.value, ast.Name) and node.func.value.id == name:
                found.append(node)
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def _apply(module: Module, resolver: Resolver, change: ast.AST, into: Keywords, depth: int) -> bool:
    if isinstance(change, ast.Assign):
        target = next(t for t in change.targets if isinstance(t, ast.Subscript))
        into.put(target.slice.value, change.value, change)
        return True
    known = True
    for arg in change.args:
        known &= _spread(module, resolver, arg, change, into, depth + 1)
    for keyword in change.keywords:
        if keyword.arg is None:
            known &= _spread(module, resolver, keyword.value, change, into, depth + 1)
        else:
            into.put(keyword.arg, keyword.value, change)
    return known


def _item_of(target: ast.expr, name: str) -> bool:
    return (
        isinstance(target, ast.Subscript)
        and isinstance(target.value, ast.Name)
        and target.value.id == name
        and isinstance(target.slice, ast.Constant)
        and isinstance(target.slice.value, str)
    )


def _between(start: ast.AST, node: ast.AST, end: ast.AST) -> bool:
    return (start.lineno, start.col_offset) < (node.lineno, node.col_offset) < (end.lineno, end.col_offset)


def _helper_return(module: Module, call: ast.Call, at: ast.AST) -> tuple[ast.expr, ast.AST] | None:
    """The expression a module function or a method of the enclosing class returns (its one ``return``)."""
    function = helper(module, call.func, at)
    if function is None:
        return None
    returns = [n for n in _own_nodes(function) if isinstance(n, ast.Return) and n.value is not None]
    return (returns[0].value, returns[0].value) if len(returns) == 1 else None


def helper(module: Module, func: ast.expr, at: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function ``func`` names: a module-level function, or ``self.method`` of the enclosing class."""
    if isinstance(func, ast.Name):
        return module.functions.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        owner = enclosing(module, at, (ast.ClassDef,))
        if owner is not None:
            return next((n for n in owner.body if isinstance(n, FUNCTIONS) and n.name == func.attr), None)
    return None

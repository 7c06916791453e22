"""What an expression is worth without running it: a string's text, an int, a list, a name's value.

Names resolve, in order, to an assignment earlier in the enclosing function (never a parameter), a class
attribute (``self.X``), a module-level assignment, or a name imported explicitly from a module of the scanned
tree (``from .prompts import X``, ``from pkg import prompts; prompts.X``, ``import pkg.prompts as p``).
Anything else is unknown: a prompt then holds it as a variable, shown as ``{expression}``.
"""

from __future__ import annotations

import ast
import string

from promptaudit.reading.code import module as modules
from promptaudit.reading.code.literals import literal_text
from promptaudit.reading.code.module import Module
from promptaudit.reading.code.text import Text, dedent, joined, replaced, strip, variable

MAX_DEPTH = 8
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
DEDENTS = ("dedent", "cleandoc")


class Binding:
    """A name's value: the expression assigned, and the module it is written in."""

    def __init__(self, module: Module, node: ast.expr):
        self.module, self.node = module, node


def enclosing(module: Module, node: ast.AST, kinds) -> ast.AST | None:
    """The nearest ancestor of ``node`` of one of ``kinds``."""
    parent = module.parents.get(node)
    while parent is not None and not isinstance(parent, kinds):
        parent = module.parents.get(parent)
    return parent


def _before(node: ast.AST, at: ast.AST) -> bool:
    return (node.lineno, node.col_offset) < (at.lineno, at.col_offset)


def _local_assignments(function: ast.AST, name: str, at: ast.AST) -> list[ast.expr]:
    found = []
    for node in _own_nodes(function):
        if isinstance(node, ast.Assign) and _before(node, at):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                found.append(node.value)
        elif isinstance(node, ast.AnnAssign) and _before(node, at) and node.value is not None:
            if isinstance(node.target, ast.Name) and node.target.id == name:
                found.append(node.value)
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def _own_nodes(function: ast.AST):
    """Nodes of a function body, not descending into nested functions or classes."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _parameters(function: ast.AST) -> set[str]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


class Resolver:
    """Evaluates expressions of one scan (modules reached by import are parsed once)."""

    def lookup(self, module: Module, name: str, at: ast.AST, depth: int = 0) -> Binding | None:
        """The value ``name`` has at ``at``, or None when it is unknown (a parameter, a call result, ...)."""
        function = enclosing(module, at, FUNCTIONS)
        while function is not None:
            if name in _parameters(function):
                return None
            assigned = _local_assignments(function, name, at)
            if assigned:
                return Binding(module, assigned[-1])
            function = enclosing(module, function, FUNCTIONS)
        if name in module.constants:
            return Binding(module, module.constants[name])
        return self._imported(module, name, depth)

    def _imported(self, module: Module, name: str, depth: int) -> Binding | None:
        imported = module.imports.get(name)
        if imported is None or imported.attr is None or depth >= MAX_DEPTH:
            return None
        path = modules.find(module.path, imported)
        other = modules.load(path) if path else None
        if other is None:
            return None
        if imported.attr in other.constants:
            return Binding(other, other.constants[imported.attr])
        return self._imported(other, imported.attr, depth + 1)

    def attribute(self, module: Module, node: ast.Attribute, at: ast.AST) -> Binding | None:
        """``self.X`` / ``Class.X`` (class attributes) or ``alias.X`` (a constant of an imported module)."""
        if not isinstance(node.value, ast.Name):
            return None
        base = node.value.id
        if base in ("self", "cls"):
            owner = enclosing(module, at, (ast.ClassDef,))
            attrs = module.classes.get(owner.name, {}) if owner is not None else {}
            return Binding(module, attrs[node.attr]) if node.attr in attrs else None
        if base in module.classes and node.attr in module.classes[base]:
            return Binding(module, module.classes[base][node.attr])
        other = self.imported_module(module, base)
        if other is not None and node.attr in other.constants:
            return Binding(other, other.constants[node.attr])
        return None

    def imported_module(self, module: Module, alias: str) -> Module | None:
        """The scanned-tree module bound to ``alias`` by an import, if it is one."""
        imported = module.imports.get(alias)
        if imported is None:
            return None
        path = (
            modules.find(module.path, imported, imported.attr) if imported.attr else modules.find(module.path, imported)
        )
        return modules.load(path) if path else None

    def bound(self, module: Module, node: ast.expr, at: ast.AST) -> Binding | None:
        """The binding of a name or attribute expression."""
        if isinstance(node, ast.Name):
            return self.lookup(module, node.id, at)
        if isinstance(node, ast.Attribute):
            return self.attribute(module, node, at)
        return None

    def text(self, module: Module, node: ast.expr, depth: int = 0) -> Text | None:
        """The static text of a string expression, or None when it is not a string known without running."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, (ast.Constant, ast.JoinedStr)):
            if isinstance(node, ast.Constant) and not isinstance(node.value, str):
                return None
            if id(node) not in module.texts:
                module.texts[id(node)] = literal_text(
                    module, node, lambda e, s, line, col: self._field(module, e, depth)
                )
            return module.texts[id(node)]
        if isinstance(node, (ast.Name, ast.Attribute)):
            binding = self.bound(module, node, node)
            return self.text(binding.module, binding.node, depth + 1) if binding else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._sum(module, node, depth)
        if isinstance(node, ast.Call):
            return self._call(module, node, depth)
        return None

    def _field(self, module: Module, node: ast.expr, depth: int) -> Text | None:
        """An f-string field naming a known string (a constant) is that text; any other field is a variable."""
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self.text(module, node, depth + 1)
        return None

    def content(self, module: Module, node: ast.expr, depth: int = 0) -> Text:
        """The text of an argument: its static text, or one variable showing its expression."""
        known = self.text(module, node, depth)
        if known is not None:
            return known
        line, column = module.start(node)
        return Text((variable(module.segment(node).strip(), module.path, line, column),), module.path, line, column)

    def _sum(self, module: Module, node: ast.BinOp, depth: int) -> Text | None:
        left, right = self.text(module, node.left, depth + 1), self.text(module, node.right, depth + 1)
        if left is None and right is None:
            return None
        sides = [
            left or self.content(module, node.left, depth + 1),
            right or self.content(module, node.right, depth + 1),
        ]
        return joined(sides, module.path, *module.start(node))

    def _call(self, module: Module, node: ast.Call, depth: int) -> Text | None:
        func = node.func
        if isinstance(func, ast.Attribute):
            method = func.attr
            if method in ("strip", "lstrip", "rstrip") and not node.keywords and len(node.args) <= 1:
                return self._stripped(module, node, method, depth)
            if method == "format":
                base = self.text(module, func.value, depth + 1)
                return self.formatted(module, base, node, depth) if base is not None else None
            if method == "join" and len(node.args) == 1:
                return self._join(module, node, depth)
            if method == "replace" and len(node.args) >= 2:
                return self._replaced(module, node, depth)
        if self._is_dedent(module, func) and len(node.args) == 1:
            inner = self.text(module, node.args[0], depth + 1)
            return dedent(inner).at(module.path, *module.start(node)) if inner is not None else None
        return None

    def _replaced(self, module: Module, node: ast.Call, depth: int) -> Text | None:
        """``PROMPT.replace("{{x}}", value)``: the static text kept, the value a variable unless it is known."""
        base = self.text(module, node.func.value, depth + 1)
        old = node.args[0]
        if base is None or not (isinstance(old, ast.Constant) and isinstance(old.value, str)):
            return None
        new = self.content(module, node.args[1], depth + 1)
        return replaced(base, old.value, new, module.path, *module.start(node))

    def _stripped(self, module: Module, node: ast.Call, method: str, depth: int) -> Text | None:
        base = self.text(module, node.func.value, depth + 1)
        chars = None
        if node.args:
            arg = node.args[0]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                return None
            chars = arg.value
        if base is None:
            return None
        done = strip(base, chars, left=method != "rstrip", right=method != "lstrip")
        return done.at(module.path, *module.start(node))

    def _is_dedent(self, module: Module, func: ast.expr) -> bool:
        if isinstance(func, ast.Attribute):
            return (
                func.attr in DEDENTS and isinstance(func.value, ast.Name) and func.value.id in ("textwrap", "inspect")
            )
        if isinstance(func, ast.Name) and func.id in DEDENTS:
            imported = module.imports.get(func.id)
            return imported is not None and imported.module in ("textwrap", "inspect")
        return False

    def _join(self, module: Module, node: ast.Call, depth: int) -> Text | None:
        separator = self.text(module, node.func.value, depth + 1)
        items = self.elements(module, node.args[0], node, depth + 1)
        if separator is None or items is None:
            return None
        texts = []
        for i, (owner, item) in enumerate(items):
            if i:
                texts.append(separator)
            texts.append(self.content(owner, item, depth + 1))
        return joined(texts, module.path, *module.start(node))

    def elements(self, module: Module, node: ast.expr, at: ast.AST, depth: int = 0) -> list | None:
        """``(module, element)`` pairs of a list or tuple expression (starred names expanded), else None."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, (ast.Name, ast.Attribute)):
            binding = self.bound(module, node, at)
            return self.elements(binding.module, binding.node, binding.node, depth + 1) if binding else None
        if not isinstance(node, (ast.List, ast.Tuple)):
            return None
        found = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                inner = self.elements(module, element.value, at, depth + 1)
                found += inner if inner is not None else [(module, element)]
            else:
                found.append((module, element))
        return found

    def formatted(self, module: Module, base: Text, call: ast.Call | None, depth: int = 0) -> Text:
        """``base.format(...)`` (or a LangChain template when ``call`` is None): fields become variables.

        A field whose argument is a known string is filled in; ``{{`` and ``}}`` become single braces.
        """
        values = self._format_arguments(module, call, depth) if call is not None else {}
        pieces = []
        automatic = 0
        for piece in base.pieces:
            if piece.variable is not None:
                pieces.append(piece)
                continue
            split = _format_split(piece, values, automatic)
            if split is None:
                return base
            more, automatic = split
            pieces += more
        filled = frozenset(k for t in values.values() if t is not None for k in (t.includes | {t.key}))
        return Text(tuple(p for p in pieces if p.text), base.path, base.line, base.column, base.includes | filled)

    def _format_arguments(self, module: Module, call: ast.Call, depth: int) -> dict:
        values: dict = {}
        for i, arg in enumerate(call.args):
            values[str(i)] = self.text(module, arg, depth + 1)
        for keyword in call.keywords:
            if keyword.arg is not None:
                values[keyword.arg] = self.text(module, keyword.value, depth + 1)
        return values


def _format_split(piece, values: dict, automatic: int):
    """Split a static piece at its ``str.format`` fields, or None when it is not a valid template."""
    try:
        parsed = list(string.Formatter().parse(piece.text))
    except ValueError:
        return None
    out, offset = [], 0
    for literal, field, spec, conversion in parsed:
        if literal:
            out.append(_sub(piece, offset, literal))
            offset += len(literal.replace("{", "{{").replace("}", "}}"))
        if field is None:
            continue
        raw = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        name = field or str(automatic)
        automatic += 0 if field else 1
        key = name.split(".", 1)[0].split("[", 1)[0]
        line, column = piece.position(offset)
        filled = values.get(key)
        out += filled.pieces if filled is not None else [variable(field or name, piece.path, line, column)]
        offset += len(raw)
    return out, automatic


def _sub(piece, offset: int, literal: str):
    moved = piece.advance(offset)
    return type(piece)(literal, moved.path, moved.line, moved.column, moved.multiline, moved.margin)

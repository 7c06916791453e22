"""What a JS/TS expression is worth without running it: a string's text, a number, an array, an object's fields.

Names resolve, in order, to a declaration earlier in an enclosing function (never a parameter), a top-level
declaration of the module, or an export of a module of the scanned tree that the module imports (ESM or
CommonJS, re-exports followed). ``ns.X`` reads an export of a namespace import or a property of an object
literal constant. A call of a function of the tree that returns a string (``systemPrompt({...})``) is that
string, its parameters shown as variables. Anything else is unknown: a prompt holds it as a variable.
"""

from __future__ import annotations

from promptaudit.reading.code.js import resolve
from promptaudit.reading.code.js.module import FUNCTION_TYPES, Imported, JsModule, unwrap
from promptaudit.reading.code.js.strings import literal_text
from promptaudit.reading.code.text import Text, dedent, joined, strip, variable

MAX_DEPTH = 8
DEDENT_TAGS = frozenset({"dedent", "stripIndent", "stripIndents", "outdent", "endent", "ts_dedent", "oneLine"})
NAMES = ("identifier", "member_expression", "shorthand_property_identifier")
STRIPS = {"trim": (True, True), "trimStart": (True, False), "trimEnd": (False, True)}


class Binding:
    """A name's value: the node assigned, and the module it is written in."""

    def __init__(self, module: JsModule, node):
        self.module, self.node = module, node


def enclosing_functions(node):
    """The functions around ``node``, innermost first."""
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            yield parent
        parent = parent.parent


def parameters(module: JsModule, function) -> set[str]:
    """Names a function's parameters bind (destructured ones too; type annotations ignored)."""
    node = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    names, stack = set(), [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier_pattern"):
            names.add(module.text_of(current))
        elif current.type not in ("type_annotation", "default_value"):
            stack.extend(current.named_children)
    return names


def own_nodes(function):
    """Nodes of a function body, not descending into nested functions."""
    body = function.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in node.named_children if c.type not in FUNCTION_TYPES)


def _local(module: JsModule, function, name: str, at) -> list:
    found = []
    for node in own_nodes(function):
        if node.type == "variable_declarator" and node.start_byte < at.start_byte:
            target, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if value is not None and target is not None and target.type == "identifier":
                if module.text_of(target) == name:
                    found.append(value)
    return sorted(found, key=lambda n: n.start_byte)


def last_return(module: JsModule, function):
    """The expression a function returns last: an arrow's expression body, or its final ``return``."""
    body = function.child_by_field_name("body")
    if body is None:
        return None
    if body.type != "statement_block":
        return body
    statements = [c for c in body.named_children if c.type != "comment"]
    last = statements[-1] if statements else None
    if last is None or last.type != "return_statement":
        return None
    return next((c for c in last.named_children if c.type != "comment"), None)


class Resolver:
    """Evaluates the expressions of one scan (modules reached by import are parsed once per run)."""

    def lookup(self, module: JsModule, name: str, at, depth: int = 0) -> Binding | None:
        """The value ``name`` has at ``at``, or None when it is unknown (a parameter, a call result...)."""
        for function in enclosing_functions(at):
            if name in parameters(module, function):
                return None
            assigned = _local(module, function, name, at)
            if assigned:
                return Binding(module, assigned[-1])
        if name in module.declarations:
            return Binding(module, module.declarations[name])
        imported = module.imports.get(name)
        return self.imported(module, imported, depth) if imported is not None else None

    def imported(self, module: JsModule, imported: Imported, depth: int = 0) -> Binding | None:
        """What an import binds: an export of another module of the tree (a namespace binds the module)."""
        path = resolve.find(module.path, imported.source) if depth < MAX_DEPTH else None
        other = resolve.load(path) if path else None
        if other is None:
            return None
        if imported.name == "*":
            return Binding(other, other.root)
        return self.exported(other, imported.name, depth + 1)

    def exported(self, module: JsModule, name: str, depth: int = 0) -> Binding | None:
        """The value ``module`` exports as ``name`` (following ``export { a as b }`` and re-exports)."""
        value = module.exports.get(name)
        if isinstance(value, str):
            return self.lookup(module, value, module.root, depth)
        if isinstance(value, Imported):
            return self.imported(module, value, depth)
        if value is not None:
            return Binding(module, value)
        star = module.exports.get("*")
        if isinstance(star, Imported) and depth < MAX_DEPTH:
            return self.imported(module, Imported(star.source, name), depth + 1)
        return None

    def bound(self, module: JsModule, node, at, depth: int = 0) -> Binding | None:
        """The binding of a name, ``ns.X`` or ``object.key`` expression."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return None
        if node.type in ("identifier", "shorthand_property_identifier"):
            return self.lookup(module, module.text_of(node), at)
        if node.type != "member_expression":
            return None
        owner = self.bound(module, node.child_by_field_name("object"), at, depth + 1)
        key = node.child_by_field_name("property")
        if owner is None or key is None:
            return None
        field = module.text_of(key)
        if owner.node.type == "program":
            return self.exported(owner.module, field, depth + 1)
        value = self.fields(owner.module, owner.node, owner.node).get(field)
        return Binding(*value) if value is not None else None

    def text(self, module: JsModule, node, depth: int = 0) -> Text | None:
        """The text of a string expression, or None when it is not a string known without running."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return None
        kind = node.type
        if kind in ("string", "template_string"):
            return literal_text(module, node, lambda e: self._substitution(module, e, depth))
        if kind in NAMES:
            binding = self.bound(module, node, node)
            return self.text(binding.module, binding.node, depth + 1) if binding else None
        if kind == "binary_expression" and module.text_of(node.child_by_field_name("operator")) == "+":
            return self._sum(module, node, depth)
        if kind == "call_expression":
            return self._call(module, node, depth)
        return None

    def _substitution(self, module: JsModule, expression, depth: int) -> Text | None:
        """``${NAME}`` naming a known string (a constant) is that text; anything else is a variable."""
        expression = unwrap(expression)
        if expression is not None and expression.type in (*NAMES, "call_expression"):
            return self.text(module, expression, depth + 1)
        return None

    def content(self, module: JsModule, node, depth: int = 0) -> Text:
        """The text of an argument: its static text, or one variable showing its expression."""
        known = self.text(module, node, depth)
        if known is not None:
            return known
        line, column = module.start(node)
        name = " ".join(module.text_of(node).split())
        return Text((variable(name, module.path, line, column),), module.path, line, column)

    def _sum(self, module: JsModule, node, depth: int) -> Text | None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        known = [self.text(module, side, depth + 1) for side in (left, right)]
        if known == [None, None]:
            return None
        sides = [k or self.content(module, s, depth + 1) for k, s in zip(known, (left, right))]
        return joined(sides, module.path, *module.start(node))

    def _call(self, module: JsModule, node, depth: int) -> Text | None:
        function, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if function is None or arguments is None:
            return None
        if arguments.type == "template_string":
            return self._tagged(module, node, function, arguments, depth)
        listed = [a for a in arguments.named_children if a.type != "comment"]
        if function.type == "member_expression":
            method = module.text_of(function.child_by_field_name("property"))
            receiver = function.child_by_field_name("object")
            if method in STRIPS and not listed:
                base = self.text(module, receiver, depth + 1)
                left, right = STRIPS[method]
                return strip(base, None, left, right).at(module.path, *module.start(node)) if base else None
            if method == "join" and len(listed) <= 1:
                return self._join(module, node, receiver, listed, depth)
        if module.text_of(function) in DEDENT_TAGS and len(listed) == 1:
            inner = self.text(module, listed[0], depth + 1)
            return _dedented(inner).at(module.path, *module.start(node)) if inner is not None else None
        return self._returned(module, node, function, depth)

    def _tagged(self, module: JsModule, node, tag, template, depth: int) -> Text | None:
        name = module.text_of(tag)
        if name == "String.raw":
            return literal_text(module, template, lambda e: self._substitution(module, e, depth), raw=True)
        if name.rsplit(".", 1)[-1] not in DEDENT_TAGS:
            return None
        inner = self.text(module, template, depth + 1)
        return _dedented(inner).at(module.path, *module.start(node)) if inner is not None else None

    def _join(self, module: JsModule, node, receiver, listed: list, depth: int) -> Text | None:
        separator = self.text(module, listed[0], depth + 1) if listed else None
        if listed and separator is None:
            return None
        items = self.elements(module, receiver, node, depth + 1)
        if items is None:
            return None
        texts = []
        for index, (owner, item) in enumerate(items):
            if index:
                texts.append(separator if separator is not None else _comma(module, node))
            texts.append(self.content(owner, item, depth + 1))
        return joined(texts, module.path, *module.start(node))

    def _returned(self, module: JsModule, node, function, depth: int) -> Text | None:
        """A call of a function of the tree that returns a string: that string (parameters as variables)."""
        returned = self.function_return(module, function, node, depth)
        text = self.text(*returned, depth + 1) if returned is not None else None
        return text.at(module.path, *module.start(node)) if text is not None else None

    def function_return(self, module: JsModule, node, at, depth: int = 0):
        """``(module, expression)`` a called function of the tree returns last, or None."""
        binding = self.bound(module, node, at) if depth <= MAX_DEPTH else None
        if binding is None or binding.node.type not in FUNCTION_TYPES:
            return None
        returned = last_return(binding.module, binding.node)
        return (binding.module, returned) if returned is not None else None

    def elements(self, module: JsModule, node, at, depth: int = 0) -> list | None:
        """``(module, element)`` pairs of an array expression (spread names expanded), else None."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return None
        if node.type in NAMES:
            binding = self.bound(module, node, at)
            return self.elements(binding.module, binding.node, binding.node, depth + 1) if binding else None
        if node.type != "array":
            return None
        found = []
        for element in (e for e in node.named_children if e.type != "comment"):
            if element.type == "spread_element":
                inner = self.elements(module, element.named_children[0], at, depth + 1)
                found += inner if inner is not None else [(module, element)]
            else:
                found.append((module, element))
        return found

    def fields(self, module: JsModule, node, at, depth: int = 0) -> dict:
        """Key -> ``(module, value)`` of an object literal (or a name bound to one); spreads of known objects
        merged in order. Shorthand ``{ messages }`` maps to the name itself. Empty when unknown."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return {}
        if node.type in NAMES:
            binding = self.bound(module, node, at)
            return self.fields(binding.module, binding.node, binding.node, depth + 1) if binding else {}
        if node.type == "call_expression":  # options a helper function of the tree builds and returns
            returned = self.function_return(module, node.child_by_field_name("function"), node, depth + 1)
            return self.fields(*returned, returned[1], depth + 1) if returned is not None else {}
        if node.type != "object":
            return {}
        found: dict = {}
        for child in node.named_children:
            if child.type == "pair":
                key = _key(module, child.child_by_field_name("key"))
                if key is not None:
                    found[key] = (module, child.child_by_field_name("value"))
            elif child.type == "shorthand_property_identifier":
                found[module.text_of(child)] = (module, child)
            elif child.type == "spread_element":
                spread = self.fields(module, child.named_children[0], at, depth + 1)
                found.update(spread if spread else {"...": (module, child)})
        return found

    def integer(self, module: JsModule, node, at, depth: int = 0) -> int | None:
        """A number literal, or the number a name resolves to."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return None
        if node.type == "number":
            return _number(module.text_of(node))
        binding = self.bound(module, node, at) if node.type in NAMES else None
        return self.integer(binding.module, binding.node, binding.node, depth + 1) if binding else None

    def literal(self, module: JsModule, node, at, depth: int = 0):
        """The JSON value of a literal (objects, arrays, strings, numbers, booleans, null); KeyError if not one."""
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            raise KeyError("too deep")
        kind = node.type
        if kind == "object":
            return {k: self.literal(m, v, at, depth + 1) for k, (m, v) in self._plain_fields(module, node, at).items()}
        if kind == "array":
            return [self.literal(m, e, at, depth + 1) for m, e in self.elements(module, node, at) or []]
        if kind in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[kind]
        if kind == "number":
            return _number(module.text_of(node))
        text = self.text(module, node, depth + 1)
        if text is not None and not text.variables:
            return text.text
        raise KeyError(kind)

    def _plain_fields(self, module: JsModule, node, at) -> dict:
        fields = self.fields(module, node, at)
        if "..." in fields:
            raise KeyError("spread")
        return fields


def _key(module: JsModule, key) -> str | None:
    if key is None:
        return None
    if key.type in ("property_identifier", "identifier"):
        return module.text_of(key)
    if key.type == "string":
        return module.text_of(key)[1:-1]
    if key.type == "number":
        return module.text_of(key)
    return None


def _number(written: str) -> int | None:
    try:
        value = (
            float(int(written.replace("_", ""), 0))
            if written[:2].lower() in ("0x", "0o", "0b")
            else float(written.replace("_", ""))
        )
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _dedented(text: Text) -> Text:
    """``dedent`` tags and calls: common indentation removed, then the first and last blank lines."""
    return strip(dedent(text), " \t\n\r")


def _comma(module: JsModule, node) -> Text:
    from promptaudit.reading.code.text import Piece

    line, column = module.start(node)
    return Text((Piece(",", module.path, line, column),), module.path, line, column)

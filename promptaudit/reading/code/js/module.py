"""One parsed JS/TS module: its syntax tree, its top-level names, its imports and exports, and where nodes are.

Bindings are read from the tree once per module: ``const``/``let``/``var`` and ``function`` declarations at the
top level (exported or not), ESM imports (default, named, namespace), CommonJS ``require`` bindings, and the
module's exports (``export const``, ``export default``, ``export { a as b }``, re-exports, ``module.exports``
and ``exports.X``). Nothing is run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

FUNCTION_TYPES = frozenset(
    {"function_declaration", "function_expression", "arrow_function", "method_definition", "generator_function",
     "generator_function_declaration", "function"}
)  # fmt: skip
WRAPPERS = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
     "type_assertion", "await_expression"}
)  # fmt: skip


@dataclass(frozen=True)
class Imported:
    """A name bound by an import: ``name`` of module ``source`` (``"default"``, a named export, or ``"*"``)."""

    source: str
    name: str


@dataclass
class JsModule:
    """A parsed module and the facts the scanner asks about it."""

    path: str
    data: bytes
    tree: object
    notes: list[str] = field(default_factory=list)

    @property
    def root(self):
        return self.tree.root_node

    @cached_property
    def _line_starts(self) -> list[int]:
        starts, at = [0], self.data.find(b"\n")
        while at != -1:
            starts.append(at + 1)
            at = self.data.find(b"\n", at + 1)
        return starts

    def start(self, node) -> tuple[int, int]:
        """1-based line and column (in characters, not bytes) where ``node`` starts."""
        row, byte_column = node.start_point
        start = self._line_starts[row] if row < len(self._line_starts) else 0
        head = self.data[start : start + byte_column]
        return row + 1, (byte_column if head.isascii() else len(head.decode("utf-8", "replace"))) + 1

    def text_of(self, node) -> str:
        """The source text of ``node``."""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    @cached_property
    def declarations(self) -> dict:
        """Top-level names -> the node of their value (an initialiser, or a function declaration)."""
        found: dict = {}
        for statement in self.root.named_children:
            for name, value in declared(statement):
                found[name] = value
        return found

    @cached_property
    def imports(self) -> dict[str, Imported]:
        """Local names bound by ``import`` statements and top-level ``require`` calls."""
        found: dict[str, Imported] = {}
        for statement in self.root.named_children:
            if statement.type == "import_statement":
                found.update(_esm_import(self, statement))
            elif statement.type in ("lexical_declaration", "variable_declaration"):
                found.update(_require_bindings(self, statement))
        return found

    @cached_property
    def exports(self) -> dict:
        """Exported name -> the local name, value node, or ``Imported`` re-export it stands for."""
        return _exports(self)

    @cached_property
    def packages(self) -> set[str]:
        """The bare package names this module imports (``openai``, ``@anthropic-ai/sdk``, ``ai``...)."""
        return {_package(i.source) for i in self.imports.values() if not i.source.startswith((".", "/"))}


def unwrap(node):
    """The expression inside parentheses, ``as``/``satisfies`` casts, ``!`` and ``await``."""
    while node is not None and node.type in WRAPPERS:
        node = next((c for c in node.named_children if c.type not in ("type_annotation", "comment")), None)
        if node is not None and node.type.endswith("_type"):
            break
    return node


def declared(statement) -> list[tuple[str, object]]:
    """``(name, value node)`` pairs a top-level statement declares (exported or not)."""
    if statement.type == "export_statement":
        inner = statement.child_by_field_name("declaration")
        return declared(inner) if inner is not None else []
    if statement.type in ("lexical_declaration", "variable_declaration"):
        return [pair for d in statement.named_children if d.type == "variable_declarator" for pair in _declarator(d)]
    if statement.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
        name = statement.child_by_field_name("name")
        return [(name.text.decode("utf-8", "replace"), statement)] if name is not None else []
    return []


def _declarator(declarator) -> list[tuple[str, object]]:
    name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
    if name is None or value is None or name.type != "identifier":
        return []
    return [(name.text.decode("utf-8", "replace"), value)]


def _package(source: str) -> str:
    parts = source.split("/")
    return "/".join(parts[:2]) if source.startswith("@") else parts[0]


def _string_value(module: JsModule, node) -> str | None:
    if node is None or node.type != "string":
        return None
    return module.text_of(node)[1:-1]


def _esm_import(module: JsModule, statement) -> dict[str, Imported]:
    source = _string_value(module, statement.child_by_field_name("source"))
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    if source is None or clause is None:
        return {}
    found = {}
    for child in clause.named_children:
        if child.type == "identifier":
            found[module.text_of(child)] = Imported(source, "default")
        elif child.type == "namespace_import":
            alias = next((c for c in child.named_children if c.type == "identifier"), None)
            if alias is not None:
                found[module.text_of(alias)] = Imported(source, "*")
        elif child.type == "named_imports":
            for spec in child.named_children:
                if spec.type == "import_specifier":
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    found[module.text_of(alias or name)] = Imported(source, module.text_of(name))
    return found


def require_source(module: JsModule, node) -> str | None:
    """``"./x"`` for ``require("./x")`` (also ``await import("./x")``), else None."""
    node = unwrap(node)
    if node is None or node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    if function is None or module.text_of(function) not in ("require", "import"):
        return None
    arguments = node.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    return _string_value(module, first)


def _require_bindings(module: JsModule, statement) -> dict[str, Imported]:
    found = {}
    for declarator in (d for d in statement.named_children if d.type == "variable_declarator"):
        source = require_source(module, declarator.child_by_field_name("value"))
        name = declarator.child_by_field_name("name")
        if source is None or name is None:
            continue
        if name.type == "identifier":
            found[module.text_of(name)] = Imported(source, "*")
        elif name.type == "object_pattern":
            found.update(_destructured(module, name, source))
    return found


def _destructured(module: JsModule, pattern, source: str) -> dict[str, Imported]:
    found = {}
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            found[module.text_of(child)] = Imported(source, module.text_of(child))
        elif child.type == "pair_pattern":
            key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
            if key is not None and value is not None and value.type == "identifier":
                found[module.text_of(value)] = Imported(source, module.text_of(key))
    return found


def _exports(module: JsModule) -> dict:
    found: dict = {}
    for statement in module.root.named_children:
        if statement.type == "export_statement":
            found.update(_export_statement(module, statement))
        elif statement.type == "expression_statement":
            found.update(_commonjs_export(module, statement))
    return found


def _export_statement(module: JsModule, statement) -> dict:
    declaration = statement.child_by_field_name("declaration")
    if declaration is not None:
        return {name: value for name, value in declared(declaration)}
    value = statement.child_by_field_name("value")
    if value is not None:  # export default <expression>
        return {"default": value}
    source = _string_value(module, statement.child_by_field_name("source"))
    clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
    if clause is None:
        return {"*": Imported(source, "*")} if source else {}
    found = {}
    for spec in (c for c in clause.named_children if c.type == "export_specifier"):
        name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
        local = module.text_of(name)
        found[module.text_of(alias or name)] = Imported(source, local) if source else local
    return found


def _commonjs_export(module: JsModule, statement) -> dict:
    """``module.exports = {...}`` / ``= value``, ``exports.X = value``, ``module.exports.X = value``."""
    expression = statement.named_children[0] if statement.named_children else None
    if expression is None or expression.type != "assignment_expression":
        return {}
    target, value = expression.child_by_field_name("left"), expression.child_by_field_name("right")
    written = module.text_of(target).replace(" ", "")
    if written == "module.exports":
        return _exported_object(module, value) if value.type == "object" else {"default": value}
    for prefix in ("module.exports.", "exports."):
        if written.startswith(prefix) and written[len(prefix) :].isidentifier():
            return {written[len(prefix) :]: value}
    return {}


def _exported_object(module: JsModule, value) -> dict:
    found: dict = {"default": value}
    for child in value.named_children:
        if child.type == "shorthand_property_identifier":
            found[module.text_of(child)] = module.text_of(child)
        elif child.type == "pair":
            key = child.child_by_field_name("key")
            found[module.text_of(key).strip("'\"")] = child.child_by_field_name("value")
    return found

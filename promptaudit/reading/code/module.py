"""One parsed Python module: its tree, its module-level names, its imports, and where its nodes are.

Modules are parsed once per run (:func:`load`), whether they were named on the command line or reached
through an explicit import of a scanned module. Nothing is imported or executed.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from functools import cached_property

from promptaudit.errors import InputError

MAX_ANCESTORS = 6


@dataclass(frozen=True)
class Imported:
    """A name bound by an import: a module (``attr`` None) or a name inside one."""

    module: str
    level: int
    attr: str | None = None


@dataclass
class Module:
    """A parsed module and the facts the scanner asks about it."""

    path: str
    source: str
    tree: ast.Module
    lines: list[str] = field(default_factory=list)
    texts: dict = field(default_factory=dict, repr=False, compare=False)
    """The text of each string literal already read (by node id): a huge f-string is parsed once per run."""

    def __post_init__(self):
        self.lines = self.source.splitlines(keepends=True) or [""]

    def start(self, node: ast.AST) -> tuple[int, int]:
        """1-based line and column (in characters, not bytes) where ``node`` starts."""
        return node.lineno, self._chars(node.lineno, node.col_offset) + 1

    def _chars(self, lineno: int, byte_offset: int) -> int:
        line = self.lines[lineno - 1] if lineno <= len(self.lines) else ""
        if line.isascii():
            return byte_offset
        return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace"))

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node`` (``ast.get_source_segment`` without re-splitting the file each time)."""
        first, last = node.lineno - 1, node.end_lineno - 1
        if first == last:
            return _bytes_slice(self.lines[first], node.col_offset, node.end_col_offset)
        head = _bytes_slice(self.lines[first], node.col_offset, None)
        tail = _bytes_slice(self.lines[last], 0, node.end_col_offset)
        return head + "".join(self.lines[first + 1 : last]) + tail

    @cached_property
    def _index(self) -> tuple[dict[ast.AST, ast.AST], list[ast.Call], list[ast.stmt]]:
        """One walk of the tree: each node's parent, every call, every import (``ast.walk`` three times was
        most of a scan's time)."""
        parents: dict[ast.AST, ast.AST] = {}
        calls: list[ast.Call] = []
        imports: list[ast.stmt] = []
        stack: list[ast.AST] = [self.tree]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Call):
                calls.append(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(node)
            for name in node._fields:
                value = getattr(node, name, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, ast.AST) and not isinstance(item, ast.expr_context):
                            parents[item] = node
                            stack.append(item)
                elif isinstance(value, ast.AST) and not isinstance(value, ast.expr_context):
                    parents[value] = node
                    stack.append(value)
        calls.sort(key=lambda n: (n.lineno, n.col_offset))
        return parents, calls, imports

    @property
    def parents(self) -> dict[ast.AST, ast.AST]:
        """Each node's parent (for loops, enclosing functions and classes)."""
        return self._index[0]

    @property
    def calls(self) -> list[ast.Call]:
        """Every call of the module, in source order."""
        return self._index[1]

    @cached_property
    def constants(self) -> dict[str, ast.expr]:
        """Module-level names and the value last assigned to them."""
        return _assignments(self.tree.body)

    @cached_property
    def classes(self) -> dict[str, dict[str, ast.expr]]:
        """Class name -> its class-level assignments."""
        return {n.name: _assignments(n.body) for n in self.tree.body if isinstance(n, ast.ClassDef)}

    @cached_property
    def functions(self) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
        """Module-level functions by name."""
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
        return {n.name: n for n in self.tree.body if isinstance(n, kinds)}

    @cached_property
    def imports(self) -> dict[str, Imported]:
        """Names bound by import statements anywhere in the module (functions import lazily too)."""
        found: dict[str, Imported] = {}
        for node in self._index[2]:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".", 1)[0]
                    found[bound] = Imported(alias.name if alias.asname else bound, 0)
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    found[alias.asname or alias.name] = Imported(node.module or "", node.level, alias.name)
        return found

    @cached_property
    def uses_langchain(self) -> bool:
        """True when the module imports a ``langchain*`` package."""
        return any(p.startswith("langchain") for p in self.imported_packages)

    @cached_property
    def imported_packages(self) -> set[str]:
        """Top-level packages this module imports (``openai``, ``anthropic``, ``google``, ...)."""
        return {i.module.split(".", 1)[0] for i in self.imports.values() if i.level == 0 and i.module}


def _bytes_slice(line: str, start: int, end: int | None) -> str:
    if line.isascii():
        return line[start:end]
    return line.encode("utf-8")[start:end].decode("utf-8", errors="replace")


def _assignments(body: list[ast.stmt]) -> dict[str, ast.expr]:
    found = {}
    for node in body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


def parse(path: str, source: str) -> Module:
    """Parse ``source``; a syntax error is an InputError naming the line (the file is skipped)."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise InputError(path, f"not valid Python ({where}{exc.msg}); skipped") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise InputError(path, f"cannot be parsed as Python ({type(exc).__name__}); skipped") from None
    return Module(path, source, tree)


_CACHE: dict[tuple, Module | None] = {}


def _key(path: str) -> tuple:
    """The file's identity and the spelling of its path (reports name a module the way it was reached)."""
    try:
        stat = os.stat(path)
    except OSError:
        return path, os.path.abspath(path)
    return path, os.path.abspath(path), stat.st_mtime_ns, stat.st_size


def load(path: str) -> Module | None:
    """The module at ``path`` for import resolution (parsed once per run), or None if it cannot be read."""
    key = _key(path)
    if key not in _CACHE:
        _CACHE[key] = _read(path)
    return _CACHE[key]


def remember(module: Module) -> None:
    """Keep a module parsed for the command line so imports of it are not parsed again."""
    _CACHE[_key(module.path)] = module


def _read(path: str) -> Module | None:
    """A module reached by an import, read like an input: a regular file under the same size cap."""
    from promptaudit.reading.code.decoding import decode_source
    from promptaudit.reading.sources import read_regular

    try:
        return parse(path, decode_source(path, read_regular(path)))
    except (OSError, InputError):
        return None


def find(importer: str, imported: Imported, name: str | None = None) -> str | None:
    """The file of the module ``imported`` (``name`` inside it, if that is a module), near ``importer``."""
    dotted = [p for p in imported.module.split(".") if p] + ([name] if name else [])
    for base in _bases(importer, imported.level):
        candidate = os.path.join(base, *dotted)
        for path in (candidate + ".py", os.path.join(candidate, "__init__.py")):
            if dotted and os.path.isfile(path) and "site-packages" not in path:
                return _shown(path)
    return None


def _shown(path: str) -> str:
    """``path`` as reports show it: relative to the working directory when it is below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _bases(importer: str, level: int) -> list[str]:
    here = os.path.dirname(os.path.abspath(importer))
    if level:
        for _ in range(level - 1):
            here = os.path.dirname(here)
        return [here]
    bases = [here]
    for _ in range(MAX_ANCESTORS):
        parent = os.path.dirname(bases[-1])
        if parent == bases[-1]:
            break
        bases.append(parent)
    return bases + [os.getcwd(), os.path.join(os.getcwd(), "src")]

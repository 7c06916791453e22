"""The package's shape: layers import only downwards, there are no import cycles, commands never import each other.

Every ``import`` statement counts, including those inside functions (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import promptaudit

PACKAGE = Path(promptaudit.__file__).parent

# Lowest first. A module may import its own layer and any layer listed before it, never one after it.
LAYERS = [
    ("promptaudit", "promptaudit.errors", "promptaudit.exitcodes"),
    ("promptaudit.reading",),  # reading.files: the one reader and writer, which the cache (tokens.cache) uses too
    ("promptaudit.config",),
    ("promptaudit.tokens",),
    ("promptaudit.money",),
    ("promptaudit.gate",),
    ("promptaudit.lint",),
    # usage, lowest first: records, one reader per source, the three engines, the scan, then the results
    ("promptaudit.usage.records",),
    ("promptaudit.usage.sources",),
    ("promptaudit.usage.stream",),
    ("promptaudit.usage.duck",),
    ("promptaudit.usage.clickhouse",),
    ("promptaudit.usage",),  # __init__, inputs, engine, scan, options
    ("promptaudit.usage.results",),
    ("promptaudit.report",),
    ("promptaudit.mcpserver",),
    ("promptaudit.commands",),
    ("promptaudit.replay",),  # a whole-CLI mechanism: the console entry point consults it before Typer loads
    ("promptaudit.cli", "promptaudit.console", "promptaudit.__main__", "promptaudit.crash"),
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str) -> set[str]:
    """The promptaudit modules ``name`` imports (a ``from pkg import mod`` counts as importing ``pkg.mod``)."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("promptaudit"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("promptaudit")}
    return found - {name}


def _layer(name: str) -> int:
    best, rank = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            matches = name == prefix or (prefix != "promptaudit" and name.startswith(prefix + "."))
            if matches and len(prefix) > best:
                best, rank = len(prefix), index
    if rank < 0 and name == "promptaudit":
        return 0
    return rank


GRAPH = {name: _imports(name) for name in MODULES}


MAX_ROOMS = 16  # issue 26: the top-level picture of the package stays small enough to hold in one's head


def test_the_package_has_at_most_sixteen_rooms():
    """A room is a subpackage or a module at the top of the package (``__init__`` and ``__main__`` are its doors)."""
    rooms = sorted(p.stem for p in PACKAGE.iterdir() if (p.suffix == ".py" or (p / "__init__.py").exists()))
    rooms = [r for r in rooms if r not in ("__init__", "__main__")]
    assert len(rooms) <= MAX_ROOMS, rooms


def test_every_module_has_a_layer():
    assert [name for name in MODULES if _layer(name) < 0] == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_downwards(name):
    upward = sorted(dep for dep in GRAPH[name] if _layer(dep) > _layer(name))
    assert upward == [], f"{name} (layer {_layer(name)}) imports higher layers"


def test_commands_never_import_each_other():
    """Private modules (``_common``, ``_projection``) are helpers that commands share, not commands."""
    commands = {n for n in MODULES if n.startswith("promptaudit.commands.") and not n.rsplit(".", 1)[1].startswith("_")}
    assert {(n, d) for n in commands for d in GRAPH[n] if d in commands} == set()


def test_no_import_cycles():
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(GRAPH.get(node, ())):
            if dep not in GRAPH:
                continue
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep) :] + [dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_only_report_and_cli_import_rich():
    importers = set()
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            if any(m == "rich" or m.startswith("rich.") for m in modules):
                importers.add(name)
    assert {n for n in importers if not n.startswith(("promptaudit.report", "promptaudit.cli"))} == set()


# Calls that open, create or replace a file. Every file promptaudit reads or writes goes through
# promptaudit.reading.files (one reader with a size cap and a regular-file check, one atomic writer).
FILE_CALLS = {"open", "io.open", "os.open", "os.replace", "os.rename", "tempfile.mkstemp", "tempfile.NamedTemporaryFile",
              "Path.write_text", "Path.write_bytes"}  # fmt: skip
OPENS_FILES = {
    "promptaudit.reading.files": "the one reader and writer",
    "promptaudit.gate.baseline": "os.open of the baseline's folder, to lock it",
}
NOT_YET_SWITCHED = (  # areas other work in progress owned; issue 26 phase 2 switches them and empties this list
    "promptaudit.usage",  # usage-log readers
    "promptaudit.tokens",  # vocabulary tables
    "promptaudit.replay",  # replay answers, snapshots
    "promptaudit.money.price_seed",  # genai-prices' files digested (the speed branch)
    "promptaudit.mcpserver",  # the MCP server's empty scratch config (the mcp branch)
)


def _not_yet(name: str) -> bool:
    return any(name == area or name.startswith(area + ".") for area in NOT_YET_SWITCHED)


def _call_name(func: ast.expr) -> str:
    """``open``, ``os.replace``, or ``Path.write_text`` for a method called on anything but a module."""
    if isinstance(func, ast.Name):
        return func.id
    if not isinstance(func, ast.Attribute):
        return ""
    owner = func.value.id if isinstance(func.value, ast.Name) else ""
    if owner in ("os", "io", "tempfile"):
        return f"{owner}.{func.attr}"
    return "" if owner == "cache" else f"Path.{func.attr}"  # cache.write_bytes uses reading.files itself


def _file_calls(name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _call_name(node.func) in FILE_CALLS:
            if node.args and ast.unparse(node.args[0]) == "os.devnull":
                continue  # pointing a stream at the null device
            found.append(f"{_call_name(node.func)}() on line {node.lineno}")
    return found


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n not in OPENS_FILES and not _not_yet(n)))
def test_files_are_read_and_written_only_through_reading_files(name):
    assert _file_calls(name) == [], f"{name}: use promptaudit.reading.files (read_regular, write_atomic)"


ONE_PLACE = ("DEFAULT_MODEL",)  # facts that are defined once and imported wherever they are used (issue 26 item 1)


@pytest.mark.parametrize("fact", ONE_PLACE)
def test_a_fact_is_defined_in_one_module(fact):
    defined = sorted(
        name
        for name, path in MODULES.items()
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        and fact
        in [t.id for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)]
    )
    assert len(defined) == 1, defined

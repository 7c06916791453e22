"""Which file an import names, and that file parsed once per run.

Relative specifiers (``./prompts``, ``../lib/ai/prompts.js``) are tried as written, with each JS/TS extension,
with a ``.js`` spelling mapped to its ``.ts`` source (TypeScript's ESM convention), and as a folder's
``index`` file. Bare specifiers follow the ``paths`` of the nearest ``tsconfig.json``/``jsconfig.json``
(``"@/*": ["./*"]``); anything else is a package, and packages (``node_modules``) are never read.
"""

from __future__ import annotations

import json
import os
import re

from promptaudit.reading.code.js.module import JsModule

EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
SOURCE_FOR = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}
CONFIGS = ("tsconfig.json", "jsconfig.json")
MAX_PARENTS = 8
TSCONFIG_BYTES = 1_000_000
"""A tsconfig.json larger than this is not read (its ``paths`` are then not used)."""
_COMMENTS = re.compile(r'("(?:[^"\\]|\\.)*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMAS = re.compile(r",(\s*[}\]])")
_MODULES: dict = {}
_CONFIG_PATHS: dict = {}


def find(importer: str, specifier: str) -> str | None:
    """The file ``specifier`` names when imported from ``importer``, or None (a package, or not found)."""
    if specifier.startswith("."):
        return _first_file(os.path.join(os.path.dirname(importer), specifier))
    for candidate in _aliased(importer, specifier):
        found = _first_file(candidate)
        if found is not None:
            return found
    return None


def _first_file(base: str) -> str | None:
    root, extension = os.path.splitext(base)
    candidates = [base] if extension in EXTENSIONS else []
    candidates += [root + s for s in SOURCE_FOR.get(extension, ())]
    candidates += [base + e for e in EXTENSIONS] + [os.path.join(base, "index" + e) for e in EXTENSIONS]
    for candidate in candidates:
        if os.path.isfile(candidate) and "node_modules" not in candidate.split(os.sep):
            return _shown(candidate)
    return None


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _aliased(importer: str, specifier: str) -> list[str]:
    """Candidate paths for a bare specifier from the nearest config's ``paths`` (``@/x`` -> ``./x``)."""
    config_dir, paths = _config_paths(os.path.dirname(os.path.abspath(importer)))
    found = []
    for pattern, targets in paths:
        prefix, star, suffix = pattern.partition("*")
        if star and specifier.startswith(prefix) and specifier.endswith(suffix):
            middle = specifier[len(prefix) : len(specifier) - len(suffix)]
            found += [os.path.join(config_dir, t.replace("*", middle, 1)) for t in targets]
        elif not star and specifier == pattern:
            found += [os.path.join(config_dir, t) for t in targets]
    return found


def _config_paths(folder: str) -> tuple[str, list]:
    if folder not in _CONFIG_PATHS:
        _CONFIG_PATHS[folder] = _read_config_paths(folder)
    return _CONFIG_PATHS[folder]


def _read_config_paths(folder: str) -> tuple[str, list]:
    here = folder
    for _ in range(MAX_PARENTS):
        for name in CONFIGS:
            path = os.path.join(here, name)
            if os.path.isfile(path):
                return _paths_of(path)
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return folder, []


def _paths_of(config: str) -> tuple[str, list]:
    """``(base folder, [(pattern, [targets])])`` of a tsconfig's ``compilerOptions.paths``."""
    from promptaudit.errors import InputError
    from promptaudit.reading.files import read_regular

    folder = os.path.dirname(config)
    try:  # the one reader: a FIFO or a device named tsconfig.json is refused, not waited on
        text = read_regular(config, TSCONFIG_BYTES).decode("utf-8")
        options = json.loads(_TRAILING_COMMAS.sub(r"\1", _COMMENTS.sub(lambda m: m.group(1) or "", text)))
        options = options.get("compilerOptions") or {}
    except (InputError, ValueError, AttributeError, RecursionError):
        return folder, []
    base = os.path.join(folder, options.get("baseUrl") or ".") if isinstance(options, dict) else folder
    paths = options.get("paths") if isinstance(options, dict) else None
    if not isinstance(paths, dict):
        return base, []
    return base, [(k, [t for t in v if isinstance(t, str)]) for k, v in paths.items() if isinstance(v, list)]


def _key(path: str) -> tuple:
    try:
        status = os.stat(path)
    except OSError:
        return path, os.path.abspath(path)
    return path, os.path.abspath(path), status.st_mtime_ns, status.st_size


def load(path: str) -> JsModule | None:
    """The module at ``path`` (parsed once per run), or None when it cannot be read or parsed."""
    key = _key(path)
    if key not in _MODULES:
        _MODULES[key] = _read(path)
    return _MODULES[key]


def remember(module: JsModule) -> None:
    """Keep a module parsed for the command line, so an import of it is not parsed again."""
    _MODULES[_key(module.path)] = module


def _read(path: str) -> JsModule | None:
    from promptaudit.errors import InputError
    from promptaudit.reading.code.js.parsing import parse
    from promptaudit.reading.files import read_regular

    try:
        return parse(path, read_regular(path))
    except (OSError, InputError):
        return None

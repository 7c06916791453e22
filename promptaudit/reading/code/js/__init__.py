"""Prompts in JavaScript and TypeScript code: SDK calls, LangChain templates and prompt constants.

The same records as the Python scan (:mod:`promptaudit.reading.code.found`), built into prompts by the same
:mod:`promptaudit.reading.code.build`, so every command reads ``.ts`` calls as it reads ``.py`` calls. The
parser is tree-sitter, an optional extra (``pip install 'promptaudit[js]'``); without it a JS/TS input is
an InputError naming the extra (said once per run). No Node.js is needed, and the code is never run.
"""

from __future__ import annotations

from promptaudit.errors import InputError, SkippedInput

JS_SOURCES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
INSTALL = "pip install 'promptaudit[js]'"
NEEDS_EXTRA = f"JS/TS files need the js extra ({INSTALL})"
JS_KEYWORDS = ("generatetext", "streamtext", "generateobject", "streamobject", "ai-sdk", "generatecontent")
"""Besides the Python scan's keywords, names that mean a JS/TS file may call an LLM (any case)."""


class JsUnavailable(InputError):
    """A JS/TS file met without the ``[js]`` extra installed (tree-sitter and its grammars)."""


def available() -> bool:
    """True when tree-sitter and the JavaScript and TypeScript grammars can be imported."""
    try:
        import tree_sitter  # noqa: F401
        import tree_sitter_javascript  # noqa: F401
        import tree_sitter_typescript  # noqa: F401
    except ImportError:
        return False
    return True


DECLARATIONS = (".d.ts", ".d.mts", ".d.cts")


def is_js(path: str) -> bool:
    """True for the extensions the JS/TS scan reads."""
    return path.lower().endswith(JS_SOURCES)


def parse_js(path: str, data: bytes) -> list:
    """The prompts of one JS/TS file's bytes (none when the pre-filter finds nothing to look at).

    Raises JsUnavailable without the extra, SkippedInput for a minified bundle, InputError for bytes that
    are not UTF-8. A file with syntax errors is scanned where it parses, and says so in one note.
    """
    from promptaudit.reading.code import SETTINGS
    from promptaudit.reading.code.decoding import mentions_keywords

    if not available():
        raise JsUnavailable(path, f"{NEEDS_EXTRA}; skipped")
    settings = SETTINGS[0]
    if path.lower().endswith(DECLARATIONS):
        return []  # type declarations hold no values
    if not mentions_keywords(data, settings.prompt_names + JS_KEYWORDS):
        return []
    from promptaudit.reading.code import build
    from promptaudit.reading.code.js import parsing, resolve, scan

    module = parsing.parse(path, data)
    resolve.remember(module)
    prompts = build.prompts(scan.scan(module, settings))
    if module.notes and not prompts:
        raise SkippedInput(path, f"{module.notes[0]}; no prompt found")
    if module.notes:
        prompts[0].notes.append(module.notes[0])
    return prompts


__all__ = ["JS_SOURCES", "NEEDS_EXTRA", "JsUnavailable", "available", "is_js", "parse_js"]

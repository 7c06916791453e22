"""From paths to prompts: discover files, read each one with the reader its format needs, bind variables.

This is the reading layer's one entry point for commands. It knows nothing of tokenizers or their caches.
"""

from __future__ import annotations

from collections.abc import Callable

from promptaudit.errors import InputError
from promptaudit.reading import templates
from promptaudit.reading.formats.variables import render
from promptaudit.reading.prompts import STRUCTURED_EXTENSIONS, Prompt, parse_text
from promptaudit.reading.sources import DEFAULT_EXTENSIONS, Source, decode, discover, read_bytes

PYTHON_SOURCES = (".py", ".pyi")

Declared = Callable[[str], "templates.Placeholders | None"]
"""What the config declares for a path's placeholder syntax (None when it declares nothing)."""


def is_structured(path: str) -> bool:
    """True for YAML and JSON files, judged by extension (standard input is read as plain text)."""
    return path.lower().endswith(STRUCTURED_EXTENSIONS)


def load_prompts(source: Source, declared: templates.Placeholders | None = None) -> list[Prompt]:
    """Read one source and parse it into prompts; raises InputError for unreadable input or invalid values.

    ``declared`` is the placeholder syntax the config gives this file; without it a template extension
    (``.j2``, ``.mustache``, ...) decides, else a structured document's ``template_format``, else the
    default (Jinja/Mustache ``{{ }}`` outside Markdown code). Python and JS/TS sources are scanned for the
    prompts in their code (:mod:`promptaudit.reading.code`, :mod:`promptaudit.reading.code.js`), which
    declare their own syntax.
    """
    return parse_prompts(source.path, read_bytes(source), declared)


def parse_prompts(path: str, data: bytes, declared: templates.Placeholders | None = None) -> list[Prompt]:
    """The prompts of one file's bytes, read as :func:`load_prompts` reads the file (``fix`` parses the bytes
    it read once, and its edited bytes again to verify them)."""
    if path.lower().endswith(PYTHON_SOURCES):
        from promptaudit.reading.code import parse_python

        return parse_python(path, data)
    from promptaudit.reading.code.js import is_js

    if is_js(path):
        from promptaudit.reading.code.js import parse_js

        return parse_js(path, data)
    text = decode(path, data)
    chosen = declared or templates.for_extension(path)
    if not is_structured(path):
        return parse_text(path, text, chosen or templates.DEFAULT)
    from promptaudit.reading.formats import parse_structured

    return parse_structured(path, text, chosen)


def gather_prompts(
    paths: list[str],
    extensions: tuple[str, ...],
    declared: Declared | None = None,
) -> tuple[list[Prompt], list[InputError]]:
    """Read every path into prompts; unreadable inputs are returned as errors, the rest still read."""
    prompts, failures = [], []
    for item in discover(paths, extensions):
        try:
            if isinstance(item, InputError):
                raise item
            loaded = load_prompts(item, declared(item.path) if declared else None)
        except InputError as exc:
            failures.append(exc)
            continue
        prompts.extend(loaded)
    failures = _missing_extra_once(failures)
    if any(prompt.origin is not None for prompt in prompts):
        from promptaudit.reading.code import settle

        prompts = settle(prompts)
    return prompts, failures


def _missing_extra_once(failures: list[InputError]) -> list[InputError]:
    """The JS/TS files met without the ``[js]`` extra, said in one line (how to install it, how many skipped)."""
    from promptaudit.reading.code.js import NEEDS_EXTRA, JsUnavailable

    missing = [f for f in failures if isinstance(f, JsUnavailable)]
    if len(missing) < 2:
        return failures
    first = missing[0]
    said = JsUnavailable(first.path, f"{NEEDS_EXTRA}; {len(missing)} JS/TS files skipped")
    return [said if f is first else f for f in failures if f is first or not isinstance(f, JsUnavailable)]


def extensions_from(config, cli_ext: list[str] | None) -> tuple[str, ...]:
    """File extensions to pick from directories: ``--ext``, else config, else the defaults."""
    chosen = cli_ext or config.get("extensions") or DEFAULT_EXTENSIONS
    return tuple(e if e.startswith(".") else f".{e}" for e in chosen)


def default_note(names: list[str]) -> str:
    """The note for template variables with no value: the rendered estimate counts a default for each."""
    from promptaudit.reading.formats.variables import DEFAULT_VARIABLE_TOKENS

    return (
        f"no value for {', '.join(names)}: the rendered estimate counts ~{DEFAULT_VARIABLE_TOKENS} tokens each "
        "(the count as written is exact; set --var name=value or vars: in config)"
    )


def fallback_warnings(prompts: list[Prompt]) -> list[str]:
    """One line per .json/.yaml file that did not parse as a prompt document and was counted as text."""
    return [f"{p.path}: {p.unparsed}; counted as plain text" for p in prompts if p.unparsed]


def reading_notes(prompts: list[Prompt]) -> list[str]:
    """What every command should say after reading prompts: parse notes, and one line per file whose
    template variables have no value (:func:`variable_summary`)."""
    notes = [f"{prompt.display}: {note}" for prompt in prompts for note in prompt.notes]
    return notes + variable_summary(prompts)


def variable_summary(prompts: list[Prompt]) -> list[str]:
    """One line per file about its template variables with no value (``count --detail`` lists them)."""
    from promptaudit.reading.formats.variables import DEFAULT_VARIABLE_TOKENS

    by_file: dict[str, tuple[set[str], int]] = {}
    for prompt in prompts:
        defaulted = {name for part in prompt.parts for name in render(part, prompt.values).defaulted}
        if defaulted:
            names, count = by_file.get(prompt.path, (set(), 0))
            by_file[prompt.path] = (names | defaulted, count + 1)
    return [
        f"{path}: no value for {_listed(sorted(names))} in {count} prompt(s): the rendered estimate counts "
        f"~{DEFAULT_VARIABLE_TOKENS} tokens each (the count as written is exact; count --detail lists them; set "
        "--var name=value or vars: in config)"
        for path, (names, count) in by_file.items()
    ]


def _listed(names: list[str], most: int = 4) -> str:
    """Up to ``most`` names in full (long expressions cut), else the first three and how many more."""
    shown = names if len(names) <= most else names[:3]
    listed = ", ".join(name if len(name) <= 40 else name[:39] + "…" for name in shown)
    return listed + (f" and {len(names) - len(shown)} more" if len(names) > len(shown) else "")

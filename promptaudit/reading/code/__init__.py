"""Prompts where they live in Python code: SDK calls, LangChain templates and prompt constants.

A static scan with the standard library's ``ast``: the user's code is never imported or executed. Files
whose bytes name no LLM SDK and no prompt keyword are skipped before decoding (:func:`may_hold_prompts`).
"""

from __future__ import annotations

from promptaudit.reading.code.decoding import decode_source, may_hold_prompts
from promptaudit.reading.code.found import ScanSettings

SETTINGS = [ScanSettings()]
"""The active ``python:`` settings (one per run; :func:`configure` replaces them)."""


def parse_python(path: str, data: bytes) -> list:
    """The prompts of one Python file's bytes (none when the pre-filter finds nothing to look at).

    Raises InputError for a file that is not valid UTF-8 (or its declared encoding) or not valid Python.
    """
    settings = SETTINGS[0]
    if not may_hold_prompts(data, settings.prompt_names, path):
        return []
    from promptaudit.reading.code import build, module, scan

    parsed = module.parse(path, decode_source(path, data))
    module.remember(parsed)
    return build.prompts(scan.scan(parsed, settings))


def configure(section: dict | None, where: str = "config") -> None:
    """Apply the config's ``python:`` section (``prompt_names``, ``min_words``); ConfigError names bad keys."""
    section = section or {}
    for key in section:
        if key not in ("prompt_names", "min_words"):
            _fail(where, f"unknown key 'python.{key}' (known: prompt_names, min_words)")
    names = section.get("prompt_names", list(ScanSettings.prompt_names))
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        _fail(where, "python.prompt_names must be a list of name suffixes such as PROMPT or _SYSTEM")
    words = section.get("min_words", ScanSettings.min_words)
    if not isinstance(words, int) or isinstance(words, bool) or words < 0:
        _fail(where, "python.min_words must be a whole number >= 0")
    SETTINGS[0] = ScanSettings(tuple(names), words)


def _fail(where: str, reason: str):
    from promptaudit.errors import ConfigError

    raise ConfigError(f"{where}: {reason}")


def settle(prompts: list) -> list:
    """Each text once: drop prompt constants that a call or template read in the same run already sends
    (counted with it); a constant reached from several modules (``X = prompts.X``) is one row, named where
    its text is written."""
    import os

    from promptaudit.reading.code.build import key, keys
    from promptaudit.reading.code.found import Constant

    sent = {k for prompt in prompts if not isinstance(prompt.origin, Constant)
            for p in prompt.parts if p.source is not None for k in keys(p.source)}  # fmt: skip
    chosen: dict[tuple, object] = {}
    for prompt in prompts:
        if isinstance(prompt.origin, Constant):
            where = key(prompt.parts[0].source)
            home = os.path.abspath(prompt.path) == where[0]
            if where not in sent and (where not in chosen or home):
                chosen[where] = prompt
    kept = set(map(id, chosen.values()))
    return [p for p in prompts if not isinstance(p.origin, Constant) or id(p) in kept]


__all__ = ["configure", "may_hold_prompts", "parse_python", "settle"]

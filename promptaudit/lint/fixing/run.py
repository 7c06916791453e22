"""The files a ``fix`` run edits: found as every command finds them, each read once, with the folder it was
found through (a file named on its own: its folder), which it must not leave when written."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from promptaudit.errors import InputError, UsageError
from promptaudit.lint.fixing.writing import MAX_FIX_BYTES
from promptaudit.reading.files import read_regular
from promptaudit.reading.sources import STDIN, discover


@dataclass(frozen=True)
class Target:
    """One file to fix: its path as found, the tree it was found in, and its bytes as read (once)."""

    path: str
    root: str
    data: bytes


def targets(paths: list[str], extensions: tuple[str, ...]) -> tuple[list[Target], list[InputError]]:
    """Every file under ``paths`` with its tree and bytes; unreadable ones (or over :data:`MAX_FIX_BYTES`) as errors."""
    if STDIN in paths:
        raise UsageError("fix edits files; standard input (-) cannot be fixed: name the file")
    found, errors, seen = [], [], set()
    for raw in paths:
        root = raw if os.path.isdir(raw) else os.path.dirname(raw) or "."
        for item in discover([raw], extensions):
            if isinstance(item, InputError):
                errors.append(item)
                continue
            if os.path.abspath(item.path) in seen:
                continue
            seen.add(os.path.abspath(item.path))
            try:
                found.append(Target(item.path, root, read_regular(item.path, MAX_FIX_BYTES)))
            except InputError as exc:
                errors.append(exc)
    return found, errors


def reader(path: str, declared, bind: Callable[[list], None]) -> Callable[[bytes], list]:
    """A function that parses bytes of ``path`` into prompts as every command reads that file (code constants
    settled, template variables bound by ``bind``)."""
    from promptaudit.reading.loading import parse_prompts

    def read(data: bytes) -> list:
        prompts = parse_prompts(path, data, declared)
        if any(prompt.origin is not None for prompt in prompts):
            from promptaudit.reading.code import settle

            prompts = settle(prompts)
        bind(prompts)
        return prompts

    return read


def fixing_rules(selectors: list[str]) -> frozenset[str]:
    """The rules ``--rule`` names (IDs, prefixes or names), all fixable ones when none; UsageError for a rule
    that cannot be fixed (naming the ones that can)."""
    from promptaudit.lint.linter import resolve_selector
    from promptaudit.lint.rules import RULES

    fixable = [rule for rule, module in RULES.items() if getattr(module, "FIXABLE", False)]
    if not selectors:
        return frozenset(fixable)
    chosen: set[str] = set()
    for selector in selectors:
        named = set(resolve_selector(selector, "--rule"))
        if not named & set(fixable):
            raise UsageError(
                f"--rule {selector}: {', '.join(sorted(named))} cannot be fixed automatically "
                f"(fixable: {', '.join(fixable)}; docs/commands/fix.md says why)"
            )
        chosen |= named & set(fixable)
    return frozenset(chosen)

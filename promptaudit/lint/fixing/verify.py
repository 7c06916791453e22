"""Proof that an edited file says what the edits meant, and nothing else changed: it is parsed again.

:func:`expected` applies the file's edits to every part of every prompt through the parts' character positions;
:func:`problem` parses the edited text as promptaudit reads it and compares: the same prompts (names, parts)
with exactly the expected texts and the same template tags; for JSON and YAML, a document equal to the old one
but for the edited strings (comments, key order and layout elsewhere are untouched because only the strings'
own characters were replaced); for Python, a module whose syntax tree equals the old one but for the values of
string literals.
"""

from __future__ import annotations

import ast
import bisect

from promptaudit.errors import PromptauditError
from promptaudit.lint.fixing.novelty import identity
from promptaudit.lint.fixing.places import FileEdit
from promptaudit.reading.templates import STATIC


def expected(part, positions: list[int] | None, edits: list[FileEdit]) -> str | None:
    """The text ``part`` should read after ``edits``; None when an edit covers it in a way that cannot be told."""
    if positions is None:
        return part.text
    located = sorted((p, i) for i, p in enumerate(positions[:-1]) if p >= 0)
    changes = []
    for edit in edits:
        low = bisect.bisect_left(located, (edit.start, -1))
        high = bisect.bisect_left(located, (edit.end, -1))
        indexes = [i for _, i in located[low:high]]
        if not indexes:
            continue
        if indexes != list(range(indexes[0], indexes[0] + len(indexes))):
            return None
        changes.append((indexes[0], indexes[-1] + 1, edit.text))
    text = part.text
    for start, end, replacement in sorted(changes, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def tags(part) -> list[str]:
    """The template tags and variables of a part, in order: an edit must leave them as they were."""
    return [segment.text for segment in part.segments() if segment.kind != STATIC]


def problem(path: str, old_text: str, new_text: str, old_prompts: list, wanted: list[list[str]], parse) -> str | None:
    """Why the edited text is not what the edits meant, or None. ``parse(text)`` reads a text as the file."""
    try:
        new_prompts = parse(new_text)
    except PromptauditError as exc:
        return f"the edited file does not read: {exc}"
    if [identity(p.display) for p in new_prompts] != [identity(p.display) for p in old_prompts]:
        return "the edited file holds other prompts"
    for old, new, texts in zip(old_prompts, new_prompts, wanted):
        if [part.text for part in new.parts] != texts:
            return f"{new.display}: a part reads differently than the edits meant"
        if [tags(part) for part in new.parts] != [tags(part) for part in old.parts]:
            return f"{new.display}: a template tag changed"
    return _structure(path, old_text, new_text, old_prompts, wanted)


def _structure(path: str, old_text: str, new_text: str, old_prompts: list, wanted: list[list[str]]) -> str | None:
    from promptaudit.reading.loading import PYTHON_SOURCES, is_structured

    if path.lower().endswith(PYTHON_SOURCES):
        shape = _shape(new_text)
        return (
            None if shape is not None and shape == _shape(old_text) else "the Python module changed beyond its strings"
        )
    if not is_structured(path) or any(p.unparsed for p in old_prompts):
        return None
    changes: dict[str, set[str]] = {}
    for prompt, texts in zip(old_prompts, wanted):
        for part, text in zip(prompt.parts, texts):
            if part.text != text:
                changes.setdefault(part.text, set()).add(text)
    return _document(path, old_text, new_text, changes)


def _document(path: str, old_text: str, new_text: str, changes: dict[str, set[str]]) -> str | None:
    from promptaudit.reading.formats.documents import DocumentError, load_document

    is_json = path.lower().endswith(".json")
    try:
        old, new = load_document(old_text, is_json).data, load_document(new_text, is_json).data
    except DocumentError as exc:
        return f"the edited document does not parse: {exc}"
    return None if _same_but(old, new, changes) else "the edited document differs beyond the edited strings"


def _same_but(old, new, changes: dict[str, set[str]]) -> bool:
    """Whether ``new`` is ``old`` with some strings replaced as ``changes`` says (same keys, order and types)."""
    if isinstance(old, str) and isinstance(new, str):
        return old == new or new in changes.get(old, ())
    if isinstance(old, dict) and isinstance(new, dict):
        return list(old) == list(new) and all(_same_but(old[k], new[k], changes) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same_but(a, b, changes) for a, b in zip(old, new))
    return type(old) is type(new) and old == new


class _Blank(ast.NodeTransformer):
    """Every string literal's value replaced by one marker: what is left is the module's shape."""

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant("") if isinstance(node.value, str) else node


def _shape(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    return ast.dump(_Blank().visit(tree))

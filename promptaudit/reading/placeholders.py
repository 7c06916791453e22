"""The scanners behind :mod:`promptaudit.reading.templates`: one per placeholder syntax, each linear.

Each returns ``(start, end, kind, name, value)`` matches; overlaps are resolved by the caller. No scanner
backtracks over the text: a tag's closing marker is searched for once and remembered, and a tag longer
than :data:`MAX_TAG` characters is not a tag, so 10,000 unclosed ``{{`` cost one search, not 10,000.
"""

from __future__ import annotations

import re
from collections.abc import Callable

STATIC = "static"
VARIABLE = "variable"
LOGIC = "logic"
MARKUP = "markup"
MAX_TAG = 500

Match = tuple[int, int, str, "str | None", "str | None"]  # start, end, kind, name, value

_JINJA_OPEN = re.compile(r"\{[{%#]")
_MUSTACHE_OPEN = re.compile(r"\{\{")
_CLOSERS = {"{": "}}", "%": "%}", "#": "#}"}
_NESTED = ("{{", "{%", "{#", "%}")
_PATH = re.compile(r"([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*|\s*\[[^\]\n]*\])*)\s*(.*)", re.S)
_CONTINUES = re.compile(r"(?:[|(\[+*/%~<>=!-]|(?:and|or|not|in|is|if)\b)")
_ENDRAW = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}")
_BINDERS = re.compile(r"\{%[-+]?\s*(set|for|macro|with)\s+([^%]{0,200}?)[-+]?%\}")
_IDENT = re.compile(r"[A-Za-z_]\w*")
_BUILTIN_NAMES = frozenset("loop self super varargs kwargs caller range namespace true false none".split())
_MUSTACHE_LOGIC = "#^/>=$<"


class _Closes:
    """The next position of each closing marker, searched for at most once per position passed."""

    def __init__(self, text: str):
        self.text, self.found = text, {}

    def after(self, marker: str, start: int) -> int:
        known = self.found.get(marker)
        if known is None or (known != -1 and known < start):
            known = self.text.find(marker, start)
            self.found[marker] = known
        return known


def scan_jinja(text: str) -> list[Match]:
    """Jinja ``{{ }}``, ``{% %}``, ``{# #}`` and raw blocks (Mustache tags in ``{{ }}`` understood)."""
    bound = bound_names(text) if "{%" in text else _BUILTIN_NAMES  # binders are {% %} tags (20,000 prompts)
    return _double_brace(text, _JINJA_OPEN, bound)


def scan_mustache(text: str) -> list[Match]:
    """Mustache/Handlebars ``{{ }}`` tags only."""
    return _double_brace(text, _MUSTACHE_OPEN, _BUILTIN_NAMES)


def _double_brace(text: str, opener: re.Pattern, bound: frozenset[str]) -> list[Match]:
    found: list[Match] = []
    closes, position = _Closes(text), 0
    while (m := opener.search(text, position)) is not None:
        match = _tag_at(text, m.start(), closes, bound)
        if match is None:
            position = m.start() + 1
            continue
        found.append(match)
        position = match[1]
        if match[2] == LOGIC and match[3] == "raw":
            position = _raw_block(text, found, position)
    return found


def _tag_at(text: str, start: int, closes: _Closes, bound: frozenset[str]) -> Match | None:
    """The tag opening at ``start``, or None when it is not closed, too long, or not a placeholder."""
    sort = text[start + 1]
    triple = sort == "{" and text.startswith("{", start + 2)
    close = "}}}" if triple else _CLOSERS[sort]
    end = closes.after(close, start + 2 + triple)
    if not 0 <= end - start <= MAX_TAG:
        return None
    inner = text[start + 2 + triple : end]
    tag = None if any(n in inner for n in _NESTED) else _tag(sort, triple, inner, bound)
    return None if tag is None else (start, end + len(close), tag[0], tag[1], None)


def _raw_block(text: str, found: list[Match], position: int) -> int:
    """Mark ``{% raw %}`` and its ``{% endraw %}`` as markup; everything between is text."""
    start, end, *_ = found.pop()
    found.append((start, end, MARKUP, "raw", None))
    closing = _ENDRAW.search(text, position)
    if closing is None:
        return len(text)
    found.append((closing.start(), closing.end(), MARKUP, "endraw", None))
    return closing.end()


def _tag(sort: str, triple: bool, inner: str, bound: frozenset[str]) -> tuple[str, str | None] | None:
    body = inner.strip().strip("-+~").strip()
    if sort == "#":
        return MARKUP, None
    if sort == "%":
        return (LOGIC, body.split(None, 1)[0]) if body else None
    if triple:
        return _output(body, bound)
    if body[:1] == "!":
        return MARKUP, None
    if body[:1] in _MUSTACHE_LOGIC and body[:1]:
        return LOGIC, body[1:].strip() or body[:1]
    return _output(body[1:].strip() if body[:1] == "&" else body, bound)


def _output(body: str, bound: frozenset[str]) -> tuple[str, str | None] | None:
    """A ``{{ }}`` that is a Jinja expression: a name path, then nothing, a filter, a call or an operator."""
    match = _PATH.fullmatch(body)
    if match is None:
        return (LOGIC, None) if body[:1] in "\"'0123456789([" and body else None
    rest = match.group(2)
    if rest and not _CONTINUES.match(rest):
        return None  # `{{ marginTop: 8 }}` (JSX) or `{{ double braces }}` (prose) is not Jinja
    name = re.sub(r"\s+", "", match.group(1))
    root = _IDENT.match(name).group(0)
    return (LOGIC, name) if root in bound or root.lower() in _BUILTIN_NAMES else (VARIABLE, name)


def bound_names(text: str) -> frozenset[str]:
    """Names the template binds itself (set, for targets, macro arguments, with), plus Jinja's built-ins."""
    names = set(_BUILTIN_NAMES)
    for match in _BINDERS.finditer(text):
        keyword, body = match.groups()
        if keyword == "for":
            body = body.split(" in ", 1)[0]
        elif keyword == "macro":
            body = body.partition("(")[2]
        names.update(_IDENT.findall(re.sub(r"=[^,]*", "", body)))
    return frozenset(names)


_BRACE = re.compile(r"[{}]")


def scan_python_format(text: str) -> list[Match]:
    """``str.format`` fields ``{name...}``; ``{{`` and ``}}`` are escapes rendering as one brace."""
    found: list[Match] = []
    closes, position, auto = _Closes(text), 0, 0
    while (m := _BRACE.search(text, position)) is not None:
        start, brace = m.start(), m.group(0)
        if text.startswith(brace * 2, start):
            found.append((start, start + 2, STATIC, None, brace))
        elif brace == "{" and (field := _field_at(text, start, closes)) is not None:
            name = _field_name(field)
            if not name:  # an empty field is numbered as str.format numbers it
                name, auto = str(auto), auto + 1
            found.append((start, start + len(field) + 2, VARIABLE, name, None))
        position = found[-1][1] if found and found[-1][0] == start else start + 1
    return found


def _field_at(text: str, start: int, closes: _Closes) -> str | None:
    """The text of the field opening at ``start`` (no nested brace, at most MAX_TAG long), else None."""
    end = closes.after("}", start + 1)
    field = text[start + 1 : end] if 0 <= end - start <= MAX_TAG else None
    return None if field is None or "{" in field else field


def _field_name(field: str) -> str:
    """``name.attr!r:>10`` -> ``name.attr``; an f-string's ``value=`` -> ``value``."""
    name = re.split(r"[!:]", field, maxsplit=1)[0].strip()
    return name[:-1].strip() if name.endswith("=") and not name.endswith(("==", "!=", "<=", ">=")) else name


_DOLLAR = re.compile(r"\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([_a-zA-Z][_a-zA-Z0-9]*)\})")


def scan_dollar(text: str) -> list[Match]:
    """``$name`` and ``${name}``; ``$$`` renders as one dollar."""
    found: list[Match] = []
    for m in _DOLLAR.finditer(text):
        if m.group(1):
            found.append((m.start(), m.end(), STATIC, None, "$"))
        else:
            found.append((m.start(), m.end(), VARIABLE, m.group(2) or m.group(3), None))
    return found


_ANGLE = re.compile(r"<([A-Za-z_]\w*)>")
_CLOSING_TAG = re.compile(r"</\s*([A-Za-z_][\w.:-]*)\s*>")
HTML_TAGS = frozenset(
    "a abbr b br body code div em h1 h2 h3 h4 h5 h6 head hr html i img kbd li ol p pre s small span strong sub sup "
    "table tbody td th thead tr u ul".split()
)


def scan_angle(text: str) -> list[Match]:
    """``<name>`` that is neither an HTML tag nor closed by ``</name>`` (a closed tag is structure)."""
    closed = {m.group(1) for m in _CLOSING_TAG.finditer(text)}
    return [
        (m.start(), m.end(), VARIABLE, m.group(1), None)
        for m in _ANGLE.finditer(text)
        if m.group(1) not in closed and m.group(1).lower() not in HTML_TAGS
    ]


SCANNERS: dict[str, Callable[[str], list[Match]]] = {
    "jinja": scan_jinja,
    "mustache": scan_mustache,
    "python-format": scan_python_format,
    "dollar": scan_dollar,
    "angle": scan_angle,
}

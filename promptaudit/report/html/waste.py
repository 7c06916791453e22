"""The "Waste in the text" section: each prompt with audit's findings highlighted where they are.

Findings come from ``audit``'s JSON (line, column, end line, end column); each one that covers a
piece of text becomes a ``<mark>`` in the prompt's parts, with its rule, tokens and saving in a badge
and on hover. The end of the cacheable prefix and the provider's cache minimum are marked in the text
too, from the prefix counts ``project``'s JSON gives for the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from promptaudit.report.common import money
from promptaudit.report.html.common import esc
from promptaudit.report.html.text import Marker, Span, highlight

KINDS = {
    "PA101": ("redundant", "Repeated sentence"),
    "PA102": ("restated", "Restated instruction"),
    "PA103": ("filler", "Filler"),
    "PA104": ("redundant", "Repeated variable"),
    "PA105": ("filler", "Pretty-printed JSON"),
    "PA106": ("filler", "Virtue filler"),
    "PA202": ("dynamic", "Dynamic before static"),
}


@dataclass(frozen=True)
class Cache:
    """One prompt's prefix on the report's first model; offsets are into the parts joined by newlines."""

    prefix_tokens: int
    cacheable_tokens: int
    min_tokens: int | None
    exact: bool
    min_offset: int | None
    cacheable_offset: int | None
    prefix_offset: int


@dataclass(frozen=True)
class PromptText:
    """One prompt as the section shows it: parts as ``(label, text, first line)``, and its audit entry."""

    display: str
    parts: list[tuple[str, str, int]]
    file: dict
    cache: Cache | None
    sources: tuple = ()
    """Per part, what knows the file position of each character (JSON strings, YAML blocks), or None."""


@dataclass(frozen=True)
class Placed:
    """A finding located in one part: ``[start, end)`` offsets, its number on the page, its text's tokens."""

    number: int
    finding: dict
    part: int
    start: int
    end: int
    tokens: int = 0


def locate(parts: list[tuple[str, str, int]], line: int, column: int, sources: tuple = ()) -> tuple[int, int] | None:
    """``(part index, offset)`` of a 1-based file line and column.

    None when no part holds it, or when several parts could (parts that share a line of a one-line JSON
    file): a highlight in the wrong place would be worse than none, so such a finding is listed instead.
    A part with a source (a JSON string, a YAML block) is searched by the file positions it knows.
    """
    found = []
    for index, (_, text, first) in enumerate(parts):
        source = sources[index] if index < len(sources) else None
        if source is not None:
            offset = _offset_in(source, len(text), line, column)
            found += [(index, offset)] if offset is not None else []
            continue
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        row = line - first
        if 0 <= row < len(starts):
            end = starts[row + 1] - 1 if row + 1 < len(starts) else len(text)
            if starts[row] + column - 1 <= end:
                found.append((index, starts[row] + column - 1))
    return found[0] if len(found) == 1 else None


def _offset_in(source, length: int, line: int, column: int) -> int | None:
    """The offset whose file position is ``(line, column)``: positions grow with offsets, so bisect."""
    low, high = 0, length
    while low < high:
        middle = (low + high) // 2
        if source.locate(middle)[1:] < (line, column):
            low = middle + 1
        else:
            high = middle
    return low if source.locate(low)[1:] == (line, column) else None


def place(prompt: PromptText, numbered: list[tuple[int, dict]]) -> tuple[list[Placed], list[dict]]:
    """The findings that cover text in this prompt, located; and those that do not (shown as notes)."""
    placed, unplaced = [], []
    for number, finding in numbered:
        start = end = None
        if finding["rule"] in KINDS and finding.get("end_line") is not None:
            start = locate(prompt.parts, finding["line"], finding["column"], prompt.sources)
            end = locate(prompt.parts, finding["end_line"], finding["end_column"], prompt.sources)
        if start is None or end is None or start[0] != end[0] or end[1] <= start[1]:
            unplaced.append(finding)
        else:
            placed.append(Placed(number, finding, start[0], start[1], end[1]))
    return placed, unplaced


def span_text(prompt: PromptText, placed: Placed) -> str:
    """The text a placed finding covers."""
    return prompt.parts[placed.part][1][placed.start : placed.end]


def _tip(placed: Placed) -> str:
    finding, saved = placed.finding, placed.finding["tokens_saved"]
    if finding["rule"] == "PA202":
        effect = "it changes on every request, so nothing after it is cached"
    elif saved:
        effect = f"removing it saves {saved:,} tokens per request"
    else:
        effect = "removed with the larger finding around it"
    message = finding["message"][:1].upper() + finding["message"][1:]
    return f"{finding['rule']} {KINDS[finding['rule']][1]}: {placed.tokens:,} tokens; {effect}. {message}"


def _span(placed: Placed) -> Span:
    finding = placed.finding
    saved = finding["tokens_saved"]
    badge = f"{finding['rule']} · {saved:,}" if saved else finding["rule"]
    data = {
        "finding": placed.number,
        "rule": finding["rule"],
        "line": finding["line"],
        "column": finding["column"],
        "end-line": finding["end_line"],
        "end-column": finding["end_column"],
        "tokens": placed.tokens,
        "tokens-saved": finding["tokens_saved"],
    }
    return Span(placed.start, placed.end, KINDS[finding["rule"]][0], _tip(placed), badge, data)


def _in_part(parts: list[tuple[str, str, int]], offset: int) -> tuple[int, int] | None:
    """Map an offset into the parts joined by newlines (how prefixes are counted) to ``(part, offset)``."""
    start = 0
    for index, (_, text, _) in enumerate(parts):
        if offset <= start + len(text):
            return index, offset - start
        start += len(text) + 1
    return None


def _markers(prompt: PromptText) -> list[list[Marker]]:
    """The cache-minimum and prefix-end markers, in the part that holds each offset."""
    found: list[list[Marker]] = [[] for _ in prompt.parts]
    cache = prompt.cache
    if cache is None:
        return found
    about = "" if cache.exact else "~"
    points = []
    if cache.min_offset is not None:
        points.append((cache.min_offset, "cache-min", f"▲ {about}{cache.min_tokens:,}-token cache minimum"))
    if cache.cacheable_offset is not None:
        text = f"◆ cacheable prefix ends: {about}{cache.cacheable_tokens:,} tokens"
        points.append((cache.cacheable_offset, "prefix-end", text))
    else:
        text = f"◆ static prefix ends: {about}{cache.prefix_tokens:,} tokens, not cacheable"
        points.append((cache.prefix_offset, "prefix-end", text))
    for offset, css, text in points:
        position = _in_part(prompt.parts, offset)
        if position is not None:
            found[position[0]].append(Marker(position[1], css, text))
    return found


def cache_note(cache: Cache | None) -> str:
    """One line on the prompt's prefix and the provider's minimum, as the caching lever sees it."""
    if cache is None or cache.min_tokens is None:
        return "no prompt-cache rules known for this model"
    about = "" if cache.exact else "~"
    if cache.cacheable_tokens:
        return (
            f"static prefix {about}{cache.prefix_tokens:,} tokens, {about}{cache.cacheable_tokens:,} cacheable "
            f"(minimum {cache.min_tokens:,})"
        )
    short = cache.min_tokens - cache.prefix_tokens
    return (
        f"static prefix {about}{cache.prefix_tokens:,} tokens: {about}{short:,} short of the "
        f"{cache.min_tokens:,}-token cache minimum, so nothing is cached"
    )


def _facts(prompt: PromptText) -> str:
    file = prompt.file
    saved, percent = file["tokens_saved"], file["percent_saved"]
    monthly = file.get("monthly_saving")
    money_text = f", {money(Decimal(monthly))}/month" if monthly is not None else ""
    tokens = f"{'' if file['exact'] else '~'}{file['tokens']:,}"
    return (
        f'<span class="facts" data-tokens-saved="{saved}" data-monthly-saving="{esc(monthly or "")}">{tokens} tokens'
        f" · <b>{saved:,} removable per request ({esc(percent)}%){esc(money_text)}</b></span>"
    )


def prompt_block(prompt: PromptText, placed: list[Placed], unplaced: list[dict]) -> str:
    """One prompt: its header (tokens, removable tokens), notes, and each part's text with highlights."""
    notes = [cache_note(prompt.cache)] + [f"{f['rule']} {f['name']}: {f['message']}" for f in unplaced]
    body = []
    for index, ((label, text, first), markers) in enumerate(zip(prompt.parts, _markers(prompt))):
        spans = [_span(p) for p in placed if p.part == index]
        head = f'<div class="part-label">{esc(label)}</div>' if label else ""
        body.append(f'{head}<pre class="text">{highlight(text, spans, markers, first)}</pre>')
    note_list = '<ul class="notes">' + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>"
    return (
        f'<article class="prompt" data-path="{esc(prompt.display)}"><header><h3>{esc(prompt.display)}</h3>'
        f"{_facts(prompt)}</header>{note_list}{''.join(body)}</article>"
    )


def legend() -> str:
    """What each highlight and marker means, drawn in the same styles (the underline differs too)."""
    items = [f'<mark class="{css}">{esc(name)}</mark>' for css, name in KINDS.values()]
    items += ['<span class="marker cache-min">▲ cache minimum</span>']
    items += ['<span class="marker prefix-end">◆ cacheable prefix ends</span>']
    return '<div class="legend" aria-label="Legend">' + "".join(f"<span>{i}</span>" for i in items) + "</div>"


def section(blocks: list[str], summary: dict) -> str:
    """The whole section: lead, legend, then every prompt's block."""
    saving = summary.get("monthly_saving")
    lead = (
        f"{summary['findings']} findings from <code>audit</code>; {summary['tokens_saved']:,} tokens per request "
        "could go" + (f", {esc(money(Decimal(saving)))} per month" if saving is not None else "") + ". "
        "Each badge reads rule · tokens a fix saves; hover or focus a highlight for the detail."
    )
    return (
        '<section class="card waste" id="waste" aria-labelledby="waste-h"><h2 id="waste-h">Waste in the text</h2>'
        f'<p class="lead">{lead}</p>{legend()}{"".join(blocks)}</section>'
    )


def cache_of(prompt, row: dict, rules, model: str) -> Cache:
    """Prefix facts for one prompt from its ``project`` JSON row, with the offsets to mark them at."""
    from promptaudit.tokens.offsets import offset_after_tokens

    text = prompt.text
    minimum = rules.min_tokens if rules is not None else None
    cacheable = row["cacheable_tokens"]
    return Cache(
        prefix_tokens=row["static_prefix_tokens"],
        cacheable_tokens=cacheable,
        min_tokens=minimum,
        exact=row["exact"],
        # a prompt shorter than the minimum never reaches it: no need to build the encoder to find that out
        min_offset=offset_after_tokens(text, minimum, model) if minimum and row["prompt_tokens"] >= minimum else None,
        cacheable_offset=offset_after_tokens(text, cacheable, model) if cacheable else None,
        prefix_offset=len(prompt.static_prefix()),
    )


def render(prompts: list, audit: dict, project: dict, rules: list, model: str) -> str:
    """The section for ``prompts`` (reading.prompts.Prompt) with ``audit``'s and ``project``'s JSON.

    Prompts with the most removable tokens come first, then the most expensive.

    ``rules`` holds each prompt's cache rules at its first model (None where the provider has none); ``model``
    is kept for callers and no longer used: each prompt is shown at the model it is projected at.
    """
    from promptaudit.tokens.tokenizers import count_texts

    files = {f["path"]: f for f in audit["files"]}
    first: dict[str, dict] = {}
    for found in project["prompts"]:  # each prompt at the first model it is projected at (its own, if it names one)
        first.setdefault(found["prompt"], found)
    rows = [first[prompt.display] for prompt in prompts]
    numbered = list(enumerate(audit["findings"]))
    blocks = []
    for prompt, row, prompt_rules in zip(prompts, rows, rules):
        model = row["model"]
        parts = [(part.label, part.text, part.line) for part in prompt.parts]
        sources = tuple(part.locator for part in prompt.parts)
        view = PromptText(
            prompt.display, parts, files[prompt.display], cache_of(prompt, row, prompt_rules, model), sources
        )
        placed, unplaced = place(view, [(n, f) for n, f in numbered if f["path"] == prompt.display])
        counts = count_texts([span_text(view, p) for p in placed], model) if placed else []
        placed = [replace(p, tokens=c.tokens) for p, c in zip(placed, counts)]
        blocks.append((-view.file["tokens_saved"], -Decimal(row["monthly_cost"]), prompt_block(view, placed, unplaced)))
    return section([block for *_, block in sorted(blocks, key=lambda b: b[:2])], audit["summary"])

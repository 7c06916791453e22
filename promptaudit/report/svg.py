"""Inline SVG charts for the HTML report: grouped horizontal bars, a savings waterfall, columns, a histogram.

Pure functions from numbers and ready-formatted labels to SVG markup. No colour carries meaning alone:
every bar is labelled with its value in text, series also differ by fill pattern, and every chart has a
``<title>`` and ``<desc>`` for screen readers (the page also prints each chart's numbers as a table).
All text is escaped here, so callers pass plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

FONT = 12
CHAR_WIDTH = 0.58  # average advance of the UI font, in ems: enough to size label columns
SERIES = ("s0", "s1", "s2", "s3")


@dataclass(frozen=True)
class Bar:
    """One bar: a label, its value for the geometry, the value as shown, and data-* attributes for tests."""

    label: str
    value: float
    text: str
    series: int = 0
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One waterfall column: ``total`` stands on the axis, ``saving`` hangs from the starting bill."""

    label: str
    value: float
    text: str
    kind: str = "saving"
    note: str = ""
    data: dict = field(default_factory=dict)


def esc(text: object) -> str:
    """Text safe inside SVG/HTML text and attribute values."""
    return escape(str(text), quote=True)


def _data(attributes: dict) -> str:
    return "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in attributes.items())


def _text_width(text: str, size: int = FONT) -> float:
    return len(text) * size * CHAR_WIDTH


def _open(chart_id: str, kind: str, width: float, height: float, title: str, desc: str) -> str:
    return (
        f'<svg class="chart" data-chart="{esc(kind)}" id="{esc(chart_id)}" role="img" '
        f'aria-labelledby="{esc(chart_id)}-t {esc(chart_id)}-d" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{esc(chart_id)}-t">{esc(title)}</title><desc id="{esc(chart_id)}-d">{esc(desc)}</desc>'
    )


def patterns() -> str:
    """Shared <defs>: one hatch pattern per series and one for hypothetical savings (print and no-colour)."""
    hatches = [
        '<pattern id="p-s1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" class="s1"/><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern>',
        '<pattern id="p-s2" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" class="s2"/><circle cx="2.5" cy="2.5" r="1" class="dot"/></pattern>',
        '<pattern id="p-s3" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" class="s3"/><line x1="0" y1="3" x2="6" y2="3" class="hatch"/></pattern>',
        '<pattern id="p-what-if" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
        '<rect width="6" height="6" class="what-if"/><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern>',
    ]
    return (
        f'<svg width="0" height="0" aria-hidden="true" style="position:absolute"><defs>{"".join(hatches)}</defs></svg>'
    )


def fill(series: int) -> str:
    """The fill attribute of a series: the first is plain, the others hatched, dotted or striped."""
    name = SERIES[series % len(SERIES)]
    return f'class="{name}"' if name == SERIES[0] else f'fill="url(#p-{name})"'


def swatch(series: int) -> str:
    """A small square in a series' fill, for legends."""
    return f'<svg class="sw" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" {fill(series)}/></svg>'


def bars(chart_id: str, rows: list[Bar], title: str, desc: str, width: int = 760) -> str:
    """A horizontal bar chart: one row per bar, label on the left, value printed after the bar."""
    row_height, gap = 24, 6
    label_width = min(max((_text_width(r.label) for r in rows), default=80) + 12, width * 0.42)
    value_width = max((_text_width(r.text) for r in rows), default=40) + 16
    plot = width - label_width - value_width
    top = max((r.value for r in rows), default=0) or 1
    height = len(rows) * (row_height + gap) + gap
    out = [_open(chart_id, "bars", width, height, title, desc)]
    for index, row in enumerate(rows):
        y = gap + index * (row_height + gap)
        length = max(plot * row.value / top, 1 if row.value else 0)
        out.append(
            f'<g class="bar"{_data(row.data)}><title>{esc(row.label)}: {esc(row.text)}</title>'
            f'<text class="label" x="{label_width - 8:.1f}" y="{y + row_height / 2:.1f}" text-anchor="end" '
            f'dominant-baseline="central">{esc(_clip(row.label, label_width))}</text>'
            f'<rect x="{label_width:.1f}" y="{y}" width="{length:.1f}" height="{row_height}" rx="2" {fill(row.series)}/>'
            f'<text class="value" x="{label_width + length + 6:.1f}" y="{y + row_height / 2:.1f}" '
            f'dominant-baseline="central">{esc(row.text)}</text></g>'
        )
    return "".join(out) + "</svg>"


def _clip(label: str, room: float) -> str:
    fits = int((room - 12) / (FONT * CHAR_WIDTH))
    return label if len(label) <= fits else "…" + label[-max(fits - 1, 1) :]


def waterfall(chart_id: str, steps: list[Step], title: str, desc: str, width: int = 760) -> str:
    """Columns: totals stand on the axis; savings hang from the first total's level, labelled $ and %."""
    height, top_pad, bottom = 300, 40, 56
    plot_height = height - top_pad - bottom
    start = steps[0].value or 1
    slot = width / len(steps)
    column = min(slot * 0.62, 84)
    y_of = lambda value: top_pad + plot_height * (1 - value / start)  # noqa: E731
    out = [_open(chart_id, "waterfall", width, height, title, desc)]
    out.append(f'<line class="axis" x1="0" x2="{width}" y1="{y_of(0):.1f}" y2="{y_of(0):.1f}"/>')
    out.append(f'<line class="level" x1="0" x2="{width}" y1="{y_of(start):.1f}" y2="{y_of(start):.1f}"/>')
    for index, step in enumerate(steps):
        x = index * slot + (slot - column) / 2
        low, high = (0, step.value) if step.kind in ("total", "result") else (start - step.value, start)
        y, h = y_of(high), max(y_of(low) - y_of(high), 1)
        out.append(
            f'<g class="step {esc(step.kind)}"{_data(step.data)}><title>{esc(step.label)}: {esc(step.text)}'
            f"{': ' + esc(step.note) if step.note else ''}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{h:.1f}" rx="2"/>'
            f"{_step_value(step, x + column / 2, y)}"
            f"{_step_label(step.label, x + column / 2, y_of(0) + 16, slot)}</g>"
        )
    return "".join(out) + "</svg>"


def _step_value(step: Step, centre: float, y: float) -> str:
    lines = step.text.split("\n")
    spans = "".join(
        f'<tspan x="{centre:.1f}" dy="{0 if i == 0 else 14}">{esc(line)}</tspan>' for i, line in enumerate(lines)
    )
    top = y - 8 - 14 * (len(lines) - 1)
    return f'<text class="value" x="{centre:.1f}" y="{top:.1f}" text-anchor="middle">{spans}</text>'


def _step_label(label: str, centre: float, y: float, slot: float) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and _text_width(f"{line} {word}") > slot - 6:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    spans = "".join(
        f'<tspan x="{centre:.1f}" dy="{0 if i == 0 else 14}">{esc(text)}</tspan>' for i, text in enumerate(lines)
    )
    return f'<text class="label" x="{centre:.1f}" y="{y:.1f}" text-anchor="middle">{spans}</text>'


def columns(chart_id: str, rows: list[Bar], title: str, desc: str, width: int = 760, marker=None) -> str:
    """Vertical columns (one per row, e.g. per day or per length bin), value on top when there is room.

    ``marker`` is ``(index_position, label)``: a dashed vertical line drawn at that fractional column
    position (the suggested ``max_tokens`` on an output-length histogram).
    """
    height, top_pad, bottom, left = 220, 24, 40, 8
    plot_height = height - top_pad - bottom
    top = max((r.value for r in rows), default=0) or 1
    slot = (width - 2 * left) / max(len(rows), 1)
    column = max(slot * 0.72, 1)
    show_values = slot >= max((_text_width(r.text, 11) for r in rows), default=0) + 4
    every = max(1, int(48 // slot) + 1)
    out = [_open(chart_id, "columns", width, height, title, desc)]
    axis = top_pad + plot_height
    out.append(f'<line class="axis" x1="{left}" x2="{width - left}" y1="{axis}" y2="{axis}"/>')
    for index, row in enumerate(rows):
        x = left + index * slot + (slot - column) / 2
        h = max(plot_height * row.value / top, 1 if row.value else 0)
        value = (
            f'<text class="value small" x="{x + column / 2:.1f}" y="{axis - h - 4:.1f}" text-anchor="middle">'
            f"{esc(row.text)}</text>"
            if show_values
            else ""
        )
        label = (
            f'<text class="label small" x="{x + column / 2:.1f}" y="{axis + 14}" text-anchor="middle">'
            f"{esc(row.label)}</text>"
            if index % every == 0
            else ""
        )
        out.append(
            f'<g class="bar"{_data(row.data)}><title>{esc(row.label)}: {esc(row.text)}</title>'
            f'<rect x="{x:.1f}" y="{axis - h:.1f}" width="{column:.1f}" height="{h:.1f}" {fill(row.series)}/>'
            f"{value}{label}</g>"
        )
    if marker is not None:
        position, text = marker
        mx = left + position * slot
        out.append(
            f'<g class="marker"><line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top_pad - 6}" y2="{axis}"/>'
            f'<text class="value" x="{mx + 4:.1f}" y="{top_pad + 4}">{esc(text)}</text></g>'
        )
    return "".join(out) + "</svg>"

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
    tip: str = ""
    """The hover text (default: label and value)."""


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


def _lines(lines: list[str], x: float, y: float, css: str, anchor: str = "middle") -> str:
    """A multi-line <text>: one <tspan> per line, 14 px apart."""
    spans = "".join(f'<tspan x="{x:.1f}" dy="{14 if i else 0}">{esc(t)}</tspan>' for i, t in enumerate(lines))
    return f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{spans}</text>'


def _group(css: str, data: dict, tip: str, body: str) -> str:
    return f'<g class="{esc(css)}"{_data(data)}><title>{esc(tip)}</title>{body}</g>'


def bars(chart_id: str, rows: list[Bar], title: str, desc: str, width: int = 760) -> str:
    """A horizontal bar chart: one row per bar, label on the left, value printed after the bar."""
    label_width = min(max((_text_width(r.label) for r in rows), default=80) + 12, width * 0.42)
    plot = width - label_width - max((_text_width(r.text) for r in rows), default=40) - 16
    top = max((r.value for r in rows), default=0) or 1
    out = [_open(chart_id, "bars", width, len(rows) * 30 + 6, title, desc)]
    for index, row in enumerate(rows):
        out.append(_bar(row, 6 + index * 30, label_width, max(plot * row.value / top, 1 if row.value else 0)))
    return "".join(out) + "</svg>"


def _bar(row: Bar, y: float, label_width: float, length: float) -> str:
    middle = y + 12
    body = (
        f'<text class="label" x="{label_width - 8:.1f}" y="{middle:.1f}" text-anchor="end" '
        f'dominant-baseline="central">{esc(_clip(row.label, label_width))}</text>'
        f'<rect x="{label_width:.1f}" y="{y}" width="{length:.1f}" height="24" rx="2" {fill(row.series)}/>'
        f'<text class="value" x="{label_width + length + 6:.1f}" y="{middle:.1f}" '
        f'dominant-baseline="central">{esc(row.text)}</text>'
    )
    return _group("bar", row.data, row.tip or f"{row.label}: {row.text}", body)


def _clip(label: str, room: float) -> str:
    fits = int((room - 12) / (FONT * CHAR_WIDTH))
    return label if len(label) <= fits else "…" + label[-max(fits - 1, 1) :]


@dataclass(frozen=True)
class _Frame:
    """A vertical plot: ``slot`` px per column, values from 0 to ``top`` mapped onto ``[y0, axis]``."""

    slot: float
    column: float
    y0: float
    axis: float
    top: float
    left: float = 0

    def y(self, value: float) -> float:
        return self.axis - (self.axis - self.y0) * value / self.top

    def x(self, index: int) -> float:
        return self.left + index * self.slot + (self.slot - self.column) / 2


def waterfall(chart_id: str, steps: list[Step], title: str, desc: str, width: int = 760) -> str:
    """Columns: totals stand on the axis; savings hang from the first total's level, labelled $ and %."""
    slot = width / len(steps)
    frame = _Frame(slot, min(slot * 0.62, 84), 40, 244, steps[0].value or 1)
    level = frame.y(frame.top)
    out = [_open(chart_id, "waterfall", width, 300, title, desc)]
    out.append(f'<line class="axis" x1="0" x2="{width}" y1="{frame.axis}" y2="{frame.axis}"/>')
    out.append(f'<line class="level" x1="0" x2="{width}" y1="{level:.1f}" y2="{level:.1f}"/>')
    out += [_step(step, frame.x(index), frame) for index, step in enumerate(steps)]
    return "".join(out) + "</svg>"


def _step(step: Step, x: float, frame: _Frame) -> str:
    standing = step.kind in ("total", "result")
    low, high = (0, step.value) if standing else (frame.top - step.value, frame.top)
    y, centre = frame.y(high), x + frame.column / 2
    values = step.text.split("\n")
    body = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{frame.column:.1f}" height="{max(frame.y(low) - y, 1):.1f}" rx="2"/>'
        + _lines(values, centre, y - 8 - 14 * (len(values) - 1), "value")
        + _lines(_wrap(step.label, frame.slot - 6), centre, frame.axis + 16, "label")
    )
    tip = f"{step.label}: {step.text}" + (f": {step.note}" if step.note else "")
    return _group(f"step {step.kind}", step.data, tip.replace("\n", ", "), body)


def _wrap(label: str, room: float) -> list[str]:
    lines, line = [], ""
    for word in label.split():
        if line and _text_width(f"{line} {word}") > room:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


@dataclass(frozen=True)
class Scale:
    """Options of a column chart: the value at the top (default the largest), labels at bin edges
    (a histogram), and a marker ``(column position, label)`` drawn as a dashed line."""

    top: float | None = None
    edges: bool = False
    marker: tuple[float, str] | None = None


def columns(chart_id: str, rows: list[Bar], title: str, desc: str, scale: Scale = Scale(), width: int = 760) -> str:
    """Vertical columns (per day, per length bin), each value on top when there is room for it."""
    slot = (width - 16) / max(len(rows), 1)
    top = scale.top or max((r.value for r in rows), default=0) or 1
    frame = _Frame(slot, max(slot * (0.86 if scale.edges else 0.72), 1), 24, 180, top, 8)
    values = slot >= max((_text_width(r.text, 11) for r in rows), default=0) + 4
    every = max(1, int(48 // slot) + 1)
    out = [_open(chart_id, "columns", width, 220, title, desc)]
    out.append(f'<line class="axis" x1="8" x2="{width - 8}" y1="{frame.axis}" y2="{frame.axis}"/>')
    for index, row in enumerate(rows):
        label = row.label if index % every == 0 else ""
        out.append(_column(row, index, frame, values, label, scale.edges))
    if scale.marker is not None:
        out.append(_marker(frame.left + scale.marker[0] * slot, scale.marker[1], frame, width))
    return "".join(out) + "</svg>"


def _column(row: Bar, index: int, frame: _Frame, show_value: bool, label: str, edges: bool) -> str:
    x, y = frame.x(index), frame.y(row.value)
    height = max(frame.axis - y, 1 if row.value else 0)
    centre = x + frame.column / 2
    body = f'<rect x="{x:.1f}" y="{frame.axis - height:.1f}" width="{frame.column:.1f}" height="{height:.1f}" {fill(row.series)}/>'
    if show_value:
        body += _lines([row.text], centre, frame.axis - height - 4, "value small")
    if label:
        body += _lines([label], frame.left + index * frame.slot if edges else centre, frame.axis + 14, "label small")
    return _group("bar", row.data, f"{row.label}: {row.text}", body)


def _marker(x: float, text: str, frame: _Frame, width: int) -> str:
    right = x + 4 + _text_width(text) > width
    anchor, tx = ("end", x - 4) if right else ("start", x + 4)
    return (
        f'<g class="marker"><line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.y0 - 6}" y2="{frame.axis}"/>'
        + _lines([text], tx, frame.y0 + 4, "value", anchor)
        + "</g>"
    )

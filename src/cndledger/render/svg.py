"""Inline SVG charts for the HTML report: bars, lines over time, a timeline. Standard library only.

Each chart is one `<svg role="img">` with a `<title>` and a `<desc>` (its text alternative, which
says what the chart shows; the tables beside it hold every figure). Series differ by shade *and*
by outline, dash or marker, so that a chart printed in grey reads as in colour. Geometry is in
floats (a pixel is no amount); every amount written in a label is the core's Decimal, formatted
exactly (`format_amount`). A chart is a few dozen elements whatever the ledger's size: a line is one
`<polyline>` of month-end points, never an element per entry.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from cndledger.format.currency import format_amount
from cndledger.render import printable

WIDTH = 680
FONT = 12

# Shades and strokes that stay apart in grey scale.
DARK, MID, LIGHT, PAPER, INK = "#1f3b57", "#6f8faf", "#dfe7ef", "#ffffff", "#111111"


def _text(value: str) -> str:
    return escape(printable(value))


def _money(value: Decimal, currency: str) -> str:
    return format_amount(value, currency, grouping=True)


def _ticks(low: float, high: float, wanted: int = 5) -> list[float]:
    """Round values from at most `low` to at least `high` (0 among them), about `wanted` of them."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low <= 0:
        high = 1.0
    raw = (high - low) / wanted
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [i * step for i in range(first, last + 1)]


def _tick_label(value: float, step: float) -> str:
    if step >= 1:
        return f"{value:,.0f}"
    places = max(0, -math.floor(math.log10(step)))
    return f"{value:,.{places}f}"


def _open(ident: str, title: str, desc: str, height: float) -> tuple[str, list[str]]:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="{WIDTH}" height="{height:.0f}" aria-labelledby="{ident}-title {ident}-desc" '
            f'font-family="sans-serif" font-size="{FONT}">'
            f'<title id="{ident}-title">{_text(title)}</title><desc id="{ident}-desc">{_text(desc)}</desc>'
            f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{PAPER}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2"/></pattern></defs>'
            f'<text x="0" y="16" font-weight="bold" font-size="14">{_text(title)}</text>')
    return ident, [head]


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _legend(parts: list[str], x: float, y: float, items: Sequence[tuple[str, str]]) -> None:
    """Swatches (an SVG fragment each, drawn at 0,0 in 18×10) with their labels, in a row."""
    for swatch, label in items:
        parts.append(f'<g transform="translate({x:.1f},{y - 9:.1f})">{swatch}</g>'
                     f'<text x="{x + 24:.1f}" y="{y:.1f}">{_text(label)}</text>')
        x += 34 + 7 * len(label)


class Bar:
    """One category's bars: a label and a value per series."""

    __slots__ = ("label", "values", "notes")

    def __init__(self, label: str, values: Sequence[Decimal], notes: Sequence[str]) -> None:
        self.label, self.values, self.notes = label, values, notes


def bars(ident: str, title: str, desc: str, axis: str, series: Sequence[str], rows: Sequence[Bar], *,
         reference: float | None = None, reference_label: str = "") -> str:
    """Horizontal bars, one group per row, one bar per series (the first hollow, the next filled dark),
    each with its note written at its end; the axis titled `axis`; a vertical reference line where given."""
    if not rows:
        return ""
    band = 16 * len(series) + 12
    label_width = min(210, 20 + 7.5 * max(len(_short(row.label)) for row in rows))
    right = min(300, 16 + 6.4 * max(len(note) for row in rows for note in row.notes))  # the notes, at 11px
    top, plot_width = 58, WIDTH - label_width - right
    height = top + band * len(rows) + 44
    ident, parts = _open(ident, title, desc, height)
    styles = [f'fill="{PAPER}" stroke="{INK}" stroke-width="1.5"', f'fill="{DARK}" stroke="{INK}" stroke-width="1"',
              f'fill="url(#{ident}-hatch)" stroke="{INK}" stroke-width="1"']
    swatches = [f'<rect width="18" height="10" {style}/>' for style in styles]
    _legend(parts, label_width, 38, list(zip(swatches, series)))
    values = [float(value) for row in rows for value in row.values]
    ticks = _ticks(min(values, default=0.0), max([*values, reference or 0.0], default=0.0))
    low, high = ticks[0], ticks[-1]

    def x(value: float) -> float:
        return label_width + (value - low) / (high - low) * plot_width

    bottom = top + band * len(rows)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for tick in ticks:
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{bottom}" stroke="#c8c8c8" '
                     f'stroke-width="0.8"/><text x="{x(tick):.1f}" y="{bottom + 14}" text-anchor="middle" '
                     f'font-size="10">{_tick_label(tick, step)}</text>')
    parts.append(f'<text x="{label_width + plot_width / 2:.1f}" y="{bottom + 32}" text-anchor="middle">'
                 f'{_text(axis)}</text>')
    zero = x(0.0)
    beyond = x(reference) if reference is not None else zero  # notes start right of the reference line
    for index, row in enumerate(rows):
        y = top + index * band + 6
        parts.append(f'<text x="{label_width - 8}" y="{y + band / 2 - 4:.1f}" text-anchor="end">'
                     f'<title>{_text(row.label)}</title>{_text(_short(row.label))}</text>')
        for which, (value, note) in enumerate(zip(row.values, row.notes)):
            end = x(float(value))
            left, width = min(zero, end), abs(end - zero)
            style = styles[min(which, len(styles) - 1)]
            parts.append(f'<rect x="{left:.1f}" y="{y + which * 16:.1f}" width="{max(width, 0.5):.1f}" height="12" '
                         f'{style}/><text x="{max(zero, end, beyond) + 5:.1f}" y="{y + which * 16 + 10:.1f}" '
                         f'font-size="11">{_text(note)}</text>')
    parts.append(f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>')
    if reference is not None:
        at = x(reference)
        parts.append(f'<line x1="{at:.1f}" y1="{top - 8}" x2="{at:.1f}" y2="{bottom}" stroke="{INK}" '
                     f'stroke-width="1.5" stroke-dasharray="2 3"/><text x="{at:.1f}" y="{top - 10}" '
                     f'text-anchor="middle" font-size="10">{_text(reference_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


class Line:
    """A series over time: its label and a value per day of the chart."""

    __slots__ = ("label", "values")

    def __init__(self, label: str, values: Sequence[Decimal]) -> None:
        self.label, self.values = label, values


_LINE_STYLES = [
    f'stroke="{DARK}" stroke-width="2.5"',
    f'stroke="{INK}" stroke-width="2" stroke-dasharray="7 4"',
    f'stroke="{MID}" stroke-width="1.5" stroke-dasharray="1 3"',
]


def lines(ident: str, title: str, desc: str, currency: str, days: Sequence[_dt.date], series: Sequence[Line], *,
          budget: Decimal | None = None, window: tuple[_dt.date, _dt.date] | None = None) -> str:
    """Lines over time (a point per day given, joined), with the budget as a horizontal line and the
    window shaded; each line's last value written at its end."""
    if not days:
        return ""
    left, right, top = 84, 150, 50
    plot_width, plot_height = WIDTH - left - right, 200
    height = top + plot_height + 52
    ident, parts = _open(ident, title, desc, height)
    everything = [float(value) for line in series for value in line.values] + ([float(budget)] if budget else [])
    ticks = _ticks(min(everything, default=0.0), max(everything, default=0.0))
    low, high = ticks[0], ticks[-1]
    start, end = days[0].toordinal() - 1, days[-1].toordinal()
    if end - start < 28:
        start = max(0, end - 28)

    def x(day: _dt.date) -> float:
        return left + (day.toordinal() - start) / (end - start) * plot_width

    def y(value: float) -> float:
        return top + plot_height - (value - low) / (high - low) * plot_height

    bottom = top + plot_height
    if window is not None:
        first = max(window[0].toordinal(), start)
        if first < end:
            x0 = left + (first - start) / (end - start) * plot_width
            parts.append(f'<rect x="{x0:.1f}" y="{top}" width="{left + plot_width - x0:.1f}" height="{plot_height}" '
                         f'fill="#eeeeee"/><text x="{x0 + 4:.1f}" y="{top + 12}" font-size="10">the window</text>')
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for tick in ticks:
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_width}" y2="{y(tick):.1f}" '
                     f'stroke="#c8c8c8" stroke-width="0.8"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" '
                     f'text-anchor="end" font-size="10">{_tick_label(tick, step)}</text>')
    parts.append(f'<text transform="translate(14,{top + plot_height / 2:.0f}) rotate(-90)" text-anchor="middle">'
                 f'{_text(currency)}, cumulative</text>')
    years = range(_dt.date.fromordinal(start + 1).year, days[-1].year + 1)
    every = max(1, math.ceil(len(years) / 8))
    for year in years[::every]:
        day = _dt.date(year, 1, 1)
        if day.toordinal() < start:
            continue
        parts.append(f'<line x1="{x(day):.1f}" y1="{top}" x2="{x(day):.1f}" y2="{bottom + 4}" stroke="#c8c8c8" '
                     f'stroke-width="0.8"/><text x="{x(day):.1f}" y="{bottom + 16}" text-anchor="middle" '
                     f'font-size="10">{year}</text>')
    parts.append(f'<text x="{left + plot_width / 2:.0f}" y="{bottom + 36}" text-anchor="middle">'
                 f'month end (the last point: {days[-1].isoformat()})</text>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{INK}"/>'
                 f'<line x1="{left}" y1="{y(0.0):.1f}" x2="{left + plot_width}" y2="{y(0.0):.1f}" stroke="{INK}"/>')
    ends: list[tuple[float, str]] = []
    items = []
    if budget is not None:
        at = y(float(budget))
        parts.append(f'<line x1="{left}" y1="{at:.1f}" x2="{left + plot_width}" y2="{at:.1f}" stroke="{INK}" '
                     f'stroke-width="1.2" stroke-dasharray="12 3 2 3"/>')
        ends.append((at, f"budget {_money(budget, currency)}"))
        items.append((f'<line x1="0" y1="5" x2="18" y2="5" stroke="{INK}" stroke-width="1.2" stroke-dasharray="6 2 1 2"/>',
                      "budget"))
    for line, style in zip(series, _LINE_STYLES):
        points = " ".join(f"{x(day):.1f},{y(float(value)):.1f}" for day, value in zip(days, line.values))
        if len(days) == 1:
            parts.append(f'<circle cx="{x(days[0]):.1f}" cy="{y(float(line.values[0])):.1f}" r="3" fill="{INK}"/>')
        parts.append(f'<polyline fill="none" {style} points="{points}"/>')
        ends.append((y(float(line.values[-1])), f"{line.label} {_money(line.values[-1], currency)}"))
        items.append((f'<line x1="0" y1="5" x2="18" y2="5" fill="none" {style}/>', line.label))
    _legend(parts, left, 36, items)
    placed: list[float] = []
    for at, label in sorted(ends):  # end labels, moved apart where they would overlap
        at = max(at, placed[-1] + 13) if placed else at
        placed.append(at)
        parts.append(f'<text x="{left + plot_width + 6}" y="{at + 4:.1f}" font-size="11">{_text(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


class Mark:
    """A row of the timeline: a label, the planned span (due: first and last day; None if not planned),
    the actual day (None if nothing yet) and a status."""

    __slots__ = ("label", "planned", "actual", "status")

    def __init__(self, label: str, planned: tuple[_dt.date, _dt.date] | None, actual: _dt.date | None,
                 status: str) -> None:
        self.label, self.planned, self.actual, self.status = label, planned, actual, status


def timeline(ident: str, title: str, desc: str, marks: Sequence[Mark], as_of: _dt.date) -> str:
    """Planned against actual: a hollow bar over each due date's period (a diamond at its last day), a
    filled dot on the day of the latest release, a line between; the day of the report as a rule."""
    if not marks:
        return ""
    days = [as_of] + [day for mark in marks for day in ((*mark.planned,) if mark.planned else ())]
    days += [mark.actual for mark in marks if mark.actual is not None]
    label_width = min(210, 20 + 7.5 * max(len(_short(mark.label)) for mark in marks))
    right, top, band = 120, 58, 22
    plot_width = WIDTH - label_width - right
    height = top + band * len(marks) + 48
    ident, parts = _open(ident, title, desc, height)
    start = _dt.date(min(days).year, 1, 1).toordinal()
    latest = max(days).year
    end = _dt.date(latest + 1, 1, 1).toordinal() if latest < _dt.MAXYEAR else _dt.date.max.toordinal() + 1

    def x(day: _dt.date, days_after: int = 0) -> float:
        return label_width + (day.toordinal() + days_after - start) / (end - start) * plot_width

    bottom = top + band * len(marks)
    years = range(min(days).year, min(latest + 1, _dt.MAXYEAR) + 1)
    every = max(1, math.ceil(len(years) / 8))
    for year in years[::every]:
        at = x(_dt.date(year, 1, 1))
        parts.append(f'<line x1="{at:.1f}" y1="{top - 4}" x2="{at:.1f}" y2="{bottom}" stroke="#c8c8c8" '
                     f'stroke-width="0.8"/><text x="{at:.1f}" y="{bottom + 14}" text-anchor="middle" '
                     f'font-size="10">{year}</text>')
    parts.append(f'<text x="{label_width + plot_width / 2:.0f}" y="{bottom + 34}" text-anchor="middle">'
                 'date (year starts)</text>')
    now = x(as_of)
    parts.append(f'<line x1="{now:.1f}" y1="{top - 8}" x2="{now:.1f}" y2="{bottom}" stroke="{INK}" stroke-width="1.2" '
                 f'stroke-dasharray="3 3"/><text x="{now:.1f}" y="{top - 10}" text-anchor="middle" font-size="10">'
                 f'{as_of.isoformat()}</text>')
    _legend(parts, label_width, 34, [
        (f'<rect x="0" y="1" width="18" height="8" fill="{LIGHT}" stroke="{INK}"/>', "due (planned)"),
        (f'<circle cx="9" cy="5" r="4.5" fill="{DARK}" stroke="{INK}"/>', "latest release (actual)"),
    ])
    for index, mark in enumerate(marks):
        middle = top + index * band + band / 2
        parts.append(f'<text x="{label_width - 8}" y="{middle + 4:.1f}" text-anchor="end">'
                     f'<title>{_text(mark.label)}</title>{_text(_short(mark.label))}</text>')
        if mark.planned is not None and mark.actual is not None:
            parts.append(f'<line x1="{x(mark.planned[1]):.1f}" y1="{middle:.1f}" x2="{x(mark.actual):.1f}" '
                         f'y2="{middle:.1f}" stroke="{INK}" stroke-width="1"/>')
        if mark.planned is not None:
            first, last = x(mark.planned[0]), x(mark.planned[1], 1)
            parts.append(f'<rect x="{first:.1f}" y="{middle - 5:.1f}" width="{max(last - first, 3):.1f}" height="10" '
                         f'fill="{LIGHT}" stroke="{INK}"/>')
            at = x(mark.planned[1])
            parts.append(f'<path d="M{at:.1f},{middle - 7:.1f} l5,7 l-5,7 l-5,-7 z" fill="{PAPER}" stroke="{INK}"/>')
        if mark.actual is not None:
            parts.append(f'<circle cx="{x(mark.actual):.1f}" cy="{middle:.1f}" r="4.5" fill="{DARK}" stroke="{INK}"/>')
        weight = ' font-weight="bold"' if mark.status in ("overdue", "due") else ""
        parts.append(f'<text x="{label_width + plot_width + 8}" y="{middle + 4:.1f}" font-size="11"{weight}>'
                     f'{_text(mark.status)}</text>')
    parts.append("</svg>")
    return "".join(parts)

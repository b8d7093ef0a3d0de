"""The report's charts as vector graphics (reportlab.graphics), readable printed in grey: each line has its own dash
pattern and marker, so nothing depends on colour. Days without a value are gaps: a line joins consecutive days only
(or consecutive weeks, for weekly means), and every value has its marker, so a lone day still shows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from interop.report.fonts import BODY_FONT

INK = colors.black
GRID = colors.Color(0.82, 0.82, 0.82)
MUTED = colors.Color(0.35, 0.35, 0.35)


@dataclass(frozen=True)
class ChartLine:
    key: str
    label: str
    dash: tuple[float, ...] | None  # None: solid
    marker: str  # "circle" (filled), "square" (open), "triangle" (filled), "diamond" (open)


@dataclass(frozen=True)
class Reference:
    """A horizontal dotted line (a baseline value), labelled above its right end."""

    value: float
    label: str


PAIN_LINES = (
    ChartLine("back_pain", "Back pain", None, "circle"),
    ChartLine("leg_pain", "Leg pain", (4, 2), "square"),
)
TOLERANCE_LINES = (
    ChartLine("walking_minutes", "Walking (minutes)", None, "triangle"),
    ChartLine("standing_minutes", "Standing (minutes)", (4, 2), "diamond"),
)


def line_chart(
    points: Sequence[dict[str, Any]],
    lines: Sequence[ChartLine],
    *,
    title: str,
    y_label: str,
    y_max: float | None = None,
    step: int = 1,
    references: Sequence[Reference] = (),
    width: float = 500,
    height: float = 170,
) -> Drawing:
    """A chart of `points` ({"day": N, key: value or None, ...}) against the day after the procedure (negative
    before it, a vertical line at day 0). `step`: days between consecutive points (7 for weekly means), so that only
    neighbours are joined. `y_max`: the top of a fixed scale (pain: 10), else rounded up from the data."""
    drawing = Drawing(width, height, initialFontName=BODY_FONT)  # the renderer starts in it: no Helvetica
    left, right, bottom, top = 40, width - 110, 28, height - 20
    drawing.add(String(left, height - 12, title, fontName=BODY_FONT, fontSize=9, fillColor=INK))
    days = [p["day"] for p in points if p.get("day") is not None]
    if not days:
        drawing.add(String(left, (top + bottom) / 2, "No check-ins in this period.", fontName=BODY_FONT, fontSize=8))
        return drawing
    first, last = min(min(days), 0), max(max(days), 1)
    values = [p[line.key] for p in points for line in lines if p.get(line.key) is not None]
    top_value = y_max if y_max is not None else _nice_ceiling(max([*values, *(r.value for r in references), 1]))

    def x(day: float) -> float:
        return left + (day - first) / (last - first) * (right - left)

    def y(value: float) -> float:
        return bottom + value / top_value * (top - bottom)

    drawing.add(Rect(left, bottom, right - left, top - bottom, strokeColor=MUTED, strokeWidth=0.5, fillColor=None))
    for tick in _ticks(0, top_value, 5):
        drawing.add(Line(left, y(tick), right, y(tick), strokeColor=GRID, strokeWidth=0.4))
        drawing.add(String(left - 4, y(tick) - 3, _fmt(tick), fontName=BODY_FONT, fontSize=7, textAnchor="end"))
    for tick in _ticks(first, last, 8):
        drawing.add(Line(x(tick), bottom, x(tick), bottom - 3, strokeColor=MUTED, strokeWidth=0.5))
        drawing.add(String(x(tick), bottom - 11, _fmt(tick), fontName=BODY_FONT, fontSize=7, textAnchor="middle"))
    drawing.add(String(left, 4, "Day after the procedure", fontName=BODY_FONT, fontSize=7, fillColor=MUTED))
    drawing.add(String(left - 34, top + 4, y_label, fontName=BODY_FONT, fontSize=7, fillColor=MUTED))
    drawing.add(Line(x(0), bottom, x(0), top, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=[1, 2]))
    drawing.add(String(x(0) + 2, top - 8, "procedure", fontName=BODY_FONT, fontSize=6, fillColor=MUTED))
    for reference in references:
        level = y(min(reference.value, top_value))
        drawing.add(Line(left, level, right, level, strokeColor=MUTED, strokeWidth=0.6, strokeDashArray=[0.5, 1.5]))
        drawing.add(
            String(
                right - 3, level + 2, reference.label, fontName=BODY_FONT, fontSize=6, fillColor=MUTED, textAnchor="end"
            )
        )
    for line in lines:
        run: list[float] = []
        previous: int | None = None
        for point in sorted((p for p in points if p.get("day") is not None), key=lambda p: p["day"]):
            value = point.get(line.key)
            if value is None:
                continue
            if previous is not None and point["day"] - previous != step and len(run) >= 4:
                drawing.add(_polyline(run, line))
            if previous is None or point["day"] - previous != step:
                run = []
            run += [x(point["day"]), y(min(float(value), top_value))]
            drawing.add(_marker(line.marker, run[-2], run[-1]))
            previous = point["day"]
        if len(run) >= 4:
            drawing.add(_polyline(run, line))
    _legend(drawing, lines, right + 8, top - 22)
    return drawing


def _polyline(coordinates: list[float], line: ChartLine) -> PolyLine:
    return PolyLine(
        list(coordinates), strokeColor=INK, strokeWidth=1.1, strokeDashArray=list(line.dash) if line.dash else None
    )


def _marker(kind: str, cx: float, cy: float, size: float = 2.4) -> Any:
    if kind == "circle":
        return Circle(cx, cy, size, fillColor=INK, strokeColor=INK, strokeWidth=0.6)
    if kind == "square":
        return Rect(cx - size, cy - size, 2 * size, 2 * size, fillColor=colors.white, strokeColor=INK, strokeWidth=0.8)
    if kind == "triangle":
        points = [cx - size, cy - size, cx + size, cy - size, cx, cy + size * 1.2]
        return Polygon(points, fillColor=INK, strokeColor=INK, strokeWidth=0.6)
    points = [cx, cy + size * 1.3, cx + size * 1.3, cy, cx, cy - size * 1.3, cx - size * 1.3, cy]
    return Polygon(points, fillColor=colors.white, strokeColor=INK, strokeWidth=0.8)


def _legend(drawing: Drawing, lines: Sequence[ChartLine], x0: float, y0: float) -> None:
    for index, line in enumerate(lines):
        row = y0 - index * 14
        drawing.add(_polyline([x0, row, x0 + 22, row], line))
        drawing.add(_marker(line.marker, x0 + 11, row))
        drawing.add(String(x0 + 27, row - 2.5, line.label, fontName=BODY_FONT, fontSize=7))


def _nice_ceiling(value: float, multiples: tuple[float, ...] = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)) -> float:
    """The smallest round number at or above `value` (a scale's top)."""
    magnitude = 10 ** math.floor(math.log10(value))
    for multiple in multiples:
        if value <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def _ticks(low: float, high: float, most: int) -> list[float]:
    """At most about `most` ticks from `low` to `high`, 1, 2 or 5 times a power of ten apart."""
    span = high - low
    step = _nice_ceiling(span / most, (1, 2, 5, 10)) if span > 0 else 1
    start = math.ceil(low / step) * step
    ticks = []
    value = start
    while value <= high + 1e-9:
        ticks.append(value)
        value += step
    return ticks


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

"""Charts drawn on the server as SVG: no JavaScript, no CDN, works offline.

`line_chart` turns dated series into coordinates; the template
`charts/line.svg.html` draws them. Colours come from the stylesheet (each
series names a CSS class), so the chart follows the page's palette and needs
no inline style.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 28  # room for the axis labels


@dataclass(frozen=True)
class Series:
    label: str
    css_class: str
    points: list[tuple[date, float]]


@dataclass(frozen=True)
class DrawnSeries:
    label: str
    css_class: str
    path: str
    dots: list[tuple[float, float]]


@dataclass(frozen=True)
class LineChart:
    title: str
    description: str
    width: int
    height: int
    series: list[DrawnSeries]
    x_ticks: list[tuple[float, str, str]]
    y_ticks: list[tuple[float, str]]
    left: int
    right_edge: int
    top: int
    bottom_edge: int


def nice_ceiling(value: float) -> float:
    """The next 1, 2 or 5 times a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def value_ticks(largest: float, *, intervals: int = 4) -> list[float]:
    """Round tick values from 0 up to at least `largest`, at most `intervals` steps apart."""
    step = nice_ceiling(largest / intervals) if largest > 0 else 1
    count = max(1, math.ceil(largest / step))
    return [step * i for i in range(count + 1)]


def _x_scale(first: date, last: date):
    span = max((last - first).days, 1)
    usable = WIDTH - LEFT - RIGHT
    return lambda day: LEFT + usable * (day - first).days / span


def _y_scale(top_value: float):
    usable = HEIGHT - TOP - BOTTOM
    return lambda value: HEIGHT - BOTTOM - usable * value / top_value


def _x_ticks(first: date, last: date, x) -> list[tuple[float, str, str]]:
    """Up to five dates: (x, label, text-anchor), the ends anchored inside the chart."""
    span = max((last - first).days, 1)
    days = list(dict.fromkeys(first + timedelta(days=round(span * i / 4)) for i in range(5)))
    ticks = []
    for index, day in enumerate(days):
        anchor = "start" if index == 0 else "end" if index == len(days) - 1 else "middle"
        ticks.append((round(x(day), 1), f"{day.day} {day:%b}", anchor))
    return ticks


def line_chart(series: list[Series], *, title: str, description: str) -> LineChart:
    """Step lines (values hold until the next point), on shared date and value axes."""
    days = [day for s in series for day, _ in s.points]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    ticks = value_ticks(max((v for s in series for _, v in s.points), default=0))
    top_value = ticks[-1]
    x, y = _x_scale(first, last), _y_scale(top_value)
    drawn = []
    for s in series:
        commands, dots, previous = [], [], None
        for day, value in s.points:
            px, py = round(x(day), 1), round(y(value), 1)
            if previous is None:
                commands.append(f"M{px} {py}")
            else:
                commands.append(f"H{px} V{py}")
            dots.append((px, py))
            previous = (px, py)
        drawn.append(DrawnSeries(s.label, s.css_class, " ".join(commands), dots))
    y_ticks = [(round(y(value), 1), f"{value:g}") for value in ticks]
    return LineChart(
        title=title,
        description=description,
        width=WIDTH,
        height=HEIGHT,
        series=drawn,
        x_ticks=_x_ticks(first, last, x),
        y_ticks=y_ticks,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        top=TOP,
        bottom_edge=HEIGHT - BOTTOM,
    )

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


# --- Month charts: one point per calendar month, straight segments --------------------
#
# Monthly figures (means, totals) are not levels that hold until the next reading, so
# they are joined by straight lines. A month without a figure (nothing happened, or the
# figure is withheld) breaks the line rather than being drawn as zero.


@dataclass(frozen=True)
class MonthSeries:
    label: str
    css_class: str
    points: list[tuple[date, float | None]]  # (first day of the month, value or None)


def _month_x_ticks(months: list[date], x) -> list[tuple[float, str, str]]:
    """Up to six month labels, spread evenly, the ends anchored inside the chart."""
    if len(months) == 1:
        return [(round(x(months[0]), 1), f"{months[0]:%b %Y}", "middle")]
    picks = list(dict.fromkeys(round(i * (len(months) - 1) / 5) for i in range(6)))
    ticks = []
    for index, pick in enumerate(picks):
        anchor = "start" if index == 0 else "end" if index == len(picks) - 1 else "middle"
        ticks.append((round(x(months[pick]), 1), f"{months[pick]:%b %Y}", anchor))
    return ticks


def _month_path(
    points: list[tuple[date, float | None]], x, y
) -> tuple[str, list[tuple[float, float]]]:
    commands, dots, pen_down = [], [], False
    for month, value in points:
        if value is None:
            pen_down = False
            continue
        px, py = round(x(month), 1), round(y(value), 1)
        commands.append(f"{'L' if pen_down else 'M'}{px} {py}")
        dots.append((px, py))
        pen_down = True
    return " ".join(commands), dots


def month_line_chart(
    series: list[MonthSeries],
    *,
    title: str,
    description: str,
    top: float | None = None,
    intervals: int = 4,
) -> LineChart:
    """Monthly values on shared axes; `top` fixes the value axis (a 1–5 rating, say)."""
    months = sorted({month for s in series for month, _ in s.points})
    if not months:
        months = [date.today().replace(day=1)]
    largest = top or max((v for s in series for _, v in s.points if v is not None), default=0)
    ticks = value_ticks(largest, intervals=intervals)
    first, last = months[0], months[-1]
    if first == last:  # a single month sits in the middle of the chart
        usable = WIDTH - LEFT - RIGHT
        x = lambda day: LEFT + usable / 2  # noqa: E731
    else:
        x = _x_scale(first, last)
    y = _y_scale(ticks[-1])
    drawn = []
    for s in series:
        path, dots = _month_path(s.points, x, y)
        drawn.append(DrawnSeries(s.label, s.css_class, path, dots))
    return LineChart(
        title=title,
        description=description,
        width=WIDTH,
        height=HEIGHT,
        series=drawn,
        x_ticks=_month_x_ticks(months, x),
        y_ticks=[(round(y(value), 1), f"{value:g}") for value in ticks],
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        top=TOP,
        bottom_edge=HEIGHT - BOTTOM,
    )


# --- Bar charts: one labelled horizontal bar per row ---------------------------------
#
# The label sits above its bar, so long labels (skill names) need no margin and the
# chart still reads on a phone. A bar whose figure is withheld is drawn as an empty
# outline with the caller's text ("fewer than 5") instead of a length.

BAR_ROW, BAR_THICKNESS, BAR_TEXT_ROOM = 52, 16, 150


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: the figure is withheld
    text: str  # written after the bar: the figure, or why there is none


@dataclass(frozen=True)
class DrawnBar:
    label: str
    text: str
    label_y: float
    bar_y: float
    length: float
    text_x: float
    withheld: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    bar_thickness: int
    left: int
    css_class: str
    bars: list[DrawnBar]


def bar_chart(bars: list[Bar], *, title: str, description: str, css_class: str = "bar") -> BarChart:
    """Horizontal bars scaled to the largest shown value."""
    left = 4
    usable = WIDTH - left - BAR_TEXT_ROOM
    largest = max((bar.value for bar in bars if bar.value is not None), default=0)
    drawn = []
    for index, bar in enumerate(bars):
        top = index * BAR_ROW
        if bar.value is None or largest <= 0:
            length = 0.0
        else:
            # Even the smallest shown figure gets a visible sliver.
            length = round(max(usable * bar.value / largest, 2), 1)
        drawn.append(
            DrawnBar(
                label=bar.label,
                text=bar.text,
                label_y=top + 20,
                bar_y=top + 28,
                length=length,
                text_x=round(left + (length if bar.value is not None else 24) + 8, 1),
                withheld=bar.value is None,
            )
        )
    return BarChart(
        title=title,
        description=description,
        width=WIDTH,
        height=max(len(bars), 1) * BAR_ROW,
        bar_thickness=BAR_THICKNESS,
        left=left,
        css_class=css_class,
        bars=drawn,
    )

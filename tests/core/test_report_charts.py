"""The bar and month charts drawn on the server (core/charts.py)."""

from datetime import date

from twoway.core.charts import BAR_ROW, Bar, MonthSeries, bar_chart, month_line_chart


def test_bars_scale_to_the_largest_and_a_withheld_bar_has_no_length():
    chart = bar_chart(
        [Bar("Big", 10, "10"), Bar("Half", 5, "5"), Bar("Hidden", None, "fewer than 5 people")],
        title="t",
        description="d",
    )
    big, half, hidden = chart.bars
    assert half.length == big.length / 2
    assert hidden.withheld and hidden.length == 0 and hidden.text == "fewer than 5 people"
    assert chart.height == 3 * BAR_ROW  # one row per bar


def test_a_month_without_a_figure_breaks_the_line_instead_of_dropping_to_zero():
    months = [date(2026, m, 1) for m in (9, 10, 11)]
    chart = month_line_chart(
        [MonthSeries("Fit", "fit", list(zip(months, [4.0, None, 3.0], strict=True)))],
        title="t",
        description="d",
        top=5,
        intervals=5,
    )
    (series,) = chart.series
    assert series.path.count("M") == 2 and "L" not in series.path
    assert len(series.dots) == 2
    assert [label for _, label in chart.y_ticks] == ["0", "1", "2", "3", "4", "5"]
    assert [label for _, label, _ in chart.x_ticks] == ["Sep 2026", "Oct 2026", "Nov 2026"]


def test_a_single_month_sits_in_the_middle():
    chart = month_line_chart(
        [MonthSeries("Value", "senior", [(date(2026, 9, 1), 12)])], title="t", description="d"
    )
    (x, label, anchor) = chart.x_ticks[0]
    assert (label, anchor) == ("Sep 2026", "middle")
    assert chart.series[0].dots[0][0] == x

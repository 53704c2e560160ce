"""Server-rendered SVG chart geometry (no JavaScript, no external assets).

Widths and x positions are percentages of the chart's width, heights are
pixels, so a chart fills a 360 px phone as well as a desktop while its text
keeps a readable size. Numbers are pre-formatted here: templates would
localise decimals ("37,5") inside SVG attributes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vigil.stats.aggregate import SafeTable

ROW = 44  # px per bar in a horizontal chart
BAR = 14
PLOT = 160  # px of column height in a trend chart
MAX_PCT = 80.0  # leave room for the value printed after the longest bar
# A label longer than this wraps onto more lines (never cut at the chart's edge): it
# fits a phone's width in the dashboard and an A4 column in the PDF report.
LABEL_CHARS = 56
LINE = 13  # px per extra line of a wrapped label


def label_lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    return textwrap.wrap(label, width, break_on_hyphens=False) or [label]


def _pct(value: float) -> str:
    return f"{value:.3f}"


def shown(value: int | None) -> str:
    return _("hidden") if value is None else str(value)


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    hidden: bool
    width: str
    y_label: int
    y_bar: int
    y_text: int
    # The label wrapped: (line, y) for each line; y_label is the first line's y.
    lines: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int


def bar_chart(table: SafeTable) -> BarChart:
    series = table.series()
    top = max((v for _h, v in series if v is not None), default=0)
    bars = []
    y = 0
    for heading, value in series:
        width = MAX_PCT * value / top if value and top else 0.0
        wrapped = label_lines(heading.label)
        extra = (len(wrapped) - 1) * LINE
        bars.append(
            Bar(
                heading.label,
                shown(value),
                value is None,
                _pct(width),
                y + 15,
                y + 21 + extra,
                y + 33 + extra,
                tuple((line, y + 15 + n * LINE) for n, line in enumerate(wrapped)),
            )
        )
        y += ROW + extra
    return BarChart(bars, max(y, ROW))


@dataclass(frozen=True)
class Column:
    label: str
    text: str
    hidden: bool
    x: str
    width: str
    y: int
    height: int
    tick: str  # label under the axis, or "" when this column has none
    tick_x: str


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    height: int
    axis_y: int
    tick_y: int


def column_chart(table: SafeTable) -> ColumnChart:
    """Vertical columns (a trend by month); the first, the last and each January are labelled."""
    series = table.series()
    top = max((v for _h, v in series if v is not None), default=0)
    n = max(len(series), 1)
    slot = 100.0 / n
    columns = []
    for i, (heading, value) in enumerate(series):
        hidden = value is None
        height = 6 if hidden else (round(PLOT * value / top) if value and top else 0)
        code = heading.code
        tick = code if (n <= 4 or i in (0, n - 1) or code.endswith("-01")) else ""
        columns.append(
            Column(
                heading.label,
                shown(value),
                hidden,
                _pct(i * slot + slot * 0.15),
                _pct(slot * 0.7),
                10 + PLOT - height,
                height,
                tick,
                _pct(i * slot + slot / 2),
            )
        )
    return ColumnChart(columns, PLOT + 50, PLOT + 10, PLOT + 28)

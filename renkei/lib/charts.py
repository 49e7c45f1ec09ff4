"""Server-rendered SVG charts: no JavaScript, no CDN, labelled so they read without colour.

Every chart is drawn beside a table with the same figures (the template does both). Charts
are drawn at about the width of a phone (a viewBox of 400) and never scaled up beyond it, so
their text reads at the same size on a phone and on a desktop; every label is measured
(``text_width``) and placed where it fits: a bar's label on its own lines above the bar,
wrapped rather than cut; a line chart's y-axis as wide as its longest tick, its years
shortened (R4) when the full 令和4年度 would touch its neighbour, and point labels
alternately above and below when neighbours would overlap.
"""

import math
import unicodedata
from dataclasses import dataclass, field

WIDTH = 400
FONT = 13  # px, the charts' text (renkei.css .chart text)
SMALL = 11  # px, values on points and the counts under years


def text_width(text, size=FONT):
    """The width of ``text`` in px at ``size``: a full-width character (漢字, かな, 全角) is one
    em, others about 0.6 em. Generous, so what fits here fits on the page."""
    return sum(
        size if unicodedata.east_asian_width(ch) in "WF" else size * 0.62 for ch in str(text)
    )


def wrap(text, width, size=FONT, max_lines=3):
    """``text`` in lines no wider than ``width`` px, broken between characters (Japanese has
    no spaces to wait for) and after 、・（ where one falls near the end of a line."""
    lines, line = [], ""
    for ch in str(text):
        if line and text_width(line + ch, size) > width:
            cut = max(line.rfind(c) for c in "、・（ ")
            if cut > len(line) // 2 and line[cut] != "（":
                lines.append(line[: cut + 1])
                line = line[cut + 1 :]
            elif cut > len(line) // 2:
                lines.append(line[:cut])
                line = line[cut:]
            else:
                lines.append(line)
                line = ""
        line += ch
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], "".join(lines[max_lines - 1 :])]
        last = lines[-1]
        while text_width(last + "…", size) > width and len(last) > 1:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]


@dataclass
class Bar:
    label: str
    value_label: str
    y: float  # the bar's top
    width: float
    text_y: float  # the middle of the bar, where its value is printed
    kind: str = ""  # a CSS class: "part" draws an outline (a group of 内数 only, not zero)
    lines: list = field(default_factory=list)  # (y, text) of the label's lines above the bar


@dataclass
class BarChart:
    title: str
    width: int
    height: int
    label_width: int  # kept for templates that indent by it: the bars start at 0
    bars: list = field(default_factory=list)
    bar_height: int = 18


PART_WIDTH = 14  # the outline drawn for a group that has only 内数 amounts
LINE_HEIGHT = 17


def horizontal_bars(title, items, *, width=WIDTH, label_width=0, row_height=None, largest=None):
    """items: (label, value, value_label) or (label, value, value_label, kind). Bars scale to
    the largest value. ``kind`` "part" marks a group with no amount of its own, only 内数
    lines: it is drawn as a small outline with its label (「内数のみ 3 件」), never as a
    zero-length bar. ``largest`` sets the scale, so charts drawn side by side compare.

    Each label stands on its own lines above its bar (wrapped, never cut off), and the bars
    leave room on the right for the longest value printed beside them."""
    items = [tuple(item) + ("",) * (4 - len(item)) for item in items]
    largest = largest or max((value for _label, value, _text, _kind in items), default=0) or 1
    value_room = max((text_width(text) for _l, _v, text, _k in items), default=0) + 10
    room = max(width * 0.4, width - value_room)
    bars, y = [], 4
    for label, value, text, kind in items:
        lines = wrap(label, width - 2)
        label_lines = [(y + FONT + i * LINE_HEIGHT, line) for i, line in enumerate(lines)]
        bar_y = y + len(lines) * LINE_HEIGHT + 4
        bars.append(
            Bar(
                label=str(label),
                value_label=str(text),
                y=bar_y,
                width=(
                    PART_WIDTH
                    if kind == "part" and not value
                    else max(1.0, room * value / largest)
                    if value
                    else 0
                ),
                text_y=bar_y + 9,
                kind=kind,
                lines=label_lines,
            )
        )
        y = bar_y + 18 + 10
    return BarChart(
        title=str(title),
        width=width,
        height=max(30, math.ceil(y)),
        label_width=label_width,
        bars=bars,
    )


@dataclass
class Point:
    x: float
    y: float
    label: str  # the x value as given (a fiscal year)
    value_label: str
    label_y: float = 0  # where its value is printed: above the point, or below a neighbour's

    @property
    def corner(self):
        """The top-left corner of a square marker of 8 px centred on the point."""
        return (round(self.x - 4, 1), round(self.y - 4, 1))


@dataclass
class Series:
    name: str
    points: list
    path: str
    dash: str  # a dash pattern per series, so lines differ without colour
    marker: str  # circle / square / triangle


@dataclass
class LineChart:
    title: str
    width: int
    height: int
    x_labels: list
    y_ticks: list
    series: list
    counts: list = field(default_factory=list)  # (x, text): what each year's figure counts
    count_y: float = 0
    label_y: float = 0
    left: float = 60  # where the grid starts: right of the y-axis' longest label
    axis_x: float = 56  # where the y-axis' labels end


DASHES = ["", "6 4", "2 3", "10 3 2 3"]
MARKERS = ["circle", "square", "triangle", "diamond"]


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` with four even steps under it
    (65 → 80: ticks 0, 20, 40, 60, 80 rather than 16.25, 32.5…)."""
    if value <= 0:
        return 1
    step = value / 4
    power = 10 ** math.floor(math.log10(step))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= step:
            return factor * power * 4
    return value  # not reached


def line_chart(
    title,
    x_values,
    series,
    *,
    width=WIDTH,
    height=240,
    value_format=str,
    counts=None,
    x_format=str,
    x_short=None,
):
    """series: (name, {x: value}). Missing points break nothing; lines join known points.

    ``counts`` ({x: text}, e.g. "n=3") is printed under each year's label: how many
    communities the figures of that year are made of. ``x_format`` writes an x value under
    the axis (a fiscal year as 令和4年度), ``x_short`` when the labels would touch (R4)."""
    right, top, bottom = 16, 24, 36
    if counts:
        height += 16
        bottom += 16
    values = [v for _name, data in series for v in data.values() if v is not None]
    top_value = nice_ceiling(max(values, default=0))
    tick_values = [top_value * k / 4 for k in range(5)]
    tick_labels = [
        value_format(int(v) if float(v).is_integer() else round(v, 2)) for v in tick_values
    ]
    axis_x = max((text_width(t, SMALL) for t in tick_labels), default=0) + 6
    left = axis_x + 8
    span_x = max(1, len(x_values) - 1)

    def ends(labels):
        """Where the first and last years stand: their labels whole inside the chart."""
        half = max((text_width(label, 12) for label in labels), default=0) / 2 + 2
        return max(left, axis_x + half), width - max(right, half)

    labels = [str(x_format(x)) for x in x_values]
    first, last = ends(labels)
    spacing = (last - first) / span_x if len(x_values) > 1 else width
    if x_short and any(text_width(label, 12) > spacing - 6 for label in labels):
        labels = [str(x_short(x)) for x in x_values]
        first, last = ends(labels)

    def x_of(i):
        if len(x_values) == 1:
            return (first + last) / 2
        return first + (last - first) * i / span_x

    def y_of(v):
        return top + (height - top - bottom) * (1 - v / top_value)

    drawn = []
    for index, (name, data) in enumerate(series):
        points = [
            Point(x_of(i), y_of(data[x]), str(x), value_format(data[x]))
            for i, x in enumerate(x_values)
            if data.get(x) is not None
        ]
        for j, point in enumerate(points):
            crowded = j % 2 == 1 and any(
                text_width(p.value_label, SMALL) / 2 + text_width(point.value_label, SMALL) / 2
                > abs(p.x - point.x) - 4
                for p in points[j - 1 : j]
            )
            below = crowded or point.y - 10 < SMALL  # no room above the top of the plot
            point.label_y = round(point.y + 18 if below else point.y - 9, 1)
        path = " ".join(
            f"{'M' if j == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for j, p in enumerate(points)
        )
        drawn.append(
            Series(
                name=str(name),
                points=points,
                path=path,
                dash=DASHES[index % len(DASHES)],
                marker=MARKERS[index % len(MARKERS)],
            )
        )
    return LineChart(
        title=str(title),
        width=width,
        height=height,
        x_labels=[(x_of(i), label) for i, label in enumerate(labels)],
        y_ticks=[(y_of(v), label) for v, label in zip(tick_values, tick_labels, strict=True)],
        series=drawn,
        counts=[(x_of(i), str(counts[x])) for i, x in enumerate(x_values) if x in (counts or {})],
        count_y=height - 6,
        label_y=height - (24 if counts else 8),
        left=round(axis_x + 4, 1),
        axis_x=round(axis_x, 1),
    )

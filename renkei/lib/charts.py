"""Server-rendered SVG charts: no JavaScript, no CDN, labelled so they read without colour.

Every chart is drawn beside a table with the same figures (the template does both).
"""

from dataclasses import dataclass, field


@dataclass
class Bar:
    label: str
    value_label: str
    y: float
    width: float
    text_y: float
    kind: str = ""  # a CSS class: "part" draws an outline (a group of 内数 only, not zero)


@dataclass
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    bars: list = field(default_factory=list)


PART_WIDTH = 14  # the outline drawn for a group that has only 内数 amounts


def horizontal_bars(title, items, *, width=640, label_width=210, row_height=30, largest=None):
    """items: (label, value, value_label) or (label, value, value_label, kind). Bars scale to
    the largest value. ``kind`` "part" marks a group with no amount of its own, only 内数
    lines: it is drawn as a small outline with its label (「内数のみ 3 件」), never as a
    zero-length bar. ``largest`` sets the scale, so charts drawn side by side compare."""
    items = [tuple(item) + ("",) * (4 - len(item)) for item in items]
    largest = largest or max((value for _label, value, _text, _kind in items), default=0) or 1
    room = width - label_width - 150
    bars = [
        Bar(
            label=str(label),
            value_label=str(text),
            y=i * row_height + 4,
            width=(
                PART_WIDTH
                if kind == "part" and not value
                else max(1.0, room * value / largest)
                if value
                else 0
            ),
            text_y=i * row_height + row_height / 2 + 4,
            kind=kind,
        )
        for i, (label, value, text, kind) in enumerate(items)
    ]
    return BarChart(
        title=str(title),
        width=width,
        height=max(row_height, len(items) * row_height + 8),
        label_width=label_width,
        bars=bars,
    )


@dataclass
class Point:
    x: float
    y: float
    label: str
    value_label: str


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


DASHES = ["", "6 4", "2 3", "10 3 2 3"]
MARKERS = ["circle", "square", "triangle", "diamond"]


def line_chart(title, x_values, series, *, width=640, height=260, value_format=str, counts=None):
    """series: (name, {x: value}). Missing points break nothing; lines join known points.

    ``counts`` ({x: text}, e.g. "n=3") is printed under each year's label: how many
    communities the figures of that year are made of."""
    left, right, top, bottom = 60, 20, 16, 36
    if counts:
        height += 16
        bottom += 16
    values = [v for _name, data in series for v in data.values() if v is not None]
    top_value = max(values, default=0) or 1
    span_x = max(1, len(x_values) - 1)

    def x_of(i):
        return left + (width - left - right) * i / span_x

    def y_of(v):
        return top + (height - top - bottom) * (1 - v / top_value)

    drawn = []
    for index, (name, data) in enumerate(series):
        points = [
            Point(x_of(i), y_of(data[x]), str(x), value_format(data[x]))
            for i, x in enumerate(x_values)
            if data.get(x) is not None
        ]
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
    ticks = [(y_of(top_value * k / 4), value_format(round(top_value * k / 4))) for k in range(5)]
    return LineChart(
        title=str(title),
        width=width,
        height=height,
        x_labels=[(x_of(i), str(x)) for i, x in enumerate(x_values)],
        y_ticks=ticks,
        series=drawn,
        counts=[(x_of(i), str(counts[x])) for i, x in enumerate(x_values) if x in (counts or {})],
        count_y=height - 6,
        label_y=height - (24 if counts else 8),
    )

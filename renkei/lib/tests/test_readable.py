"""Issue 12: figures as people read them — amounts in 億円 and 万円 beside the exact 千円,
counts without decimals, fiscal years typed and shown in 和暦 — and charts whose labels are
never cut off or laid over one another."""

import itertools
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from renkei.lib import charts, formats
from renkei.lib.forms import FiscalYearField, parse_fiscal_year


@pytest.fixture(autouse=True)
def japanese():
    with translation.override("ja"):
        yield


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (10000.0, "1,000万円"),
        (100000, "1億円"),
        (2000000, "20億円"),
        (3466178, "約34.7億円"),
        (15198000, "約152億円"),
        (12345, "約1,234.5万円"),
        (5, "5千円"),
    ],
)
def test_amounts_read_as_people_read_them(amount, shown):
    assert formats.readable_yen(amount) == shown


def test_a_rounded_amount_keeps_its_exact_figure_beside_it():
    assert formats.yen_with_exact(3466178) == "約34.7億円（3,466,178千円）"
    assert formats.yen_with_exact(500000) == "5億円"


def test_thresholds_read_in_their_unit_not_as_floats():
    from renkei.lib.templatetags import measures

    assert measures([10000, 50000, 100000, 2000000], "thousand_yen") == (
        "1,000万円 / 5,000万円 / 1億円 / 20億円"
    )
    assert measures([10.0, 30.0, 60, 100], "organizations") == "10 / 30 / 60 / 100"
    assert "10000.0" not in measures([10000.0], "thousand_yen")


def test_counts_in_a_csv_have_no_decimals():
    import io

    from renkei.lib.spreadsheets import write_csv

    stream = io.StringIO()
    write_csv(stream, ["n", "amount", "ratio"], [[Decimal("29.00"), 3.0, Decimal("2.50")]])
    assert stream.getvalue().splitlines()[-1] == "29,3,2.50"


@pytest.mark.parametrize(
    ("typed", "year"),
    [
        ("令和4", 2022),
        ("令和4年度", 2022),
        ("R4", 2022),
        ("r4", 2022),
        ("Ｒ４", 2022),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("H30", 2018),
        ("2022", 2022),
        ("２０２２年度", 2022),
        ("FY2022", 2022),
        ("令和4年度（2022）", 2022),
    ],
)
def test_a_fiscal_year_is_read_as_people_write_it(typed, year):
    assert parse_fiscal_year(typed) == year


def test_the_fiscal_year_field_cleans_to_the_western_year_and_shows_wareki():
    class Form(forms.Form):
        fiscal_year = FiscalYearField(label="年度")

    form = Form({"fiscal_year": "R5"})
    assert form.is_valid() and form.cleaned_data["fiscal_year"] == 2023
    bad = Form({"fiscal_year": "来年"})
    assert not bad.is_valid()
    assert "「令和4」「R4」「2022」" in bad.errors["fiscal_year"][0]
    assert 'value="令和4年度"' in str(Form(initial={"fiscal_year": 2022})["fiscal_year"])
    assert 'type="number"' not in str(Form()["fiscal_year"])


def test_every_form_where_a_fiscal_year_is_typed_uses_the_field():
    from renkei.communities.forms import RoundForm
    from renkei.maturity.forms import NewReportForm
    from renkei.programs.forms import RolloverForm

    for form in (RoundForm, NewReportForm, RolloverForm):
        assert isinstance(form.base_fields["fiscal_year"], FiscalYearField), form


def test_short_era_years_for_axes():
    assert formats.wareki_fiscal_year_short(2022) == "R4"
    assert formats.wareki_fiscal_year_short(2018) == "H30"


def _spans(chart):
    """(left, right, top, bottom) of every text the bar chart draws."""
    boxes = []
    for bar in chart.bars:
        for y, line in bar.lines:
            boxes.append((0, charts.text_width(line), y - charts.FONT, y))
        x = 8 + bar.width
        boxes.append((x, x + charts.text_width(bar.value_label), bar.text_y - 7, bar.text_y + 7))
    return boxes


def test_bar_labels_are_whole_inside_the_chart_and_never_overlap():
    chart = charts.horizontal_bars(
        "状態・種別ごとのコミュニティ数",
        [
            ("育成登録（地域バイオコミュニティ）", 1, "1"),
            ("認定（グローバルバイオコミュニティ）", 2, "2"),
            ("ものすごく長い名前の市場領域横断的なバイオ製造と一次生産等の組み合わせ", 6, "6"),
            ("文部科学省", 15198000, "約152億円＋内数 1 件"),
        ],
    )
    boxes = _spans(chart)
    assert all(left >= 0 and right <= chart.width for left, right, _t, _b in boxes)
    assert all(top >= 0 and bottom <= chart.height for _l, _r, top, bottom in boxes)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
            assert apart, (a, b)
    labels = ["".join(line for _y, line in bar.lines) for bar in chart.bars]
    assert labels[2] == "ものすごく長い名前の市場領域横断的なバイオ製造と一次生産等の組み合わせ"


def test_a_line_chart_keeps_its_axis_and_year_labels_inside_and_apart():
    years = [2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028]
    chart = charts.line_chart(
        "外部資金獲得額",
        years,
        [("長岡", {y: 3466178 + 1000 * i for i, y in enumerate(years)})],
        value_format=formats.readable_yen,
        x_format=formats.wareki_fiscal_year,
        x_short=formats.wareki_fiscal_year_short,
    )
    widths = [charts.text_width(label, 12) for _x, label in chart.x_labels]
    xs = [x for x, _label in chart.x_labels]
    assert chart.x_labels[0][1] == "R3"  # 令和3年度 would touch
    assert xs[0] - widths[0] / 2 >= 0 and xs[-1] + widths[-1] / 2 <= chart.width
    for (x1, w1), (x2, w2) in itertools.pairwise(zip(xs, widths, strict=True)):
        assert x1 + w1 / 2 < x2 - w2 / 2
    ticks = [label for _y, label in chart.y_ticks]
    assert max(charts.text_width(t, charts.SMALL) for t in ticks) <= chart.axis_x
    points = chart.series[0].points
    for a, b in itertools.pairwise(points):
        same_row = abs(a.label_y - b.label_y) < charts.SMALL
        wide = (
            charts.text_width(a.value_label, charts.SMALL) / 2
            + charts.text_width(b.value_label, charts.SMALL) / 2
        )
        assert not same_row or b.x - a.x >= wide
    assert all(p.label_y >= charts.SMALL for p in points)


def test_few_years_are_written_in_full_and_ticks_are_round():
    chart = charts.line_chart(
        "構成機関数",
        [2021, 2023, 2024, 2025],
        [("合計", {2021: 29, 2023: 42, 2024: 54, 2025: 65})],
        x_format=formats.wareki_fiscal_year,
        x_short=formats.wareki_fiscal_year_short,
    )
    assert [label for _x, label in chart.x_labels] == [
        "令和3年度",
        "令和5年度",
        "令和6年度",
        "令和7年度",
    ]
    assert [label for _y, label in chart.y_ticks] == ["0", "20", "40", "60", "80"]
    assert [p.label for p in chart.series[0].points] == ["2021", "2023", "2024", "2025"]


def test_a_list_is_joined_as_the_readers_language_lists_it():
    from renkei.lib.templatetags import listing

    assert listing(["共同研究", "技術指導"]) == "共同研究、技術指導"
    with translation.override("en"):
        assert listing(["Joint research", "Technical advice"]) == "Joint research, Technical advice"

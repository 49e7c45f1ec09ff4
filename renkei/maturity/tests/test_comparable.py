"""Figures compare like with like: a national trend sums the same communities every year,
a median of a kind needs three communities, and every chart's table and CSV carry the same
counts — over the default data and over generated reports."""

import csv
import io
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from renkei.communities.models import Community
from renkei.maturity.comparable import (
    MIN_MEDIAN_COUNT,
    comparable_trend,
    median_or_none,
    same_set_sums,
)
from renkei.maturity.models import Indicator, Report, ReportValue
from renkei.maturity.snapshots import community_view, national_view, refresh

# --- the rules, on generated series -----------------------------------------------------


def generated_series(rng):
    """{community: {year: value}} with gaps, late starters and one-year reporters."""
    years = list(range(2016, 2016 + rng.randint(1, 9)))
    series = {}
    for community in range(rng.randint(1, 25)):
        reported = [y for y in years if rng.random() < rng.choice([0.3, 0.7, 1.0])]
        series[f"c{community:02d}"] = {y: Decimal(rng.randint(0, 300)) for y in reported}
    return series


def runs(years):
    return [years[i : j + 1] for i in range(len(years)) for j in range(i, len(years))]


@pytest.mark.parametrize("seed", range(60))
def test_a_trend_sums_one_set_of_communities_and_keeps_the_most_values(seed):
    series = generated_series(random.Random(seed))  # noqa: S311 - seeded test data
    trend = comparable_trend(series)
    reported = {c: s for c, s in series.items() if s}
    if not reported:
        assert trend is None
        return
    # the same communities in every year of the chart, and exactly those that reported them all
    assert trend.panel == sorted(
        c for c, s in reported.items() if all(year in s for year in trend.years)
    )
    for year in trend.years:
        assert trend.totals[year] == sum(series[c][year] for c in trend.panel)
    # each year keeps its count of reporting communities; nobody disappears unnamed
    all_years = sorted({y for s in reported.values() for y in s})
    assert trend.reporting == {y: sum(1 for s in reported.values() if y in s) for y in all_years}
    assert set(trend.panel) | set(trend.left_out) == set(reported)
    assert trend.years_left_out == [y for y in all_years if y not in trend.years]
    # no other run of reporting years keeps more values (communities × years)
    best = len(trend.panel) * len(trend.years)
    for run in runs(all_years):
        size = sum(1 for s in reported.values() if all(y in s for y in run))
        assert size * len(run) <= best


def test_the_default_data_trend_is_nagaoka_alone_not_a_collapse_from_108_to_42():
    values = {"nagaoka": {2021: 29, 2023: 42, 2024: 54, 2025: 65}, "hokkaido": {2021: 37}}
    trend = comparable_trend({**values, "gtb": {2021: 42}})
    assert trend.years == [2021, 2023, 2024, 2025] and trend.panel == ["nagaoka"]
    assert [trend.totals[y] for y in trend.years] == [29, 42, 54, 65]
    assert trend.reporting == {2021: 3, 2023: 1, 2024: 1, 2025: 1}
    assert trend.left_out == {"gtb": [2021], "hokkaido": [2021]} and trend.gaps == [2022]


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], (None, 0)), ([5], (None, 1)), ([5, 9], (None, 2)), ([5, 9, 1], (5, 3)), ([1, 2, 3, 4], (2.5, 4))],
)  # fmt: skip
def test_a_median_needs_three_values_and_always_gives_its_count(values, expected):
    assert median_or_none(values) == expected
    assert MIN_MEDIAN_COUNT == 3


def test_sector_figures_come_from_one_year_and_one_set_of_communities():
    codes = ["a", "b"]
    series = {
        "a": {"x": {2024: 1, 2025: 2}, "y": {2025: 10}},
        "b": {"x": {2024: 3, 2025: 4}, "y": {2024: 30}},
    }
    assert same_set_sums(series, codes) == (2025, ["x"], {"a": 2, "b": 4})
    assert same_set_sums({"a": series["a"]}, codes) == (None, [], {})


# --- the pages, the CSVs and the API over the default data ---------------------------------


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_national_page_shows_one_set_of_communities_and_says_what_changed(client):
    page = html(client.get(reverse("maturity:national")))
    assert ">108<" not in page  # the sum of three communities in 令和3年度
    assert "令和3年度〜令和7年度の各年度に報告した 1 コミュニティ（長岡バイオコミュニティ）の合計です。" in page  # fmt: skip
    assert (
        "北海道プライムバイオコミュニティは令和3年度に報告していますが、上の各年度には揃っていないため含めていません。"
        in page
    )
    assert "令和4年度はどのコミュニティも報告していません。" in page
    assert page.count('class="count"') == 4 and ">n=1</text>" in page
    assert "令和3年度〜令和7年度の情報です。" in page


def test_the_national_csv_and_api_carry_the_counts_the_page_shows(client):
    text = client.get(reverse("maturity:national_csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text.split("\r\n", 1)[1])))
    assert [(r["fiscal_year"], r["same_set_total"], r["same_set_communities"], r["communities_reporting"]) for r in rows if r["indicator"] == "members_total"] == [
        ("2021", "29", "1", "3"), ("2023", "42", "1", "1"), ("2024", "54", "1", "1"), ("2025", "65", "1", "1"),
    ]  # fmt: skip
    trend = client.get("/api/maturity/national").json()["trends"]["members_total"]
    assert trend["communities"] == 1 and trend["reporting"]["2021"] == 3
    assert trend["totals"] == {"2021": 29, "2023": 42, "2024": 54, "2025": 65}


def test_the_dashboard_withholds_a_median_of_two_and_says_so(client):
    page = html(client.get(reverse("maturity:dashboard", args=["nagaoka"])))
    assert "示しません（3 未満）" in page
    assert "同じ種別の中央値" not in page.split("<figcaption", 1)[1].split("</figcaption>")[0]


# --- generated reports, end to end ---------------------------------------------------------


@pytest.fixture
def generated_reports():
    """12 more communities reporting random indicators in random years, accepted."""
    rng = random.Random(15)  # noqa: S311 - seeded test data
    indicators = list(Indicator.objects.active().filter(automatic=""))[:5]
    for number in range(12):
        community = Community.objects.create(
            slug=f"gen-{number:02d}",
            name=f"生成コミュニティ{number:02d}",
            kind=rng.choice(["regional", "regional", "global"]),
            status="certified",
        )
        for year in range(2019, 2026):
            if rng.random() < 0.55:
                continue
            report = Report.objects.create(community=community, fiscal_year=year, state="accepted")
            for indicator in indicators:
                if rng.random() < 0.7:
                    ReportValue.objects.create(
                        report=report, indicator=indicator, value=rng.randint(0, 120)
                    )
    refresh()


def test_no_national_chart_mixes_sets_of_communities(client, generated_reports):
    response = client.get(reverse("maturity:national"))
    assert response.status_code == 200
    data = national_view()["data"]
    for trend in response.context["trends"]:
        code = trend["indicator"].code
        figures = data["trends"][code]
        (series,) = trend["chart"].series
        assert [p.label for p in series.points] == figures["years"]
        assert {label for _x, label in trend["chart"].counts} == {f"n={figures['communities']}"}
        counted = [
            (year, counted) for year, value, counted, _n in trend["rows"] if value is not None
        ]
        assert counted == [(year, figures["communities"]) for year in figures["years"]]
    text = client.get(reverse("maturity:national_csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text.split("\r\n", 1)[1])))
    for code, figures in data["trends"].items():
        mine = [r for r in rows if r["indicator"] == code]
        assert {r["same_set_communities"] for r in mine if r["same_set_total"]} == {
            str(figures["communities"])
        }
        assert {r["fiscal_year"]: int(r["communities_reporting"]) for r in mine} == {
            y: n for y, n in figures["reporting"].items()
        }


def test_no_dashboard_shows_a_median_of_fewer_than_three(client, generated_reports):
    for community in Community.objects.all():
        view = community_view(community)
        for panel in view["panels"]:
            for year, median in panel["medians"].items():
                assert median is None or panel["median_counts"][year] >= MIN_MEDIAN_COUNT
        text = client.get(reverse("maturity:dashboard_csv", args=[community.slug])).content
        for row in csv.DictReader(io.StringIO(text.decode().split("\r\n", 1)[1])):
            count = int(row["communities_of_kind_reporting"])
            assert (row["median_of_kind"] != "") == (count >= MIN_MEDIAN_COUNT), row
        api = client.get(f"/api/maturity/communities/{community.slug}").json()
        for panel in api["indicators"]:
            for year, median in panel["median_of_kind"].items():
                counted = panel["communities_of_kind_reporting"][year]
                assert median is None or counted >= MIN_MEDIAN_COUNT


@pytest.mark.parametrize("url", ["/maturity/", "/maturity/communities/nagaoka/"])
def test_the_figures_pages_work_without_javascript_and_read_in_order(client, url):
    from renkei.councils.tests.test_accessibility import check

    check(client.get(url).content.decode())

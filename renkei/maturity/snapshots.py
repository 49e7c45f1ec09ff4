"""The maturity assessment, and the snapshots the dashboards read.

Assessment (ADR 0003): each active indicator's latest accepted value reaches a level 0–4 by
its thresholds; an indicator not reported counts 0 (no evidence). A category's score is the
mean level of its indicators; the overall score the mean of the four categories; the stage
is 1 + the whole part of the score (1 形成期 … 5 成熟期). The explanation keeps every step.

``refresh()`` recomputes the snapshots from accepted reports; dashboards read only them.
``community_view`` and ``national_view`` build the same figures either from the snapshots
(what pages do) or live from the reports (what the benchmark compares against).
"""

import statistics
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.communities.models import Community, CommunityMember
from renkei.maturity.comparable import MIN_MEDIAN_COUNT, comparable_trend, same_set_sums
from renkei.maturity.models import (
    Category,
    CountedValue,
    Indicator,
    MaturitySnapshot,
    MedianSnapshot,
    NationalSnapshot,
    Report,
    ReportValue,
    ValueSnapshot,
)
from renkei.regions.models import SECTOR_OF_KIND, Sector

STAGES = {
    1: _("形成期"),
    2: _("立ち上がり期"),
    3: _("成長期"),
    4: _("発展期"),
    5: _("成熟期"),
}
SECTOR_INDICATORS = {
    "industry": "members_industry",
    "academia": "members_academia",
    "government": "members_government",
    "finance": "members_finance",
}


def _number(value):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def live_values(community_ids=None):
    """(community, indicator, fiscal year, value) of every accepted report value, and of the
    indicators renkei counts itself."""
    queryset = ReportValue.objects.filter(report__state=Report.State.ACCEPTED)
    if community_ids is not None:
        queryset = queryset.filter(report__community_id__in=community_ids)
    return list(
        queryset.values_list("report__community_id", "indicator_id", "report__fiscal_year", "value")
    ) + automatic_values(community_ids)


def automatic_values(community_ids=None):
    """Values renkei counts itself (e.g. agreements through matching), as the counting app
    reported them."""
    queryset = CountedValue.objects.filter(indicator__retired_on__isnull=True)
    if community_ids is not None:
        queryset = queryset.filter(community_id__in=community_ids)
    return list(
        queryset.order_by("community_id", "fiscal_year").values_list(
            "community_id", "indicator_id", "fiscal_year", "value"
        )
    )


def snapshot_values(community_ids=None):
    queryset = ValueSnapshot.objects.all()
    if community_ids is not None:
        queryset = queryset.filter(community_id__in=community_ids)
    return list(queryset.values_list("community_id", "indicator_id", "fiscal_year", "value"))


def assess(indicators, values):
    """The maturity of one community from its (indicator, fiscal year, value) rows."""
    latest = {}
    for indicator_id, year, value in values:
        if indicator_id not in latest or year > latest[indicator_id][0]:
            latest[indicator_id] = (year, value)
    rows, by_category = [], defaultdict(list)
    for indicator in indicators:
        year, value = latest.get(indicator.pk, (None, None))
        level = indicator.level(value) if value is not None else 0
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "category": indicator.category,
                "value": _number(value) if value is not None else None,
                "fiscal_year": year,
                "thresholds": indicator.thresholds,
                "level": level,
            }
        )
        by_category[indicator.category].append(level)
    categories = []
    for category in Category:
        levels = by_category.get(category.value, [])
        score = round(sum(levels) / len(levels), 2) if levels else 0.0
        categories.append(
            {
                "category": category.value,
                "label": str(category.label),
                "score": score,
                "stage": min(5, 1 + int(score)),
                "reported": sum(
                    1 for r in rows if r["category"] == category.value and r["value"] is not None
                ),
                "indicators": len(levels),
            }
        )
    reported = sum(1 for r in rows if r["value"] is not None)
    overall = round(sum(c["score"] for c in categories) / len(categories), 2) if categories else 0.0
    stage = min(5, 1 + int(overall)) if reported else None
    return {
        "stage": stage,
        "stage_label": str(STAGES[stage]) if stage else "",
        "score": overall,
        "reported": reported,
        "indicators": len(rows),
        "categories": categories,
        "rows": rows,
    }


def _medians(values, kind_of):
    grouped = defaultdict(list)
    for community_id, indicator_id, year, value in values:
        grouped[(kind_of[community_id], indicator_id, year)].append(value)
    return {key: (statistics.median(items), len(items)) for key, items in grouped.items()}


def _trend_out(trend, named):
    """A Trend as JSON: years as strings, communities as (slug, name)."""
    return {
        "years": [str(y) for y in trend.years],
        "totals": {str(y): _number(v) for y, v in trend.totals.items()},
        "communities": len(trend.panel),
        "panel": [named[c] for c in trend.panel],
        "reporting": {str(y): n for y, n in sorted(trend.reporting.items())},
        "left_out": [[*named[c], [str(y) for y in years]] for c, years in trend.left_out.items()],
        "years_left_out": [str(y) for y in trend.years_left_out],
        "gaps": [str(y) for y in trend.gaps],
    }


def _national(values, indicators, communities):
    by_code = {i.pk: i.code for i in indicators}
    named = {c.pk: [c.slug, c.name] for c in communities}
    status_kind = defaultdict(int)
    for community in communities:
        status_kind[(community.status, community.kind)] += 1
    series = defaultdict(lambda: defaultdict(dict))  # code → community → year → value
    for community_id, indicator_id, year, value in values:
        if indicator_id in by_code and community_id in named:
            series[by_code[indicator_id]][community_id][year] = value
    trends = {}
    for code, by_community in series.items():
        trend = comparable_trend(by_community)
        if trend:
            trends[code] = _trend_out(trend, named)
    sector_year, sector_communities, sector_sums = same_set_sums(
        series, list(SECTOR_INDICATORS.values())
    )
    named_members = defaultdict(int)
    for kind in CommunityMember.objects.filter(left_on__isnull=True).values_list(
        "organization__kind", flat=True
    ):
        named_members[SECTOR_OF_KIND.get(kind, Sector.OTHER).value] += 1
    prefectures = defaultdict(int)
    for community in communities:
        for code in community.prefecture_codes:
            prefectures[code] += 1
    stages = defaultdict(int)
    for snapshot in MaturitySnapshot.objects.values_list("stage", flat=True):
        stages[snapshot or 0] += 1
    return {
        "status_kind": [
            [status, kind, count] for (status, kind), count in sorted(status_kind.items())
        ],
        # every indicator and year: how many communities reported (accepted values)
        "reporting": {
            code: {
                str(year): n
                for year, n in sorted(
                    Counter(y for values in by_community.values() for y in values).items()
                )
            }
            for code, by_community in sorted(series.items())
        },
        "trends": trends,
        "members_reported": {
            "fiscal_year": sector_year,
            "communities": [named[c] for c in sector_communities],
            "by_sector": {
                sector: _number(sector_sums[code]) if sector_sums else None
                for sector, code in SECTOR_INDICATORS.items()
            },
        },
        "members_named": dict(named_members),
        "prefectures": dict(prefectures),
        "stages": {str(k): v for k, v in sorted(stages.items())},
        "communities": len(communities),
    }


def _communities():
    communities = list(Community.objects.prefetch_related("prefectures"))
    for community in communities:
        community.prefecture_codes = [p.code for p in community.prefectures.all()]
    return communities


@transaction.atomic
def refresh(community_ids=None, progress=None):
    """Recompute the snapshots (of some communities, or all) from accepted reports."""
    now = timezone.now()
    indicators = list(Indicator.objects.active())
    communities = _communities()
    targets = [c for c in communities if community_ids is None or c.pk in community_ids]
    values = live_values(None if community_ids is None else [c.pk for c in targets])
    stale = ValueSnapshot.objects.all()
    if community_ids is not None:
        stale = stale.filter(community_id__in=community_ids)
    stale.delete()
    ValueSnapshot.objects.bulk_create(
        (
            ValueSnapshot(community_id=c, indicator_id=i, fiscal_year=y, value=v)
            for c, i, y, v in values
        ),
        batch_size=5000,
    )
    per_community = defaultdict(list)
    for community_id, indicator_id, year, value in values:
        per_community[community_id].append((indicator_id, year, value))
    MaturitySnapshot.objects.filter(community__in=targets).delete()
    snapshots = []
    for done, community in enumerate(targets, start=1):
        assessment = assess(indicators, per_community.get(community.pk, []))
        snapshots.append(
            MaturitySnapshot(
                community=community,
                stage=assessment["stage"],
                score=Decimal(str(assessment["score"])),
                explanation=assessment,
                computed_at=now,
            )
        )
        if progress and done % 50 == 0:
            progress(done, len(targets))
    MaturitySnapshot.objects.bulk_create(snapshots, batch_size=1000)
    all_values = snapshot_values()
    kind_of = {c.pk: c.kind for c in communities}
    MedianSnapshot.objects.all().delete()
    MedianSnapshot.objects.bulk_create(
        (
            MedianSnapshot(
                kind=kind, indicator_id=indicator_id, fiscal_year=year, median=median, count=count
            )
            for (kind, indicator_id, year), (median, count) in _medians(all_values, kind_of).items()
        ),
        batch_size=5000,
    )
    NationalSnapshot.objects.all().delete()
    NationalSnapshot.objects.create(
        data=_national(all_values, indicators, communities), computed_at=now
    )
    if progress:
        progress(len(targets), len(targets))
    return len(targets)


def community_view(community, *, live=False):
    """Everything a community dashboard shows: per indicator, its series, the median series
    of the community's kind with the number of communities of that kind that reported each
    year (the median only where at least MIN_MEDIAN_COUNT did), and the maturity with its
    explanation."""
    indicators = list(Indicator.objects.active())
    if live:
        rows = live_values([community.pk])
        all_values = live_values()
        kind_of = dict(Community.objects.values_list("pk", "kind"))
        medians = {
            (indicator_id, year): (median, count)
            for (kind, indicator_id, year), (median, count) in _medians(all_values, kind_of).items()
            if kind == community.kind
        }
        maturity = assess(indicators, [(i, y, v) for _c, i, y, v in rows])
        computed_at = timezone.now()
    else:
        rows = snapshot_values([community.pk])
        medians = {
            (indicator_id, year): (median, count)
            for indicator_id, year, median, count in MedianSnapshot.objects.filter(
                kind=community.kind
            ).values_list("indicator_id", "fiscal_year", "median", "count")
        }
        snapshot = MaturitySnapshot.objects.filter(community=community).first()
        maturity = snapshot.explanation if snapshot else assess(indicators, [])
        computed_at = snapshot.computed_at if snapshot else None
    series = defaultdict(dict)
    for _community, indicator_id, year, value in rows:
        series[indicator_id][year] = value
    panels = []
    for indicator in indicators:
        own = series.get(indicator.pk, {})
        years = sorted(set(own) | {y for (i, y) in medians if i == indicator.pk and own})
        counts = {y: medians.get((indicator.pk, y), (None, 0))[1] for y in years}
        panels.append(
            {
                "indicator": indicator,
                "years": years,
                "values": own,
                "medians": {
                    y: medians[(indicator.pk, y)][0] if counts[y] >= MIN_MEDIAN_COUNT else None
                    for y in years
                },
                "median_counts": counts,
            }
        )
    return {
        "community": community,
        "panels": panels,
        "maturity": maturity,
        "computed_at": computed_at,
    }


def national_view(*, live=False):
    indicators = list(Indicator.objects.active())
    if live:
        communities = _communities()
        data = _national(live_values(), indicators, communities)
        computed_at = timezone.now()
    else:
        snapshot = NationalSnapshot.objects.order_by("-computed_at").first()
        data = snapshot.data if snapshot else _national([], indicators, [])
        computed_at = snapshot.computed_at if snapshot else None
    return {"data": data, "indicators": indicators, "computed_at": computed_at}

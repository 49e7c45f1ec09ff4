"""Open data of the maturity indicators: definitions, accepted values, dashboards' figures."""

import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from renkei.communities.models import Community
from renkei.maturity.models import Indicator, Report, ReportValue
from renkei.maturity.snapshots import community_view, national_view

router = Router(tags=["maturity"])


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    unit: str
    category: str
    higher_is_better: bool
    how_counted: str
    thresholds: list[float]
    automatic: str
    retired: bool


class ValueOut(Schema):
    community: str
    indicator: str
    fiscal_year: int
    value: float
    source: str


class ValuesOut(Schema):
    licence: str
    values: list[ValueOut]


class PanelOut(Schema):
    indicator: str
    values: dict[str, float]
    median_of_kind: dict[str, float | None] = Field(
        description="同じ種別の中央値。報告したコミュニティが3未満の年度は null"
    )
    communities_of_kind_reporting: dict[str, int] = Field(
        description="年度ごとに、同じ種別で値を報告したコミュニティの数"
    )


class CommunityMaturityOut(Schema):
    licence: str
    community: str
    kind: str
    stage: int | None
    stage_label: str
    score: float
    explanation: dict
    indicators: list[PanelOut]


class TrendOut(Schema):
    years: list[str] = Field(description="推移の年度（同じコミュニティがすべて報告した年度）")
    totals: dict[str, float] = Field(description="年度ごとの、同じコミュニティの合計")
    communities: int = Field(description="合計したコミュニティの数（どの年度も同じ）")
    panel: list[list[str]] = Field(description="合計したコミュニティ（slug, 名称）")
    reporting: dict[str, int] = Field(description="年度ごとに値を報告したコミュニティの数")
    left_out: list[list] = Field(description="含めていないコミュニティ（slug, 名称, 報告年度）")
    years_left_out: list[str]
    gaps: list[str] = Field(description="推移の途中で、どのコミュニティも報告していない年度")


class NationalOut(Schema):
    licence: str
    reporting: dict[str, dict[str, int]] = Field(
        description="指標ごと・年度ごとの、値を報告したコミュニティの数"
    )
    trends: dict[str, TrendOut] = Field(
        description="指標ごとの推移（年度をまたいで同じコミュニティの合計）"
    )
    computed_at: datetime.datetime | None
    figures: dict


def _indicator_out(indicator):
    return {
        **{f: getattr(indicator, f) for f in IndicatorOut.model_fields if f != "retired"},
        "retired": indicator.retired_on is not None,
    }


@router.get("/maturity/indicators", response=list[IndicatorOut], summary="成熟度把握指標の定義")
def indicators(request):
    return [_indicator_out(i) for i in Indicator.objects.all()]


@router.get("/maturity/values", response=ValuesOut, summary="受理された指標値（オープンデータ）")
def values(request, community: str | None = None):
    queryset = ReportValue.objects.filter(report__state=Report.State.ACCEPTED).select_related(
        "report__community", "indicator"
    )
    if community:
        queryset = queryset.filter(report__community__slug=community)
    return {
        "licence": settings.RENKEI_DATA_LICENCE,
        "values": [
            {
                "community": v.report.community.slug,
                "indicator": v.indicator.code,
                "fiscal_year": v.report.fiscal_year,
                "value": float(v.value),
                "source": v.source or v.report.source,
            }
            for v in queryset.order_by(
                "report__community__slug", "indicator__order", "report__fiscal_year"
            )
        ],
    }


@router.get(
    "/maturity/communities/{slug}",
    response=CommunityMaturityOut,
    summary="コミュニティの成熟度と推移",
)
def community(request, slug: str):
    view = community_view(get_object_or_404(Community, slug=slug))
    maturity = view["maturity"]
    return {
        "licence": settings.RENKEI_DATA_LICENCE,
        "community": slug,
        "kind": view["community"].kind,
        "stage": maturity.get("stage"),
        "stage_label": maturity.get("stage_label", ""),
        "score": maturity.get("score", 0),
        "explanation": maturity,
        "indicators": [
            {
                "indicator": p["indicator"].code,
                "values": {str(y): float(v) for y, v in p["values"].items()},
                "median_of_kind": {
                    str(y): (float(v) if v is not None else None) for y, v in p["medians"].items()
                },
                "communities_of_kind_reporting": {str(y): n for y, n in p["median_counts"].items()},
            }
            for p in view["panels"]
            if p["values"]
        ],
    }


@router.get("/maturity/national", response=NationalOut, summary="全国の概況")
def national(request):
    view = national_view()
    data = view["data"]
    return {
        "licence": settings.RENKEI_DATA_LICENCE,
        "reporting": data.get("reporting", {}),
        "trends": data.get("trends", {}),
        "computed_at": view["computed_at"],
        "figures": data,
    }

"""Open data of the maturity indicators: definitions, accepted values, dashboards' figures."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

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
    median_of_kind: dict[str, float | None]


class CommunityMaturityOut(Schema):
    licence: str
    community: str
    kind: str
    stage: int | None
    stage_label: str
    score: float
    explanation: dict
    indicators: list[PanelOut]


class NationalOut(Schema):
    licence: str
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
            }
            for p in view["panels"]
            if p["values"]
        ],
    }


@router.get("/maturity/national", response=NationalOut, summary="全国の概況")
def national(request):
    return {"licence": settings.RENKEI_DATA_LICENCE, "figures": national_view()["data"]}

"""JSON API of the registry: communities and published round results."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from renkei.communities.models import Application, CertificationRound, Community
from renkei.communities.serializers import community_out, result_out, round_out
from renkei.lib.schemas import PREFECTURE_CODE, choice

router = Router(tags=["communities"])


class CommunityFilters(Schema):
    model_config = ConfigDict(use_enum_values=True)

    kind: list[choice(Community.Kind)] = Field([], description="種類（繰り返すとどれか）")
    status: list[choice(Community.Status)] = Field([], description="状態（繰り返すとどれか）")
    prefecture: str | None = Field(
        None, pattern=PREFECTURE_CODE, description="JIS X 0401 都道府県コード"
    )
    market_area: str | None = Field(None, max_length=40)


class MemberOut(Schema):
    organization: str
    kind: str
    sector: str
    role: str
    as_written: str
    joined_on: datetime.date | None
    left_on: datetime.date | None


class KeyPersonOut(Schema):
    name: str
    title: str
    organization: str | None


class HistoryOut(Schema):
    status: str
    decided_on: datetime.date | None
    round_id: int | None


class CommunityOut(Schema):
    slug: str
    name: str
    abbreviation: str
    kind: str
    status: str
    status_label: str
    certified_on: datetime.date | None
    registered_on: datetime.date | None
    prefectures: list[str]
    prefecture_names: list[str]
    network_organization: str | None
    overview: str
    themes: list[str]
    market_areas: list[str]
    logo_permitted: bool
    website: str
    sources: list[str]


class CommunityDetailOut(CommunityOut):
    members: list[MemberOut]
    key_persons: list[KeyPersonOut]
    history: list[HistoryOut]


class RoundOut(Schema):
    id: int
    title: str
    kind: str
    fiscal_year: int
    status: str
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    published_on: datetime.date | None


class ResultOut(Schema):
    community: str
    community_name: str
    decision: str
    decision_label: str
    reasons: str
    members_as_listed: str
    overview: str


class RoundResultsOut(RoundOut):
    results: list[ResultOut]


def _communities():
    return Community.objects.prefetch_related("prefectures", "market_areas").select_related(
        "network_organization"
    )


@router.get("/communities", response=list[CommunityOut], summary="バイオコミュニティの一覧")
def communities(request, filters: Query[CommunityFilters]):
    queryset = _communities()
    if filters.kind:
        queryset = queryset.filter(kind__in=filters.kind)
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.prefecture:
        queryset = queryset.filter(prefectures__code=filters.prefecture)
    if filters.market_area:
        queryset = queryset.filter(market_areas__code=filters.market_area)
    return [community_out(c, with_members=False) for c in queryset.distinct()]


@router.get("/communities/{slug}", response=CommunityDetailOut, summary="バイオコミュニティの詳細")
def community(request, slug: str):
    return community_out(get_object_or_404(_communities(), slug=slug))


@router.get("/rounds", response=list[RoundOut], summary="認定ラウンド（公表済みと受付中）")
def rounds(request):
    visible = CertificationRound.objects.exclude(
        status=CertificationRound.Status.OPEN, opens_at__isnull=True
    )
    return [round_out(r) for r in visible]


@router.get("/rounds/{round_id}/results", response=RoundResultsOut, summary="ラウンドの公表結果")
def results(request, round_id: int):
    round_ = get_object_or_404(CertificationRound.objects.published(), pk=round_id)
    applications = round_.applications.filter(state=Application.State.PUBLISHED).select_related(
        "community"
    )
    return {**round_out(round_), "results": [result_out(a) for a in applications]}

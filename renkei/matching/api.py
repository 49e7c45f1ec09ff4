"""Seeds, needs (public fields only, unless the caller is a coordinator) and match results."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from renkei.communities.models import Community
from renkei.lib.params import ParamError
from renkei.lib.schemas import PREFECTURE_CODE, choice
from renkei.matching import funnel, indexes
from renkei.matching.indexes import Scope
from renkei.matching.models import AGREEMENTS, Need, Reason, Seed
from renkei.matching.rules import handles_need, is_coordinator

router = Router(tags=["matching"])


class SeedOut(Schema):
    id: int
    title: str
    summary: str
    problem: str
    advantage: str
    uses: str
    stage: str
    keywords: list[str]
    market_areas: list[str]
    patents: str
    researcher_name: str
    researcher_affiliation: str
    researchmap_id: str
    kaken_id: str
    organization: str
    prefecture: str
    contact_department: str
    visibility: str
    updated_at: str
    url: str


class SeedListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SeedOut]


class SeedParams(Schema):
    model_config = ConfigDict(use_enum_values=True)

    q: str = Field("", max_length=200, description="言葉で検索（同義語を含む）")
    prefecture: str | None = Field(None, pattern=PREFECTURE_CODE, description="都道府県コード")
    stage: list[choice(Seed.Stage)] = Field([], description="開発段階")
    page: int = Field(1, ge=1)


class PageParams(Schema):
    page: int = Field(1, ge=1)


class NeedOut(Schema):
    """What anyone may see of a need: never the submitter's e-mail, phone or name."""

    id: int
    title: str
    description: str
    prefecture: str
    submitter_kind: str
    submitter_organization: str = Field(description="公開を許可されたときだけ")
    outside_partners_welcome: bool
    cooperation: list[str]
    timeline: str
    budget: str
    status: str
    confirmed_at: str
    url: str


class NeedContactOut(NeedOut):
    """The coordinators handling the need and the secretariat also see who to call back."""

    submitter_name: str
    email: str
    phone: str


class ExplanationOut(Schema):
    signals: dict[str, dict[str, int | None]]
    shared_terms: list[str]
    synonyms: list[str]
    partial_matches: list[str]
    matched_fields: list[str]
    notice: str = ""


class MatchOut(Schema):
    rank: int
    score: float
    seed: SeedOut
    explanation: ExplanationOut


class MatchesOut(Schema):
    need_id: int
    mode: str
    notice: str
    results: list[MatchOut]


class MatchParams(Schema):
    model_config = ConfigDict(use_enum_values=True)

    scope: choice(Scope) | None = None
    stage: list[choice(Seed.Stage)] = []
    top: int = Field(10, ge=1, le=100)


def seed_out(seed, request):
    window = seed.contact_window
    return {
        "id": seed.pk,
        "title": seed.title,
        "summary": seed.summary,
        "problem": seed.problem,
        "advantage": seed.advantage,
        "uses": seed.uses,
        "stage": seed.stage,
        "keywords": [k for k in seed.keywords.split("、") if k],
        "market_areas": [a.code for a in seed.market_areas.all()],
        "patents": seed.patents,
        "researcher_name": seed.researcher_name,
        "researcher_affiliation": seed.researcher_affiliation,
        "researchmap_id": seed.researchmap_id,
        "kaken_id": seed.kaken_id,
        "organization": seed.organization.name,
        "prefecture": seed.prefecture_id,
        "contact_department": window.department if window else "",
        "visibility": seed.visibility,
        "updated_at": seed.updated_at.isoformat(),
        "url": request.build_absolute_uri(seed.get_absolute_url()),
    }


def need_out(need, request, *, contact=False):
    data = {
        "id": need.pk,
        "title": need.title,
        "description": need.description,
        "prefecture": need.prefecture_id,
        "submitter_kind": need.submitter_kind,
        "submitter_organization": need.public_submitter,
        "outside_partners_welcome": need.outside_partners_welcome,
        "cooperation": list(need.cooperation),
        "timeline": need.timeline,
        "budget": need.budget,
        "status": need.status,
        "confirmed_at": need.confirmed_at.isoformat(),
        "url": request.build_absolute_uri(need.get_absolute_url()),
    }
    if contact:
        data.update(
            submitter_organization=need.submitter_organization,
            submitter_name=need.submitter_name,
            email=need.email,
            phone=need.phone,
        )
    return data


def _seeds_queryset(request):
    return (
        Seed.objects.active()
        .visible_to(request.user)
        .select_related("organization", "contact_window")
        .prefetch_related("market_areas")
    )


@router.get("/seeds", response=SeedListOut, summary="シーズを検索する")
def seeds(request, params: Query[SeedParams]):
    if params.prefecture and not 1 <= int(params.prefecture) <= 47:
        raise ParamError(
            "prefecture",
            _("都道府県コード「%(code)s」はありません（01〜47）。") % {"code": params.prefecture},
        )
    if params.q.strip():
        ranked = indexes.search_seeds(
            params.q,
            user=request.user,
            prefecture=params.prefecture,
            stages=params.stage,
            top=200,
            explained=False,
        )
        items = [seed for seed, _result in ranked]
    else:
        items = _seeds_queryset(request)
        if params.prefecture:
            items = items.filter(prefecture_id=params.prefecture)
        if params.stage:
            items = items.filter(stage__in=params.stage)
    page = Paginator(items, 50).get_page(params.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [seed_out(s, request) for s in page],
    }


@router.get("/seeds/{seed_id}", response=SeedOut, summary="シーズの詳細")
def seed(request, seed_id: int):
    return seed_out(get_object_or_404(_seeds_queryset(request), pk=seed_id), request)


@router.get(
    "/needs",
    response=list[NeedContactOut | NeedOut],
    summary="受付中のニーズ（相談者の連絡先は、担当するコーディネーターと事務局にだけ）",
)
def needs(request, params: Query[PageParams]):
    queryset = Need.objects.in_queue().select_related("prefecture")
    items = Paginator(queryset, 100).get_page(params.page)
    return [need_out(n, request, contact=handles_need(request.user, n)) for n in items]


@router.get("/needs/{need_id}", response=NeedContactOut | NeedOut, summary="ニーズの詳細")
def need(request, need_id: int):
    item = get_object_or_404(Need.objects.in_queue(), pk=need_id)
    return need_out(item, request, contact=handles_need(request.user, item))


@router.get(
    "/needs/{need_id}/matches",
    response=MatchesOut,
    summary="ニーズに合うシーズ（順位と理由）。コーディネーターと事務局のみ",
)
def matches(request, need_id: int, params: Query[MatchParams]):
    if not is_coordinator(request.user):
        raise HttpError(403, _("コーディネーターと事務局だけが使えます。"))
    item = get_object_or_404(Need.objects.confirmed(), pk=need_id)
    ranked, engine = indexes.rank_seeds(
        item, user=request.user, scope=params.scope, stages=params.stage, top=params.top
    )
    return {
        "need_id": item.pk,
        "mode": engine.effective_mode,
        "notice": engine.notice,
        "results": [
            {
                "rank": r.rank,
                "score": r.score,
                "seed": seed_out(s, request),
                "explanation": r.explanation,
            }
            for s, r in ranked
        ],
    }


# --- the public funnel (ADR 0009) ---------------------------------------------------------


class FunnelParams(Schema):
    fiscal_year: int | None = Field(None, ge=2000, le=2100, description="年度（4月始まり）")
    prefecture: str | None = Field(None, pattern=PREFECTURE_CODE, description="都道府県コード")
    community: str | None = Field(None, max_length=80, description="コミュニティのスラッグ")


class FunnelFigures(Schema):
    needs: int = Field(description="受け付けたご相談（メールアドレス確認済み）")
    needs_with_proposal: int
    proposals: int
    asked: int
    answered: int
    interested: int
    declined: int
    introductions: int
    meetings: int = Field(description="面談が1回以上記録された提案")
    agreements: int
    agreements_by_type: dict[str, int]
    not_concluded: int
    median_days_to_first_proposal: float | None
    median_days_to_outcome: float | None
    decline_reasons: dict[str, int]
    not_concluded_reasons: dict[str, int]


class FunnelOut(Schema):
    filters: dict[str, str | int | None]
    total: FunnelFigures
    by_fiscal_year: dict[str, FunnelFigures]
    agreement_types: dict[str, str] = Field(description="合意の種類のコードと名前")
    reasons: dict[str, str] = Field(description="理由のコードと名前")


class ReasonOut(Schema):
    code: str
    label: str
    declined: int = Field(description="機関の辞退")
    not_concluded: int = Field(description="不成立")


def _funnel_filters(params):
    if params.prefecture and not 1 <= int(params.prefecture) <= 47:
        raise ParamError(
            "prefecture",
            _("都道府県コード「%(code)s」はありません（01〜47）。") % {"code": params.prefecture},
        )
    if params.community and not Community.objects.filter(slug=params.community).exists():
        raise ParamError(
            "community",
            _("コミュニティ「%(slug)s」はありません。") % {"slug": params.community},
        )
    return {
        "fiscal_year": params.fiscal_year,
        "prefecture": params.prefecture,
        "community": params.community,
    }


@router.get(
    "/matching/funnel",
    response=FunnelOut,
    summary="ご相談から合意までの件数（年度・都道府県・コミュニティ別）",
)
def matching_funnel(request, params: Query[FunnelParams]):
    filters = _funnel_filters(params)
    result = funnel.compute(**filters)
    return {
        "filters": filters,
        "total": result["total"],
        "by_fiscal_year": {str(year): row for year, row in result["by_year"].items()},
        "agreement_types": {o.value: str(o.label) for o in AGREEMENTS},
        "reasons": {r.value: str(r.label) for r in Reason},
    }


@router.get(
    "/matching/decline-reasons",
    response=list[ReasonOut],
    summary="機関の辞退と不成立の理由（コード別の件数）",
)
def matching_decline_reasons(request, params: Query[FunnelParams]):
    return [
        {"code": code, "label": str(label), "declined": declined, "not_concluded": failed}
        for code, label, declined, failed in funnel.decline_reasons(**_funnel_filters(params))
    ]

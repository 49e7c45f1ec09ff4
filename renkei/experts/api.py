"""Public expert profiles (only those whose person consented)."""

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from renkei.experts.models import Engagement, Expert
from renkei.lib.schemas import PREFECTURE_CODE, choice

router = Router(tags=["experts"])


class ExpertOut(Schema):
    id: int
    name: str
    kind: str
    title: str
    organization: str
    expertise: str
    fields: list[str]
    market_areas: list[str]
    regions: list[str] = Field(description="都道府県コード（空なら全国）")
    languages: list[str]
    availability: str
    engagement: list[str]
    researchmap_id: str
    kaken_id: str
    url: str


class ExpertListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ExpertOut]


class ExpertParams(Schema):
    model_config = ConfigDict(use_enum_values=True)

    kind: choice(Expert.Kind) | None = None
    engagement: choice(Engagement) | None = None
    prefecture: str | None = Field(
        None, pattern=PREFECTURE_CODE, description="対応地域（都道府県コード）"
    )
    page: int = Field(1, ge=1)


def expert_out(expert, request):
    return {
        "id": expert.pk,
        "name": expert.name,
        "kind": expert.kind,
        "title": expert.title,
        "organization": expert.organization.name if expert.organization else "",
        "expertise": expert.expertise,
        "fields": expert.field_list,
        "market_areas": [a.code for a in expert.market_areas.all()],
        "regions": [p.code for p in expert.regions.all()],
        "languages": list(expert.languages),
        "availability": expert.availability,
        "engagement": list(expert.engagement),
        "researchmap_id": expert.researchmap_id,
        "kaken_id": expert.kaken_id,
        "url": request.build_absolute_uri(expert.get_absolute_url()),
    }


@router.get(
    "/experts", response=ExpertListOut, summary="専門家・コーディネーター（公開に同意した人）"
)
def experts(request, params: Query[ExpertParams]):
    items = (
        Expert.objects.public()
        .select_related("organization")
        .prefetch_related("market_areas", "regions")
    )
    if params.kind:
        items = items.filter(kind=params.kind)
    items = list(items)
    if params.engagement:
        items = [e for e in items if params.engagement in e.engagement]
    if params.prefecture:
        items = [e for e in items if e.covers(params.prefecture)]
    page = Paginator(items, 50).get_page(params.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [expert_out(e, request) for e in page],
    }

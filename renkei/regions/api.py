"""JSON API of the contact windows (窓口)."""

import datetime

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from renkei.lib.params import ParamError
from renkei.lib.schemas import PREFECTURE_CODE, choice
from renkei.regions.models import ContactWindow, Organization, Prefecture, Topic

router = Router(tags=["regions"])


class WindowParams(Schema):
    prefecture: str | None = Field(
        None, pattern=PREFECTURE_CODE, description="都道府県コード（JIS X 0401）"
    )
    kind: choice(Organization.Kind) | None = Field(None, description="機関の種別")
    topic: choice(Topic) | None = Field(None, description="取り扱う分野（総合窓口も含めて返す）")
    organization: str | None = Field(
        None, max_length=200, description="機関のコード・学校コード・地方公共団体コード・正式名称"
    )
    q: str = Field("", max_length=100, description="機関名で検索")
    page: int = Field(1, ge=1)


class WindowOut(Schema):
    id: int
    organization: str
    organization_id: int
    organization_kind: str
    prefecture: str | None
    department: str
    topics: list[str]
    description: str
    phone: str
    extension: str
    email: str
    url: str
    form_url: str
    hours: str
    languages: list[str]
    scope: str
    is_primary: bool
    confirmed_at: datetime.datetime | None
    stale: bool
    verified: bool


class WindowListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[WindowOut]


def window_out(window, now):
    return {
        "id": window.pk,
        "organization": window.organization.name,
        "organization_id": window.organization_id,
        "organization_kind": window.organization.kind,
        "prefecture": window.organization.prefecture_id,
        "department": window.department,
        "topics": [t.value for t in window.topics],
        "description": window.description,
        "phone": window.phone,
        "extension": window.extension,
        "email": window.email,
        "url": window.url,
        "form_url": window.form_url,
        "hours": window.hours,
        "languages": list(window.languages),
        "scope": window.scope,
        "is_primary": window.is_primary,
        "confirmed_at": window.confirmed_at,
        "stale": window.is_stale(now),
        "verified": window.verified_at is not None,
    }


@router.get("/windows", response=WindowListOut, summary="窓口を探す")
def windows(request, params: Query[WindowParams]):
    queryset = (
        ContactWindow.objects.listed()
        .select_related("organization")
        .with_topics()
        .order_by("organization__kind", "organization__name", "department", "pk")
    )
    if params.prefecture:
        if not Prefecture.objects.filter(code=params.prefecture).exists():
            raise ParamError(
                "prefecture",
                _("都道府県コード「%(code)s」はありません（01〜47）。")
                % {"code": params.prefecture},
            )
        queryset = queryset.filter(organization__prefecture_id=params.prefecture)
    if params.kind:
        queryset = queryset.filter(organization__kind=params.kind)
    if params.topic:
        queryset = queryset.handling(params.topic)
    if params.organization:
        organization = Organization.objects.identified(params.organization)
        if organization is None and params.organization.isdigit():
            organization = Organization.objects.filter(pk=int(params.organization)).first()
        if organization is None:
            raise ParamError(
                "organization",
                _("機関「%(v)s」が見つかりません。") % {"v": params.organization},
            )
        queryset = queryset.filter(organization=organization)
    if params.q.strip():
        queryset = queryset.filter(organization__in=Organization.objects.search(params.q))
    page = Paginator(queryset, 50).get_page(params.page)
    now = timezone.now()
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [window_out(w, now) for w in page],
    }

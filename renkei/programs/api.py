"""JSON API of the navigator: search with facets, program detail, ministries, budgets."""

import datetime

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from renkei.lib.params import ParamError
from renkei.programs import pathways
from renkei.programs.budget import budget_summary
from renkei.programs.models import Program
from renkei.programs.search import SearchParams, search_programs
from renkei.programs.serializers import program_detail_out, program_out
from renkei.regions.models import Organization

router = Router(tags=["programs"])


class MinistryOut(Schema):
    code: str | None
    name: str
    short_name: str


class ContactOut(Schema):
    label: str
    organization: str
    department: str
    phone: str
    extension: str
    email: str


class ProgramOut(Schema):
    id: int
    code: str
    name: str
    ministry: MinistryOut | None
    department: str
    applicant_types: list[str]
    budget_thousand_yen: int | None
    budget_fiscal_year: int | None
    is_part_of_larger: bool
    accepts_new_projects: bool | None
    stage: str | None
    market_area: str | None
    aim: str | None
    url: str
    call_status: str | None
    call_closes_at: datetime.datetime | None
    contacts: list[ContactOut]


class BudgetLineOut(Schema):
    fiscal_year: int
    kind: str
    source: str
    title: str
    amount_thousand_yen: int | None
    is_part_of_larger: bool
    includes_thousand_yen: int | None
    includes_label: str
    bracketed_thousand_yen: int | None
    bracketed_is_part_of_larger: bool
    is_headline: bool
    notes: str


class CallPeriodOut(Schema):
    title: str
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    status: str
    url: str


class NextProgramOut(Schema):
    code: str
    name: str
    kind: str
    reason: str


class ProgramDetailOut(ProgramOut):
    description: str
    aliases: list[str]
    keywords: list[str]
    menu_budget_label: str
    builds_on: str
    source_reference: str
    credit: str
    budget_lines: list[BudgetLineOut]
    call_periods: list[CallPeriodOut]
    next_programs: list[NextProgramOut]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    relaxed: bool
    terms: list[str]
    results: list[ProgramOut]
    facets: list[FacetOut]


class MinistryListOut(MinistryOut):
    program_count: int


class BudgetLineRef(Schema):
    program_code: str
    program_name: str
    amount_thousand_yen: int


class BudgetGroupOut(Schema):
    key: str
    label: str
    own_total_thousand_yen: int
    own_programs: list[BudgetLineRef]
    part_of_larger: list[BudgetLineRef]
    part_of_larger_only: bool = Field(
        description="施策そのものの額がなく内数だけのまとまり（own_total は 0 ではなく「なし」）"
    )


class BudgetSummaryOut(Schema):
    fiscal_year: int | None
    fiscal_years: list[int]
    own_total_thousand_yen: int
    part_of_larger_note: str
    by_ministry: list[BudgetGroupOut]
    by_market_area: list[BudgetGroupOut]
    by_aim: list[BudgetGroupOut]


@router.get("/programs", response=SearchOut, summary="支援施策を検索する（ファセット件数つき）")
def search(request, params: Query[SearchParams]):
    result = search_programs(params)
    return {
        "count": result.total,
        "page": params.page,
        "page_size": params.page_size,
        "pages": result.pages,
        "relaxed": result.relaxed,
        "terms": result.terms,
        "results": [program_out(p) for p in result.items],
        "facets": [
            {
                "name": f.name,
                "label": f.label,
                "values": [vars(v) for v in f.values],
            }
            for f in result.facets
        ],
    }


@router.get("/programs/{code}", response=ProgramDetailOut, summary="支援施策の詳細")
def detail(request, code: str):
    program = get_object_or_404(Program.objects.with_details(), code=code)
    return program_detail_out(program, pathways.next_programs(program))


@router.get("/ministries", response=list[MinistryListOut], summary="府省と施策数")
def ministries(request):
    return (
        Organization.objects.filter(programs__isnull=False)
        .annotate(program_count=Count("programs"))
        .order_by("code", "name")
    )


def _group_out(group):
    def ref(line):
        return {
            "program_code": line.program.code,
            "program_name": line.program.name,
            "amount_thousand_yen": line.amount_thousand_yen,
        }

    return {
        "key": group.key,
        "label": group.label,
        "own_total_thousand_yen": group.own_total,
        "own_programs": [ref(line) for line in group.own_lines],
        "part_of_larger": [ref(line) for line in group.part_lines],
        "part_of_larger_only": group.part_only,
    }


@router.get("/budget/summary", response=BudgetSummaryOut, summary="予算の集計（内数は合計しない）")
def budget(request, fiscal_year: int | None = None):
    # one fiscal year's budget (the newest by default; fiscal_years lists every year)
    summary = budget_summary(fiscal_year)
    if fiscal_year is not None and fiscal_year not in summary.fiscal_years:
        raise ParamError("fiscal_year", _("その年度の予算額はありません。"))
    return {
        "fiscal_year": summary.fiscal_year,
        "fiscal_years": summary.fiscal_years,
        "own_total_thousand_yen": summary.own_total,
        "part_of_larger_note": (
            "part_of_larger amounts are those of larger budget lines the programs share; "
            "they are listed, never added to the totals"
        ),
        "by_ministry": [_group_out(g) for g in summary.by_ministry],
        "by_market_area": [_group_out(g) for g in summary.by_market_area],
        "by_aim": [_group_out(g) for g in summary.by_aim],
    }

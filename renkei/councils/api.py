"""JSON API of councils (public ones), published surveys and their results, and cases."""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from renkei.councils.models import CaseStudy, Council, Survey
from renkei.councils.results import survey_results
from renkei.councils.rules import kept_council_ids
from renkei.lib.params import ParamError
from renkei.lib.schemas import PREFECTURE_CODE, choice
from renkei.programs.models import MarketArea, Program
from renkei.regions.models import Prefecture

router = Router(tags=["councils"])


def _prefecture(code):
    if code and not Prefecture.objects.filter(code=code).exists():
        raise ParamError(
            "prefecture", _("都道府県コード「%(code)s」はありません（01〜47）。") % {"code": code}
        )
    return code


# --- councils ------------------------------------------------------------------------------


class CouncilParams(Schema):
    prefecture: str | None = Field(None, pattern=PREFECTURE_CODE, description="都道府県コード")


class AttendanceOut(Schema):
    sector: str
    attended: int
    expected: int
    percent: int | None


class IndicatorsOut(Schema):
    meetings_last_12_months: int
    last_meeting_on: datetime.date | None
    action_items_due_last_12_months: int
    done_on_time: int
    on_time_percent: int | None
    overdue: int
    attendance_by_sector: list[AttendanceOut]


class CouncilOut(Schema):
    id: int
    name: str
    purpose: str
    prefecture: str | None
    municipality: str | None
    community: str | None
    organization: str
    established_on: datetime.date | None
    website: str
    members: int
    indicators: IndicatorsOut
    url: str


class MemberOut(Schema):
    organization: str
    organization_id: int
    sector: str
    role: str
    joined_on: datetime.date | None
    left_on: datetime.date | None


class MeetingOut(Schema):
    id: int
    held_on: datetime.date
    title: str
    agenda: str
    attendees: list[str]
    decisions: list[str]
    minutes_text: str
    minutes_pdf: str


class ActionItemOut(Schema):
    title: str
    owner: str
    due_on: datetime.date
    status: str
    done_on: datetime.date | None
    evidence: str
    overdue: bool


class CouncilDetailOut(CouncilOut):
    member_list: list[MemberOut]
    meetings: list[MeetingOut]
    action_items: list[ActionItemOut]


def _indicators_out(indicators):
    return {
        "meetings_last_12_months": indicators.meetings,
        "last_meeting_on": indicators.last_meeting_on,
        "action_items_due_last_12_months": indicators.items_due,
        "done_on_time": indicators.done_on_time,
        "on_time_percent": indicators.on_time_percent,
        "overdue": indicators.overdue,
        "attendance_by_sector": [
            {
                "sector": a.sector,
                "attended": a.attended,
                "expected": a.expected,
                "percent": a.percent,
            }
            for a in indicators.attendance
        ],
    }


def council_out(council, request, today):
    return {
        "id": council.pk,
        "name": council.name,
        "purpose": council.purpose,
        "prefecture": council.prefecture_id,
        "municipality": council.municipality_id,
        "community": council.community.slug if council.community else None,
        "organization": council.organization.name,
        "established_on": council.established_on,
        "website": council.website,
        "members": len([m for m in council.members.all() if m.active_on(today)]),
        "indicators": _indicators_out(council.indicators(today)),
        "url": request.build_absolute_uri(council.get_absolute_url()),
    }


def _councils(request):
    return Council.objects.visible_to(
        request.user, kept_council_ids(request.user)
    ).with_indicator_data()


@router.get("/councils", response=list[CouncilOut], summary="協議会の一覧（公開のもの）と指標")
def councils(request, params: Query[CouncilParams]):
    queryset = _councils(request)
    if _prefecture(params.prefecture):
        queryset = queryset.filter(prefecture_id=params.prefecture)
    today = timezone.localdate()
    return [council_out(c, request, today) for c in queryset]


@router.get("/councils/{council_id}", response=CouncilDetailOut, summary="協議会の詳細")
def council(request, council_id: int):
    item = get_object_or_404(_councils(request), pk=council_id)
    today = timezone.localdate()
    kept = request.user.is_authenticated and request.user.has_perm("councils.change_council", item)
    meetings = [
        m
        for m in item.meetings.prefetch_related("decisions", "attendance__member__organization")
        if kept or m.is_public
    ]
    return {
        **council_out(item, request, today),
        "member_list": [
            {
                "organization": m.organization.name,
                "organization_id": m.organization_id,
                "sector": m.sector,
                "role": m.role,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in item.members.all()
        ],
        "meetings": [
            {
                "id": m.pk,
                "held_on": m.held_on,
                "title": m.title,
                "agenda": m.agenda,
                "attendees": [a.member.organization.name for a in m.attendance.all()],
                "decisions": [d.text for d in m.decisions.all()],
                "minutes_text": m.minutes_text,
                "minutes_pdf": request.build_absolute_uri(
                    reverse("councils:meeting_minutes", args=[m.pk])
                )
                if m.minutes_file
                else "",
            }
            for m in meetings
        ],
        "action_items": [
            {
                "title": i.title,
                "owner": i.owner.organization.name,
                "due_on": i.due_on,
                "status": i.status,
                "done_on": i.done_on,
                "evidence": i.evidence,
                "overdue": i.is_overdue(today),
            }
            for i in item.action_items.all()
        ],
    }


# --- surveys -------------------------------------------------------------------------------


class SurveyOut(Schema):
    slug: str
    title: str
    origin: str
    status: str
    conducted_by: str
    conducted_in: str
    closes_at: datetime.datetime | None
    results_published_at: datetime.datetime | None
    answers_public: bool
    population: int | None
    invited: int
    answered: int
    url: str


class OptionOut(Schema):
    option: str
    count: int
    percent: int | None
    derived: bool


class QuestionResultOut(Schema):
    number: int
    text: str
    kind: str
    options: list[str]
    answered: int
    source: str = Field(description="responses（renkei で集計）か published（出典の公表値）")
    counts: list[OptionOut]
    numbers: dict[str, float]
    items: list[str]
    note: str
    answers: list[dict[str, str]] = Field(description="団体ごとの回答（公表する調査だけ）")


class SurveyResultsOut(SurveyOut):
    questions: list[QuestionResultOut]


def survey_out(survey, request):
    return {
        "slug": survey.slug,
        "title": survey.title,
        "origin": survey.origin,
        "status": survey.status,
        "conducted_by": survey.conducted_by,
        "conducted_in": survey.conducted_in,
        "closes_at": survey.closes_at,
        "results_published_at": survey.results_published_at,
        "answers_public": survey.answers_public,
        "population": survey.population,
        "invited": survey.invitations.count(),
        "answered": survey.responses.count(),
        "url": request.build_absolute_uri(survey.get_absolute_url()),
    }


@router.get("/surveys", response=list[SurveyOut], summary="結果を公表した調査")
def surveys(request):
    return [survey_out(s, request) for s in Survey.objects.published().order_by("-created_at")]


@router.get(
    "/surveys/{slug}/results",
    response=SurveyResultsOut,
    summary="調査の集計（出典の公表値、または renkei での回答の集計）",
)
def results(request, slug: str):
    survey = get_object_or_404(Survey.objects.published(), slug=slug)
    with_answers = survey.answers_public
    questions = []
    for number, result in enumerate(survey_results(survey, with_texts=with_answers), start=1):
        question = result.question
        answers = []
        if with_answers and not result.published:
            for response in survey.responses.select_related("organization"):
                value = response.answers.get(question.key)
                if value not in (None, "", []):
                    answers.append(
                        {
                            "organization": response.organization.name,
                            "answer": "、".join(value) if isinstance(value, list) else str(value),
                        }
                    )
        questions.append(
            {
                "number": number,
                "text": question.text,
                "kind": question.kind,
                "options": list(question.options),
                "answered": result.answered,
                "source": "published" if result.published else "responses",
                "counts": [vars(o) for o in result.options],
                "numbers": {k: float(v) for k, v in result.numbers.items()},
                "items": result.items,
                "note": result.note,
                "answers": answers,
            }
        )
    return {**survey_out(survey, request), "questions": questions}


# --- cases ---------------------------------------------------------------------------------


class CaseParams(Schema):
    q: str = Field("", max_length=100)
    prefecture: str | None = Field(None, pattern=PREFECTURE_CODE, description="都道府県コード")
    market_area: choice(MarketArea) | None = None
    sectors: str | None = Field(
        None, max_length=80, description="部門の組合せ（industry+academia+government など）"
    )
    program: str | None = Field(None, max_length=100, description="支援施策のコード")


class ParticipantOut(Schema):
    category: str
    name: str
    organization_id: int | None
    sector: str


class CaseOut(Schema):
    slug: str
    title: str
    prefecture: str
    since: str
    since_fiscal_year: int | None
    theme: str
    summary: list[str]
    participants: list[ParticipantOut]
    sector_mix: str
    programs: list[str]
    programs_as_written: list[str]
    communities: list[str]
    stage: str
    market_area: str
    outcomes: list[dict]
    lessons: list[str]
    sources: list[dict]
    url: str


@router.get("/cases", response=list[CaseOut], summary="取組事例")
def cases(request, params: Query[CaseParams]):
    data = {"q": params.q, "market_area": params.market_area, "sectors": params.sectors}
    if _prefecture(params.prefecture):
        data["prefecture"] = Prefecture.objects.get(code=params.prefecture)
    if params.program:
        program = Program.objects.filter(code=params.program).first()
        if program is None:
            raise ParamError(
                "program", _("支援施策「%(code)s」はありません。") % {"code": params.program}
            )
        data["program"] = program
    queryset = (
        CaseStudy.objects.matching(**data)
        .select_related("prefecture")
        .prefetch_related("participants", "programs", "communities")
    )
    return [
        {
            "slug": c.slug,
            "title": c.title,
            "prefecture": c.prefecture_id,
            "since": c.since,
            "since_fiscal_year": c.since_fiscal_year,
            "theme": c.theme,
            "summary": c.summary,
            "participants": [
                {
                    "category": p.category,
                    "name": p.name,
                    "organization_id": p.organization_id,
                    "sector": p.sector,
                }
                for p in c.participants.all()
            ],
            "sector_mix": c.sector_mix,
            "programs": [p.code for p in c.programs.all()],
            "programs_as_written": c.programs_as_written,
            "communities": [m.slug for m in c.communities.all()],
            "stage": c.stage,
            "market_area": c.market_area,
            "outcomes": c.outcomes,
            "lessons": c.lessons,
            "sources": c.sources,
            "url": request.build_absolute_uri(c.get_absolute_url()),
        }
        for c in queryset
    ]

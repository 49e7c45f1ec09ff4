"""Load the interview summary, the 2021 survey (as a published survey with the aggregates the
source gives), its case studies and the findings → responses list (data/source/*.yaml)."""

import datetime
from typing import Literal

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import Field, ValidationError, field_validator

from renkei.councils.models import (
    CaseParticipant,
    CaseStudy,
    CouncilCompositionExample,
    Finding,
    FindingResponse,
    Interview,
    InterviewIssue,
    InterviewTheme,
    Question,
    Survey,
)
from renkei.lib.imports import Errors, pydantic_errors, read_yaml
from renkei.lib.schemas import Record, Slug, Text
from renkei.programs.models import MarketArea, Program, Stage
from renkei.regions import resolve
from renkei.regions.models import SECTOR_OF_KIND, Organization, Sector


class IssueRecord(Record):
    title: Text
    points: list[Text] = Field(min_length=1)


class ThemeRecord(Record):
    title: Text
    issues: list[IssueRecord] = Field(min_length=1)


class InterviewRecord(Record):
    document: Text
    slug: Slug
    title: Text
    summary: list[Text]
    interviewees_at_least: int = Field(ge=1)
    themes: list[ThemeRecord] = Field(min_length=1)


class CompositionRecord(Record):
    label: Text
    members: list[Text] = Field(min_length=1)
    sectors: list[Sector] = []


class PublishedRecord(Record):
    counts: dict[str, int] = {}
    rest: str = ""
    items: list[Text] = []
    items_note: Literal["", "等"] = ""
    note: str = ""

    @field_validator("counts", mode="before")
    @classmethod
    def _without_line(cls, value):
        # read_yaml marks every mapping with its line; these keys are options, not fields
        return (
            {k: v for k, v in value.items() if k != "__line__"}
            if isinstance(value, dict)
            else value
        )


class QuestionRecord(Record):
    text: Text
    kind: Question.Kind
    options: list[Text] = []
    help_text: str = ""
    published: PublishedRecord | None = None


class MemberRecord(Record):
    name: Text
    kind: Organization.Kind
    prefecture: str = ""


class ParticipantRecord(Record):
    category: Text
    members: list[MemberRecord] = Field(min_length=1)
    and_others: bool = False


class CaseStudyRecord(Record):
    slug: Slug
    title: Text
    prefecture: Text
    since: Text
    since_fiscal_year: int | None = Field(None, ge=1989, le=2100)
    theme: Text
    participants: list[ParticipantRecord] = Field(min_length=1)
    summary: list[Text] = Field(min_length=1)
    programs: list[str] = []
    programs_as_written: list[Text] = []
    stage: Stage | Literal[""] = ""
    market_area: MarketArea | Literal[""] = ""
    lessons: list[Text] = []


class SurveyRecord(Record):
    document: Text
    slug: Slug
    title: Text
    conducted_by: Text
    conducted_in: Text
    conducted_on: datetime.date | None = None
    population: int = Field(ge=1)
    population_note: Text
    method: str = ""
    questions: list[QuestionRecord] = Field(min_length=1)
    with_council: int = Field(ge=0)
    composition_examples: list[CompositionRecord] = []
    case_studies: list[CaseStudyRecord] = []


class ResponseRecord(Record):
    title: Text
    page: Text
    query: str = ""
    note: str = ""


class InterviewFindingRecord(Record):
    issue: Text
    responses: list[ResponseRecord] = []


class SurveyFindingRecord(Record):
    challenge: Text
    responses: list[ResponseRecord] = []


class FindingsRecord(Record):
    interview: list[InterviewFindingRecord] = []
    survey: list[SurveyFindingRecord] = []


def _check_survey(record, errors):
    if record.with_council > record.population:
        errors.add(
            record.line,
            "with_council",
            _("協議会等を設置している団体数が対象団体数を超えています。"),
        )
    for question in record.questions:
        published = question.published
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            if len(question.options) < 2:
                errors.add(question.line, "options", _("選択肢を2つ以上書いてください。"))
        elif question.options:
            errors.add(question.line, "options", _("選択式でない設問に選択肢は書けません。"))
        if published is None:
            continue
        for option in [*published.counts, *([published.rest] if published.rest else [])]:
            if option not in question.options:
                errors.add(
                    published.line,
                    "counts",
                    _("「%(o)s」は設問の選択肢にありません。") % {"o": option},
                )
        if sum(published.counts.values()) > record.population:
            errors.add(published.line, "counts", _("集計の合計が対象団体数を超えています。"))
    for example in record.composition_examples:
        if example.sectors and len(example.sectors) != len(example.members):
            errors.add(example.line, "sectors", _("部門の数が構成員の数と合いません。"))


def _check_findings(record, errors, issue_titles, challenges):
    for finding in record.interview:
        if finding.issue not in issue_titles:
            errors.add(
                finding.line,
                "issue",
                _("ヒアリングの課題「%(t)s」が interviews.yaml にありません。")
                % {"t": finding.issue},
            )
    for finding in record.survey:
        if finding.challenge not in challenges:
            errors.add(
                finding.line,
                "challenge",
                _("調査の課題「%(t)s」が survey_2021.yaml にありません。")
                % {"t": finding.challenge},
            )
    for finding in [*record.interview, *record.survey]:
        for response in finding.responses:
            try:
                reverse(response.page)
            except NoReverseMatch:
                errors.add(
                    response.line,
                    "page",
                    _("ページ「%(p)s」はありません（URL名で指定）。") % {"p": response.page},
                )


def parse_record(path, model):
    data = read_yaml(path)
    errors = Errors(path.name)
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        errors.extend(pydantic_errors(exc, path.name, None, data=data))
        record = None
    if isinstance(record, SurveyRecord):
        _check_survey(record, errors)
    errors.raise_if_any()
    return record


def parse_findings(path, interview, survey):
    """The findings file, checked against the interview and the survey it refers to."""
    record = parse_record(path, FindingsRecord)
    errors = Errors(path.name)
    titles = {issue.title for theme in interview.themes for issue in theme.issues}
    challenges = {item for q in survey.questions if q.published for item in q.published.items}
    _check_findings(record, errors, titles, challenges)
    errors.raise_if_any()
    return record


def _published_figures(question, population):
    published = question.published
    if published is None:
        return {}
    counts = {
        option: published.counts[option]
        for option in question.options
        if option in published.counts
    }
    if published.rest:
        counts[published.rest] = population - sum(published.counts.values())
    figures = {"note": published.note}
    if counts:
        figures["counts"] = {
            option: counts[option] for option in question.options if option in counts
        }
        figures["derived"] = [published.rest] if published.rest else []
    if published.items:
        figures["items"] = published.items
        figures["items_note"] = published.items_note
    return figures


def _organization_for(member, prefecture):
    """The organisation a case names: universities and local governments from the reference
    lists, others created once by name."""
    if member.kind == Organization.Kind.UNIVERSITY:
        return resolve.university(member.name)
    if member.kind == Organization.Kind.LOCAL_GOVERNMENT:
        return resolve.local_government(member.name)
    organization = Organization.objects.filter(
        name=member.name, kind=member.kind, is_active=True
    ).first()
    if organization is None:
        organization = Organization.objects.create(
            name=member.name,
            kind=member.kind,
            prefecture=prefecture,
            source=_("取組事例の参画主体（出典の表記）"),
        )
    return organization


def _save_case(case, survey, order, errors):
    try:
        prefecture = resolve.prefecture_named(case.prefecture)
    except resolve.NotFound as exc:
        errors.add(case.line, "prefecture", str(exc))
        return None
    saved = CaseStudy.objects.create(
        slug=case.slug,
        title=case.title,
        prefecture=prefecture,
        since=case.since,
        since_fiscal_year=case.since_fiscal_year,
        theme=case.theme,
        summary=case.summary,
        and_others_in=[p.category for p in case.participants if p.and_others],
        programs_as_written=case.programs_as_written,
        stage=case.stage,
        market_area=case.market_area,
        lessons=case.lessons,
        sources=[{"title": survey.document, "url": ""}],
        survey=survey,
        order=order,
    )
    position = 0
    for group in case.participants:
        for member in group.members:
            place = prefecture
            if member.prefecture:
                try:
                    place = resolve.prefecture_named(member.prefecture)
                except resolve.NotFound as exc:
                    errors.add(member.line, "prefecture", str(exc))
                    continue
            try:
                organization = _organization_for(member, place if member.prefecture else None)
            except resolve.NotFound as exc:
                errors.add(member.line, "name", str(exc))
                continue
            CaseParticipant.objects.create(
                case=saved,
                category=group.category,
                name=member.name,
                organization=organization,
                sector=SECTOR_OF_KIND.get(organization.kind, Sector.OTHER),
                order=position,
            )
            position += 1
    programs = {p.code: p for p in Program.objects.filter(code__in=case.programs)}
    for code in case.programs:
        if code not in programs:
            errors.add(case.line, "programs", _("支援施策「%(c)s」がありません。") % {"c": code})
    saved.programs.set(programs.values())
    saved.update_sector_mix()
    return saved


def _save_survey(record):
    survey = Survey.objects.create(
        slug=record.slug,
        title=record.title,
        origin=Survey.Origin.PUBLISHED,
        status=Survey.Status.CLOSED,
        results_published_at=timezone.now(),
        document=record.document,
        conducted_by=record.conducted_by,
        conducted_in=record.conducted_in,
        conducted_on=record.conducted_on,
        population=record.population,
        population_note=record.population_note,
        method=record.method,
        with_council=record.with_council,
    )
    for order, question in enumerate(record.questions):
        Question.objects.create(
            survey=survey,
            order=order,
            kind=question.kind,
            text=question.text,
            help_text=question.help_text,
            options=question.options,
            published_figures=_published_figures(question, record.population),
        )
    for order, example in enumerate(record.composition_examples):
        CouncilCompositionExample.objects.create(
            survey=survey,
            label=example.label,
            members=example.members,
            sectors=list(example.sectors),
            order=order,
        )
    return survey


def _save_findings(record, errors):
    issues = {i.title: i for i in InterviewIssue.objects.order_by("theme__order", "order")}
    count = 0

    def add(finding, responses):
        nonlocal count
        for order, response in enumerate(responses):
            try:
                link = reverse(response.page)
            except NoReverseMatch:
                errors.add(
                    response.line, "page", _("ページ「%(p)s」はありません。") % {"p": response.page}
                )
                continue
            FindingResponse.objects.create(
                finding=finding,
                title=response.title,
                link=link + (f"?{response.query}" if response.query else ""),
                note=response.note,
                order=order,
            )
            count += 1

    by_issue = {f.issue: f for f in record.interview}
    for order, (title, issue) in enumerate(issues.items()):
        finding = Finding.objects.create(
            source=Finding.Source.INTERVIEW, interview_issue=issue, title=title, order=order
        )
        if title in by_issue:
            add(finding, by_issue[title].responses)
    by_challenge = {f.challenge: f for f in record.survey}
    challenges = [
        item
        for question in Question.objects.filter(survey__origin=Survey.Origin.PUBLISHED)
        for item in question.published_figures.get("items", [])
    ]
    for position, challenge in enumerate(challenges):
        finding = Finding.objects.create(
            source=Finding.Source.SURVEY, title=challenge, order=position
        )
        if challenge in by_challenge:
            add(finding, by_challenge[challenge].responses)
    return count


def load_councils(source_dir):
    interview = parse_record(source_dir / "interviews.yaml", InterviewRecord)
    survey_record = parse_record(source_dir / "survey_2021.yaml", SurveyRecord)
    findings = parse_findings(source_dir / "findings.yaml", interview, survey_record)
    errors = Errors("survey_2021.yaml")
    saved = Interview.objects.create(
        slug=interview.slug,
        title=interview.title,
        document=interview.document,
        summary=interview.summary,
        interviewees_at_least=interview.interviewees_at_least,
    )
    issues = 0
    for order, theme in enumerate(interview.themes):
        saved_theme = InterviewTheme.objects.create(interview=saved, title=theme.title, order=order)
        for issue_order, issue in enumerate(theme.issues):
            InterviewIssue.objects.create(
                theme=saved_theme, title=issue.title, points=issue.points, order=issue_order
            )
            issues += 1
    survey = _save_survey(survey_record)
    for order, case in enumerate(survey_record.case_studies):
        _save_case(case, survey, order, errors)
    errors.raise_if_any()
    finding_errors = Errors("findings.yaml")
    responses = _save_findings(findings, finding_errors)
    finding_errors.raise_if_any()
    return {
        "interview_issues": issues,
        "case_studies": len(survey_record.case_studies),
        "finding_responses": responses,
    }

"""Load the interview summary, the 2021 survey and its case studies (data/source/*.yaml)."""

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from pydantic import Field, ValidationError

from renkei.councils.models import (
    CaseStudy,
    CouncilCompositionExample,
    Interview,
    InterviewIssue,
    InterviewTheme,
    Survey,
)
from renkei.lib.imports import Errors, pydantic_errors, read_yaml
from renkei.lib.schemas import Record, Slug, Text
from renkei.regions import resolve


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


class ParticipantRecord(Record):
    category: Text
    names: list[Text] = Field(min_length=1)
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
    questions: list[Text]
    with_council: int = Field(ge=0)
    composition_examples: list[CompositionRecord] = []
    challenges: list[Text]
    challenges_note: Literal["", "等"] = ""
    case_studies: list[CaseStudyRecord] = []


def parse_record(path, model):
    data = read_yaml(path)
    errors = Errors(path.name)
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        errors.extend(pydantic_errors(exc, path.name, None, data=data))
        record = None
    if isinstance(record, SurveyRecord) and record.with_council > record.population:
        errors.add(
            record.line,
            "with_council",
            _("協議会等を設置している団体数が対象団体数を超えています。"),
        )
    errors.raise_if_any()
    return record


def load_councils(source_dir):
    interview = parse_record(source_dir / "interviews.yaml", InterviewRecord)
    survey_record = parse_record(source_dir / "survey_2021.yaml", SurveyRecord)
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
    survey = Survey.objects.create(
        slug=survey_record.slug,
        title=survey_record.title,
        document=survey_record.document,
        conducted_by=survey_record.conducted_by,
        conducted_in=survey_record.conducted_in,
        conducted_on=survey_record.conducted_on,
        population=survey_record.population,
        population_note=survey_record.population_note,
        method=survey_record.method,
        questions=survey_record.questions,
        with_council=survey_record.with_council,
        challenges=survey_record.challenges,
        challenges_note=survey_record.challenges_note,
    )
    for order, example in enumerate(survey_record.composition_examples):
        CouncilCompositionExample.objects.create(
            survey=survey, label=example.label, members=example.members, order=order
        )
    for order, case in enumerate(survey_record.case_studies):
        try:
            prefecture = resolve.prefecture_named(case.prefecture)
        except resolve.NotFound as exc:
            errors.add(case.line, "prefecture", str(exc))
            continue
        CaseStudy.objects.create(
            slug=case.slug,
            title=case.title,
            prefecture=prefecture,
            since=case.since,
            since_fiscal_year=case.since_fiscal_year,
            theme=case.theme,
            participants=[p.model_dump(exclude={"line"}) for p in case.participants],
            summary=case.summary,
            survey=survey,
            order=order,
        )
    errors.raise_if_any()
    return {"interview_issues": issues, "case_studies": len(survey_record.case_studies)}

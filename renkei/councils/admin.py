from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin
from renkei.councils.models import (
    CaseStudy,
    CouncilCompositionExample,
    Interview,
    InterviewIssue,
    InterviewTheme,
    Survey,
)


class IssueInline(admin.StackedInline):
    model = InterviewIssue
    extra = 0


@admin.register(Interview)
class InterviewAdmin(AuditedAdmin):
    list_display = ["title", "interviewees_at_least"]


@admin.register(InterviewTheme)
class InterviewThemeAdmin(AuditedAdmin):
    list_display = ["title", "interview", "order"]
    inlines = [IssueInline]


@admin.register(InterviewIssue)
class InterviewIssueAdmin(AuditedAdmin):
    list_display = ["title", "theme", "order"]


class ExampleInline(admin.TabularInline):
    model = CouncilCompositionExample
    extra = 0


@admin.register(Survey)
class SurveyAdmin(AuditedAdmin):
    list_display = ["title", "conducted_in", "population", "with_council"]
    inlines = [ExampleInline]


@admin.register(CouncilCompositionExample)
class CouncilCompositionExampleAdmin(AuditedAdmin):
    list_display = ["label", "survey", "order"]


@admin.register(CaseStudy)
class CaseStudyAdmin(AuditedAdmin):
    list_display = ["title", "prefecture", "since", "theme"]

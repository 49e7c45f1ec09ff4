from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin, ReadOnlyAdmin
from renkei.councils.models import (
    ActionItem,
    Attendance,
    CaseParticipant,
    CaseStudy,
    Council,
    CouncilCompositionExample,
    CouncilMember,
    Decision,
    Finding,
    FindingResponse,
    Interview,
    InterviewIssue,
    InterviewTheme,
    Meeting,
    Question,
    Survey,
    SurveyInvitation,
    SurveyResponse,
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


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(AuditedAdmin):
    list_display = ["title", "origin", "status", "closes_at", "results_published_at"]
    list_filter = ["origin", "status"]
    inlines = [QuestionInline, ExampleInline]


@admin.register(CouncilCompositionExample)
class CouncilCompositionExampleAdmin(AuditedAdmin):
    list_display = ["label", "survey", "order"]


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    """Invitations change through the survey pages (send, remind, re-issue)."""

    list_display = ["survey", "organization", "sent_at", "reminded_at", "reminder_count"]
    list_filter = ["survey"]
    exclude = ["nonce"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    """Responses come only through the organisations' links."""

    list_display = ["survey", "organization", "submitted_at", "updated_at"]
    list_filter = ["survey"]


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    list_display = ["name", "prefecture", "municipality", "community", "organization", "is_public"]
    list_filter = ["is_public", "prefecture"]
    search_fields = ["name", "purpose"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["municipality"]
    inlines = [MemberInline]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["council", "held_on", "title", "is_public"]
    list_filter = ["council"]
    exclude = ["minutes_file", "minutes_sha256", "minutes_name"]
    inlines = [DecisionInline]


@admin.register(ActionItem)
class ActionItemAdmin(AuditedAdmin):
    list_display = ["title", "council", "owner", "due_on", "status", "done_on"]
    list_filter = ["status", "council"]


class ParticipantInline(admin.TabularInline):
    model = CaseParticipant
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(CaseStudy)
class CaseStudyAdmin(AuditedAdmin):
    list_display = ["title", "prefecture", "since", "theme", "sector_mix"]
    list_filter = ["prefecture", "market_area", "stage"]
    search_fields = ["title", "theme"]
    filter_horizontal = ["programs", "communities"]
    inlines = [ParticipantInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.update_sector_mix()


class ResponseInline(admin.TabularInline):
    model = FindingResponse
    extra = 0
    exclude = ["created_by"]


@admin.register(Finding)
class FindingAdmin(AuditedAdmin):
    list_display = ["title", "source", "order"]
    list_filter = ["source"]
    inlines = [ResponseInline]


@admin.register(Question)
class QuestionAdmin(AuditedAdmin):
    list_display = ["text", "survey", "kind", "order"]
    list_filter = ["survey", "kind"]


@admin.register(CouncilMember)
class CouncilMemberAdmin(AuditedAdmin):
    list_display = ["organization", "council", "sector", "role", "joined_on", "left_on"]
    list_filter = ["sector", "council"]
    autocomplete_fields = ["organization"]


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdmin):
    list_display = ["meeting", "member"]


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ["text", "meeting", "order"]


@admin.register(CaseParticipant)
class CaseParticipantAdmin(AuditedAdmin):
    list_display = ["name", "case", "category", "organization", "sector"]
    list_filter = ["sector", "case"]
    autocomplete_fields = ["organization"]


@admin.register(FindingResponse)
class FindingResponseAdmin(AuditedAdmin):
    list_display = ["title", "finding", "link", "order"]

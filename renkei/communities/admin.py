from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin, ReadOnlyAdmin
from renkei.communities.models import (
    Application,
    Attachment,
    CertificationRound,
    Community,
    CommunityFact,
    CommunityMember,
    CommunityStatusEvent,
    KeyPerson,
    Review,
    ReviewAssignment,
    ReviewDraft,
    StrategyMarketArea,
)


class MemberInline(admin.TabularInline):
    model = CommunityMember
    extra = 0
    autocomplete_fields = ["organization"]


class FactInline(admin.TabularInline):
    model = CommunityFact
    extra = 0


class KeyPersonInline(admin.TabularInline):
    model = KeyPerson
    extra = 0
    autocomplete_fields = ["organization"]


class StatusEventInline(admin.TabularInline):
    model = CommunityStatusEvent
    extra = 0


@admin.register(Community)
class CommunityAdmin(AuditedAdmin):
    list_display = ["name", "kind", "status", "certified_on", "registered_on", "logo_permitted"]
    list_filter = ["kind", "status", "market_areas", "logo_permitted"]
    search_fields = ["name", "abbreviation", "overview", "themes"]
    autocomplete_fields = ["network_organization"]
    filter_horizontal = ["prefectures", "market_areas"]
    inlines = [MemberInline, KeyPersonInline, FactInline, StatusEventInline]


@admin.register(CommunityMember)
class CommunityMemberAdmin(AuditedAdmin):
    list_display = ["community", "organization", "role", "as_written", "joined_on", "left_on"]
    list_filter = ["community", "role"]
    search_fields = ["organization__name", "as_written"]
    autocomplete_fields = ["organization"]


@admin.register(CommunityFact)
class CommunityFactAdmin(AuditedAdmin):
    list_display = ["community", "label", "value", "as_of"]
    list_filter = ["community"]


@admin.register(KeyPerson)
class KeyPersonAdmin(AuditedAdmin):
    list_display = ["community", "name", "title", "organization"]
    list_filter = ["community"]
    search_fields = ["name", "title"]
    autocomplete_fields = ["organization"]


@admin.register(CommunityStatusEvent)
class CommunityStatusEventAdmin(AuditedAdmin):
    list_display = ["community", "status", "decided_on", "round"]
    list_filter = ["status"]


@admin.register(StrategyMarketArea)
class StrategyMarketAreaAdmin(AuditedAdmin):
    list_display = ["number", "name", "group"]


@admin.register(CertificationRound)
class CertificationRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "fiscal_year", "status", "published_on"]
    list_filter = ["kind", "status"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["community", "round", "state", "decision", "submitted_at", "decided_at"]
    list_filter = ["state", "decision", "round"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "application", "size", "uploaded_at"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "conflict_declared", "assigned_at"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "submitted_at"]


@admin.register(ReviewDraft)
class ReviewDraftAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "saved_at"]

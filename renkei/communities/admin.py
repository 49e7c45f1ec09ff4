from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin
from renkei.communities.models import Community, CommunityFact, CommunityMember


class MemberInline(admin.TabularInline):
    model = CommunityMember
    extra = 0
    autocomplete_fields = ["organization"]


class FactInline(admin.TabularInline):
    model = CommunityFact
    extra = 0


@admin.register(Community)
class CommunityAdmin(AuditedAdmin):
    list_display = ["name", "kind", "status", "certified_on", "registered_on"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "abbreviation", "overview", "themes"]
    autocomplete_fields = ["network_organization"]
    filter_horizontal = ["prefectures"]
    inlines = [MemberInline, FactInline]


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

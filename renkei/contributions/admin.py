from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin
from renkei.contributions.models import CouncilRole, Researcher


@admin.register(Researcher)
class ResearcherAdmin(AuditedAdmin):
    list_display = ["name", "organization", "researchmap_id", "kaken_id", "public_since"]
    search_fields = ["name", "researchmap_id", "kaken_id"]
    raw_id_fields = ["organization", "created_by"]


@admin.register(CouncilRole)
class CouncilRoleAdmin(AuditedAdmin):
    list_display = ["researcher", "council", "role", "since", "until"]
    raw_id_fields = ["researcher", "council", "recorded_by"]

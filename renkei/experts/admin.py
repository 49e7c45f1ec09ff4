from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin, ReadOnlyAdmin
from renkei.experts.models import Assignment, Consultation, Expert


@admin.register(Expert)
class ExpertAdmin(AuditedAdmin):
    list_display = ["name", "kind", "organization", "availability", "public", "active"]
    list_filter = ["kind", "availability", "public", "active"]
    search_fields = ["name", "expertise", "fields"]
    raw_id_fields = ["user", "organization", "community", "created_by"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["need", "expert", "assigned_at", "ended_at"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["expert", "held_on", "asker_kind", "topic", "outcome"]
    list_filter = ["outcome", "asker_kind"]

from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin, ReadOnlyAdmin
from renkei.matching.models import Embedding, MatchRecord, Need, Seed


@admin.register(Seed)
class SeedAdmin(AuditedAdmin):
    list_display = ["title", "organization", "prefecture", "stage", "visibility", "archived"]
    list_filter = ["stage", "visibility", "archived", "prefecture"]
    search_fields = ["title", "summary", "keywords", "code", "organization__name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["contact_window", "created_by"]


@admin.register(Need)
class NeedAdmin(AuditedAdmin):
    """The secretariat corrects or closes needs here (e.g. on the submitter's request)."""

    list_display = ["title", "prefecture", "submitter_kind", "status", "confirmed_at"]
    list_filter = ["status", "submitter_kind", "prefecture"]
    search_fields = ["title", "description"]
    readonly_fields = ["consent_at", "confirmed_at"]
    raw_id_fields = ["assigned_to", "community"]


@admin.register(MatchRecord)
class MatchRecordAdmin(ReadOnlyAdmin):
    """Matches are recorded on the need's page (record_match); read-only here."""

    list_display = ["need", "seed", "status", "agreement", "agreed_on", "community"]
    list_filter = ["status", "agreement"]


@admin.register(Embedding)
class EmbeddingAdmin(ReadOnlyAdmin):
    list_display = ["key", "model", "created_at"]

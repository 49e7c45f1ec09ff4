from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin, ReadOnlyAdmin
from renkei.matching.models import Embedding, Judgement, Need, Proposal, Seed, Step


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


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    """Proposals move on the need's page (renkei.matching.actions.pipeline); read-only here."""

    list_display = ["need", "seed", "state", "state_since", "community"]
    list_filter = ["state"]


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    """The append-only history of needs and proposals."""

    list_display = ["need", "proposal", "kind", "on", "by_label", "legacy"]
    list_filter = ["kind", "legacy"]


@admin.register(Judgement)
class JudgementAdmin(ReadOnlyAdmin):
    list_display = ["need", "seed", "useful", "rank", "by", "at"]
    list_filter = ["useful"]


@admin.register(Embedding)
class EmbeddingAdmin(ReadOnlyAdmin):
    list_display = ["key", "model", "created_at"]

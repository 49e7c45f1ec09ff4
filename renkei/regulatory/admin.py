from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin
from renkei.regulatory.models import RegulatoryConsultation


@admin.register(RegulatoryConsultation)
class RegulatoryConsultationAdmin(AuditedAdmin):
    """The secretariat corrects or closes consultations here; routing and answers happen on
    the portal's pages."""

    list_display = ["title", "topic", "prefecture", "status", "window", "published_at"]
    list_filter = ["topic", "status"]
    search_fields = ["title", "public_question"]
    raw_id_fields = ["window", "user", "routed_by", "answered_by"]
    readonly_fields = ["consent_at", "confirmed_at"]

from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin
from renkei.regions.models import ContactWindow, Municipality, Organization, Prefecture


@admin.register(Prefecture)
class PrefectureAdmin(AuditedAdmin):
    list_display = ["code", "name", "lg_code", "block", "capital"]
    list_filter = ["block"]
    search_fields = ["name", "name_kana", "name_en", "lg_code"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["lg_code", "prefecture", "name", "kind", "parent"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["name", "name_kana", "lg_code"]
    raw_id_fields = ["parent"]


class ContactWindowInline(admin.StackedInline):
    model = ContactWindow
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "prefecture", "school_type", "is_active"]
    list_filter = ["kind", "school_type", "establishment", "is_active", "prefecture"]
    search_fields = [
        "name",
        "short_name",
        "search_name",
        "school_code",
        "corporate_number",
        "lg_code",
    ]
    inlines = [ContactWindowInline]


@admin.register(ContactWindow)
class ContactWindowAdmin(AuditedAdmin):
    list_display = ["organization", "department", "phone", "extension", "email", "is_primary"]
    list_filter = ["organization__kind", "is_primary"]
    search_fields = ["organization__name", "department", "email", "topics"]
    autocomplete_fields = ["organization"]

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from renkei.accounts.admin import AuditedAdmin, ReadOnlyAdmin
from renkei.programs.models import (
    BudgetLine,
    CallPeriod,
    CatalogueVersion,
    MenuEdition,
    Program,
    ProgramAlias,
    ProgramContact,
    ProgramDraft,
    ProgramRelation,
    ProgramUpload,
    ProgramVector,
    SavedProgram,
    SavedSearch,
    SearchDocument,
    SentReminder,
)


class AliasInline(admin.TabularInline):
    model = ProgramAlias
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["fiscal_year", "kind", "source", "title", "amount_thousand_yen", "is_part_of_larger",
              "is_headline", "notes"]  # fmt: skip


class ContactInline(admin.TabularInline):
    model = ProgramContact
    extra = 0
    autocomplete_fields = ["contact_window"]


class CallPeriodInline(admin.TabularInline):
    model = CallPeriod
    extra = 0


class RelationInline(admin.TabularInline):
    model = ProgramRelation
    fk_name = "from_program"
    extra = 0
    autocomplete_fields = ["to_program"]
    verbose_name = _("次の一手（この施策から）")
    verbose_name_plural = _("次の一手（この施策から）")


@admin.register(Program)
class ProgramAdmin(AuditedAdmin):
    list_display = ["name", "ministry", "aim", "stage", "accepts_new_projects", "in_support_menu"]
    list_filter = ["ministry", "aim", "stage", "market_area", "accepts_new_projects",
                   "for_university", "for_company", "for_local_government"]  # fmt: skip
    search_fields = ["name", "code", "aliases__name", "description", "keywords"]
    autocomplete_fields = ["ministry"]
    inlines = [AliasInline, BudgetLineInline, ContactInline, CallPeriodInline, RelationInline]


@admin.register(ProgramAlias)
class ProgramAliasAdmin(AuditedAdmin):
    list_display = ["name", "program", "note"]
    search_fields = ["name", "program__name"]


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedAdmin):
    list_display = ["program", "fiscal_year", "kind", "source", "amount_thousand_yen",
                    "is_part_of_larger", "is_headline"]  # fmt: skip
    list_filter = ["fiscal_year", "kind", "source", "is_part_of_larger"]
    search_fields = ["program__name", "title"]


@admin.register(ProgramContact)
class ProgramContactAdmin(AuditedAdmin):
    list_display = ["program", "contact_window", "label", "order"]
    autocomplete_fields = ["program", "contact_window"]


@admin.register(CallPeriod)
class CallPeriodAdmin(AuditedAdmin):
    list_display = ["program", "title", "opens_at", "closes_at", "status"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["program__name", "title"]
    autocomplete_fields = ["program"]


@admin.register(ProgramRelation)
class ProgramRelationAdmin(AuditedAdmin):
    list_display = ["from_program", "to_program", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["from_program__name", "to_program__name", "reason"]
    autocomplete_fields = ["from_program", "to_program"]


@admin.register(SavedSearch)
class SavedSearchAdmin(AuditedAdmin):
    list_display = ["user", "name", "created_at", "last_notified_at"]
    search_fields = ["user__username", "name"]


@admin.register(SavedProgram)
class SavedProgramAdmin(AuditedAdmin):
    list_display = ["user", "program", "created_at"]
    search_fields = ["user__username", "program__name"]


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    list_display = ["user", "call_period", "sent_at"]


@admin.register(SearchDocument)
class SearchDocumentAdmin(ReadOnlyAdmin):
    list_display = ["program", "name"]
    search_fields = ["program__name"]


@admin.register(ProgramVector)
class ProgramVectorAdmin(ReadOnlyAdmin):
    list_display = ["program", "model", "text_hash"]


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "version"]


# The fiscal-year editions and uploads are written from the portal's pages (ADR 0008), where
# they are validated whole and audited; the admin only shows them.
@admin.register(MenuEdition)
class MenuEditionAdmin(ReadOnlyAdmin):
    list_display = ["fiscal_year", "state", "based_on", "published_at"]


@admin.register(ProgramDraft)
class ProgramDraftAdmin(ReadOnlyAdmin):
    list_display = ["edition", "name", "included", "amount_thousand_yen", "is_part_of_larger"]
    list_filter = ["edition"]


@admin.register(ProgramUpload)
class ProgramUploadAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "state", "created_by", "created_at", "applied_at"]
    exclude = ["content"]

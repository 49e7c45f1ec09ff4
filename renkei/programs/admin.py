from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin
from renkei.programs.models import BudgetLine, Program, ProgramAlias, ProgramContact


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


@admin.register(Program)
class ProgramAdmin(AuditedAdmin):
    list_display = ["name", "ministry", "aim", "stage", "accepts_new_projects", "in_support_menu"]
    list_filter = ["ministry", "aim", "stage", "market_area", "accepts_new_projects",
                   "for_university", "for_company", "for_local_government"]  # fmt: skip
    search_fields = ["name", "code", "aliases__name", "description", "keywords"]
    inlines = [AliasInline, BudgetLineInline, ContactInline]


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

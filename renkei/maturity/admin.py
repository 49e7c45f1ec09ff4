from django.contrib import admin

from renkei.accounts.admin import AuditedAdmin, ReadOnlyAdmin
from renkei.maturity.models import (
    CountedValue,
    Indicator,
    MaturitySnapshot,
    MedianSnapshot,
    NationalSnapshot,
    Report,
    ReportValue,
    ValueSnapshot,
)


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    """The secretariat adds, re-defines and retires indicators here (audited)."""

    list_display = ["code", "name", "unit", "category", "higher_is_better", "retired_on", "order"]
    list_filter = ["category", "unit", "retired_on"]
    search_fields = ["code", "name", "name_en", "how_counted"]


class ValueInline(admin.TabularInline):
    model = ReportValue
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Reports change through their pages (the workflow's actions); read-only here."""

    list_display = ["community", "fiscal_year", "state", "submitted_at", "accepted_at"]
    list_filter = ["state", "fiscal_year"]
    inlines = [ValueInline]


@admin.register(ReportValue)
class ReportValueAdmin(ReadOnlyAdmin):
    list_display = ["report", "indicator", "value"]


@admin.register(ValueSnapshot)
class ValueSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["community", "indicator", "fiscal_year", "value"]


@admin.register(MedianSnapshot)
class MedianSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["kind", "indicator", "fiscal_year", "median", "count"]


@admin.register(MaturitySnapshot)
class MaturitySnapshotAdmin(ReadOnlyAdmin):
    list_display = ["community", "stage", "score", "computed_at"]


@admin.register(NationalSnapshot)
class NationalSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["computed_at"]


@admin.register(CountedValue)
class CountedValueAdmin(ReadOnlyAdmin):
    list_display = ["community", "indicator", "fiscal_year", "value", "updated_at"]

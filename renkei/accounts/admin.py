from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from renkei.accounts import audit
from renkei.accounts.models import AuditLog, Role, User


class AuditedAdmin(ObjectPermissionsModelAdmin):
    """Admin base for every renkei model: object permissions, and an audit row per write."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def _audit_label(self, verb):
        return f"admin.{self.model._meta.label_lower}.{verb}"

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk))
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = audit.snapshot(obj)
            if before is not None:
                before, after = audit.changed_fields(before, after)
            audit.record(
                self._audit_label("change" if change else "add"),
                actor=request.user,
                target=obj,
                before=before,
                after=after,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for obj in formset.new_objects + [o for o, _fields in formset.changed_objects]:
                audit.record(
                    f"admin.{obj._meta.label_lower}.save",
                    actor=request.user,
                    target=obj,
                    after=audit.snapshot(obj),
                )
            for obj in formset.deleted_objects:
                audit.record(
                    f"admin.{obj._meta.label_lower}.delete",
                    actor=request.user,
                    target=obj,
                    before=audit.snapshot(obj),
                )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                self._audit_label("delete"),
                actor=request.user,
                target=obj,
                before=audit.snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.record(
                    self._audit_label("delete"),
                    actor=request.user,
                    target=obj,
                    before=audit.snapshot(obj),
                )
            super().delete_queryset(request, queryset)


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["community", "organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("renkei"), {"fields": ["display_name"]}),
    ]


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["user", "kind", "community", "organization", "granted_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user", "community", "organization"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_label", "actor_label", "note"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("accounts.view_auditlog")

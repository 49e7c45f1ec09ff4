from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from renkei.accounts import audit
from renkei.accounts.models import AuditLog, Invitation, Role, SessionRecord, User

# Fields never copied into an audit row: the password hash is a secret even when hashed.
SECRET_FIELDS = frozenset({"password"})


def _snapshot(obj):
    data = audit.snapshot(obj)
    if data is not None:
        for name in SECRET_FIELDS & data.keys():
            data[name] = "(changed)" if data[name] else ""
    return data


class AuditMixin:
    """An audit row for every write an admin page makes: the object itself, and the rows of
    its inlines (a role granted on the user page is audited like one granted on its own page).
    Every renkei admin class uses it."""

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            before = _snapshot(type(obj).objects.get(pk=obj.pk))
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = _snapshot(obj)
            if before is not None:
                before, after = audit.changed_fields(before, after)
            action = audit.Action.ADMIN_CHANGE if change else audit.Action.ADMIN_ADD
            if not change or after:
                audit.record(action, actor=request.user, target=obj, before=before, after=after)

    def save_related(self, request, form, formsets, change):
        before = _snapshot(form.instance)
        super().save_related(request, form, formsets, change)  # calls save_formset per inline
        before, after = audit.changed_fields(before, _snapshot(form.instance))
        if after:  # many-to-many fields (groups, permissions, market areas) changed
            audit.record(
                audit.Action.ADMIN_CHANGE,
                actor=request.user,
                target=form.instance,
                before=before,
                after=after,
            )

    def save_formset(self, request, form, formset, change):
        """The rows of an inline: each addition, change and deletion gets its own row (the
        admin runs the whole page in one transaction, so the rows commit with the change)."""
        before = {}
        for inline_form in formset.initial_forms:
            obj = inline_form.instance
            if obj.pk is None:
                continue
            if formset._should_delete_form(inline_form):
                audit.record(
                    audit.Action.ADMIN_DELETE,
                    actor=request.user,
                    target=obj,
                    before=_snapshot(type(obj).objects.get(pk=obj.pk)),
                )
            elif inline_form.has_changed():
                before[obj.pk] = _snapshot(type(obj).objects.get(pk=obj.pk))
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(
                audit.Action.ADMIN_ADD, actor=request.user, target=obj, after=_snapshot(obj)
            )
        for obj, _fields in formset.changed_objects:
            old, new = audit.changed_fields(before.get(obj.pk), _snapshot(obj))
            audit.record(
                audit.Action.ADMIN_CHANGE, actor=request.user, target=obj, before=old, after=new
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                audit.Action.ADMIN_DELETE,
                actor=request.user,
                target=obj,
                before=_snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.record(
                    audit.Action.ADMIN_DELETE,
                    actor=request.user,
                    target=obj,
                    before=_snapshot(obj),
                )
            super().delete_queryset(request, queryset)


class AuditedAdmin(AuditMixin, ObjectPermissionsModelAdmin):
    """Admin base for every renkei model: object permissions, and an audit row per write."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class ReadOnlyAdmin(AuditedAdmin):
    """Rows the system maintains, or that change only through their pages' actions (a hand
    edit would skip the state machine): visible to the secretariat, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["community", "organization"]


@admin.register(User)
class UserAdmin(AuditMixin, BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("renkei"), {"fields": ["display_name"]}),
    ]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit.record(
                audit.Action.ADMIN_PASSWORD,
                actor=request.user,
                target=self.get_object(request, id),
            )
        return response


# Groups carry permissions, so their page is audited like every other.
admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditMixin, GroupAdmin):
    pass


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["user", "kind", "community", "organization", "granted_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user", "community", "organization"]


class AuditActionFilter(admin.SimpleListFilter):
    """The actions as people read them (「認定の決定」), not their stored names."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        recorded = set(model_admin.get_queryset(request).values_list("action", flat=True))
        known = [(a.value, a.label) for a in audit.Action if a.value in recorded]
        return known + [(name, name) for name in sorted(recorded - set(audit.Action.values))]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action_shown", "target_type", "target_label"]
    list_filter = [AuditActionFilter, "target_type"]
    search_fields = ["action", "target_label", "actor_label", "note"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("accounts.view_auditlog")

    @admin.display(description=_("操作"), ordering="action")
    def action_shown(self, entry):
        return entry.action_label


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations are sent, resent, revoked and accepted on their pages (each audited)."""

    list_display = ["email", "kind", "community", "organization", "state", "invited_by", "sent_at"]
    list_filter = ["kind", "state"]
    search_fields = ["email", "name"]
    exclude = ["token_hash"]


@admin.register(SessionRecord)
class SessionRecordAdmin(ReadOnlyAdmin):
    list_display = ["user", "started_at", "last_seen_at", "address", "ended_at"]
    search_fields = ["user__username"]
    exclude = ["session_key"]

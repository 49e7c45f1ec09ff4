from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may do comes from their roles."""

    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    affiliation = models.ForeignKey(
        "regions.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated_users",
        verbose_name=_("所属機関"),
        help_text=_("審査委員の利益相反の判定に使います"),
    )

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def has_role(self, kind, obj=None):
        return any(role.grants(kind, obj) for role in self.cached_roles)

    @property
    def cached_roles(self):
        if not hasattr(self, "_cached_roles"):
            self._cached_roles = list(self.roles.all()) if self.pk else []
        return self._cached_roles

    @property
    def is_secretariat(self):
        return self.is_active and (self.is_superuser or self.has_role(Role.Kind.SECRETARIAT))


class RoleQuerySet(models.QuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)


class Role(models.Model):
    """One role of one user, bound to a community or an organisation where the kind needs it."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("事務局")
        REVIEWER = "reviewer", _("審査委員")
        COORDINATOR = "coordinator", _("コーディネーター（ネットワーク機関）")
        ORGANIZATION_MEMBER = "organization_member", _("所属機関の担当者")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("ユーザー"),
    )
    kind = models.CharField(_("役割"), max_length=32, choices=Kind.choices)
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("バイオコミュニティ"),
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("機関"),
    )
    granted_at = models.DateTimeField(_("付与日時"), auto_now_add=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("役割")
        verbose_name_plural = _("役割")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(community__isnull=True, organization__isnull=True),
                name="role_unique_unbound",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "community"],
                condition=models.Q(community__isnull=False),
                name="role_unique_per_community",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "organization"],
                condition=models.Q(organization__isnull=False),
                name="role_unique_per_organization",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="coordinator") | models.Q(community__isnull=False),
                name="role_coordinator_has_community",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="organization_member")
                | models.Q(organization__isnull=False),
                name="role_member_has_organization",
            ),
        ]

    def __str__(self):
        target = self.community or self.organization
        label = self.get_kind_display()
        return f"{self.user} / {label}" + (f" / {target}" if target else "")

    def clean(self):
        if self.kind == self.Kind.COORDINATOR and not self.community_id:
            raise ValidationError(
                {"community": _("コーディネーターには担当コミュニティが必要です。")}
            )
        if self.kind == self.Kind.ORGANIZATION_MEMBER and not self.organization_id:
            raise ValidationError({"organization": _("所属機関の担当者には機関が必要です。")})

    def grants(self, kind, obj=None):
        """Whether this role is ``kind`` and, when ``obj`` is given, bound to it."""
        if self.kind != kind:
            return False
        if obj is None:
            return True
        if self.kind == self.Kind.COORDINATOR:
            return self.community_id == getattr(obj, "pk", obj)
        if self.kind == self.Kind.ORGANIZATION_MEMBER:
            return self.organization_id == getattr(obj, "pk", obj)
        return True


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly(_("監査ログは追記のみで、変更できません。"))

    def delete(self):
        raise AuditLogIsAppendOnly(_("監査ログは追記のみで、削除できません。"))

    def for_object(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


class AuditLogIsAppendOnly(Exception):
    pass


class AuditLog(models.Model):
    """Who did what, when, to which object, with the values before and after.

    Append-only: the model, its queryset and database triggers (see the migration) refuse
    updates and deletes.
    """

    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("実行者"),
    )
    actor_label = models.CharField(_("実行者（記録時）"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    target_type = models.CharField(_("対象の種類"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("対象ID"), max_length=64, blank=True, db_index=True)
    target_label = models.CharField(_("対象"), max_length=300, blank=True)
    before = models.JSONField(_("変更前"), null=True, blank=True)
    after = models.JSONField(_("変更後"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly(_("監査ログは追記のみで、変更できません。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly(_("監査ログは追記のみで、削除できません。"))

"""People and their roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def holding(self, kind, **bound):
        """Active people holding a role of ``kind`` (bound to ``community=`` or
        ``organization=`` where given)."""
        filters = {f"roles__{key}": value for key, value in bound.items()}
        return self.filter(is_active=True, roles__kind=kind, **filters).distinct()

    def secretariat(self):
        return self.holding(Role.Kind.SECRETARIAT)

    def coordinators_of(self, community):
        return self.holding(Role.Kind.COORDINATOR, community=community)

    def members_of(self, organization):
        return self.holding(Role.Kind.ORGANIZATION_MEMBER, organization=organization)

    def with_email(self, email):
        """The account with this address, compared without case (addresses are unique)."""
        return self.filter(email__iexact=(email or "").strip()).exclude(email="")

    def signing_in_as(self, name):
        """The account a login name means: a username, or an e-mail address."""
        name = (name or "").strip()
        if "@" in name:
            return self.with_email(name)
        return self.filter(username=name)


class RenkeiUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


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

    objects = RenkeiUserManager()

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")
        constraints = [
            # One account per address: people sign in with it and invitations go to it.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_unique_email"
            )
        ]

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

    @property
    def is_staff_person(self):
        """Secretariat, reviewers, coordinators and admin users: they must use a second
        factor, and their sessions are short (ADR 0005)."""
        return (
            self.is_staff
            or self.is_superuser
            or any(role.kind in Role.STAFF_KINDS for role in self.cached_roles)
        )


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

    # Roles whose holders must use a second factor and get short sessions.
    STAFF_KINDS = frozenset({Kind.SECRETARIAT, Kind.REVIEWER, Kind.COORDINATOR})

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

    @property
    def target(self):
        """What the role is bound to (a community or an organisation), or None."""
        return self.community if self.community_id else self.organization

"""Invitations: a single-use, expiring link that grants a role when it is accepted."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.accounts.models.people import Role

VALID_FOR = timedelta(days=7)


def token_hash(token):
    """What is stored of an invitation's token: its SHA-256 (the link itself is never kept)."""
    return hashlib.sha256(str(token).encode("utf-8", "replace")).hexdigest()


def new_token():
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Invitations that can still be accepted."""
        return self.filter(state=Invitation.State.PENDING, expires_at__gt=now or timezone.now())

    def to(self, email):
        return self.filter(email__iexact=(email or "").strip())

    def sent_by(self, user):
        return self.filter(invited_by=user)

    def with_current_state(self, now=None):
        """``state_now``: the stored state, with a pending invitation past its expiry read
        as expired (nothing has to run to expire them)."""
        now = now or timezone.now()
        return self.annotate(
            state_now=models.Case(
                models.When(
                    state=Invitation.State.PENDING,
                    expires_at__lte=now,
                    then=models.Value(Invitation.State.EXPIRED.value),
                ),
                default=models.F("state"),
                output_field=models.CharField(),
            )
        )

    def for_token(self, token):
        return self.filter(token_hash=token_hash(token))


class Invitation(models.Model):
    """An invitation by e-mail to take a role: reviewer (optionally for a round), coordinator
    of a community, member of an organisation, or secretariat."""

    class State(models.TextChoices):
        PENDING = "pending", _("受諾待ち")
        ACCEPTED = "accepted", _("受諾済み")
        EXPIRED = "expired", _("期限切れ")
        REVOKED = "revoked", _("取消し")

    email = models.EmailField(_("メールアドレス"))
    name = models.CharField(_("お名前"), max_length=100, blank=True)
    kind = models.CharField(_("役割"), max_length=32, choices=Role.Kind.choices)
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("バイオコミュニティ"),
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("機関"),
    )
    round = models.ForeignKey(
        "communities.CertificationRound",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("認定ラウンド"),
        help_text=_("審査委員の招待では、受諾したときにこのラウンドの審査委員になります。"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("招待した人"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("状態"), max_length=20, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    sent_at = models.DateTimeField(_("送信日時"), default=timezone.now)
    expires_at = models.DateTimeField(_("有効期限"))
    accepted_at = models.DateTimeField(_("受諾日時"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受諾したアカウント"),
    )
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="coordinator") | models.Q(community__isnull=False),
                name="invitation_coordinator_has_community",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="organization_member")
                | models.Q(organization__isnull=False),
                name="invitation_member_has_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(round__isnull=True) | models.Q(kind="reviewer"),
                name="invitation_round_for_reviewers",
            ),
        ]

    def __str__(self):
        return _("%(email)s さんへの招待（%(role)s）") % {
            "email": self.email,
            "role": self.role_label,
        }

    @property
    def role_label(self):
        """「コーディネーター（ネットワーク機関）: 長岡バイオエコノミー」: the role and what it
        is bound to, as the invitee reads it."""
        target = self.community if self.community_id else self.organization
        if self.round_id:
            target = self.round
        label = self.get_kind_display()
        return f"{label}: {target}" if target else str(label)

    def current_state(self, now=None):
        if self.state == self.State.PENDING and self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State(self.state)

    def get_current_state_display(self):
        return self.current_state().label

    def is_pending(self, now=None):
        return self.current_state(now) == self.State.PENDING

    def new_link(self, now=None):
        """Give the invitation a fresh token and expiry; returns the path of its link (the
        token exists only in this link and the mail that carries it)."""
        token = new_token()
        now = now or timezone.now()
        self.token_hash = token_hash(token)
        self.sent_at = now
        self.expires_at = now + VALID_FOR
        return reverse("accounts:accept_invitation", args=[token])

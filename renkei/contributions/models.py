"""Researchers and the one part of their record typed by hand: roles on councils."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Researcher(models.Model):
    """A researcher whose social contribution the portal records, registered by their
    organisation's liaison office. Their account is the one with this e-mail address."""

    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="researchers",
        verbose_name=_("所属機関"),
    )
    name = models.CharField(_("氏名"), max_length=100)
    researchmap_id = models.CharField(_("researchmap ID"), max_length=100, blank=True)
    kaken_id = models.CharField(_("KAKEN 研究者番号"), max_length=8, blank=True)
    email = models.EmailField(
        _("メールアドレス"),
        blank=True,
        help_text=_("このアドレスのアカウントで、本人が自分の記録を見られます。公開されません。"),
    )
    public_since = models.DateTimeField(_("公開に同意した日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録者"),
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("研究者")
        verbose_name_plural = _("研究者")
        ordering = ["organization", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "researchmap_id"],
                condition=~Q(researchmap_id=""),
                name="researcher_researchmap_once",
                violation_error_message=_("この researchmap ID の研究者はすでに登録されています。"),
            ),
            models.UniqueConstraint(
                fields=["organization", "kaken_id"],
                condition=~Q(kaken_id=""),
                name="researcher_kaken_once",
                violation_error_message=_(
                    "この KAKEN 研究者番号の研究者はすでに登録されています。"
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contributions:record", args=[self.pk])

    @property
    def is_public(self):
        return self.public_since is not None


class CouncilRole(models.Model):
    """A researcher's role on a council of the portal (協議会), with its period."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("会長・座長")
        VICE_CHAIR = "vice_chair", _("副会長・副座長")
        MEMBER = "member", _("委員・構成員")
        ADVISER = "adviser", _("アドバイザー・有識者")
        SECRETARIAT = "secretariat", _("事務局")

    researcher = models.ForeignKey(
        Researcher, on_delete=models.CASCADE, related_name="council_roles", verbose_name=_("研究者")
    )
    council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        related_name="researcher_roles",
        verbose_name=_("協議会"),
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    since = models.DateField(_("就任日"))
    until = models.DateField(_("退任日"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("協議会での役割")
        verbose_name_plural = _("協議会での役割")
        ordering = ["-since", "pk"]

    def __str__(self):
        return f"{self.researcher}: {self.council} ({self.get_role_display()})"

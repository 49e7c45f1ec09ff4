"""Surveys the secretariat runs (per-organisation links, one response per organisation), and
surveys known from published documents (their published aggregates only)."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.regions.models import Sector

SIGNING_SALT = "renkei.councils.survey-link"


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretariat sees every survey; others those whose results are published."""
        if user.is_authenticated and user.is_secretariat:
            return self
        return self.filter(results_published_at__isnull=False)

    def published(self):
        return self.filter(results_published_at__isnull=False)

    def open(self):
        return self.filter(status=Survey.Status.OPEN)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("準備中")
        OPEN = "open", _("回答受付中")
        CLOSED = "closed", _("締切済み")

    class Origin(models.TextChoices):
        RENKEI = "renkei", _("renkei で実施")
        PUBLISHED = "published", _("公表資料から（公表された集計のみ）")

    slug = models.SlugField(_("識別子"), unique=True)
    title = models.CharField(_("調査名"), max_length=200)
    description = models.TextField(
        _("趣旨・お願い"), blank=True, help_text=_("回答する団体に最初に示す文章")
    )
    origin = models.CharField(
        _("種類"), max_length=20, choices=Origin.choices, default=Origin.RENKEI
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    closes_at = models.DateTimeField(
        _("回答期限"), null=True, blank=True, help_text=_("この日時を過ぎるとリンクは使えません")
    )
    answers_public = models.BooleanField(
        _("団体ごとの回答も公表する"),
        default=False,
        help_text=_("回答する団体に、回答が団体名とともに公表されることを示します"),
    )
    opened_at = models.DateTimeField(_("送付日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("締切日時"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("結果の公表日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作成した人"),
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now, editable=False)
    # As a published document reports the survey (origin=published).
    conducted_by = models.CharField(_("実施主体"), max_length=200, blank=True)
    document = models.CharField(_("出典"), max_length=300, blank=True)
    conducted_in = models.CharField(_("実施時期"), max_length=50, blank=True)
    conducted_on = models.DateField(_("実施月"), null=True, blank=True)
    population = models.PositiveIntegerField(_("対象団体数"), null=True, blank=True)
    population_note = models.CharField(_("対象"), max_length=200, blank=True)
    method = models.TextField(_("調査方法"), blank=True)
    with_council = models.PositiveIntegerField(
        _("協議会等を設置している団体数"), null=True, blank=True
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("調査")
        verbose_name_plural = _("調査")
        ordering = ["created_at", "id"]  # the 2021 survey first; lists order newest first

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("councils:survey", args=[self.slug])

    @property
    def is_published_source(self):
        return self.origin == self.Origin.PUBLISHED

    @property
    def results_published(self):
        return self.results_published_at is not None

    @property
    def with_council_share(self):
        if self.with_council is None or not self.population:
            return None
        return self.with_council / self.population

    def accepts_answers(self, now=None):
        now = now or timezone.now()
        return self.status == self.Status.OPEN and (self.closes_at is None or now < self.closes_at)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("単一選択")
        MULTIPLE = "multiple", _("複数選択")
        NUMBER = "number", _("数値")
        TEXT = "text", _("自由記述")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("調査")
    )
    order = models.PositiveSmallIntegerField(_("順"), default=0)
    kind = models.CharField(_("形式"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("設問"), max_length=500)
    help_text = models.CharField(_("補足"), max_length=500, blank=True)
    required = models.BooleanField(_("回答必須"), default=True)
    options = models.JSONField(_("選択肢"), default=list, blank=True)
    min_value = models.DecimalField(
        _("最小値"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最大値"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    # What a published document gives for this question (origin=published): counts per
    # option, items (e.g. the challenges it lists), and a note on how the figures were read.
    published_figures = models.JSONField(_("公表された集計"), default=dict, blank=True)

    class Meta:
        verbose_name = _("設問")
        verbose_name_plural = _("設問")
        ordering = ["survey", "order", "id"]

    def __str__(self):
        return self.text

    @property
    def is_choice(self):
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    @property
    def key(self):
        return str(self.pk)


class SurveyInvitation(models.Model):
    """One organisation asked to answer one survey. The link carries the invitation's id and
    a random nonce, signed with the site's secret key: it can be sent again in reminders
    without being stored, and re-issuing it (a new nonce) retires the old link."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("調査")
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="survey_invitations",
        verbose_name=_("回答する団体"),
    )
    email = models.EmailField(_("送付先メールアドレス"), blank=True)
    nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("送付日時"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("最後の督促日時"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("督促の回数"), default=0)

    class Meta:
        verbose_name = _("調査の依頼")
        verbose_name_plural = _("調査の依頼")
        ordering = ["survey", "organization__kind", "organization__lg_code", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organization"], name="survey_invitation_once_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.survey} / {self.organization}"

    def save(self, *args, **kwargs):
        if not self.nonce:
            self.nonce = secrets.token_hex(16)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The answer link (for the organisation; nobody else should be given it)."""
        return reverse("councils:answer", args=[self.token])

    @property
    def token(self):
        return signing.Signer(salt=SIGNING_SALT).sign(f"{self.pk}.{self.nonce}")

    def renew(self):
        self.nonce = secrets.token_hex(16)


def read_token(token):
    """(invitation id, nonce) from a link's token; raises signing.BadSignature."""
    value = signing.Signer(salt=SIGNING_SALT).unsign(token)
    pk, _sep, nonce = value.partition(".")
    if not pk.isdigit() or not nonce:
        raise signing.BadSignature(token)
    return int(pk), nonce


class SurveyResponse(models.Model):
    """The one response of one organisation; editable until the survey closes."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("調査")
    )
    invitation = models.OneToOneField(
        SurveyInvitation,
        on_delete=models.CASCADE,
        related_name="response",
        verbose_name=_("調査の依頼"),
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("回答した団体"),
    )
    answers = models.JSONField(_("回答"), default=dict)
    respondent_name = models.CharField(_("回答者（部署・氏名）"), max_length=200, blank=True)
    respondent_email = models.EmailField(_("回答者のメールアドレス"), blank=True)
    submitted_at = models.DateTimeField(_("回答日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("調査への回答")
        verbose_name_plural = _("調査への回答")
        ordering = ["survey", "organization__lg_code", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organization"], name="survey_response_once_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.survey} / {self.organization}"


class CouncilCompositionExample(models.Model):
    """Who sits on a council, as the 2021 survey's examples (A県, B県, C県) list them, with
    the sector (産・学・官・金・その他) renkei reads for each member."""

    survey = models.ForeignKey(
        Survey,
        on_delete=models.CASCADE,
        related_name="composition_examples",
        verbose_name=_("調査"),
    )
    label = models.CharField(_("団体"), max_length=20)
    members = models.JSONField(_("構成員"), default=list)
    sectors = models.JSONField(_("構成員の部門"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("協議会の構成員の例")
        verbose_name_plural = _("協議会の構成員の例")
        ordering = ["survey", "order"]

    def __str__(self):
        return self.label

    @property
    def members_with_sectors(self):
        """(member as written, the sector's label or "") pairs."""
        sectors = list(self.sectors) + [""] * (len(self.members) - len(self.sectors))
        return [
            (member, Sector(sector).label if sector in Sector.values else "")
            for member, sector in zip(self.members, sectors, strict=False)
        ]


__all__ = [
    "CouncilCompositionExample",
    "Question",
    "Survey",
    "SurveyInvitation",
    "SurveyResponse",
    "read_token",
]

"""Needs: problems in plain words, from the public form (no account)."""

import datetime
import re
import secrets
import unicodedata

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STATUS_SALT = "renkei.matching.need-status"
# N-2026-000123, N2026000123, 2026-000123 or 123 (after NFKC, upper case, any dash as "-")
REFERENCE = re.compile(r"(?:N-?(?P<year>\d{4})-?|(?P<bare_year>\d{4})-)?0*(?P<number>\d{1,9})")
# what Japanese keyboards and pasted text put where the reference has its hyphens
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70", "-"))
NO_PROPOSAL_AFTER = datetime.timedelta(days=14)


def new_nonce():
    return secrets.token_urlsafe(16)


class NeedQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def in_queue(self):
        return self.confirmed().exclude(status=Need.Status.CLOSED)

    def open(self):
        return self.confirmed().filter(status__in=[Need.Status.QUEUED, Need.Status.IN_PROGRESS])

    def without_proposal(self, now=None):
        """Open needs confirmed 14 days ago or more that no seed was proposed for (flagged
        to their coordinators and the secretariat)."""
        cutoff = (now or timezone.now()) - NO_PROPOSAL_AFTER
        return self.open().filter(confirmed_at__lte=cutoff, proposals__isnull=True)


class Need(models.Model):
    class SubmitterKind(models.TextChoices):
        COMPANY = "company", _("企業")
        SME = "sme", _("中小企業・個人事業主")
        JA = "ja", _("農業協同組合（JA）")
        FISHERY_COOPERATIVE = "fishery_cooperative", _("漁業協同組合")
        LOCAL_GOVERNMENT = "local_government", _("自治体")
        ASSOCIATION = "association", _("団体・協議会")

    class Cooperation(models.TextChoices):
        JOINT_RESEARCH = "joint_research", _("共同研究")
        TECHNICAL_ADVICE = "technical_advice", _("技術指導")
        LICENSE = "license", _("ライセンス")
        CONTRACT_RESEARCH = "contract_research", _("受託研究")
        CONSULTATION = "consultation", _("相談")

    class Timeline(models.TextChoices):
        SOON = "within_6_months", _("半年以内")
        YEAR = "within_1_year", _("1年以内")
        LATER = "over_1_year", _("1年以上先")
        UNDECIDED = "undecided", _("未定")

    class Budget(models.TextChoices):
        NONE = "none", _("予算なし（まず相談）")
        UNDER_1M = "under_1m", _("100万円未満")
        UNDER_5M = "1m_5m", _("100万〜500万円")
        UNDER_10M = "5m_10m", _("500万〜1,000万円")
        OVER_10M = "over_10m", _("1,000万円以上")
        UNDECIDED = "undecided", _("未定")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("メール確認待ち")
        QUEUED = "queued", _("受付済み")
        IN_PROGRESS = "in_progress", _("対応中")
        MATCHED = "matched", _("マッチング済み")
        CLOSED = "closed", _("終了")

    title = models.CharField(_("困りごと（ひとことで）"), max_length=100)
    description = models.TextField(_("くわしい内容"), max_length=3000)
    submitter_name = models.CharField(_("お名前"), max_length=100)
    submitter_organization = models.CharField(_("会社・団体名"), max_length=200, blank=True)
    submitter_kind = models.CharField(_("種別"), max_length=30, choices=SubmitterKind.choices)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("都道府県"),
    )
    outside_partners_welcome = models.BooleanField(
        _("県外の大学・企業との連携も歓迎"), default=True
    )
    cooperation = models.JSONField(_("希望する連携"), default=list, blank=True)
    timeline = models.CharField(
        _("時期"), max_length=20, choices=Timeline.choices, default=Timeline.UNDECIDED
    )
    budget = models.CharField(
        _("予算"), max_length=20, choices=Budget.choices, default=Budget.UNDECIDED
    )
    show_name = models.BooleanField(_("会社・団体名の公開を許可"), default=False)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    consent_at = models.DateTimeField(_("個人情報の取扱いへの同意"))
    confirm_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("メール確認日時"), null=True, blank=True)
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("担当コミュニティ"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    # The submitter's private status page: a signed link over the need's id and this nonce
    # (a database alone gives no usable link; a new nonce retires the old link).
    status_nonce = models.CharField(
        max_length=32, default=new_nonce, editable=False, help_text=_("状況ページのリンクの鍵")
    )
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ニーズ")
        verbose_name_plural = _("ニーズ")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:need", args=[self.pk])

    @property
    def reference(self):
        """The need's reference number as the submitter quotes it (N-2026-000123): the year it
        was received (Japan time) and its id, which its public page already shows."""
        year = timezone.localtime(self.created_at).year if self.created_at else timezone.now().year
        return f"N-{year}-{self.pk:06d}"

    @staticmethod
    def parse_reference(text):
        """(year or None, id) that a reference number names — N-2026-000123 in full-width or
        lower case too, with any of the dashes people type (‐, −, ー …), without its N or
        its year — or None when the text is not one."""
        normal = unicodedata.normalize("NFKC", text).translate(DASHES).strip().upper()
        match = REFERENCE.fullmatch(normal)
        if match is None:
            return None
        year = match.group("year") or match.group("bare_year")
        return (int(year) if year else None), int(match.group("number"))

    @property
    def status_token(self):
        """The token of the submitter's private status page (no account needed)."""
        return signing.Signer(salt=STATUS_SALT).sign(f"{self.pk}.{self.status_nonce}")

    def get_status_url(self):
        return reverse("matching:need_status_page", args=[self.status_token])

    @property
    def is_open(self):
        return self.confirmed_at is not None and self.status not in (
            self.Status.CLOSED,
            self.Status.UNCONFIRMED,
        )

    @property
    def public_submitter(self):
        """What public pages may show of the submitter: the organisation, only if allowed."""
        return self.submitter_organization if self.show_name else ""

    def clean(self):
        unknown = [c for c in self.cooperation or [] if c not in self.Cooperation.values]
        if unknown:
            raise ValidationError(
                {
                    "cooperation": _("選べない連携の種類です: %(v)s")
                    % {"v": ", ".join(map(str, unknown))}
                }
            )

    def cooperation_labels(self):
        return [
            str(self.Cooperation(c).label) for c in self.cooperation if c in self.Cooperation.values
        ]


def need_for_status_token(token):
    """The need a status link names, or None (a forged, altered or retired link)."""
    try:
        value = signing.Signer(salt=STATUS_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    pk, _sep, nonce = value.partition(".")
    if not pk.isdigit():
        return None
    return Need.objects.filter(pk=int(pk), status_nonce=nonce).first()

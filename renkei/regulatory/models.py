"""Regulatory and special-zone consultations (規制・特区相談, ADR 0009 §5)."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

STATUS_SALT = "renkei.regulatory.status"
ANSWER_SALT = "renkei.regulatory.answer"


def new_nonce():
    return secrets.token_urlsafe(16)


class RegulatoryTopic(models.TextChoices):
    """What the question is about (the regulations the source's interviews name as barriers,
    and the special-zone system)."""

    FOOD_LABELLING = "food_labelling", _("食品表示")
    PHARMACEUTICAL = "pharmaceutical", _("薬機（医薬品・医療機器・化粧品）")
    GMO_GENOME = "gmo_genome", _("遺伝子組換え・ゲノム編集")
    FARMLAND = "farmland", _("農地")
    FISHERY_RIGHTS = "fishery_rights", _("漁業権")
    WASTE = "waste", _("廃棄物")
    SPECIAL_ZONE = "special_zone", _("特区制度")
    OTHER = "other", _("その他の規制")


class AskerKind(models.TextChoices):
    SME = "sme", _("中小企業・個人事業主")
    COMPANY = "company", _("企業")
    JA = "ja", _("農業協同組合（JA）")
    FISHERY_COOPERATIVE = "fishery_cooperative", _("漁業協同組合")
    COMMUNITY = "community", _("バイオコミュニティ・協議会")
    LOCAL_GOVERNMENT = "local_government", _("自治体")
    UNIVERSITY = "university", _("大学・研究機関")
    OTHER = "other", _("その他")


class ConsultationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, publish_consent=True)

    def routed_to(self, organization_ids):
        return self.filter(window__organization_id__in=organization_ids)


class RegulatoryConsultation(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("メール確認待ち")
        UNROUTED = "unrouted", _("窓口の振り分け待ち")
        ROUTED = "routed", _("窓口で回答待ち")
        ANSWERED = "answered", _("回答済み")
        CLOSED = "closed", _("終了")

    topic = models.CharField(_("分野"), max_length=30, choices=RegulatoryTopic.choices)
    title = models.CharField(_("ご質問（ひとことで）"), max_length=100)
    question = models.TextField(_("くわしい内容"), max_length=4000)
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="regulatory_consultations",
        verbose_name=_("都道府県"),
    )
    asker_kind = models.CharField(_("種別"), max_length=30, choices=AskerKind.choices)
    asker_name = models.CharField(_("お名前"), max_length=100)
    asker_organization = models.CharField(_("会社・団体名"), max_length=200, blank=True)
    email = models.EmailField(_("メールアドレス"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("アカウント"),
    )
    consent_at = models.DateTimeField(_("個人情報の取扱いへの同意"))
    publish_consent = models.BooleanField(
        _("匿名の質問と回答として公開することに同意"),
        default=False,
        help_text=_("お名前・会社名・地域など、あなたとわかる内容は載せません。"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    answer_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    confirmed_at = models.DateTimeField(_("メール確認日時"), null=True, blank=True)
    window = models.ForeignKey(
        "regions.ContactWindow",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="regulatory_consultations",
        verbose_name=_("担当の窓口"),
    )
    routed_at = models.DateTimeField(_("振り分け日時"), null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("振り分けた人"),
    )
    answer = models.TextField(_("回答"), blank=True)
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("回答した人"),
    )
    answered_by_label = models.CharField(_("回答した人（記録時）"), max_length=200, blank=True)
    public_question = models.TextField(
        _("公開する質問（匿名）"),
        blank=True,
        help_text=_("相談者や地域がわかる内容を除いて書いてください。"),
    )
    public_answer = models.TextField(_("公開する回答"), blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True, db_index=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("規制・特区相談")
        verbose_name_plural = _("規制・特区相談")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("regulatory:detail", args=[self.pk])

    @property
    def is_published(self):
        return self.published_at is not None and self.publish_consent

    def get_public_url(self):
        return reverse("regulatory:qa", args=[self.pk])

    @property
    def status_token(self):
        return signing.Signer(salt=STATUS_SALT).sign(f"{self.pk}.{self.nonce}")

    def get_status_url(self):
        return reverse("regulatory:status", args=[self.status_token])

    @property
    def answer_token(self):
        return signing.Signer(salt=ANSWER_SALT).sign(f"{self.pk}.{self.answer_nonce}")

    def get_answer_url(self):
        return reverse("regulatory:answer", args=[self.answer_token])


def _by_token(token, salt, field):
    try:
        value = signing.Signer(salt=salt).unsign(token or "")
    except signing.BadSignature:
        return None
    pk, _sep, nonce = value.partition(".")
    if not pk.isdigit() or not nonce:
        return None
    return RegulatoryConsultation.objects.filter(pk=int(pk), **{field: nonce}).first()


def consultation_for_status_token(token):
    return _by_token(token, STATUS_SALT, "nonce")


def consultation_for_answer_token(token):
    return _by_token(token, ANSWER_SALT, "answer_nonce")

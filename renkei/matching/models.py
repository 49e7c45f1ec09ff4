"""Seeds (technologies of universities), needs (problems in plain words), and matches."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.matching.rules import is_coordinator
from renkei.regions.rules import member_organization_ids


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公開")
    SIGNED_IN = "signed_in", _("ログインした利用者")
    COORDINATORS = "coordinators", _("コーディネーターと事務局のみ")


class SeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived=False)

    def visible_to(self, user):
        if is_coordinator(user):
            return self
        if user.is_authenticated:
            own = member_organization_ids(user)
            return self.filter(
                models.Q(visibility__in=["public", "signed_in"]) | models.Q(organization_id__in=own)
            )
        return self.filter(visibility=Visibility.PUBLIC)


class Seed(models.Model):
    class Stage(models.TextChoices):
        BASIC = "basic", _("基礎")
        APPLIED = "applied", _("応用")
        DEMONSTRATION = "demonstration", _("実証")
        PRACTICAL = "practical", _("実用化")

    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="seeds",
        verbose_name=_("機関"),
    )
    code = models.CharField(
        _("機関内の番号"),
        max_length=50,
        blank=True,
        help_text=_("取り込みで同じシーズを更新するための番号"),
    )
    title = models.CharField(_("名称"), max_length=200)
    summary = models.TextField(_("概要"), max_length=4000)
    problem = models.TextField(_("解決する課題"), max_length=4000, blank=True)
    advantage = models.TextField(_("従来技術に対する優位性"), max_length=4000, blank=True)
    uses = models.TextField(_("想定される用途"), max_length=4000, blank=True)
    stage = models.CharField(_("開発段階"), max_length=20, choices=Stage.choices)
    patents = models.CharField(_("知的財産（特許番号など）"), max_length=500, blank=True)
    researcher_name = models.CharField(_("研究者名"), max_length=100, blank=True)
    researcher_affiliation = models.CharField(_("研究者の所属"), max_length=200, blank=True)
    researchmap_id = models.CharField(_("researchmap ID"), max_length=100, blank=True)
    kaken_id = models.CharField(_("KAKEN 研究者番号"), max_length=8, blank=True)
    contact_window = models.ForeignKey(
        "regions.ContactWindow",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seeds",
        verbose_name=_("窓口"),
    )
    keywords = models.CharField(
        _("キーワード"), max_length=500, blank=True, help_text=_("読点で区切る")
    )
    market_areas = models.ManyToManyField(
        "communities.StrategyMarketArea",
        related_name="seeds",
        blank=True,
        verbose_name=_("市場領域"),
    )
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="seeds",
        verbose_name=_("都道府県"),
    )
    visibility = models.CharField(
        _("公開範囲"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    archived = models.BooleanField(_("掲載終了"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録者"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True, db_index=True)

    objects = SeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("シーズ")
        verbose_name_plural = _("シーズ")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"],
                condition=~models.Q(code=""),
                name="seed_code_unique_per_organization",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:seed", args=[self.pk])

    def matching_fields(self):
        """The texts the engine reads, by field (see renkei.matching.engine)."""
        return {
            "title": self.title,
            "summary": self.summary,
            "problem": self.problem,
            "advantage": self.advantage,
            "uses": self.uses,
            "keywords": self.keywords,
        }


class NeedQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def in_queue(self):
        return self.confirmed().exclude(status=Need.Status.CLOSED)


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
    cooperation = models.JSONField(_("希望する連携"), default=list)
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


class MatchRecordQuerySet(models.QuerySet):
    def agreed(self):
        return self.filter(status=MatchRecord.Status.AGREED, agreed_on__isnull=False)


class MatchRecord(models.Model):
    """A coordinator's follow-up of one seed for one need, up to an agreement."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("紹介")
        CONTACTED = "contacted", _("面談・連絡")
        AGREED = "agreed", _("合意")
        DECLINED = "declined", _("見送り")

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="matches", verbose_name=_("ニーズ")
    )
    seed = models.ForeignKey(
        Seed, on_delete=models.PROTECT, related_name="matches", verbose_name=_("シーズ")
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("担当コミュニティ"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    agreement = models.CharField(
        _("合意の内容"), max_length=30, choices=Need.Cooperation.choices, blank=True
    )
    agreed_on = models.DateField(_("合意日"), null=True, blank=True)
    note = models.TextField(_("メモ"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("記録者"),
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = MatchRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("マッチングの記録")
        verbose_name_plural = _("マッチングの記録")
        constraints = [models.UniqueConstraint(fields=["need", "seed"], name="match_record_once")]

    def __str__(self):
        return f"{self.need} × {self.seed}"


class Embedding(models.Model):
    """A cached text embedding, keyed by model and the text's hash (each text embedded once)."""

    key = models.CharField(max_length=80, primary_key=True)
    model = models.CharField(max_length=100)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("埋め込みベクトルのキャッシュ")
        verbose_name_plural = _("埋め込みベクトルのキャッシュ")

    def __str__(self):
        return self.key

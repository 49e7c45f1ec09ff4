"""Maturity indicators (成熟度把握指標), yearly reports and the snapshots dashboards read.

Indicators are data, not code: the secretariat adds, retires and re-defines them. A
community's coordinator reports a fiscal year; the secretariat accepts or asks for
corrections; accepted values feed the snapshots (renkei/maturity/snapshots.py).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """ヒト・モノ・カネ・情報: what flows through a community (ADR 0003)."""

    PEOPLE = "people", _("ヒト（人材・組織）")
    THINGS = "things", _("モノ（研究・製品）")
    MONEY = "money", _("カネ（資金）")
    INFORMATION = "information", _("情報（連携・発信）")


class Unit(models.TextChoices):
    ORGANIZATIONS = "organizations", _("機関")
    PROJECTS = "projects", _("件")
    COMPANIES = "companies", _("社")
    PEOPLE = "people", _("人")
    EVENTS = "events", _("回")
    THOUSAND_YEN = "thousand_yen", _("千円")


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_on__isnull=True)


class Indicator(models.Model):
    code = models.SlugField(_("コード"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英語名"), max_length=100)
    unit = models.CharField(_("単位"), max_length=20, choices=Unit.choices)
    category = models.CharField(_("区分"), max_length=20, choices=Category.choices)
    higher_is_better = models.BooleanField(_("大きいほど良い"), default=True)
    how_counted = models.TextField(_("数え方"))
    thresholds = models.JSONField(
        _("段階の閾値"),
        default=list,
        help_text=_("段階1〜4に上がる値（小さい順に4つ）。例: [10, 30, 60, 100]"),
    )
    jump_ratio = models.DecimalField(
        _("前年比の確認倍率"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.00"),
        help_text=_("前年の何倍以上（または何分の1以下）で説明コメントを求めるか"),
    )
    automatic = models.CharField(
        _("自動集計"),
        max_length=40,
        blank=True,
        help_text=_("renkei が自動で数える指標（例: マッチングの成果）。空なら報告で入力"),
    )
    order = models.PositiveSmallIntegerField(_("順"), default=0)
    retired_on = models.DateField(_("廃止日"), null=True, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("指標")
        verbose_name_plural = _("指標")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        """The name in the reader's language (the English name when English is chosen)."""
        english = (translation.get_language() or "ja").startswith("en")
        return self.name_en if english and self.name_en else self.name

    def level(self, value):
        """0–4: how many thresholds the value reaches (reversed when lower is better)."""
        if value is None or not self.thresholds:
            return None
        if self.higher_is_better:
            return sum(1 for t in self.thresholds if value >= Decimal(str(t)))
        return sum(1 for t in self.thresholds if value <= Decimal(str(t)))


class ReportQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(state=Report.State.ACCEPTED)

    def visible_to(self, user):
        """Accepted reports are public; unpublished ones only to the secretariat and the
        community's coordinators."""
        accepted = models.Q(state=Report.State.ACCEPTED)
        if not user.is_authenticated:
            return self.filter(accepted)
        if user.is_secretariat:
            return self
        communities = [r.community_id for r in user.cached_roles if r.kind == "coordinator"]
        return self.filter(accepted | models.Q(community_id__in=communities))


class CountedValue(models.Model):
    """A value renkei counts itself rather than a coordinator reporting it (agreements reached
    through matching), reported by the app that counts it through
    ``maturity.actions.record_counted_values``."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="counted_values",
        verbose_name=_("コミュニティ"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="counted_values", verbose_name=_("指標")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("値"), max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("自動集計の値")
        verbose_name_plural = _("自動集計の値")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "indicator", "fiscal_year"], name="counted_value_unique"
            )
        ]

    def __str__(self):
        return f"{self.community_id} {self.indicator_id} {self.fiscal_year}: {self.value}"


class Report(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("提出済み")
        CHANGES_REQUESTED = "changes_requested", _("修正依頼")
        ACCEPTED = "accepted", _("受理")

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("コミュニティ"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(_("状態"), max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    review_note = models.TextField(_("事務局からのコメント"), blank=True)
    accepted_at = models.DateTimeField(_("受理日時"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確認者"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作成者"),
    )
    source = models.CharField(_("出典"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("年次報告")
        verbose_name_plural = _("年次報告")
        ordering = ["community", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "fiscal_year"], name="report_once_per_year"
            )
        ]

    def __str__(self):
        return f"{self.community} FY{self.fiscal_year}"

    def get_absolute_url(self):
        return reverse("maturity:report", args=[self.pk])

    @property
    def editable(self):
        return self.state in (self.State.DRAFT, self.State.CHANGES_REQUESTED)


class ReportValue(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="values", verbose_name=_("報告")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("指標")
    )
    value = models.DecimalField(
        _("値"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    comment = models.TextField(_("説明"), blank=True)
    source = models.CharField(_("出典"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("報告値")
        verbose_name_plural = _("報告値")
        ordering = ["report", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="report_value_once"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="report_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.report}: {self.indicator} = {self.value}"


# --- snapshots: what dashboards read ---------------------------------------------------------


class ValueSnapshot(models.Model):
    """One accepted value, denormalised for dashboards (rebuilt from accepted reports)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("指標値のスナップショット")
        verbose_name_plural = _("指標値のスナップショット")
        indexes = [models.Index(fields=["community", "indicator", "fiscal_year"])]

    def __str__(self):
        return f"{self.community_id}/{self.indicator_id}/{self.fiscal_year}"


class MedianSnapshot(models.Model):
    """The median of a kind of community for an indicator and year."""

    kind = models.CharField(max_length=20)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    median = models.DecimalField(max_digits=16, decimal_places=2)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("種別ごとの中央値のスナップショット")
        verbose_name_plural = _("種別ごとの中央値のスナップショット")
        indexes = [models.Index(fields=["kind", "indicator", "fiscal_year"])]

    def __str__(self):
        return f"{self.kind}/{self.indicator_id}/{self.fiscal_year}"


class MaturitySnapshot(models.Model):
    """A community's assessed maturity and its explanation, as last computed."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="maturity", primary_key=True
    )
    stage = models.PositiveSmallIntegerField(null=True)
    score = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    explanation = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("成熟度のスナップショット")
        verbose_name_plural = _("成熟度のスナップショット")

    def __str__(self):
        return f"{self.community_id}: {self.stage}"


class NationalSnapshot(models.Model):
    """The national overview's figures, computed once per change."""

    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("全国概況のスナップショット")
        verbose_name_plural = _("全国概況のスナップショット")

    def __str__(self):
        return str(self.computed_at)

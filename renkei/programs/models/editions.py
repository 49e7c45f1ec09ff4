"""The support menu by fiscal year, and the files the secretariat uploads (ADR 0008).

A fiscal year's menu is a ``MenuEdition``. Rolling the menu into a new year creates a draft
edition whose ``ProgramDraft`` rows say what each program will say that year, beside last
year's figures; the published catalogue (``Program``) does not change until the secretariat
publishes the edition, which writes every draft through the catalogue's one write path in
one transaction. A ``ProgramUpload`` keeps an uploaded file between its preview and its
application, with the catalogue version it was previewed against.
"""

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.programs.models.catalogue import BudgetLine, Program


class MenuEditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=MenuEdition.State.PUBLISHED)

    def drafts(self):
        return self.filter(state=MenuEdition.State.DRAFT)


class MenuEdition(models.Model):
    """The support menu (支援メニュー) of one fiscal year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("準備中（非公開）")
        PUBLISHED = "published", _("公開済み")

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    state = models.CharField(_("状態"), max_length=20, choices=State.choices, default=State.DRAFT)
    based_on = models.PositiveSmallIntegerField(_("引き継いだ年度"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作成した人"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公開した人"),
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)

    objects = MenuEditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("支援メニューの年度版")
        verbose_name_plural = _("支援メニューの年度版")
        ordering = ["-fiscal_year"]

    def __str__(self):
        return f"FY{self.fiscal_year} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("programs:edition", args=[self.fiscal_year])

    @property
    def is_draft(self):
        return self.state == self.State.DRAFT


def catalogue_fiscal_year():
    """The fiscal year of the published menu: the newest published edition, or (before any
    rollover) the newest year of the menu programs' headline budget lines."""
    published = MenuEdition.objects.published().aggregate(year=Max("fiscal_year"))["year"]
    if published:
        return published
    return BudgetLine.objects.filter(is_headline=True, program__in_support_menu=True).aggregate(
        year=Max("fiscal_year")
    )["year"]


def catalogue_as_of():
    """{first_year, updated} for a page of the catalogue (templates/_as_of.html)."""
    edition_year = MenuEdition.objects.published().aggregate(year=Max("fiscal_year"))["year"]
    figures = Program.objects.aggregate(
        updated=Max("updated_at"),
        year=Max(
            "budget_lines__fiscal_year",
            filter=Q(in_support_menu=True, budget_lines__is_headline=True),
        ),
    )
    return {"first_year": edition_year or figures["year"], "updated": figures["updated"]}


class ProgramDraft(models.Model):
    """What one program will say in a draft edition's fiscal year, edited by the secretariat.

    ``previous`` keeps last year's figures as they were when the menu was rolled over, so
    each field is edited beside the value it replaces."""

    edition = models.ForeignKey(
        MenuEdition, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("年度版")
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("支援施策")
    )
    included = models.BooleanField(
        _("この年度の支援メニューに載せる"),
        default=True,
        help_text=_(
            "外すと、公開後は支援メニューから外れます（施策のページと過去の予算額は残ります）"
        ),
    )
    name = models.CharField(_("事業名"), max_length=200)
    description = models.TextField(_("概要"), blank=True)
    department = models.CharField(_("担当部署"), max_length=200, blank=True)
    for_university = models.BooleanField(_("①大学等研究機関"), default=False)
    for_company = models.BooleanField(_("②民間事業者等"), default=False)
    for_local_government = models.BooleanField(_("③自治体"), default=False)
    accepts_new_projects = models.BooleanField(_("新規課題採択"), null=True, blank=True)
    url = models.URLField(
        _("公式ページ・公募資料のURL"),
        max_length=500,
        blank=True,
        help_text=_("府省の公式ページか公募要領のURL。分からなければ空欄のままにしてください"),
    )
    menu_budget_label = models.CharField(_("支援メニュー記載の予算額"), max_length=100, blank=True)
    budget_kind = models.CharField(
        _("予算の区分"),
        max_length=20,
        choices=BudgetLine.Kind.choices,
        default=BudgetLine.Kind.DRAFT,
    )
    amount_thousand_yen = models.BigIntegerField(
        _("予算額（千円）"),
        null=True,
        blank=True,
        help_text=_("千円単位の整数。内数のときは、含まれる大きな予算事項の額"),
    )
    is_part_of_larger = models.BooleanField(_("内数"), default=False)
    budget_notes = models.TextField(_("予算額の注記"), blank=True)
    previous = models.JSONField(_("前年度の内容"), default=dict)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更新した人"),
    )

    class Meta:
        verbose_name = _("年度版の施策（下書き）")
        verbose_name_plural = _("年度版の施策（下書き）")
        ordering = ["edition", "program__menu_order", "program__code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "program"], name="program_draft_once"),
            models.CheckConstraint(
                condition=Q(amount_thousand_yen__gte=0) | Q(amount_thousand_yen__isnull=True),
                name="program_draft_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.edition}: {self.name}"

    def get_absolute_url(self):
        return reverse("programs:draft", args=[self.edition.fiscal_year, self.pk])

    @property
    def applicant_types(self):
        return [
            t for t in ("university", "company", "local_government") if getattr(self, f"for_{t}")
        ]

    @property
    def ready(self):
        """Whether publication can write it: left out, or with its amount."""
        return not self.included or self.amount_thousand_yen is not None


class ProgramUpload(models.Model):
    """An uploaded program list or jGrants response, kept from its preview to its application.

    Applying checks that the catalogue is still at ``catalogue_version``: a preview made
    before another write to the catalogue is stale and is refused."""

    class Kind(models.TextChoices):
        PROGRAMS = "programs", _("施策の一覧（CSV・XLSX・JSON）")
        JGRANTS = "jgrants", _("Jグランツ（jGrants）APIの応答（JSON）")

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("確認待ち")
        APPLIED = "applied", _("反映済み")
        DISCARDED = "discarded", _("取りやめ")

    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("ファイル名"), max_length=200)
    content = models.BinaryField(_("内容"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    catalogue_version = models.BigIntegerField(_("確認時のカタログの版"))
    state = models.CharField(
        _("状態"), max_length=20, choices=State.choices, default=State.PREVIEWED
    )
    summary = models.JSONField(_("変更の内訳"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("アップロードした人"),
    )
    created_at = models.DateTimeField(_("アップロード日時"), auto_now_add=True)
    applied_at = models.DateTimeField(_("反映日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("施策のアップロード")
        verbose_name_plural = _("施策のアップロード")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("programs:upload", args=[self.pk])

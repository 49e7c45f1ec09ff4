"""What the source document reports about collaboration: interviews, the 2021 survey of
prefectures and designated cities, and case studies."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Interview(models.Model):
    """A round of stakeholder interviews and its summary."""

    slug = models.SlugField(_("識別子"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    document = models.CharField(_("出典"), max_length=300)
    summary = models.JSONField(_("概要"), default=list)
    interviewees_at_least = models.PositiveIntegerField(_("ヒアリング対象者数（以上）"))

    class Meta:
        verbose_name = _("ヒアリング")
        verbose_name_plural = _("ヒアリング")

    def __str__(self):
        return self.title


class InterviewTheme(models.Model):
    """One heading of the interview summary (【大学内の社会実装を担う人材】 …)."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="themes", verbose_name=_("ヒアリング")
    )
    title = models.CharField(_("論点"), max_length=100)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("ヒアリング論点")
        verbose_name_plural = _("ヒアリング論点")
        ordering = ["interview", "order"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "title"], name="interview_theme_unique")
        ]

    def __str__(self):
        return self.title


class InterviewIssue(models.Model):
    theme = models.ForeignKey(
        InterviewTheme, on_delete=models.CASCADE, related_name="issues", verbose_name=_("論点")
    )
    title = models.CharField(_("課題"), max_length=200)
    points = models.JSONField(_("内容"), default=list)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("ヒアリングで挙がった課題")
        verbose_name_plural = _("ヒアリングで挙がった課題")
        ordering = ["theme", "order"]

    def __str__(self):
        return self.title


class Survey(models.Model):
    slug = models.SlugField(_("識別子"), unique=True)
    title = models.CharField(_("調査名"), max_length=200)
    conducted_by = models.CharField(_("実施主体"), max_length=200)
    document = models.CharField(_("出典"), max_length=300, blank=True)
    conducted_in = models.CharField(_("実施時期"), max_length=50)
    conducted_on = models.DateField(_("実施月"), null=True, blank=True)
    population = models.PositiveIntegerField(_("対象団体数"))
    population_note = models.CharField(_("対象"), max_length=200)
    method = models.TextField(_("調査方法"), blank=True)
    questions = models.JSONField(_("調査内容"), default=list)
    with_council = models.PositiveIntegerField(_("協議会等を設置している団体数"))
    challenges = models.JSONField(_("取組に係る課題"), default=list)
    challenges_note = models.CharField(_("課題の注記"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("調査")
        verbose_name_plural = _("調査")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("councils:survey", args=[self.slug])

    @property
    def with_council_share(self):
        return self.with_council / self.population if self.population else None


class CouncilCompositionExample(models.Model):
    survey = models.ForeignKey(
        Survey,
        on_delete=models.CASCADE,
        related_name="composition_examples",
        verbose_name=_("調査"),
    )
    label = models.CharField(_("団体"), max_length=20)
    members = models.JSONField(_("構成員"), default=list)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("協議会の構成員の例")
        verbose_name_plural = _("協議会の構成員の例")
        ordering = ["survey", "order"]

    def __str__(self):
        return self.label


class CaseStudy(models.Model):
    slug = models.SlugField(_("識別子"), unique=True)
    title = models.CharField(_("事例"), max_length=100)
    prefecture = models.ForeignKey(
        "regions.Prefecture", on_delete=models.PROTECT, verbose_name=_("都道府県")
    )
    since = models.CharField(_("実施時期"), max_length=50)
    since_fiscal_year = models.PositiveSmallIntegerField(_("開始年度"), null=True, blank=True)
    theme = models.CharField(_("テーマ"), max_length=300)
    participants = models.JSONField(_("参画主体"), default=list)
    summary = models.JSONField(_("事業概要"), default=list)
    survey = models.ForeignKey(
        Survey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name=_("調査"),
    )
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("取組事例")
        verbose_name_plural = _("取組事例")
        ordering = ["order"]

    def __str__(self):
        return self.title

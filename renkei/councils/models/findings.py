"""The source's interview findings, and what in the portal answers each finding."""

from django.conf import settings
from django.core.exceptions import ValidationError
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

    def get_absolute_url(self):
        return reverse("councils:interview", args=[self.slug])


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


class Finding(models.Model):
    """One finding of the source (an interview issue or a challenge the survey reports), as
    the findings → responses page lists it."""

    class Source(models.TextChoices):
        INTERVIEW = "interview", _("関係者ヒアリング")
        SURVEY = "survey", _("都道府県・指定都市調査")

    source = models.CharField(_("出どころ"), max_length=20, choices=Source.choices)
    interview_issue = models.OneToOneField(
        InterviewIssue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="finding",
        verbose_name=_("ヒアリングで挙がった課題"),
    )
    title = models.CharField(_("課題"), max_length=300)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("課題（調査・ヒアリング）")
        verbose_name_plural = _("課題（調査・ヒアリング）")
        ordering = ["source", "order"]

    def __str__(self):
        return self.title


def validate_link(value):
    """A path of the portal (/programs/) or a full https/http address."""
    if not (value.startswith("/") and not value.startswith("//")) and not value.startswith(
        ("https://", "http://")
    ):
        raise ValidationError(
            _("リンクは / で始まるパスか http(s):// で始まるアドレスにしてください。"),
            code="bad_link",
        )


class FindingResponse(models.Model):
    """What in the portal answers a finding: a page, with one line on how."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="responses", verbose_name=_("課題")
    )
    title = models.CharField(_("名称"), max_length=200)
    link = models.CharField(_("リンク"), max_length=500, validators=[validate_link])
    note = models.CharField(_("どう応えるか"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("順"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録した人"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("課題への対応")
        verbose_name_plural = _("課題への対応")
        ordering = ["finding", "order", "id"]

    def __str__(self):
        return f"{self.finding}: {self.title}"

"""Certification rounds: applications, attachments, reviews and decisions.

The application's life is a small state machine (renkei/communities/actions.py):
draft → submitted → under review → decided → published, with withdrawal by the applicant
before review. Every transition is an action that writes the audit log in its transaction.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.communities.models.registry import Community

# What each score means, the same for the four requirements (shown beside the review form).
RUBRIC = [
    (1, _("要件を満たしていない（記述がない、または根拠が示されていない）")),
    (2, _("要件を一部しか満たしていない（重要な点が欠けている）")),
    (3, _("要件をおおむね満たしている（根拠はあるが、具体性に欠ける点がある）")),
    (4, _("要件を十分に満たしている（具体的な根拠と実施の見通しがある）")),
    (5, _("要件を十分に満たし、特に優れている（世界に示せる水準で、実績の裏付けがある）")),
]

REQUIREMENTS = [
    ("strengths", _("① 世界で通用しうる強み")),
    ("actors", _("② 主要な主体とキーパーソン")),
    ("network", _("③ ネットワーク機関")),
    ("plan", _("④ あるべき姿と具体的な実施計画")),
]


class RoundQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CertificationRound.Status.PUBLISHED)

    def unpublished(self):
        """Rounds still running: taking applications, or closed and under review."""
        return self.exclude(status=CertificationRound.Status.PUBLISHED)


class CertificationRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("募集・審査中")
        CLOSED = "closed", _("受付終了・審査中")
        PUBLISHED = "published", _("結果公表済み")

    kind = models.CharField(_("種別"), max_length=20, choices=Community.Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    opens_at = models.DateTimeField(_("受付開始"), null=True, blank=True)
    closes_at = models.DateTimeField(_("受付締切"), null=True, blank=True)
    review_deadline = models.DateTimeField(_("審査期限"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.OPEN)
    published_on = models.DateField(_("公表日"), null=True, blank=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="review_rounds",
        blank=True,
        verbose_name=_("審査委員"),
    )
    note = models.TextField(_("備考"), blank=True)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("認定ラウンド")
        verbose_name_plural = _("認定ラウンド")
        ordering = ["-fiscal_year", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communities:round", args=[self.pk])

    def accepts_submissions(self, now):
        return (
            self.status == self.Status.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now <= self.closes_at)
        )

    def review_open(self, now):
        return self.review_deadline is None or now <= self.review_deadline


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applications a user may open: the secretariat all, a coordinator their
        community's, a reviewer those assigned to them, everybody the published ones."""
        published = models.Q(state=Application.State.PUBLISHED)
        if not user.is_authenticated:
            return self.filter(published)
        if user.is_secretariat:
            return self
        communities = [r.community_id for r in user.cached_roles if r.kind == "coordinator"]
        return self.filter(
            published
            | models.Q(community_id__in=communities)
            | models.Q(assignments__reviewer=user, assignments__conflict_declared=False)
        ).distinct()


def attachment_path(instance, filename):
    """Uploaded files are stored under random names; the original name is kept in the row."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("提出済み")
        UNDER_REVIEW = "under_review", _("審査中")
        DECIDED = "decided", _("決定済み（未公表）")
        PUBLISHED = "published", _("公表済み")
        WITHDRAWN = "withdrawn", _("取下げ")

    class Decision(models.TextChoices):
        CERTIFIED = "certified", _("認定")
        REGISTERED = "registered", _("育成登録")
        NOT_CERTIFIED = "not_certified", _("不認定")

    round = models.ForeignKey(
        CertificationRound,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("認定ラウンド"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("コミュニティ"),
    )
    state = models.CharField(_("状態"), max_length=20, choices=State.choices, default=State.DRAFT)
    strengths = models.TextField(REQUIREMENTS[0][1], blank=True)
    actors = models.TextField(REQUIREMENTS[1][1], blank=True)
    network = models.TextField(REQUIREMENTS[2][1], blank=True)
    plan = models.TextField(REQUIREMENTS[3][1], blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    decision = models.CharField(_("決定"), max_length=20, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(_("決定の理由"), blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("決定者"),
    )
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    source = models.CharField(
        _("出典"), max_length=300, blank=True, help_text=_("原資料から取り込んだ結果の場合")
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("認定申請")
        verbose_name_plural = _("認定申請")
        ordering = ["round", "community__table_order", "community__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "community"], name="application_once_per_round"
            )
        ]

    def __str__(self):
        return f"{self.round}: {self.community}"

    def get_absolute_url(self):
        return reverse("communities:application", args=[self.pk])

    @property
    def answers(self):
        return [(field, label, getattr(self, field)) for field, label in REQUIREMENTS]


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("申請")
    )
    file = models.FileField(_("ファイル"), upload_to=attachment_path)
    original_name = models.CharField(_("元のファイル名"), max_length=255)
    size = models.PositiveIntegerField(_("サイズ（バイト）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登録者"),
    )
    uploaded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("添付資料")
        verbose_name_plural = _("添付資料")
        ordering = ["application", "uploaded_at"]

    def __str__(self):
        return self.original_name


class ReviewAssignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("申請")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("審査委員"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("割当者"),
    )
    assigned_at = models.DateTimeField(_("割当日時"), auto_now_add=True)
    conflict_declared = models.BooleanField(_("利益相反の申告"), default=False)
    conflict_reason = models.TextField(_("利益相反の内容"), blank=True)

    class Meta:
        verbose_name = _("審査の割当")
        verbose_name_plural = _("審査の割当")
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_once")
        ]

    def __str__(self):
        return f"{self.application}: {self.reviewer}"


def _score_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Review(models.Model):
    """A reviewer's scores (1–5) and comments on the four requirements, submitted once."""

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("割当")
    )
    strengths_score = _score_field(REQUIREMENTS[0][1])
    strengths_comment = models.TextField(_("①の講評"), blank=True)
    actors_score = _score_field(REQUIREMENTS[1][1])
    actors_comment = models.TextField(_("②の講評"), blank=True)
    network_score = _score_field(REQUIREMENTS[2][1])
    network_comment = models.TextField(_("③の講評"), blank=True)
    plan_score = _score_field(REQUIREMENTS[3][1])
    plan_comment = models.TextField(_("④の講評"), blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("審査結果")
        verbose_name_plural = _("審査結果")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strengths_score__gte=1, strengths_score__lte=5)
                & models.Q(actors_score__gte=1, actors_score__lte=5)
                & models.Q(network_score__gte=1, network_score__lte=5)
                & models.Q(plan_score__gte=1, plan_score__lte=5),
                name="review_scores_one_to_five",
            )
        ]

    def __str__(self):
        return str(self.assignment)

    @property
    def scores(self):
        return [
            (field, label, getattr(self, f"{field}_score"), getattr(self, f"{field}_comment"))
            for field, label in REQUIREMENTS
        ]

    @property
    def total(self):
        return sum(getattr(self, f"{field}_score") for field, _label in REQUIREMENTS)


def _draft_score_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class ReviewDraft(models.Model):
    """A reviewer's scores and comments saved before submitting (any of them may still be
    empty). Only the reviewer sees it; submitting turns it into a Review and deletes it."""

    assignment = models.OneToOneField(
        ReviewAssignment,
        on_delete=models.CASCADE,
        related_name="review_draft",
        verbose_name=_("割当"),
    )
    strengths_score = _draft_score_field(REQUIREMENTS[0][1])
    strengths_comment = models.TextField(_("①の講評"), blank=True)
    actors_score = _draft_score_field(REQUIREMENTS[1][1])
    actors_comment = models.TextField(_("②の講評"), blank=True)
    network_score = _draft_score_field(REQUIREMENTS[2][1])
    network_comment = models.TextField(_("③の講評"), blank=True)
    plan_score = _draft_score_field(REQUIREMENTS[3][1])
    plan_comment = models.TextField(_("④の講評"), blank=True)
    saved_at = models.DateTimeField(_("保存日時"), auto_now=True)

    class Meta:
        verbose_name = _("審査結果の下書き")
        verbose_name_plural = _("審査結果の下書き")

    def __str__(self):
        return str(self.assignment)

    def form_initial(self):
        """The review form's values: scores as the form's choices (text), comments."""
        initial = {}
        for field, _label in REQUIREMENTS:
            score = getattr(self, f"{field}_score")
            initial[f"{field}_score"] = "" if score is None else str(score)
            initial[f"{field}_comment"] = getattr(self, f"{field}_comment")
        return initial

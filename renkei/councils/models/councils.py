"""Councils (協議会) of a prefecture, a city or a community: members by sector, meetings
with minutes and attendance, decisions, and the action items that show whether it acts."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.councils.indicators import compute
from renkei.regions.models import Sector


class CouncilQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user, manageable_ids=()):
        """Public councils, and the private ones this person manages (all for the
        secretariat)."""
        if user.is_authenticated and user.is_secretariat:
            return self
        return self.filter(models.Q(is_public=True) | models.Q(pk__in=list(manageable_ids)))

    def in_prefecture(self, prefecture):
        return self.filter(prefecture=prefecture)

    def with_indicator_data(self):
        """What renkei.councils.indicators.compute reads, in four queries for any number."""
        return self.select_related(
            "prefecture", "municipality", "organization", "community"
        ).prefetch_related(
            models.Prefetch(
                "members", queryset=CouncilMember.objects.select_related("organization")
            ),
            "meetings__attendance",
            models.Prefetch(
                "action_items", queryset=ActionItem.objects.select_related("owner__organization")
            ),
        )


class Council(models.Model):
    """A council (協議会) where industry, academia, government and finance meet."""

    name = models.CharField(_("名称"), max_length=200)
    purpose = models.TextField(_("目的"))
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("都道府県"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("市区町村"),
        help_text=_("市（政令指定都市など）の協議会のとき"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("バイオコミュニティ"),
        help_text=_("バイオコミュニティの協議会のとき"),
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="run_councils",
        verbose_name=_("事務局を担う機関"),
        help_text=_("この機関の担当者が協議会の記録を更新します"),
    )
    established_on = models.DateField(_("設置日"), null=True, blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    is_public = models.BooleanField(
        _("公開する"),
        default=True,
        help_text=_("公開しない協議会は、事務局と運営する機関の担当者だけが見られます"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録した人"),
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("協議会")
        verbose_name_plural = _("協議会")
        ordering = ["prefecture", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:council", args=[self.pk])

    def indicators(self, today=None):
        return compute(self, today or timezone.localdate())

    @property
    def place(self):
        return self.municipality or self.prefecture


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("会長・座長")
        VICE_CHAIR = "vice_chair", _("副会長")
        MEMBER = "member", _("構成員")
        OBSERVER = "observer", _("オブザーバー")
        SECRETARIAT = "secretariat", _("事務局")

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="members", verbose_name=_("協議会")
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="council_memberships",
        verbose_name=_("機関"),
    )
    sector = models.CharField(_("部門"), max_length=20, choices=Sector.choices)
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("参加日"), null=True, blank=True)
    left_on = models.DateField(_("退会日"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("協議会の構成員")
        verbose_name_plural = _("協議会の構成員")
        ordering = ["council", "sector", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "organization"],
                name="council_member_once",
                violation_error_message=_("この機関はすでに構成員です。"),
            )
        ]

    def __str__(self):
        return f"{self.council}: {self.organization}"

    def active_on(self, day):
        return (self.joined_on is None or self.joined_on <= day) and (
            self.left_on is None or self.left_on > day
        )


def minutes_path(instance, filename):
    """Minutes are stored under random names."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"councils/{instance.council_id}/{uuid.uuid4().hex}{suffix}"


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True, council__is_public=True)


class Meeting(models.Model):
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("協議会")
    )
    held_on = models.DateField(_("開催日"))
    title = models.CharField(_("会議名"), max_length=200)
    agenda = models.TextField(_("議題"), blank=True)
    minutes_text = models.TextField(_("議事録（本文）"), blank=True)
    minutes_file = models.FileField(_("議事録（PDF）"), upload_to=minutes_path, blank=True)
    minutes_name = models.CharField(_("議事録の元のファイル名"), max_length=255, blank=True)
    minutes_sha256 = models.CharField(_("議事録の SHA-256"), max_length=64, blank=True)
    is_public = models.BooleanField(_("議事録を公開する"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    created_at = models.DateTimeField(_("記録日時"), default=timezone.now, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ["council", "-held_on", "-id"]

    def __str__(self):
        return f"{self.council} {self.title}（{self.held_on:%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("councils:meeting", args=[self.pk])


class Attendance(models.Model):
    """A member present at a meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("会議")
    )
    member = models.ForeignKey(
        CouncilMember,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("構成員"),
    )

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.meeting}: {self.member.organization}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("会議")
    )
    text = models.CharField(_("決定事項"), max_length=500)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("決定事項")
        verbose_name_plural = _("決定事項")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.text


class ActionItemQuerySet(models.QuerySet):
    def pending(self):
        return self.exclude(status__in=[ActionItem.Status.DONE, ActionItem.Status.DROPPED])

    def overdue(self, today=None):
        return self.pending().filter(due_on__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """協議会の実行項目: who does what by when, and the evidence that it was done."""

    class Status(models.TextChoices):
        OPEN = "open", _("未着手")
        IN_PROGRESS = "in_progress", _("対応中")
        DONE = "done", _("完了")
        DROPPED = "dropped", _("取りやめ")

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("協議会")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("決めた会議"),
    )
    title = models.CharField(_("実行項目"), max_length=300)
    owner = models.ForeignKey(
        CouncilMember,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("担当"),
    )
    due_on = models.DateField(_("期限"))
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    evidence = models.TextField(
        _("成果・根拠"), blank=True, help_text=_("完了を示すもの（報告書名、URL、件数など）")
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("実行項目")
        verbose_name_plural = _("実行項目")
        ordering = ["council", "due_on", "id"]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS) and self.due_on < (
            today or timezone.localdate()
        )

    @property
    def overdue(self):
        return self.is_overdue()

    @property
    def done_on_time(self):
        return (
            self.status == self.Status.DONE
            and self.done_on is not None
            and (self.done_on <= self.due_on)
        )

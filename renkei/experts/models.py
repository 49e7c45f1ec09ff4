"""Experts and coordinators (専門家・コーディネーター, ADR 0009 §4): who can help with a need,
the needs assigned to them, and the consultations they give."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.regions.models import Language

OPEN_NEED = ["queued", "in_progress"]


class Engagement(models.TextChoices):
    """How an expert is engaged."""

    FREE = "free", _("無償で相談に応じる")
    PAID = "paid", _("有償（謝金・委託）")
    PROGRAM_FUNDED = "program_funded", _("支援施策の経費で（専門家派遣など）")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("受付中")
    LIMITED = "limited", _("余力が少ない")
    UNAVAILABLE = "unavailable", _("受付を停止中")


class ExpertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def public(self):
        return self.active().filter(public=True)

    def visible_to(self, user):
        if user.is_authenticated and (user.is_secretariat or user.has_role("coordinator")):
            return self
        if user.is_authenticated:
            return self.filter(Q(public=True, active=True) | Q(user=user))
        return self.public()

    def with_load(self):
        """Each expert's open load: open needs assigned to them, and open needs they lead
        as the coordinator who took them (see ``Expert.open_load``)."""
        return self.annotate(
            open_assignments=Count(
                "assignments",
                filter=Q(
                    assignments__ended_at__isnull=True, assignments__need__status__in=OPEN_NEED
                ),
                distinct=True,
            )
        )


class Expert(models.Model):
    """A person who can help: an expert (a researcher, a consultant, a retired engineer) or a
    coordinator (繋ぎ手). With an account or without one (an address)."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("専門家")
        COORDINATOR = "coordinator", _("コーディネーター")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        verbose_name=_("アカウント"),
    )
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(
        _("メールアドレス"), blank=True, help_text=_("公開されません。割当てのお知らせに使います。")
    )
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.EXPERT)
    title = models.CharField(_("肩書"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("所属機関"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("バイオコミュニティ"),
    )
    expertise = models.TextField(
        _("専門・得意なこと"),
        max_length=3000,
        help_text=_("どんな困りごとに応えられるか、ふつうの言葉で"),
    )
    fields = models.CharField(
        _("技術分野"), max_length=500, blank=True, help_text=_("読点で区切る（例: 水産、センサー）")
    )
    market_areas = models.ManyToManyField(
        "communities.StrategyMarketArea",
        related_name="experts",
        blank=True,
        verbose_name=_("市場領域"),
    )
    regions = models.ManyToManyField(
        "regions.Prefecture",
        related_name="experts",
        blank=True,
        verbose_name=_("対応地域"),
        help_text=_("選ばなければ全国"),
    )
    languages = models.JSONField(_("対応言語"), default=list, blank=True)
    availability = models.CharField(
        _("受付の状況"), max_length=20, choices=Availability.choices, default=Availability.AVAILABLE
    )
    availability_note = models.CharField(_("受付の状況（補足）"), max_length=200, blank=True)
    engagement = models.JSONField(_("関わり方"), default=list, blank=True)
    researchmap_id = models.CharField(_("researchmap ID"), max_length=100, blank=True)
    kaken_id = models.CharField(_("KAKEN 研究者番号"), max_length=8, blank=True)
    public = models.BooleanField(
        _("プロフィールの公開に同意"),
        default=False,
        help_text=_("本人が同意したときだけ、誰でも見られるページと API に載ります。"),
    )
    active = models.BooleanField(_("掲載中"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録者"),
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True, db_index=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("専門家・コーディネーター")
        verbose_name_plural = _("専門家・コーディネーター")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("experts:detail", args=[self.pk])

    @property
    def field_list(self):
        return [f for f in self.fields.split("、") if f]

    @property
    def engagement_labels(self):
        return [Engagement(c).label for c in self.engagement if c in Engagement.values]

    @property
    def language_labels(self):
        return [Language(c).label for c in self.languages if c in Language.values]

    def covers(self, prefecture_id):
        """Whether the expert takes needs from this prefecture (no regions: nationwide)."""
        regions = [p.pk for p in self.regions.all()]
        return not regions or prefecture_id in regions

    def matching_fields(self):
        return {"expertise": self.expertise, "fields": self.fields, "title": self.title}


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True, need__status__in=OPEN_NEED)


class Assignment(models.Model):
    """A need assigned to an expert, beside the coordinator who leads it."""

    need = models.ForeignKey(
        "matching.Need",
        on_delete=models.PROTECT,
        related_name="expert_assignments",
        verbose_name=_("ニーズ"),
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("専門家")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("割り当てた人"),
    )
    assigned_at = models.DateTimeField(_("割当日時"), default=timezone.now)
    note = models.CharField(_("依頼の内容"), max_length=500, blank=True)
    ended_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("専門家の割当て")
        verbose_name_plural = _("専門家の割当て")
        ordering = ["-assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "expert"],
                condition=Q(ended_at__isnull=True),
                name="assignment_open_once",
            )
        ]

    def __str__(self):
        return f"{self.need} → {self.expert}"


class Consultation(models.Model):
    """A consultation an expert gave (相談), with its outcome (coded)."""

    class Outcome(models.TextChoices):
        ADVISED = "advised", _("助言して解決した")
        REFERRED = "referred", _("ほかの窓口・専門家につないだ")
        PROPOSAL = "proposal", _("シーズの提案・共同研究の検討へ進んだ")
        CONTINUING = "continuing", _("継続して相談中")
        NO_SOLUTION = "no_solution", _("解決策が見つからなかった")

    class AskerKind(models.TextChoices):
        SME = "sme", _("中小企業・個人事業主")
        COMPANY = "company", _("企業")
        JA = "ja", _("農業協同組合（JA）")
        FISHERY_COOPERATIVE = "fishery_cooperative", _("漁業協同組合")
        LOCAL_GOVERNMENT = "local_government", _("自治体")
        UNIVERSITY = "university", _("大学・研究機関")
        OTHER = "other", _("その他")

    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("専門家")
    )
    need = models.ForeignKey(
        "matching.Need",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_consultations",
        verbose_name=_("ニーズ"),
    )
    held_on = models.DateField(_("相談の日"))
    asker_kind = models.CharField(_("相談者の種別"), max_length=30, choices=AskerKind.choices)
    topic = models.CharField(_("相談の内容（ひとことで）"), max_length=200)
    summary = models.TextField(
        _("記録"),
        blank=True,
        help_text=_("相談者の名前や連絡先は書かないでください。担当者だけが読めます。"),
    )
    outcome = models.CharField(_("結果"), max_length=20, choices=Outcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("専門家への相談")
        verbose_name_plural = _("専門家への相談")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.expert}: {self.topic}"

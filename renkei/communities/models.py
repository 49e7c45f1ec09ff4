from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CommunityQuerySet(models.QuerySet):
    def certified(self):
        return self.filter(status=Community.Status.CERTIFIED)

    def registered(self):
        return self.filter(status=Community.Status.REGISTERED)

    def regional(self):
        return self.filter(kind=Community.Kind.REGIONAL)

    def listed(self):
        """Communities the public directory shows: certified or registered for development."""
        return self.filter(status__in=[Community.Status.CERTIFIED, Community.Status.REGISTERED])


class Community(models.Model):
    class Kind(models.TextChoices):
        REGIONAL = "regional", _("地域バイオコミュニティ")
        GLOBAL = "global", _("グローバルバイオコミュニティ")

    class Status(models.TextChoices):
        APPLYING = "applying", _("申請中")
        CERTIFIED = "certified", _("認定")
        REGISTERED = "registered", _("育成登録")
        NOT_CERTIFIED = "not_certified", _("不認定")
        REVOKED = "revoked", _("取消")

    slug = models.SlugField(_("識別子"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=200, unique=True)
    abbreviation = models.CharField(_("略称"), max_length=30, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices)
    certified_on = models.DateField(_("認定日"), null=True, blank=True)
    registered_on = models.DateField(_("育成登録日"), null=True, blank=True)
    status_date_note = models.CharField(_("日付の注記"), max_length=200, blank=True)
    prefectures = models.ManyToManyField(
        "regions.Prefecture", related_name="communities", blank=True, verbose_name=_("地域")
    )
    network_organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_communities",
        verbose_name=_("ネットワーク機関"),
    )
    network_organization_note = models.CharField(
        _("ネットワーク機関（記載どおり）"), max_length=300, blank=True
    )
    members_as_listed = models.CharField(
        _("主な構成機関（原資料の表記）"), max_length=300, blank=True
    )
    overview = models.TextField(_("取組概要"), blank=True)
    themes = models.TextField(_("テーマ"), blank=True, help_text=_("読点または改行で区切る"))
    website = models.URLField(_("ウェブサイト"), blank=True)
    note = models.TextField(_("備考"), blank=True)
    sources = models.JSONField(_("出典URL"), default=list, blank=True)
    table_order = models.PositiveSmallIntegerField(_("表中の順"), null=True, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("バイオコミュニティ")
        verbose_name_plural = _("バイオコミュニティ")
        ordering = ["table_order", "kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:detail", args=[self.slug])

    @property
    def theme_list(self):
        return [t.strip() for t in self.themes.replace("\n", "、").split("、") if t.strip()]


class CommunityMember(models.Model):
    class Role(models.TextChoices):
        CORE = "core", _("中核機関")
        PARTICIPANT = "participant", _("参画機関")
        SUPPORT = "support", _("支援機関")
        FINANCIAL = "financial", _("金融機関")
        LOCAL_GOVERNMENT = "local_government", _("自治体")
        NETWORK = "network", _("ネットワーク機関")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="members", verbose_name=_("コミュニティ")
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="community_memberships",
        verbose_name=_("機関"),
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    as_written = models.CharField(_("原資料の表記"), max_length=100, blank=True)
    joined_on = models.DateField(_("参画日"), null=True, blank=True)
    left_on = models.DateField(_("離脱日"), null=True, blank=True)
    in_source_table = models.BooleanField(_("認定一覧の表に記載"), default=False)
    note = models.CharField(_("備考"), max_length=300, blank=True)
    source = models.URLField(_("出典"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("構成機関")
        verbose_name_plural = _("構成機関")
        ordering = ["community", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "organization"], name="community_member_unique"
            )
        ]

    def __str__(self):
        return f"{self.community}: {self.organization}"


class CommunityFact(models.Model):
    """A published figure about a community (member counts, hubs, targets) with its source."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="facts", verbose_name=_("コミュニティ")
    )
    label = models.CharField(_("項目"), max_length=100)
    value = models.CharField(_("値"), max_length=500)
    number = models.DecimalField(_("数値"), max_digits=14, decimal_places=2, null=True, blank=True)
    as_of = models.CharField(_("時点"), max_length=50, blank=True)
    source = models.URLField(_("出典"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("公開情報")
        verbose_name_plural = _("公開情報")
        ordering = ["community", "order", "id"]

    def __str__(self):
        return f"{self.community}: {self.label} {self.value}"

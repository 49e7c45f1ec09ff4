from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StrategyMarketArea(models.Model):
    """One of the nine market areas of Japan's Bio Strategy (バイオ戦略の市場領域)."""

    class Group(models.TextChoices):
        BIO_MANUFACTURING = "bio_manufacturing", _("バイオ製造")
        PRIMARY_PRODUCTION = "primary_production", _("一次生産等")
        HEALTH_MEDICAL = "health_medical", _("健康・医療")

    number = models.PositiveSmallIntegerField(_("番号"), unique=True)
    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    group = models.CharField(
        _("予算表の市場領域"),
        max_length=30,
        choices=Group.choices,
        help_text=_("支援施策の市場領域（予算表の●）との対応"),
    )

    class Meta:
        verbose_name = _("バイオ戦略の市場領域")
        verbose_name_plural = _("バイオ戦略の市場領域")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


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
    market_areas = models.ManyToManyField(
        StrategyMarketArea, related_name="communities", blank=True, verbose_name=_("市場領域")
    )
    market_areas_note = models.CharField(_("市場領域の根拠"), max_length=300, blank=True)
    logo_permitted = models.BooleanField(_("認定ロゴの使用許諾"), default=False)
    logo_permitted_on = models.DateField(_("ロゴ使用許諾日"), null=True, blank=True)
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

    def active_members(self):
        return self.members.filter(left_on__isnull=True)


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


class KeyPerson(models.Model):
    """A key person (キーパーソン) of a community. Name, title and organisation are public;
    e-mail and phone are shown only to signed-in users with a role."""

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="key_persons",
        verbose_name=_("コミュニティ"),
    )
    name = models.CharField(_("氏名"), max_length=100)
    title = models.CharField(_("役職"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_persons",
        verbose_name=_("所属"),
    )
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("キーパーソン")
        verbose_name_plural = _("キーパーソン")
        ordering = ["community", "order", "id"]

    def __str__(self):
        return f"{self.community}: {self.name}"


class CommunityStatusEvent(models.Model):
    """A decision on a community's status, with its date (認定, 育成登録, 取消 …)."""

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="status_events",
        verbose_name=_("コミュニティ"),
    )
    status = models.CharField(_("状態"), max_length=20, choices=Community.Status.choices)
    decided_on = models.DateField(_("日付"), null=True, blank=True)
    round = models.ForeignKey(
        "communities.CertificationRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_events",
        verbose_name=_("認定ラウンド"),
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("認定等の履歴")
        verbose_name_plural = _("認定等の履歴")
        ordering = ["community", "decided_on", "id"]

    def __str__(self):
        return f"{self.community}: {self.get_status_display()} {self.decided_on or ''}"

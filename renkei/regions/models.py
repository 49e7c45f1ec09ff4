import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from renkei.ja.normalize import normalize
from renkei.lib.validators import validate_phone
from renkei.regions.validators import validate_corporate_number, validate_lg_code


class Block(models.TextChoices):
    """The eight regional blocks (八地方区分) used for "same block" filters."""

    HOKKAIDO = "hokkaido", _("北海道")
    TOHOKU = "tohoku", _("東北")
    KANTO = "kanto", _("関東")
    CHUBU = "chubu", _("中部")
    KINKI = "kinki", _("近畿")
    CHUGOKU = "chugoku", _("中国")
    SHIKOKU = "shikoku", _("四国")
    KYUSHU = "kyushu", _("九州・沖縄")


def block_of(jis_code):
    """The block of a prefecture from its JIS X 0401 code."""
    n = int(jis_code)
    for last, block in (
        (1, Block.HOKKAIDO),
        (7, Block.TOHOKU),
        (14, Block.KANTO),
        (23, Block.CHUBU),
        (30, Block.KINKI),
        (35, Block.CHUGOKU),
        (39, Block.SHIKOKU),
        (47, Block.KYUSHU),
    ):
        if n <= last:
            return block
    raise ValueError(jis_code)


class Prefecture(models.Model):
    code = models.CharField(_("都道府県コード（JIS X 0401）"), max_length=2, primary_key=True)
    lg_code = models.CharField(
        _("地方公共団体コード"), max_length=6, unique=True, validators=[validate_lg_code]
    )
    name = models.CharField(_("名称"), max_length=10, unique=True)
    name_kana = models.CharField(_("よみ"), max_length=20)
    name_en = models.CharField(_("英語名"), max_length=20)
    short_name = models.CharField(_("略称"), max_length=10)
    iso3166_2 = models.CharField("ISO 3166-2", max_length=5)
    block = models.CharField(_("地方"), max_length=10, choices=Block.choices)
    capital = models.CharField(_("都道府県庁所在地"), max_length=20, blank=True)
    latitude = models.FloatField(_("緯度"), null=True, blank=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)

    class Meta:
        verbose_name = _("都道府県")
        verbose_name_plural = _("都道府県")
        ordering = ["code"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        # The prefecture's hub page gathers every app's part, so it lives in the portal shell.
        return reverse("portal:prefecture", args=[self.code])

    @property
    def display_name(self):
        return self.name_en if (get_language() or "ja").startswith("en") else self.name


class MunicipalityQuerySet(models.QuerySet):
    def designated_cities(self):
        return self.filter(kind=Municipality.Kind.DESIGNATED_CITY)


class Municipality(models.Model):
    """A municipality or ward with its 6-digit local-government code (JIS X 0402)."""

    class Kind(models.TextChoices):
        DESIGNATED_CITY = "designated_city", _("政令指定都市")
        CITY = "city", _("市")
        SPECIAL_WARD = "special_ward", _("特別区")
        WARD = "ward", _("行政区")
        TOWN = "town", _("町")
        VILLAGE = "village", _("村")

    lg_code = models.CharField(
        _("地方公共団体コード"), max_length=6, primary_key=True, validators=[validate_lg_code]
    )
    prefecture = models.ForeignKey(
        Prefecture,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("都道府県"),
    )
    name = models.CharField(_("名称"), max_length=40)
    name_kana = models.CharField(_("よみ"), max_length=60, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("所属する市"),
    )
    latitude = models.FloatField(_("緯度"), null=True, blank=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("市区町村")
        verbose_name_plural = _("市区町村")
        ordering = ["lg_code"]
        indexes = [models.Index(fields=["prefecture", "kind"])]

    def __str__(self):
        return f"{self.prefecture.name} {self.name}"

    def get_absolute_url(self):
        """A designated city has its hub page; other municipalities show on their prefecture's."""
        if self.kind == self.Kind.DESIGNATED_CITY:
            return reverse("portal:city", args=[self.lg_code])
        return reverse("portal:prefecture", args=[self.prefecture_id])


class OrganizationQuerySet(models.QuerySet):
    def universities(self):
        return self.filter(
            kind=Organization.Kind.UNIVERSITY, school_type=Organization.School.UNIVERSITY
        )

    def ministries(self):
        return self.filter(kind=Organization.Kind.MINISTRY)

    def active(self):
        return self.filter(is_active=True)

    def in_prefecture(self, prefecture):
        return self.filter(prefecture=prefecture)

    def identified(self, value):
        """The one organisation ``value`` names: its code (mext), school code, local-government
        code or exact name; None when there is none or more than one."""
        value = (value or "").strip()
        if not value:
            return None
        found = list(
            self.filter(
                models.Q(code=value)
                | models.Q(school_code=value)
                | models.Q(lg_code=value)
                | models.Q(name=value, is_active=True)
            )[:2]
        )
        return found[0] if len(found) == 1 else None

    def search(self, query):
        """Name search that ignores width, spacing and katakana variants."""
        query = normalize(query)
        if not query:
            return self
        return self.filter(search_name__contains=query)


class Sector(models.TextChoices):
    """産・学・官・金: how a community's members are counted by sector."""

    INDUSTRY = "industry", _("産")
    ACADEMIA = "academia", _("学")
    GOVERNMENT = "government", _("官")
    FINANCE = "finance", _("金")
    OTHER = "other", _("その他")


SECTOR_OF_KIND = {
    "company": Sector.INDUSTRY,
    "university": Sector.ACADEMIA,
    "research_institute": Sector.ACADEMIA,
    "local_government": Sector.GOVERNMENT,
    "ministry": Sector.GOVERNMENT,
    "financial_institution": Sector.FINANCE,
}


class Organization(models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("大学等")
        RESEARCH_INSTITUTE = "research_institute", _("研究機関")
        COMPANY = "company", _("企業")
        LOCAL_GOVERNMENT = "local_government", _("地方公共団体")
        MINISTRY = "ministry", _("府省")
        NETWORK_ORGANIZATION = "network_organization", _("ネットワーク機関")
        FINANCIAL_INSTITUTION = "financial_institution", _("金融機関")
        SUPPORT_ORGANIZATION = "support_organization", _("支援機関")
        OTHER = "other", _("その他")

    class School(models.TextChoices):
        UNIVERSITY = "F1", _("大学")
        JUNIOR_COLLEGE = "F2", _("短期大学")
        COLLEGE_OF_TECHNOLOGY = "G1", _("高等専門学校")

    class Establishment(models.TextChoices):
        NATIONAL = "national", _("国立")
        PUBLIC = "public", _("公立")
        PRIVATE = "private", _("私立")

    name = models.CharField(_("名称"), max_length=200)
    code = models.SlugField(
        _("コード"),
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        help_text=_("検索条件やAPIで使う安定した識別子（府省は mext、maff など）"),
    )
    short_name = models.CharField(
        _("略称"), max_length=40, blank=True, help_text=_("府省の略記（文、農など）や通称")
    )
    name_en = models.CharField(_("英語名"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=30, choices=Kind.choices)
    prefecture = models.ForeignKey(
        Prefecture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("都道府県"),
    )
    corporate_number = models.CharField(
        _("法人番号"),
        max_length=13,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_corporate_number],
    )
    school_code = models.CharField(
        _("学校コード"), max_length=13, null=True, blank=True, unique=True
    )
    school_type = models.CharField(_("学校種"), max_length=2, choices=School.choices, blank=True)
    establishment = models.CharField(
        _("設置区分"), max_length=10, choices=Establishment.choices, blank=True
    )
    lg_code = models.CharField(
        _("地方公共団体コード"),
        max_length=6,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_lg_code],
    )
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("市区町村"),
        help_text=_("所在地の市区町村（近い窓口の順に使います）"),
    )
    website = models.URLField(_("ウェブサイト"), blank=True)
    is_active = models.BooleanField(_("現存"), default=True)
    closed_on = models.DateField(_("廃止日"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("機関")
        verbose_name_plural = _("機関")
        ordering = ["kind", "prefecture", "name"]
        constraints = [
            # A closed university may share its name with its successor (宝塚大学 moved).
            models.UniqueConstraint(
                fields=["kind", "name"],
                condition=models.Q(is_active=True),
                name="organization_unique_active_kind_name",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = self.compute_search_name()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("regions:organization", args=[self.pk])

    def compute_search_name(self):
        return normalize(" ".join(filter(None, [self.name, self.short_name, self.name_en])))

    @property
    def sector(self):
        return SECTOR_OF_KIND.get(self.kind, Sector.OTHER)

    @property
    def primary_window(self):
        windows = [w for w in self.contact_windows.all() if not w.archived]
        return next((w for w in windows if w.is_primary), windows[0] if windows else None)


class Topic(models.TextChoices):
    """What a window handles (相談窓口の分野). 総合窓口 takes any question."""

    GENERAL = "general", _("総合窓口")
    TECHNICAL = "technical", _("技術相談")
    JOINT_RESEARCH = "joint_research", _("共同研究・受託研究")
    IP_LICENSING = "ip_licensing", _("知財・ライセンス")
    FUNDING = "funding", _("補助金・支援施策")
    REGULATION = "regulation", _("規制・特区")
    STARTUP = "startup", _("創業・事業化")
    TALENT = "talent", _("人材")
    FACILITIES = "facilities", _("施設・機器利用")


class Language(models.TextChoices):
    JA = "ja", _("日本語")
    EN = "en", _("英語")
    ZH = "zh", _("中国語")
    KO = "ko", _("韓国語")
    OTHER = "other", _("その他の言語")


# A window whose details nobody confirmed for this long is marked and its owners reminded.
CONFIRM_EVERY = datetime.timedelta(days=365)


class ContactWindowQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(archived=False)

    def stale(self, now=None):
        """Unconfirmed for 12 months (or never confirmed)."""
        cutoff = (now or timezone.now()) - CONFIRM_EVERY
        return self.filter(models.Q(confirmed_at__isnull=True) | models.Q(confirmed_at__lt=cutoff))

    def awaiting_verification(self):
        return self.listed().filter(verified_at__isnull=True)

    def handling(self, topic):
        """Windows for ``topic``; a general window (総合窓口) takes every topic."""
        return self.filter(topic_links__topic__in=[topic, Topic.GENERAL]).distinct()

    def with_topics(self):
        return self.prefetch_related("topic_links")


class ContactWindow(models.Model):
    """A contact window (窓口): the public entry point of an organisation for some topics.

    Members of the organisation keep it current; the secretariat verifies it. Each shows when
    it was last confirmed; one unconfirmed for 12 months is marked and its owners reminded."""

    class Scope(models.TextChoices):
        REGIONAL = "regional", _("地域の相談")
        NATIONWIDE = "nationwide", _("全国から受け付ける")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="contact_windows",
        verbose_name=_("機関"),
    )
    department = models.CharField(_("窓口名（部署）"), max_length=200)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True, validators=[validate_phone])
    extension = models.CharField(_("内線"), max_length=10, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)
    form_url = models.URLField(_("問い合わせフォーム"), blank=True)
    description = models.TextField(
        _("取り扱う内容の説明"), blank=True, help_text=_("どんな相談を受けるか、一言で")
    )
    hours = models.CharField(
        _("受付時間"), max_length=100, blank=True, help_text=_("例: 平日 9:00〜17:00")
    )
    languages = models.JSONField(_("対応言語"), default=list, blank=True)
    scope = models.CharField(
        _("受け付ける範囲"), max_length=20, choices=Scope.choices, default=Scope.REGIONAL
    )
    is_primary = models.BooleanField(_("代表窓口"), default=False)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    archived = models.BooleanField(_("掲載終了"), default=False)
    confirmed_at = models.DateTimeField(_("最終確認日時"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確認した人"),
    )
    verified_at = models.DateTimeField(_("事務局の確認日時"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確認した事務局"),
    )
    reminded_at = models.DateTimeField(_("確認依頼の送信日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = ContactWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("窓口")
        verbose_name_plural = _("窓口")
        ordering = ["organization", "-is_primary", "department", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "department", "phone", "email"],
                name="contact_window_unique",
                violation_error_message=_(
                    "同じ窓口名・電話番号・メールアドレスの窓口がこの機関にすでにあります。"
                ),
            )
        ]

    def __str__(self):
        return f"{self.organization.name} {self.department}"

    def clean(self):
        if not (self.phone or self.email or self.form_url or self.url):
            raise ValidationError(
                _(
                    "連絡の手段（電話番号・メールアドレス・問い合わせフォーム・ウェブサイトのどれか）を入力してください。"
                ),
                code="no_contact",
            )
        unknown = [code for code in self.languages or [] if code not in Language.values]
        if unknown:
            raise ValidationError(
                {"languages": _("対応言語「%(v)s」は選べません。") % {"v": "、".join(unknown)}}
            )

    @property
    def phone_display(self):
        if not self.phone:
            return ""
        if not self.extension:
            return self.phone
        return _("%(phone)s（内線%(extension)s）") % {
            "phone": self.phone,
            "extension": self.extension,
        }

    @property
    def topics(self):
        """The topics, in the order of :class:`Topic` (uses a prefetch when there is one)."""
        codes = {link.topic for link in self.topic_links.all()}
        return [topic for topic in Topic if topic.value in codes]

    @property
    def language_labels(self):
        return [Language(code).label for code in self.languages if code in Language.values]

    def is_stale(self, now=None):
        if self.confirmed_at is None:
            return True
        return self.confirmed_at < (now or timezone.now()) - CONFIRM_EVERY

    @property
    def stale(self):
        return self.is_stale()

    @property
    def is_verified(self):
        return self.verified_at is not None


class WindowTopic(models.Model):
    """One topic a window handles."""

    window = models.ForeignKey(
        ContactWindow,
        on_delete=models.CASCADE,
        related_name="topic_links",
        verbose_name=_("窓口"),
    )
    topic = models.CharField(_("分野"), max_length=30, choices=Topic.choices)

    class Meta:
        verbose_name = _("窓口の分野")
        verbose_name_plural = _("窓口の分野")
        constraints = [
            models.UniqueConstraint(fields=["window", "topic"], name="window_topic_unique")
        ]

    def __str__(self):
        return f"{self.window}: {self.get_topic_display()}"


def distance_km(a, b):
    """Great-circle distance between two (latitude, longitude) points, in km."""
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))

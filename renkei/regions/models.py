from django.db import models
from django.urls import reverse
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
        return reverse("regions:prefecture", args=[self.code])

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
        windows = list(self.contact_windows.all())
        return next((w for w in windows if w.is_primary), windows[0] if windows else None)


class ContactWindow(models.Model):
    """A contact window (窓口): the public entry point of an organisation for some topics."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="contact_windows",
        verbose_name=_("機関"),
    )
    department = models.CharField(_("部署"), max_length=200)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True, validators=[validate_phone])
    extension = models.CharField(_("内線"), max_length=10, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    url = models.URLField(_("URL"), blank=True)
    topics = models.TextField(_("取り扱う内容"), blank=True)
    is_primary = models.BooleanField(_("代表窓口"), default=False)
    source = models.CharField(_("出典"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("窓口")
        verbose_name_plural = _("窓口")
        ordering = ["organization", "-is_primary", "department", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "department", "phone", "email"],
                name="contact_window_unique",
            )
        ]

    def __str__(self):
        return f"{self.organization.name} {self.department}"

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

"""The case library (事例): who did what where, with which programs, how far it got, what
came of it and what others can learn, with sources."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.programs.models import MarketArea, Stage
from renkei.regions.models import Sector

# Sectors in the order people say them (産学官金), for the sector-mix facet.
SECTOR_ORDER = [Sector.INDUSTRY, Sector.ACADEMIA, Sector.GOVERNMENT, Sector.FINANCE, Sector.OTHER]


def sector_mix_of(sectors):
    """'industry+academia+government' from a set of sectors, in 産学官金 order."""
    present = set(sectors)
    return "+".join(s.value for s in SECTOR_ORDER if s in present)


def sector_mix_label(mix):
    """'industry+academia+government' → 産・学・官."""
    if not mix:
        return ""
    return "・".join(str(Sector(code).label) for code in mix.split("+") if code in Sector.values)


class CaseStudyQuerySet(models.QuerySet):
    def involving(self, organization):
        return self.filter(participants__organization=organization).distinct()

    def for_listing(self):
        return self.select_related("prefecture").prefetch_related("programs")

    def matching(self, *, q="", prefecture=None, market_area="", sectors="", program=None):
        """The cases a search asks for (the case library's page and the API)."""
        queryset = self
        for word in (q or "").split():
            queryset = queryset.filter(
                models.Q(title__icontains=word)
                | models.Q(theme__icontains=word)
                | models.Q(participants__name__icontains=word)
                | models.Q(prefecture__name__icontains=word)
            )
        if prefecture:
            queryset = queryset.filter(prefecture=prefecture)
        if market_area:
            queryset = queryset.filter(market_area=market_area)
        if sectors:
            queryset = queryset.filter(sector_mix=sectors)
        if program:
            queryset = queryset.filter(programs=program)
        return queryset.distinct()


class CaseStudy(models.Model):
    slug = models.SlugField(_("識別子"), unique=True)
    title = models.CharField(_("事例"), max_length=100)
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="case_studies",
        verbose_name=_("都道府県"),
    )
    since = models.CharField(_("実施時期"), max_length=50)
    since_fiscal_year = models.PositiveSmallIntegerField(_("開始年度"), null=True, blank=True)
    theme = models.CharField(_("テーマ"), max_length=300)
    summary = models.JSONField(_("事業概要"), default=list)
    and_others_in = models.JSONField(
        _("「等」のある区分"),
        default=list,
        blank=True,
        help_text=_("出典が参画主体を「等」で締めくくる区分"),
    )
    programs = models.ManyToManyField(
        "programs.Program",
        blank=True,
        related_name="case_studies",
        verbose_name=_("活用した支援施策"),
    )
    programs_as_written = models.JSONField(
        _("活用した事業（出典の表記）"), default=list, blank=True
    )
    communities = models.ManyToManyField(
        "communities.Community",
        blank=True,
        related_name="case_studies",
        verbose_name=_("関わるバイオコミュニティ"),
    )
    stage = models.CharField(_("到達した段階"), max_length=30, choices=Stage.choices, blank=True)
    market_area = models.CharField(
        _("市場領域"), max_length=30, choices=MarketArea.choices, blank=True
    )
    outcomes = models.JSONField(
        _("成果"),
        default=list,
        blank=True,
        help_text=_('[{"text": …, "value": 数値, "unit": 単位}]。数値は分かるときだけ'),
    )
    lessons = models.JSONField(_("学び"), default=list, blank=True)
    sources = models.JSONField(_("出典"), default=list, blank=True)
    sector_mix = models.CharField(_("部門の組合せ"), max_length=80, blank=True, editable=False)
    survey = models.ForeignKey(
        "councils.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name=_("調査"),
    )
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("取組事例")
        verbose_name_plural = _("取組事例")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("councils:case", args=[self.slug])

    def update_sector_mix(self):
        self.sector_mix = sector_mix_of(p.sector for p in self.participants.all())
        CaseStudy.objects.filter(pk=self.pk).update(sector_mix=self.sector_mix)

    @property
    def sector_mix_label(self):
        return sector_mix_label(self.sector_mix)

    def participant_groups(self):
        """[(category, [participants], and_others)] in the order they were written."""
        groups = {}
        for participant in self.participants.all():
            groups.setdefault(participant.category, []).append(participant)
        return [(c, items, c in self.and_others_in) for c, items in groups.items()]


class CaseParticipant(models.Model):
    """One actor of a case: the name as written, the organisation it resolves to, its sector."""

    case = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="participants", verbose_name=_("事例")
    )
    category = models.CharField(_("区分（出典の表記）"), max_length=50)
    name = models.CharField(_("名称（出典の表記）"), max_length=200)
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_participations",
        verbose_name=_("機関"),
    )
    sector = models.CharField(_("部門"), max_length=20, choices=Sector.choices)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("事例の参画主体")
        verbose_name_plural = _("事例の参画主体")
        ordering = ["case", "order", "id"]

    def __str__(self):
        return self.name

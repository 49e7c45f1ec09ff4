"""Seeds: the technologies universities and research institutes offer."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.matching.rules import is_coordinator
from renkei.regions.rules import member_organization_ids


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公開")
    SIGNED_IN = "signed_in", _("ログインした利用者")
    COORDINATORS = "coordinators", _("コーディネーターと事務局のみ")


class SeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived=False)

    def visible_to(self, user):
        if is_coordinator(user):
            return self
        if user.is_authenticated:
            own = member_organization_ids(user)
            return self.filter(
                models.Q(visibility__in=["public", "signed_in"]) | models.Q(organization_id__in=own)
            )
        return self.filter(visibility=Visibility.PUBLIC)


class Seed(models.Model):
    class Stage(models.TextChoices):
        BASIC = "basic", _("基礎")
        APPLIED = "applied", _("応用")
        DEMONSTRATION = "demonstration", _("実証")
        PRACTICAL = "practical", _("実用化")

    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="seeds",
        verbose_name=_("機関"),
    )
    code = models.CharField(
        _("機関内の番号"),
        max_length=50,
        blank=True,
        help_text=_("取り込みで同じシーズを更新するための番号"),
    )
    title = models.CharField(_("名称"), max_length=200)
    summary = models.TextField(_("概要"), max_length=4000)
    problem = models.TextField(_("解決する課題"), max_length=4000, blank=True)
    advantage = models.TextField(_("従来技術に対する優位性"), max_length=4000, blank=True)
    uses = models.TextField(_("想定される用途"), max_length=4000, blank=True)
    stage = models.CharField(_("開発段階"), max_length=20, choices=Stage.choices)
    patents = models.CharField(_("知的財産（特許番号など）"), max_length=500, blank=True)
    researcher_name = models.CharField(_("研究者名"), max_length=100, blank=True)
    researcher_affiliation = models.CharField(_("研究者の所属"), max_length=200, blank=True)
    researchmap_id = models.CharField(_("researchmap ID"), max_length=100, blank=True)
    kaken_id = models.CharField(_("KAKEN 研究者番号"), max_length=8, blank=True)
    researcher_email = models.EmailField(
        _("研究者のメールアドレス"),
        blank=True,
        help_text=_("紹介が決まったとき研究者本人にも知らせます。公開されることはありません。"),
    )
    contact_window = models.ForeignKey(
        "regions.ContactWindow",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seeds",
        verbose_name=_("窓口"),
    )
    keywords = models.CharField(
        _("キーワード"), max_length=500, blank=True, help_text=_("読点で区切る")
    )
    market_areas = models.ManyToManyField(
        "communities.StrategyMarketArea",
        related_name="seeds",
        blank=True,
        verbose_name=_("市場領域"),
    )
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="seeds",
        verbose_name=_("都道府県"),
    )
    visibility = models.CharField(
        _("公開範囲"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    archived = models.BooleanField(_("掲載終了"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登録者"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True, db_index=True)

    objects = SeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("シーズ")
        verbose_name_plural = _("シーズ")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"],
                condition=~models.Q(code=""),
                name="seed_code_unique_per_organization",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:seed", args=[self.pk])

    def matching_fields(self):
        """The texts the engine reads, by field (see renkei.matching.engine)."""
        return {
            "title": self.title,
            "summary": self.summary,
            "problem": self.problem,
            "advantage": self.advantage,
            "uses": self.uses,
            "keywords": self.keywords,
        }


class Embedding(models.Model):
    """A cached text embedding, keyed by model and the text's hash (each text embedded once)."""

    key = models.CharField(max_length=80, primary_key=True)
    model = models.CharField(max_length=100)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("埋め込みベクトルのキャッシュ")
        verbose_name_plural = _("埋め込みベクトルのキャッシュ")

    def __str__(self):
        return self.key

"""The published catalogue: programs, their budget lines, contacts, calls and pathways."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    """申請主体 as the support menu numbers them."""

    UNIVERSITY = "university", _("①大学等研究機関")
    COMPANY = "company", _("②民間事業者等")
    LOCAL_GOVERNMENT = "local_government", _("③自治体")


class Aim(models.TextChoices):
    UNIVERSITY_CHANGES = "university_changes", _("大学の強みを伸ばす：大学が変わる")
    SOCIETY_CHANGES = "society_changes", _("政策課題への対応：社会が変わる")
    BIO_COMMUNITY = "bio_community", _("地域バイオコミュニティの実現")


class MarketArea(models.TextChoices):
    CROSS_MARKET = "cross_market", _("市場領域横断")
    BIO_MANUFACTURING = "bio_manufacturing", _("バイオ製造")
    PRIMARY_PRODUCTION = "primary_production", _("一次生産等")
    HEALTH_MEDICAL = "health_medical", _("健康・医療")


class Stage(models.TextChoices):
    HUMAN_RESOURCES = "human_resources", _("人材育成")
    RESEARCH = "research", _("研究開発")
    DEMONSTRATION = "demonstration", _("実証")
    IMPLEMENTATION = "implementation", _("社会実装・事業化")
    FACILITIES = "facilities", _("施設整備")
    SURVEY = "survey", _("調査・基盤")


class ProgramQuerySet(models.QuerySet):
    def for_applicant(self, applicant_type):
        return self.filter(**{f"for_{applicant_type}": True})

    def accepting_new(self):
        return self.filter(accepts_new_projects=True)

    def in_support_menu(self):
        return self.filter(in_support_menu=True)

    def for_listing(self):
        """What a result list shows: ministry, headline budget, calls and contacts."""
        from django.db.models import Prefetch

        return self.select_related("ministry").prefetch_related(
            "budget_lines",
            "call_periods",
            Prefetch(
                "contacts",
                queryset=ProgramContact.objects.select_related("contact_window__organization"),
            ),
        )

    def with_details(self):
        return self.select_related("ministry").prefetch_related(
            "aliases",
            "budget_lines",
            "call_periods",
            "contacts__contact_window__organization",
            "relations_out__to_program",
        )


class Program(models.Model):
    """One support program (支援施策・事業) of a ministry."""

    code = models.SlugField(_("施策コード"), max_length=80, unique=True)
    name = models.CharField(_("事業名"), max_length=200)
    ministry = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("府省・実施機関"),
        help_text=_("府省のほか、Jグランツから取り込んだ施策では実施機関（自治体など）"),
    )
    department = models.CharField(_("担当部署"), max_length=200, blank=True)
    description = models.TextField(_("概要"), blank=True)
    aim = models.CharField(_("ねらい"), max_length=30, choices=Aim.choices, blank=True)
    for_university = models.BooleanField(_("①大学等研究機関"), default=False)
    for_company = models.BooleanField(_("②民間事業者等"), default=False)
    for_local_government = models.BooleanField(_("③自治体"), default=False)
    accepts_new_projects = models.BooleanField(_("新規課題採択"), null=True, blank=True)
    market_area = models.CharField(
        _("市場領域"), max_length=30, choices=MarketArea.choices, blank=True
    )
    stage = models.CharField(_("段階"), max_length=30, choices=Stage.choices, blank=True)
    url = models.URLField(
        _("公式ページ・公募資料のURL"),
        max_length=500,
        blank=True,
        help_text=_("府省の公式ページか公募要領のURL。出典やデータに書かれているときだけ入れます"),
    )
    keywords = models.TextField(_("キーワード"), blank=True, help_text=_("読点または改行で区切る"))
    subsidy_max_thousand_yen = models.BigIntegerField(
        _("補助上限額（千円）"), null=True, blank=True
    )
    subsidy_rate = models.CharField(_("補助率"), max_length=200, blank=True)
    target_area = models.CharField(_("対象地域"), max_length=300, blank=True)
    external_id = models.CharField(
        _("外部ID"), max_length=100, blank=True, help_text=_("Jグランツの補助金IDなど")
    )
    credit = models.CharField(_("クレジット表記"), max_length=200, blank=True)
    in_support_menu = models.BooleanField(_("支援メニュー掲載"), default=False)
    menu_order = models.PositiveIntegerField(_("掲載順"), default=0)
    menu_budget_label = models.CharField(_("支援メニュー記載の予算額"), max_length=100, blank=True)
    builds_on = models.TextField(_("活用する研究成果"), blank=True)
    source_reference = models.CharField(_("出典"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("支援施策")
        verbose_name_plural = _("支援施策")
        ordering = ["menu_order", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.code])

    @property
    def keyword_list(self):
        return [k.strip() for k in self.keywords.replace("\n", "、").split("、") if k.strip()]

    @property
    def applicant_types(self):
        return [t for t in ApplicantType.values if getattr(self, f"for_{t}")]

    @property
    def applicant_labels(self):
        return [ApplicantType(t).label for t in self.applicant_types]

    @property
    def headline_budget(self):
        """The budget line the catalogue shows for the program: the latest headline line."""
        lines = [line for line in self.budget_lines.all() if line.is_headline]
        return max(lines, key=lambda line: line.fiscal_year) if lines else None


class ProgramAlias(models.Model):
    """Another name the sources use for a program (typos included), resolving to it."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("支援施策")
    )
    name = models.CharField(_("別名"), max_length=200, unique=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("別名")
        verbose_name_plural = _("別名")
        ordering = ["program", "name"]

    def __str__(self):
        return self.name


class BudgetLineQuerySet(models.QuerySet):
    def in_table(self, source):
        """The lines one table of a source gives, in the table's order, newest year first."""
        return (
            self.filter(source=source)
            .select_related("program__ministry")
            .order_by("-fiscal_year", "order", "program__menu_order")
        )


class BudgetLine(models.Model):
    """One amount for one program in one fiscal year, as one table of a source gives it.

    When ``is_part_of_larger`` is set (内数), the amount is that of a larger line the program
    shares: it must never be added to other amounts as if it were the program's own.
    """

    class Kind(models.TextChoices):
        DRAFT = "draft", _("当初予算案")
        INITIAL = "initial", _("当初予算")
        SUPPLEMENTARY = "supplementary", _("補正予算")

    class Source(models.TextChoices):
        MENU_CONTACTS = "r4_menu_contacts", _("R4年度 支援メニューの連絡先（予算額(千円)）")
        MENU = "menu", _("支援メニュー（事務局の年度更新）")
        BUDGET_TABLE = (
            "r4_budget_table",
            _("バイオコミュニティの形成に関する予算（令和4年度予算案）"),
        )
        OTHER = "other", _("その他")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("支援施策")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("区分"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("出典の表"), max_length=30, choices=Source.choices)
    title = models.CharField(_("予算事項名"), max_length=200, blank=True)
    amount_thousand_yen = models.BigIntegerField(_("金額（千円）"), null=True, blank=True)
    is_part_of_larger = models.BooleanField(_("内数"), default=False)
    includes_thousand_yen = models.BigIntegerField(_("うち額（千円）"), null=True, blank=True)
    includes_label = models.CharField(_("うち額の内訳"), max_length=100, blank=True)
    bracketed_thousand_yen = models.BigIntegerField(_("［ ］内の額（千円）"), null=True, blank=True)
    bracketed_is_part_of_larger = models.BooleanField(_("［ ］内の額は内数"), default=False)
    market_area_mark = models.CharField(
        _("市場領域の記号"), max_length=30, choices=MarketArea.choices, blank=True
    )
    is_headline = models.BooleanField(
        _("代表額"), default=False, help_text=_("一覧やAPIで施策の予算額として示す行")
    )
    order = models.PositiveSmallIntegerField(_("表中の順"), default=0)
    notes = models.TextField(_("注記"), blank=True)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("予算額")
        verbose_name_plural = _("予算額")
        ordering = ["program", "-fiscal_year", "source", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year", "kind", "source"], name="budget_line_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_thousand_yen__gte=0)
                | models.Q(amount_thousand_yen__isnull=True),
                name="budget_line_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.program} FY{self.fiscal_year} {self.get_source_display()}"


class ProgramContact(models.Model):
    """A contact the source lists for a program, pointing at the ministry's contact window."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("支援施策")
    )
    contact_window = models.ForeignKey(
        "regions.ContactWindow",
        on_delete=models.PROTECT,
        related_name="program_contacts",
        verbose_name=_("窓口"),
    )
    label = models.CharField(_("見出し"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("連絡先")
        verbose_name_plural = _("連絡先")
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "contact_window"], name="program_contact_unique"
            )
        ]

    def __str__(self):
        return f"{self.program}: {self.contact_window}"


class CallPeriod(models.Model):
    """A call for proposals (公募) of a program: when it opens and closes."""

    class Status(models.TextChoices):
        FORECAST = "forecast", _("公募予定")
        OPEN = "open", _("公募中")
        CLOSED = "closed", _("公募終了")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="call_periods", verbose_name=_("支援施策")
    )
    title = models.CharField(_("公募名"), max_length=300, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    opens_at = models.DateTimeField(_("受付開始"), null=True, blank=True)
    closes_at = models.DateTimeField(_("受付締切"), null=True, blank=True)
    status = models.CharField(
        _("状態（記録値）"),
        max_length=20,
        choices=Status.choices,
        default=Status.FORECAST,
        help_text=_("日付があれば表示・検索では日付から判定します"),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("公募期間")
        verbose_name_plural = _("公募期間")
        ordering = ["program", "-closes_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lte=models.F("closes_at")),
                name="call_period_opens_before_it_closes",
            )
        ]

    def __str__(self):
        return f"{self.program}: {self.title or self.get_status_display()}"

    def status_at(self, now):
        """The status on ``now``: from the dates when known, else the recorded one."""
        if self.closes_at and now > self.closes_at:
            return self.Status.CLOSED
        if self.opens_at and now >= self.opens_at and (not self.closes_at or now <= self.closes_at):
            return self.Status.OPEN
        if self.opens_at and now < self.opens_at:
            return self.Status.FORECAST
        return self.Status(self.status)


class ProgramRelation(models.Model):
    """A pathway between programs (次の一手): where a project can go next, and why."""

    class Kind(models.TextChoices):
        NEXT_STAGE = "next_stage", _("次の段階")
        COMPLEMENTARY = "complementary", _("併用・補完")
        PREREQUISITE = "prerequisite", _("前提")

    from_program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="relations_out",
        verbose_name=_("この施策から"),
    )
    to_program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("この施策へ")
    )
    kind = models.CharField(_("関係"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("理由"))
    order = models.PositiveSmallIntegerField(_("順"), default=0)

    class Meta:
        verbose_name = _("施策のつながり（次の一手）")
        verbose_name_plural = _("施策のつながり（次の一手）")
        ordering = ["from_program", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_program", "to_program", "kind"], name="program_relation_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_program=models.F("to_program")),
                name="program_relation_not_to_itself",
            ),
        ]

    def __str__(self):
        return f"{self.from_program} → {self.to_program} ({self.get_kind_display()})"


class SavedSearch(models.Model):
    """A signed-in user's saved navigator search, mailed when matching programs change."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("ユーザー"),
    )
    name = models.CharField(_("名前"), max_length=100)
    query = models.JSONField(_("検索条件"))
    created_at = models.DateTimeField(_("保存日時"), auto_now_add=True)
    last_notified_at = models.DateTimeField(_("最終通知日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("保存した検索")
        verbose_name_plural = _("保存した検索")
        ordering = ["user", "-created_at"]

    def __str__(self):
        return self.name


class SavedProgram(models.Model):
    """A program a user follows: they are reminded two weeks before its call closes."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="saved_programs",
        verbose_name=_("ユーザー"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="followers", verbose_name=_("支援施策")
    )
    created_at = models.DateTimeField(_("保存日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("フォロー中の施策")
        verbose_name_plural = _("フォロー中の施策")
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="saved_program_unique")
        ]

    def __str__(self):
        return f"{self.user}: {self.program}"


class SentReminder(models.Model):
    """That a user was reminded of a call's deadline, so the reminder goes out once."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    call_period = models.ForeignKey(CallPeriod, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("送信済みの締切通知")
        verbose_name_plural = _("送信済みの締切通知")
        constraints = [
            models.UniqueConstraint(fields=["user", "call_period"], name="sent_reminder_unique")
        ]

    def __str__(self):
        return f"{self.user}: {self.call_period}"


class SearchDocument(models.Model):
    """The analysed terms of a program, per field, that the full-text index is built from.

    The engine-specific index (an FTS5 table on SQLite, a tsvector column with a GIN index on
    PostgreSQL) is kept beside it by renkei.programs.search.backends.
    """

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    name = models.TextField(blank=True)
    aliases = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    department = models.TextField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("検索用文書")
        verbose_name_plural = _("検索用文書")

    def __str__(self):
        return str(self.program_id)


class ProgramVector(models.Model):
    """A program's text as the embedding model reads it (one unit vector), for the
    navigator's 「意味の近い支援施策」 when no program contains the words searched for.

    Written by a background job (renkei.programs.search.jobs.embed_programs) after every
    catalogue write, never in a request; ``text_hash`` says which text the vector is of, so
    only programs whose text changed are embedded again.
    """

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    model = models.CharField(_("モデル"), max_length=100)
    text_hash = models.CharField(_("文章のハッシュ"), max_length=64)
    vector = models.BinaryField(_("ベクトル"))

    class Meta:
        verbose_name = _("施策の意味ベクトル")
        verbose_name_plural = _("施策の意味ベクトル")

    def __str__(self):
        return str(self.program_id)


class CatalogueVersion(models.Model):
    """One row whose number changes with every catalogue write, so each server process
    knows when its in-memory facet index is stale."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("カタログの版")
        verbose_name_plural = _("カタログの版")

    def __str__(self):
        return str(self.version)

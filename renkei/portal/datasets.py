"""The registry of public data sets: one entry per data set, everything else derived.

Each ``DataSet`` names its columns with their dictionary (type, meaning, unit), the function
that gives its rows (dicts by column name, public values only), the date of its data, its
licence and source, and the pages and API that show it. The data page, each data set's page
with its dictionary, the downloads in CSV (UTF-8 with BOM, formula-safe, with the licence
line), XLSX (data, dictionary and licence sheets) and JSON (dictionary, licence and rows),
and the DCAT catalogue at /data/catalog.json all read this list, so adding a data set is one
entry here (CONTRIBUTING.md, "add a public data set").

The registry lives in the portal shell, which may import every app; the apps below never
import it (renkei/portal/tests/test_floors.py).
"""

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from renkei.communities.models import (
    Application,
    CertificationRound,
    Community,
    CommunityMember,
)
from renkei.councils.models import CaseStudy, Council, Survey
from renkei.councils.results import AGGREGATE_HEADER, aggregate_rows
from renkei.lib import spreadsheets
from renkei.matching import funnel
from renkei.matching.models import AGREEMENTS, Reason, Step
from renkei.maturity import exchange as maturity_exchange
from renkei.maturity.comparable import MIN_MEDIAN_COUNT
from renkei.maturity.models import NationalSnapshot, Report
from renkei.programs.budget import program_lines
from renkei.programs.models import BudgetLine, Program
from renkei.regions.models import ContactWindow

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "json": ("application/json", "JSON"),
}

TYPE_LABELS = {
    "string": _("文字列"),
    "integer": _("整数"),
    "number": _("数値"),
    "boolean": _("真偽値（true / false）"),
    "date": _("日付（YYYY-MM-DD）"),
    "datetime": _("日時（ISO 8601）"),
}


@dataclass(frozen=True)
class Licence:
    name: str  # may be a lazy translation
    url: str


CC_BY = Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.ja")
PDL = Licence(
    _("公共データ利用規約（第1.0版）"),
    "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
)
SOURCE_DOCUMENT = _("内閣府「地域バイオコミュニティの認定・登録と関連予算」（令和4年度）")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of TYPE_LABELS
    meaning: str
    unit: str = ""

    @property
    def type_label(self):
        return TYPE_LABELS[self.type]


@dataclass(frozen=True)
class DataSet:
    slug: str
    title: str
    description: str
    columns: tuple
    rows: Callable[[], Iterable[dict]]
    as_of: Callable[[], datetime.date | datetime.datetime | None]
    source: str
    source_terms: Licence | None = PDL  # the terms of the source (None: renkei's own data)
    licence: Licence = CC_BY
    page: str = ""  # URL name of the page that lists it
    api: str = ""  # the API path that serves it
    keywords: tuple = field(default_factory=tuple)

    @property
    def column_names(self):
        return [c.name for c in self.columns]

    @property
    def licence_line(self):
        return settings.RENKEI_DATA_LICENCE


# --- values -------------------------------------------------------------------------------


def _plain(value):
    """A value as the downloads write it: numbers as numbers, lists joined with 「、」."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return value


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return "" if value is None else value


def rows_of(dataset):
    return [{c: _plain(row.get(c)) for c in dataset.column_names} for row in dataset.rows()]


def write_csv(dataset, stream):
    rows = [[_cell(row[c]) for c in dataset.column_names] for row in rows_of(dataset)]
    spreadsheets.write_open_data_csv(stream, dataset.column_names, rows)


def write_xlsx(dataset, stream):
    """Three sheets: the data, the dictionary, and the licence with the source."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("data")
    data.append(dataset.column_names)
    for row in rows_of(dataset):
        data.append([spreadsheets.neutralise(_cell(row[c])) for c in dataset.column_names])
    dictionary = workbook.create_sheet("dictionary")
    dictionary.append(["column", "type", "meaning", "unit"])
    for column in dataset.columns:
        dictionary.append([column.name, column.type, str(column.meaning), str(column.unit)])
    about = workbook.create_sheet("licence")
    for label, value in _about(dataset):
        about.append([label, spreadsheets.neutralise(value)])
    workbook.save(stream)


def _about(dataset):
    as_of = dataset.as_of()
    return [
        ("dataset", dataset.slug),
        ("title", str(dataset.title)),
        ("licence", dataset.licence_line),
        ("licence_url", dataset.licence.url),
        ("source", str(dataset.source)),
        ("source_terms", dataset.source_terms.name if dataset.source_terms else ""),
        ("as_of", as_of.isoformat() if as_of else ""),
    ]


def write_json(dataset, stream):
    about = dict(_about(dataset))
    payload = {
        **about,
        "licence": {"name": about["licence"], "url": dataset.licence.url},
        "source": {
            "name": about["source"],
            "terms": dataset.source_terms.name if dataset.source_terms else None,
            "terms_url": dataset.source_terms.url if dataset.source_terms else None,
        },
        "as_of": about["as_of"] or None,
        "columns": [
            {"name": c.name, "type": c.type, "meaning": str(c.meaning), "unit": str(c.unit)}
            for c in dataset.columns
        ],
        "rows": rows_of(dataset),
    }
    json.dump(payload, stream, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}


# --- rows of each data set ----------------------------------------------------------------


def _latest(queryset, field_name):
    return queryset.aggregate(latest=Max(field_name))["latest"]


def program_rows():
    headline = {}
    for line in program_lines():
        if line.is_headline and line.fiscal_year >= headline.get(line.program_id, (0,))[0]:
            headline[line.program_id] = (line.fiscal_year, line)
    for program in Program.objects.select_related("ministry").order_by("menu_order", "code"):
        _year, line = headline.get(program.pk, (None, None))
        yield {
            **{
                name: getattr(program, name)
                for name in (
                    "code",
                    "name",
                    "department",
                    "aim",
                    "market_area",
                    "stage",
                    "for_university",
                    "for_company",
                    "for_local_government",
                    "accepts_new_projects",
                    "in_support_menu",
                    "url",
                    "subsidy_max_thousand_yen",
                    "subsidy_rate",
                    "external_id",
                    "source_reference",
                    "credit",
                    "updated_at",
                )
            },
            "ministry": program.ministry.name if program.ministry else "",
            "headline_fiscal_year": line.fiscal_year if line else None,
            "headline_amount_thousand_yen": line.amount_thousand_yen if line else None,
            "headline_is_part_of_larger": line.is_part_of_larger if line else None,
        }


def budget_line_rows():
    lines = BudgetLine.objects.select_related("program").order_by(
        "-fiscal_year", "source", "order", "program__menu_order", "program__code"
    )
    for line in lines:
        yield {
            "program_code": line.program.code,
            "program_name": line.program.name,
            **{
                name: getattr(line, name)
                for name in (
                    "fiscal_year",
                    "kind",
                    "source",
                    "title",
                    "amount_thousand_yen",
                    "is_part_of_larger",
                    "includes_thousand_yen",
                    "includes_label",
                    "bracketed_thousand_yen",
                    "bracketed_is_part_of_larger",
                    "market_area_mark",
                    "is_headline",
                    "notes",
                )
            },
        }


def community_rows():
    communities = Community.objects.prefetch_related(
        "prefectures", "market_areas", "members"
    ).select_related("network_organization")
    for c in communities.order_by("slug"):
        yield {
            "slug": c.slug,
            "name": c.name,
            "abbreviation": c.abbreviation,
            "kind": c.kind,
            "status": c.status,
            "certified_on": c.certified_on,
            "registered_on": c.registered_on,
            "prefectures": [p.code for p in c.prefectures.all()],
            "prefecture_names": [p.name for p in c.prefectures.all()],
            "network_organization": c.network_organization.name if c.network_organization else "",
            "themes": c.theme_list,
            "market_areas": [a.code for a in c.market_areas.all()],
            "website": c.website,
            "named_members": len(c.members.all()),
            "sources": " ".join(c.sources or []),
        }


def member_rows():
    members = CommunityMember.objects.select_related("community", "organization").order_by(
        "community__slug", "order", "id"
    )
    for m in members:
        yield {
            "community": m.community.slug,
            "community_name": m.community.name,
            "organization": m.organization.name,
            "organization_kind": m.organization.kind,
            "sector": m.organization.sector.value,
            "role": m.role,
            "as_written": m.as_written,
            "joined_on": m.joined_on,
            "left_on": m.left_on,
            "source": m.source,
        }


def result_rows():
    applications = (
        Application.objects.filter(
            state=Application.State.PUBLISHED,
            round__status=CertificationRound.Status.PUBLISHED,
        )
        .select_related("round", "community")
        .order_by("round__fiscal_year", "round_id", "community__slug")
    )
    for a in applications:
        yield {
            "round_id": a.round_id,
            "round_title": a.round.title,
            "round_kind": a.round.kind,
            "fiscal_year": a.round.fiscal_year,
            "published_on": a.round.published_on,
            "community": a.community.slug,
            "community_name": a.community.name,
            "decision": a.decision,
            "decision_label": str(a.get_decision_display()),
            "reasons": a.decision_reasons,
        }


def maturity_value_rows():
    for row in maturity_exchange.accepted_values():
        yield dict(zip(maturity_exchange.COLUMNS, row, strict=True))


def maturity_national_rows():
    for row in maturity_exchange.national_rows():
        yield dict(zip(maturity_exchange.NATIONAL_COLUMNS, row, strict=True))


def window_rows():
    windows = (
        ContactWindow.objects.listed()
        .select_related("organization__prefecture")
        .with_topics()
        .order_by("organization__kind", "organization__name", "department", "id")
    )
    for w in windows:
        organization = w.organization
        yield {
            "organization": organization.name,
            "organization_code": organization.code
            or organization.school_code
            or organization.lg_code
            or "",
            "prefecture": organization.prefecture_id or "",
            "department": w.department,
            "topics": [t.value for t in w.topics],
            "description": w.description,
            "phone": w.phone,
            "extension": w.extension,
            "email": w.email,
            "form_url": w.form_url,
            "url": w.url,
            "hours": w.hours,
            "languages": list(w.languages or []),
            "scope": w.scope,
            "is_primary": w.is_primary,
            "verified": w.is_verified,
            "confirmed_at": w.confirmed_at,
        }


def council_rows():
    today = timezone.localdate()
    councils = Council.objects.public().with_indicator_data().order_by("prefecture", "name", "id")
    for council in councils:
        indicators = council.indicators(today)
        yield {
            "id": council.pk,
            "name": council.name,
            "prefecture": council.prefecture_id or "",
            "municipality": council.municipality_id or "",
            "community": council.community.slug if council.community else "",
            "organization": council.organization.name,
            "established_on": council.established_on,
            "website": council.website,
            "members": len([m for m in council.members.all() if m.active_on(today)]),
            "meetings_last_12_months": indicators.meetings,
            "last_meeting_on": indicators.last_meeting_on,
            "action_items_due_last_12_months": indicators.items_due,
            "done_on_time": indicators.done_on_time,
            "on_time_percent": indicators.on_time_percent,
            "overdue": indicators.overdue,
        }


def survey_rows():
    surveys = Survey.objects.published().prefetch_related("questions").order_by("created_at")
    for survey in surveys:
        _header, rows = aggregate_rows(survey)
        for row in rows:
            yield {
                "survey": survey.slug,
                "survey_title": survey.title,
                **{column: row.get(column) for column in AGGREGATE_HEADER},
            }


def case_rows():
    cases = (
        CaseStudy.objects.select_related("prefecture")
        .prefetch_related("participants", "programs", "communities")
        .order_by("order", "id")
    )
    for c in cases:
        yield {
            "slug": c.slug,
            "title": c.title,
            "prefecture": c.prefecture_id,
            "since": c.since,
            "since_fiscal_year": c.since_fiscal_year,
            "theme": c.theme,
            "stage": c.stage,
            "market_area": c.market_area,
            "sector_mix": c.sector_mix,
            "participants": [p.name for p in c.participants.all()],
            "programs": [p.code for p in c.programs.all()],
            "communities": [m.slug for m in c.communities.all()],
            "outcomes": [o.get("text", "") for o in c.outcomes or []],
            "sources": " ".join(
                s.get("url") or s.get("title", "") if isinstance(s, dict) else str(s)
                for s in c.sources or []
            ),
        }


FUNNEL_COUNTS = [
    "needs",
    "needs_with_proposal",
    "proposals",
    "asked",
    "answered",
    "interested",
    "declined",
    "introductions",
    "meetings",
    "agreements",
    "not_concluded",
]


def funnel_rows():
    """The public funnel by fiscal year (counts only, no need or organisation named); a
    median of days only where at least three values make it, beside how many do."""
    for year, figures in funnel.compute()["by_year"].items():
        outcomes = figures["agreements"] + figures["not_concluded"]
        yield {
            "fiscal_year": year,
            **{name: figures[name] for name in FUNNEL_COUNTS},
            **{f"agreements_{o.value}": figures["agreements_by_type"][o.value] for o in AGREEMENTS},
            **{f"declined_{r.value}": figures["decline_reasons"][r.value] for r in Reason},
            **{
                f"not_concluded_{r.value}": figures["not_concluded_reasons"][r.value]
                for r in Reason
            },
            "outcomes": outcomes,
            "median_days_to_first_proposal": figures["median_days_to_first_proposal"]
            if figures["needs_with_proposal"] >= MIN_MEDIAN_COUNT
            else None,
            "median_days_to_outcome": figures["median_days_to_outcome"]
            if outcomes >= MIN_MEDIAN_COUNT
            else None,
        }


FUNNEL_MEANINGS = {
    "needs": _("受け付けたご相談（メールアドレス確認済み）"),
    "needs_with_proposal": _("シーズが提案されたご相談"),
    "proposals": _("提案（ご相談とシーズの組）"),
    "asked": _("機関に打診した提案"),
    "answered": _("機関が回答した提案"),
    "interested": _("機関が関心ありと回答した提案"),
    "declined": _("機関が辞退した提案"),
    "introductions": _("紹介（相談者の同意のうえ）"),
    "meetings": _("面談が1回以上記録された提案"),
    "agreements": _("合意した提案"),
    "not_concluded": _("不成立の提案"),
}


def _labelled(template, **values):
    """``template % values`` translated when it is read, not when the registry is built
    (the labels below are made once, at import)."""
    return lazy(lambda: str(template) % {k: str(v) for k, v in values.items()}, str)()


def _funnel_columns():
    return (
        C("fiscal_year", "integer", _("ご相談を受け付けた年度（4月〜翌3月）"), FY),
        *(C(name, "integer", FUNNEL_MEANINGS[name], _("件")) for name in FUNNEL_COUNTS),
        *(
            C(
                f"agreements_{o.value}",
                "integer",
                _labelled(_("合意の種類: %(type)s"), type=o.label),
                _("件"),
            )
            for o in AGREEMENTS
        ),
        *(
            C(
                f"declined_{r.value}",
                "integer",
                _labelled(_("辞退の理由: %(r)s"), r=r.label),
                _("件"),
            )
            for r in Reason
        ),
        *(
            C(
                f"not_concluded_{r.value}",
                "integer",
                _labelled(_("不成立の理由: %(r)s"), r=r.label),
                _("件"),
            )
            for r in Reason
        ),
        C("outcomes", "integer", _("結果（合意・不成立）が記録された提案"), _("件")),
        C(
            "median_days_to_first_proposal",
            "number",
            _("受付から最初の提案までの日数の中央値（needs_with_proposal が3未満の年度は空欄）"),
            _("日"),
        ),
        C(
            "median_days_to_outcome",
            "number",
            _("受付から結果までの日数の中央値（outcomes が3未満の年度は空欄）"),
            _("日"),
        ),
    )


def _national_as_of():
    return _latest(NationalSnapshot.objects, "computed_at")


# --- the registry ---------------------------------------------------------------------------

C = Column
FY = _("年度")
THOUSAND_YEN = _("千円")

REGISTRY = [
    DataSet(
        slug="programs",
        title=_("支援施策"),
        description=_(
            "府省の支援施策（支援メニューの11事業、予算表の1事業、取り込んだ施策）。代表額は各施策の最新年度の額です。"
        ),
        columns=(
            C("code", "string", _("施策コード（renkei の固定の識別子）")),
            C("name", "string", _("事業名")),
            C("ministry", "string", _("府省・実施機関")),
            C("department", "string", _("担当部署")),
            C("aim", "string", _("ねらい（university_changes / society_changes / bio_community）")),
            C(
                "market_area",
                "string",
                _(
                    "市場領域（cross_market / bio_manufacturing / "
                    "primary_production / health_medical）"
                ),
            ),
            C(
                "stage",
                "string",
                _(
                    "段階（renkei の分類: human_resources / research / demonstration / "
                    "implementation / facilities / survey）"
                ),
            ),
            C("for_university", "boolean", _("申請主体に①大学等研究機関を含む")),
            C("for_company", "boolean", _("申請主体に②民間事業者等を含む")),
            C("for_local_government", "boolean", _("申請主体に③自治体を含む")),
            C("accepts_new_projects", "boolean", _("新規課題採択の有無（空欄は原資料に記載なし）")),
            C("in_support_menu", "boolean", _("現在の年度の支援メニューに載っている")),
            C("headline_fiscal_year", "integer", _("代表額の年度"), FY),
            C(
                "headline_amount_thousand_yen",
                "integer",
                _("代表額。内数のときは含まれる大きな予算事項の額で、合計しないこと"),
                THOUSAND_YEN,
            ),
            C("headline_is_part_of_larger", "boolean", _("代表額が内数である")),
            C("url", "string", _("府省の公式ページか公募資料のURL（出典にあるときだけ）")),
            C("subsidy_max_thousand_yen", "integer", _("補助上限額"), THOUSAND_YEN),
            C("subsidy_rate", "string", _("補助率")),
            C("external_id", "string", _("外部ID（Jグランツの補助金IDなど）")),
            C("source_reference", "string", _("出典")),
            C(
                "credit",
                "string",
                _("クレジット表記（Jグランツ由来の施策は「Jグランツ（jGrants）からの出典」）"),
            ),
            C("updated_at", "datetime", _("renkei での最終更新日時")),
        ),
        rows=program_rows,
        as_of=lambda: _latest(Program.objects, "updated_at"),
        source=SOURCE_DOCUMENT,
        page="programs:search",
        api="/api/programs",
        keywords=("支援施策", "補助金", "産学官連携"),
    ),
    DataSet(
        slug="budget-lines",
        title=_("予算額（年度別）"),
        description=_(
            "施策ごと・年度ごと・出典の表ごとの予算額。内数の額はより大きな予算事項の額なので、ほかの額と合計しないでください。"
        ),
        columns=(
            C("program_code", "string", _("施策コード")),
            C("program_name", "string", _("事業名")),
            C("fiscal_year", "integer", _("年度（4月〜翌3月）"), FY),
            C(
                "kind",
                "string",
                _("区分（draft 当初予算案 / initial 当初予算 / supplementary 補正予算）"),
            ),
            C(
                "source",
                "string",
                _(
                    "出典の表（r4_menu_contacts 支援メニューの連絡先 / r4_budget_table 予算表 / "
                    "menu 年度更新 / other）"
                ),
            ),
            C("title", "string", _("予算事項名")),
            C("amount_thousand_yen", "integer", _("金額"), THOUSAND_YEN),
            C("is_part_of_larger", "boolean", _("内数（より大きな予算事項の額）である")),
            C("includes_thousand_yen", "integer", _("うち額"), THOUSAND_YEN),
            C("includes_label", "string", _("うち額の内訳")),
            C("bracketed_thousand_yen", "integer", _("原資料の［ ］内の額"), THOUSAND_YEN),
            C("bracketed_is_part_of_larger", "boolean", _("［ ］内の額が内数である")),
            C(
                "market_area_mark",
                "string",
                _("予算表の市場領域の記号（◎ cross_market、● その他）"),
            ),
            C("is_headline", "boolean", _("その年度の施策の代表額として示す行")),
            C("notes", "string", _("注記")),
        ),
        rows=budget_line_rows,
        as_of=lambda: _latest(Program.objects.filter(budget_lines__isnull=False), "updated_at"),
        source=SOURCE_DOCUMENT,
        page="programs:budget_overview",
        api="/api/budget/summary",
        keywords=("予算", "内数"),
    ),
    DataSet(
        slug="communities",
        title=_("バイオコミュニティ"),
        description=_("地域・グローバルバイオコミュニティの認定・育成登録の状態と概要。"),
        columns=(
            C("slug", "string", _("識別子")),
            C("name", "string", _("名称")),
            C("abbreviation", "string", _("略称")),
            C("kind", "string", _("種別（regional 地域 / global グローバル）")),
            C("status", "string", _("状態（certified 認定 / registered 育成登録 / ほか）")),
            C("certified_on", "date", _("認定日")),
            C("registered_on", "date", _("育成登録日")),
            C("prefectures", "string", _("都道府県コード（JIS X 0401、「、」区切り）")),
            C("prefecture_names", "string", _("都道府県名（「、」区切り）")),
            C("network_organization", "string", _("ネットワーク機関")),
            C("themes", "string", _("テーマ（「、」区切り）")),
            C("market_areas", "string", _("バイオ戦略の市場領域のコード（「、」区切り）")),
            C("website", "string", _("ウェブサイト")),
            C(
                "named_members",
                "integer",
                _("名前がわかる構成機関の数（全構成機関ではない）"),
                _("機関"),
            ),
            C("sources", "string", _("出典のURL（空白区切り）")),
        ),
        rows=community_rows,
        as_of=lambda: _latest(CertificationRound.objects, "published_on"),
        source=_("内閣府の原資料と、各コミュニティの公開ウェブページ（出典URLを各行に記載）"),
        page="communities:list",
        api="/api/communities",
        keywords=("バイオコミュニティ",),
    ),
    DataSet(
        slug="community-members",
        title=_("バイオコミュニティの構成機関"),
        description=_("原資料と公開情報に名前のある構成機関（全構成機関ではありません）。"),
        columns=(
            C("community", "string", _("コミュニティの識別子")),
            C("community_name", "string", _("コミュニティの名称")),
            C("organization", "string", _("機関の名称")),
            C(
                "organization_kind",
                "string",
                _("機関の種別（university / company / prefecture など）"),
            ),
            C(
                "sector",
                "string",
                _("部門（industry 産 / academia 学 / government 官 / finance 金 / other）"),
            ),
            C(
                "role",
                "string",
                _("役割（core 中核機関 / participant 参画機関 / network ネットワーク機関 など）"),
            ),
            C("as_written", "string", _("原資料の表記")),
            C("joined_on", "date", _("参画日")),
            C("left_on", "date", _("離脱日")),
            C("source", "string", _("出典のURL")),
        ),
        rows=member_rows,
        as_of=lambda: _latest(CertificationRound.objects, "published_on"),
        source=_("内閣府の原資料と、各コミュニティの公開ウェブページ"),
        page="communities:list",
        api="/api/communities/{slug}",
        keywords=("構成機関",),
    ),
    DataSet(
        slug="certification-results",
        title=_("認定ラウンドの結果"),
        description=_("公表された認定ラウンドの結果（認定・育成登録・不認定と理由）。"),
        columns=(
            C("round_id", "integer", _("ラウンドの番号")),
            C("round_title", "string", _("ラウンドの名称")),
            C("round_kind", "string", _("種別（regional / global）")),
            C("fiscal_year", "integer", _("年度"), FY),
            C("published_on", "date", _("公表日")),
            C("community", "string", _("コミュニティの識別子")),
            C("community_name", "string", _("コミュニティの名称")),
            C("decision", "string", _("決定（certified / registered / not_certified）")),
            C("decision_label", "string", _("決定（日本語）")),
            C("reasons", "string", _("理由")),
        ),
        rows=result_rows,
        as_of=lambda: _latest(CertificationRound.objects.published(), "published_on"),
        source=SOURCE_DOCUMENT,
        page="communities:rounds",
        api="/api/rounds/{id}/results",
        keywords=("認定",),
    ),
    DataSet(
        slug="maturity-values",
        title=_("成熟度把握指標の値"),
        description=_("コミュニティが報告し、事務局が受理した指標の値（年度ごと）。"),
        columns=(
            C("community", "string", _("コミュニティの識別子")),
            C("community_name", "string", _("コミュニティの名称")),
            C("indicator", "string", _("指標のコード（/maturity/indicators/ に定義）")),
            C("indicator_name", "string", _("指標の名称")),
            C(
                "unit",
                "string",
                _("単位のコード（organizations 機関 / projects 件 / thousand_yen 千円 など）"),
            ),
            C("fiscal_year", "integer", _("年度"), FY),
            C("value", "number", _("値"), _("unit 列の単位")),
            C("source", "string", _("出典")),
        ),
        rows=maturity_value_rows,
        as_of=lambda: _latest(Report.objects.accepted(), "accepted_at"),
        source=_("各コミュニティの年次報告（renkei で受理）と公開情報"),
        source_terms=None,
        page="maturity:national",
        api="/api/maturity/values",
        keywords=("成熟度", "指標"),
    ),
    DataSet(
        slug="maturity-national",
        title=_("成熟度把握指標の全国の推移"),
        description=_(
            "指標ごと・年度ごとに、同じコミュニティの合計と、その年度に報告したコミュニティの数。"
            "年度をまたいで比べられるのは same_set_total だけです。"
        ),
        columns=(
            C("indicator", "string", _("指標のコード")),
            C("fiscal_year", "integer", _("年度"), FY),
            C(
                "same_set_total",
                "number",
                _(
                    "推移のすべての年度に報告した同じコミュニティの合計（その組に入らない年度は空欄）"
                ),
            ),
            C(
                "same_set_communities",
                "integer",
                _("same_set_total を作るコミュニティの数（どの年度も同じ）"),
                _("コミュニティ"),
            ),
            C(
                "communities_reporting",
                "integer",
                _("その年度に値を報告したコミュニティの数"),
                _("コミュニティ"),
            ),
        ),
        rows=maturity_national_rows,
        as_of=_national_as_of,
        source=_("各コミュニティの年次報告（renkei で受理）"),
        source_terms=None,
        page="maturity:national",
        api="/api/maturity/national",
        keywords=("成熟度", "推移"),
    ),
    DataSet(
        slug="windows",
        title=_("相談窓口"),
        description=_("大学・自治体・研究機関・支援機関・府省の相談窓口と、扱う分野・連絡先。"),
        columns=(
            C("organization", "string", _("機関の名称")),
            C(
                "organization_code",
                "string",
                _("機関のコード（学校コード・地方公共団体コードなど）"),
            ),
            C("prefecture", "string", _("都道府県コード（JIS X 0401）")),
            C("department", "string", _("窓口名（部署）")),
            C("topics", "string", _("扱う分野のコード（「、」区切り）")),
            C("description", "string", _("扱う内容の説明")),
            C("phone", "string", _("電話番号")),
            C("extension", "string", _("内線")),
            C("email", "string", _("メールアドレス")),
            C("form_url", "string", _("問い合わせフォームのURL")),
            C("url", "string", _("ウェブサイト")),
            C("hours", "string", _("受付時間")),
            C("languages", "string", _("対応言語のコード（「、」区切り）")),
            C("scope", "string", _("受け付ける範囲（regional 地域 / nationwide 全国）")),
            C("is_primary", "boolean", _("代表窓口である")),
            C("verified", "boolean", _("事務局が確認した")),
            C("confirmed_at", "datetime", _("窓口の担当者が最後に内容を確認した日時")),
        ),
        rows=window_rows,
        as_of=lambda: _latest(ContactWindow.objects.listed(), "updated_at"),
        source=_("原資料の連絡先と、各機関が renkei に登録した窓口"),
        source_terms=None,
        page="regions:windows",
        api="/api/windows",
        keywords=("窓口", "産学連携"),
    ),
    DataSet(
        slug="councils",
        title=_("協議会と活動の指標"),
        description=_("公開している協議会と、会議・実行項目から計算した活動の指標（今日の時点）。"),
        columns=(
            C("id", "integer", _("協議会の番号")),
            C("name", "string", _("名称")),
            C("prefecture", "string", _("都道府県コード")),
            C("municipality", "string", _("市区町村の地方公共団体コード")),
            C("community", "string", _("バイオコミュニティの識別子")),
            C("organization", "string", _("事務局を担う機関")),
            C("established_on", "date", _("設置日")),
            C("website", "string", _("ウェブサイト")),
            C("members", "integer", _("今日の構成員の数"), _("機関")),
            C("meetings_last_12_months", "integer", _("この12か月の会議の数"), _("回")),
            C("last_meeting_on", "date", _("最後の会議の日")),
            C(
                "action_items_due_last_12_months",
                "integer",
                _("この12か月に期限が来た実行項目"),
                _("件"),
            ),
            C("done_on_time", "integer", _("そのうち期限までに完了した実行項目"), _("件")),
            C(
                "on_time_percent",
                "integer",
                _("期限までに完了した割合（期限の来た項目がなければ空欄）"),
                "%",
            ),
            C("overdue", "integer", _("期限を過ぎて完了していない実行項目"), _("件")),
        ),
        rows=council_rows,
        as_of=lambda: _latest(Council.objects.public(), "updated_at"),
        source=_("各協議会が renkei に記録した会議と実行項目"),
        source_terms=None,
        page="councils:councils",
        api="/api/councils",
        keywords=("協議会",),
    ),
    DataSet(
        slug="survey-aggregates",
        title=_("調査の集計"),
        description=_(
            "結果を公表した調査の集計（選択肢ごとの数と割合、数値の統計）。公表資料から載せた調査は、公表された集計だけです。"
        ),
        columns=(
            C("survey", "string", _("調査の識別子")),
            C("survey_title", "string", _("調査名")),
            C("question", "string", _("設問")),
            C("kind", "string", _("設問の種類（single / multiple / number / text）")),
            C("option", "string", _("選択肢")),
            C("count", "integer", _("その選択肢を選んだ団体の数"), _("団体")),
            C("percent", "number", _("割合"), "%"),
            C(
                "statistic",
                "string",
                _("数値の設問の統計の名前（n / total / mean / median / min / max）"),
            ),
            C("value", "string", _("統計の値、または出典が挙げた項目")),
            C("note", "string", _("注記（差し引きで示した数など）")),
        ),
        rows=survey_rows,
        as_of=lambda: _latest(Survey.objects.published(), "results_published_at"),
        source=_("総務省の調査（原資料に収録）と、renkei で実施して公表した調査"),
        page="councils:surveys",
        api="/api/surveys/{slug}/results",
        keywords=("調査",),
    ),
    DataSet(
        slug="cases",
        title=_("取組事例"),
        description=_("産学官連携の取組事例（地域、参画主体、活用した施策、成果、出典）。"),
        columns=(
            C("slug", "string", _("識別子")),
            C("title", "string", _("事例")),
            C("prefecture", "string", _("都道府県コード")),
            C("since", "string", _("実施時期（出典の表記）")),
            C("since_fiscal_year", "integer", _("開始年度"), FY),
            C("theme", "string", _("テーマ")),
            C("stage", "string", _("到達した段階")),
            C("market_area", "string", _("市場領域")),
            C("sector_mix", "string", _("参画主体の部門の組合せ")),
            C("participants", "string", _("参画主体（出典の表記、「、」区切り）")),
            C("programs", "string", _("活用した支援施策のコード（「、」区切り）")),
            C("communities", "string", _("関わるバイオコミュニティの識別子（「、」区切り）")),
            C("outcomes", "string", _("成果（「、」区切り）")),
            C("sources", "string", _("出典")),
        ),
        rows=case_rows,
        as_of=lambda: _latest(Survey.objects.filter(case_studies__isnull=False), "conducted_on"),
        source=SOURCE_DOCUMENT,
        page="councils:cases",
        api="/api/cases",
        keywords=("事例",),
    ),
    DataSet(
        slug="matching-funnel",
        title=_("ニーズ・シーズマッチングの件数"),
        description=_(
            "ご相談（ニーズ）の受付から提案・打診・紹介・面談・合意までの件数を年度ごとに。"
            "件数だけで、ご相談や機関の名前は含みません。辞退と不成立の理由はコードごとの件数です。"
        ),
        columns=_funnel_columns(),
        rows=funnel_rows,
        as_of=lambda: _latest(Step.objects, "at"),
        source=_("renkei のマッチングの記録（ご相談ごとの経過）"),
        source_terms=None,
        page="matching:funnel",
        api="/api/matching/funnel",
        keywords=("マッチング", "産学連携"),
    ),
]

BY_SLUG = {dataset.slug: dataset for dataset in REGISTRY}

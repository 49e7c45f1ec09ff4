"""Load the ministries and support programs of the source document (data/source/*.yaml)."""

from typing import Literal

from django.utils.translation import gettext as _
from pydantic import Field, ValidationError

from renkei.lib.imports import Errors, pydantic_errors, read_yaml
from renkei.lib.schemas import Email, Phone, Record, Slug, Text
from renkei.programs.actions import upsert_programs
from renkei.programs.models import Aim, ApplicantType, MarketArea, Stage
from renkei.programs.pathways import load_pathways
from renkei.programs.records import AliasData, BudgetData, ContactData, ProgramData
from renkei.regions.models import Organization

ApplicantValue = Literal["university", "company", "local_government"]
AimValue = Literal["university_changes", "society_changes", "bio_community"]
MarketAreaValue = Literal[
    "cross_market", "bio_manufacturing", "primary_production", "health_medical"
]
StageValue = Literal[
    "human_resources", "research", "demonstration", "implementation", "facilities", "survey"
]
assert set(ApplicantValue.__args__) == set(ApplicantType.values)
assert set(AimValue.__args__) == set(Aim.values)
assert set(MarketAreaValue.__args__) == set(MarketArea.values)
assert set(StageValue.__args__) == set(Stage.values)


class MinistryRecord(Record):
    name: Text
    code: Slug
    short_name: Text
    name_en: str = ""
    website: str = ""


class AliasRecord(Record):
    name: Text
    note: str = ""


class ContactRecord(Record):
    label: str = ""
    department: Text
    phone: Phone = ""
    extension: str = Field("", pattern=r"^\d*$")
    email: Email = ""


class BudgetRecord(Record):
    fiscal_year: int = Field(ge=1989, le=2100)
    kind: Literal["draft", "initial", "supplementary"]
    source: Literal["r4_menu_contacts", "r4_budget_table", "other"]
    amount: int = Field(ge=0)
    part_of_larger: bool = False
    headline: bool = False
    title: str = ""
    order: int = Field(0, ge=0)
    includes: int | None = Field(None, ge=0)
    includes_label: str = ""
    bracketed: int | None = Field(None, ge=0)
    bracketed_part_of_larger: bool = False
    market_area_mark: MarketAreaValue | None = None
    notes: str = ""


class ProgramRecord(Record):
    code: Slug
    name: Text
    aliases: list[AliasRecord] = []
    ministry: Text
    in_support_menu: bool
    menu_order: int = Field(ge=0)
    aim: AimValue | None = None
    stage: StageValue | None = None
    market_area: MarketAreaValue | None = None
    description: str = ""
    menu_budget_label: str = ""
    builds_on: bool = False
    applicants: list[ApplicantValue] = []
    accepts_new_projects: bool | None = None
    department: str = ""
    contacts: list[ContactRecord] = []
    budget_lines: list[BudgetRecord] = Field(min_length=1)
    keywords: list[str] = []


def _parse_list(data, key, model, errors, source_line=None):
    records = []
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        errors.add(source_line, key, _("「%(key)s」のリストがありません。") % {"key": key})
        return records
    for index, item in enumerate(items):
        line = item.get("__line__") if isinstance(item, dict) else None
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            errors.extend(
                pydantic_errors(exc, errors.source, line, prefix=f"{key}[{index}]", data=item)
            )
    return records


def parse_ministries(path):
    errors = Errors(path.name)
    data = read_yaml(path)
    records = _parse_list(data, "ministries", MinistryRecord, errors)
    seen = set()
    for record in records:
        if record.name in seen:
            errors.add(record.line, "name", _("「%(n)s」が重複しています。") % {"n": record.name})
        seen.add(record.name)
    errors.raise_if_any()
    return records


def parse_programs(path, ministry_names):
    errors = Errors(path.name)
    data = read_yaml(path)
    records = _parse_list(data, "programs", ProgramRecord, errors)
    codes, names = {}, {}
    for record in records:
        if record.code in codes:
            errors.add(
                record.line,
                "code",
                _("施策コード「%(c)s」が %(l)s 行目と重複しています。")
                % {"c": record.code, "l": codes[record.code]},
            )
        codes[record.code] = record.line
        for name, line in [(record.name, record.line)] + [(a.name, a.line) for a in record.aliases]:
            if name in names:
                errors.add(
                    line,
                    "name",
                    _("名称「%(n)s」が %(l)s 行目と重複しています。")
                    % {"n": name, "l": names[name]},
                )
            names[name] = line
        if record.ministry not in ministry_names:
            errors.add(
                record.line,
                "ministry",
                _("府省「%(m)s」は ministries.yaml にありません。") % {"m": record.ministry},
            )
        keys, headline_years = set(), set()
        for line in record.budget_lines:
            key = (line.fiscal_year, line.kind, line.source)
            if key in keys:
                errors.add(
                    line.line, "budget_lines", _("同じ年度・区分・出典の予算額が重複しています。")
                )
            keys.add(key)
            if line.headline:
                if line.fiscal_year in headline_years:
                    errors.add(
                        line.line, "headline", _("代表額は年度ごとに1行だけにしてください。")
                    )
                headline_years.add(line.fiscal_year)
    errors.raise_if_any()
    meta = {k: v for k, v in data.items() if k not in {"programs", "__line__"}}
    return records, meta


def to_program_data(record, builds_on_note, document):
    """The exchange record of one YAML program (YAML keeps the source's shorter shape)."""
    return ProgramData(
        line=record.line,
        code=record.code,
        name=record.name,
        aliases=[AliasData(name=a.name, note=a.note) for a in record.aliases],
        ministry=record.ministry,
        department=record.department,
        description=record.description,
        aim=record.aim or "",
        stage=record.stage or "",
        market_area=record.market_area or "",
        applicant_types=record.applicants,
        accepts_new_projects=record.accepts_new_projects,
        keywords=record.keywords,
        in_support_menu=record.in_support_menu,
        menu_order=record.menu_order,
        menu_budget_label=record.menu_budget_label,
        builds_on=builds_on_note if record.builds_on else "",
        source_reference=document,
        budget_lines=[
            BudgetData(
                fiscal_year=b.fiscal_year,
                kind=b.kind,
                source=b.source,
                title=b.title,
                amount_thousand_yen=b.amount,
                is_part_of_larger=b.part_of_larger,
                includes_thousand_yen=b.includes,
                includes_label=b.includes_label,
                bracketed_thousand_yen=b.bracketed,
                bracketed_is_part_of_larger=b.bracketed_part_of_larger,
                market_area_mark=b.market_area_mark or "",
                is_headline=b.headline,
                order=b.order,
                notes=b.notes,
            )
            for b in record.budget_lines
        ],
        contacts=[ContactData(**c.model_dump(exclude={"line"})) for c in record.contacts],
    )


def load_programs(source_dir):
    """Create the ministries and the programs of the data set; returns counts."""
    ministry_records = parse_ministries(source_dir / "ministries.yaml")
    records, meta = parse_programs(source_dir / "programs.yaml", {m.name for m in ministry_records})
    document = meta.get("document", "")
    for record in ministry_records:
        Organization.objects.create(
            name=record.name,
            code=record.code,
            short_name=record.short_name,
            name_en=record.name_en,
            kind=Organization.Kind.MINISTRY,
            website=record.website,
            source=document,
        )
    builds_on_note = (meta.get("menu") or {}).get("builds_on_note", "")
    data = [to_program_data(r, builds_on_note, document) for r in records]
    upsert_programs(data, source="programs.yaml")
    relations = load_pathways(source_dir / "pathways.yaml")
    return {
        "programs": len(data),
        "budget_lines": sum(len(d.budget_lines) for d in data),
        "contacts": sum(len(d.contacts) for d in data),
        "pathways": relations,
    }

"""The exchange shape of a program: what export writes, import reads and the data set loads.

One pydantic model validates every way a program enters renkei, so a CSV row, an XLSX row,
a JSON object and a YAML record are checked by the same rules and reported the same way.
"""

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from pydantic import Field, model_validator

from renkei.lib.schemas import Email, Phone, Record, Slug, Text
from renkei.programs.search import (
    AimValue,
    ApplicantValue,
    MarketAreaValue,
    StageValue,
)


class AliasData(Record):
    name: Text
    note: str = ""


class ContactData(Record):
    label: str = ""
    department: Text
    phone: Phone = ""
    extension: str = Field("", pattern=r"^\d*$")
    email: Email = ""


class BudgetData(Record):
    fiscal_year: int = Field(ge=1989, le=2100)
    kind: Literal["draft", "initial", "supplementary"]
    source: Literal["r4_menu_contacts", "r4_budget_table", "other"] = "other"
    title: str = ""
    amount_thousand_yen: int | None = Field(None, ge=0)
    is_part_of_larger: bool = False
    includes_thousand_yen: int | None = Field(None, ge=0)
    includes_label: str = ""
    bracketed_thousand_yen: int | None = Field(None, ge=0)
    bracketed_is_part_of_larger: bool = False
    market_area_mark: MarketAreaValue | Literal[""] = ""
    is_headline: bool = False
    order: int = Field(0, ge=0)
    notes: str = ""


class CallData(Record):
    title: str = ""
    fiscal_year: int | None = Field(None, ge=1989, le=2100)
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    status: Literal["forecast", "open", "closed"] = "forecast"
    url: str = ""
    note: str = ""

    @model_validator(mode="after")
    def opens_before_closing(self):
        if self.opens_at and self.closes_at and self.opens_at > self.closes_at:
            raise ValueError(_("受付開始が締切より後になっています。"))
        return self


class PathwayData(Record):
    to: Slug
    kind: Literal["next_stage", "complementary", "prerequisite"]
    reason: Text


class ProgramData(Record):
    code: Slug
    name: Text
    aliases: list[AliasData] = []
    ministry: str = Field("", description="府省・実施機関のコード（mext など）または名称")
    department: str = ""
    description: str = ""
    aim: AimValue | Literal[""] = ""
    stage: StageValue | Literal[""] = ""
    market_area: MarketAreaValue | Literal[""] = ""
    applicant_types: list[ApplicantValue] = []
    accepts_new_projects: bool | None = None
    url: str = ""
    keywords: list[str] = []
    in_support_menu: bool = False
    menu_order: int = Field(0, ge=0)
    menu_budget_label: str = ""
    builds_on: str = ""
    source_reference: str = ""
    subsidy_max_thousand_yen: int | None = Field(None, ge=0)
    subsidy_rate: str = ""
    target_area: str = ""
    external_id: str = ""
    credit: str = ""
    budget_lines: list[BudgetData] = []
    contacts: list[ContactData] = []
    call_periods: list[CallData] = []
    pathways: list[PathwayData] = []

    @model_validator(mode="after")
    def one_headline_per_year(self):
        years = [b.fiscal_year for b in self.budget_lines if b.is_headline]
        if len(years) != len(set(years)):
            raise ValueError(_("代表額は年度ごとに1行だけにしてください。"))
        keys = [(b.fiscal_year, b.kind, b.source) for b in self.budget_lines]
        if len(keys) != len(set(keys)):
            raise ValueError(_("同じ年度・区分・出典の予算額が重複しています。"))
        return self


def program_data(program):
    """The exchange record of a saved program (with its details prefetched)."""
    return ProgramData(
        code=program.code,
        name=program.name,
        aliases=[AliasData(name=a.name, note=a.note) for a in program.aliases.all()],
        ministry=(program.ministry.code or program.ministry.name) if program.ministry else "",
        department=program.department,
        description=program.description,
        aim=program.aim,
        stage=program.stage,
        market_area=program.market_area,
        applicant_types=program.applicant_types,
        accepts_new_projects=program.accepts_new_projects,
        url=program.url,
        keywords=program.keyword_list,
        in_support_menu=program.in_support_menu,
        menu_order=program.menu_order,
        menu_budget_label=program.menu_budget_label,
        builds_on=program.builds_on,
        source_reference=program.source_reference,
        subsidy_max_thousand_yen=program.subsidy_max_thousand_yen,
        subsidy_rate=program.subsidy_rate,
        target_area=program.target_area,
        external_id=program.external_id,
        credit=program.credit,
        budget_lines=[
            BudgetData(
                fiscal_year=b.fiscal_year,
                kind=b.kind,
                source=b.source,
                title=b.title,
                amount_thousand_yen=b.amount_thousand_yen,
                is_part_of_larger=b.is_part_of_larger,
                includes_thousand_yen=b.includes_thousand_yen,
                includes_label=b.includes_label,
                bracketed_thousand_yen=b.bracketed_thousand_yen,
                bracketed_is_part_of_larger=b.bracketed_is_part_of_larger,
                market_area_mark=b.market_area_mark,
                is_headline=b.is_headline,
                order=b.order,
                notes=b.notes,
            )
            for b in sorted(
                program.budget_lines.all(), key=lambda b: (b.fiscal_year, b.kind, b.source)
            )
        ],
        contacts=[
            ContactData(
                label=c.label,
                department=c.contact_window.department,
                phone=c.contact_window.phone,
                extension=c.contact_window.extension,
                email=c.contact_window.email,
            )
            for c in program.contacts.all()
        ],
        call_periods=[
            CallData(
                title=c.title,
                fiscal_year=c.fiscal_year,
                opens_at=c.opens_at,
                closes_at=c.closes_at,
                status=c.status,
                url=c.url,
                note=c.note,
            )
            for c in sorted(
                program.call_periods.all(), key=lambda c: (c.opens_at is None, c.opens_at, c.pk)
            )
        ],
    )


def dump(record):
    """A record as plain JSON data, without the bookkeeping ``line`` of each mapping."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "line"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(record.model_dump(mode="json"))

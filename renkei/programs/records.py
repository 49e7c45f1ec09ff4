"""The one shape of a program: what the data set loads, export writes and import reads.

``ProgramData`` validates every way a program enters renkei — a record of
data/source/programs.yaml, a CSV or XLSX row, a JSON object, a jGrants subsidy — so all are
checked by the same rules and reported the same way. Its field names are those of the
models; the export columns (exchange.py), the catalogue writes (actions.py) and the export
of a saved program (``program_data``) are derived from its fields, so a new field of
``Program`` needs only its line here.
"""

import datetime
import typing
from typing import Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, Field, model_validator

from renkei.lib.schemas import Email, Phone, Record, Slug, Text, WebUrl
from renkei.programs.models import (
    Aim,
    ApplicantType,
    BudgetLine,
    CallPeriod,
    MarketArea,
    ProgramRelation,
    Stage,
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
    kind: BudgetLine.Kind
    source: BudgetLine.Source = BudgetLine.Source.OTHER
    title: str = ""
    amount_thousand_yen: int | None = Field(None, ge=0)
    is_part_of_larger: bool = False
    includes_thousand_yen: int | None = Field(None, ge=0)
    includes_label: str = ""
    bracketed_thousand_yen: int | None = Field(None, ge=0)
    bracketed_is_part_of_larger: bool = False
    market_area_mark: MarketArea | Literal[""] = ""
    is_headline: bool = False
    order: int = Field(0, ge=0)
    notes: str = ""


class CallData(Record):
    title: str = ""
    fiscal_year: int | None = Field(None, ge=1989, le=2100)
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    status: CallPeriod.Status = CallPeriod.Status.FORECAST
    url: WebUrl = ""
    note: str = ""

    @model_validator(mode="after")
    def opens_before_closing(self):
        if self.opens_at and self.closes_at and self.opens_at > self.closes_at:
            raise ValueError(_("受付開始が締切より後になっています。"))
        return self


class PathwayData(Record):
    to: Slug
    kind: ProgramRelation.Kind
    reason: Text


class ProgramData(Record):
    code: Slug
    name: Text
    ministry: str = Field(
        "",
        description="府省・実施機関のコード（mext など）または名称",
        json_schema_extra={"required_column": True},  # a table must have the column
    )
    department: str = ""
    description: str = ""
    aim: Aim | Literal[""] = ""
    stage: Stage | Literal[""] = ""
    market_area: MarketArea | Literal[""] = ""
    applicant_types: list[ApplicantType] = []
    accepts_new_projects: bool | None = None
    url: WebUrl = ""
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
    aliases: list[AliasData] = []
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


def fields_of(schema):
    """The data fields of a record class, in order (without the bookkeeping ``line``)."""
    return [name for name in schema.model_fields if name != "line"]


def is_record_list(schema, name):
    """Whether a field holds a list of records (a JSON cell in a table)."""
    annotation = schema.model_fields[name].annotation
    args = typing.get_args(annotation)
    return (
        typing.get_origin(annotation) is list
        and isinstance(args[0], type)
        and issubclass(args[0], BaseModel)
    )


# Fields holding lists of records (aliases, budget lines, contacts, calls, pathways): JSON
# cells in a table, related rows in the database.
NESTED_FIELDS = [name for name in fields_of(ProgramData) if is_record_list(ProgramData, name)]
# Fields whose value the model stores in another form, converted in program_values and
# program_data below.
CONVERTED_FIELDS = ["code", "ministry", "applicant_types", "keywords"]
# Every other field is a column of Program with the same name and value.
PLAIN_FIELDS = [
    name
    for name in fields_of(ProgramData)
    if name not in NESTED_FIELDS and name not in CONVERTED_FIELDS
]


def _record_of(schema, instance, **values):
    """A record of ``schema`` from a model instance with the same field names."""
    data = {name: getattr(instance, name) for name in fields_of(schema) if name not in values}
    return schema(**data, **values)


def program_values(record, ministry):
    """The model values of a record (``ministry`` is its resolved Organization or None)."""
    applicants = set(record.applicant_types)
    return {
        **{name: getattr(record, name) for name in PLAIN_FIELDS},
        "ministry": ministry,
        "keywords": "、".join(record.keywords),
        **{f"for_{value}": value in applicants for value in ApplicantType.values},
    }


def program_data(program):
    """The record of a saved program (with its details prefetched)."""
    return _record_of(
        ProgramData,
        program,
        ministry=(program.ministry.code or program.ministry.name) if program.ministry else "",
        applicant_types=program.applicant_types,
        keywords=program.keyword_list,
        aliases=[_record_of(AliasData, a) for a in program.aliases.all()],
        budget_lines=[
            _record_of(BudgetData, b)
            for b in sorted(
                program.budget_lines.all(), key=lambda b: (b.fiscal_year, b.kind, b.source)
            )
        ],
        contacts=[
            _record_of(ContactData, c.contact_window, label=c.label) for c in program.contacts.all()
        ],
        call_periods=[
            _record_of(CallData, c)
            for c in sorted(
                program.call_periods.all(), key=lambda c: (c.opens_at is None, c.opens_at, c.pk)
            )
        ],
        pathways=[
            _record_of(PathwayData, r, to=r.to_program.code) for r in program.relations_out.all()
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

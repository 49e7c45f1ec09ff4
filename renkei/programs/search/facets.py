"""The navigator's facets: one row each.

A row names the facet, gives its search parameter's type and says which values a program
has (from the columns of Program it lists, or from what the catalogue computes for every
program: ``budget``, ``part_of_larger``, ``fiscal_years``). From the table come the search
parameters and query strings (params.py), the catalogue's columns (catalogue.py), and the
filters and counts of a search (engine.py). A new facet is one row here.
"""

import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.lib.formats import wareki_fiscal_year
from renkei.lib.schemas import choice
from renkei.programs.models import Aim, ApplicantType, MarketArea, Stage
from renkei.regions.models import Organization


class BudgetSize(models.TextChoices):
    """The size of a program's headline budget, 内数 apart."""

    UNDER_100M = "under_100m", _("1億円未満")
    FROM_100M_TO_1B = "100m_1b", _("1億円以上10億円未満")
    FROM_1B_TO_10B = "1b_10b", _("10億円以上100億円未満")
    OVER_10B = "over_10b", _("100億円以上")
    PART_OF_LARGER = "part_of_larger", _("内数（より大きな予算事項の一部）")
    UNKNOWN = "unknown", _("記載なし")


def budget_size(amount, part_of_larger):
    """The BudgetSize of a headline amount in thousand yen (None when the source has none)."""
    if amount is None:
        return BudgetSize.UNKNOWN
    if part_of_larger:
        return BudgetSize.PART_OF_LARGER
    if amount < 100_000:
        return BudgetSize.UNDER_100M
    if amount < 1_000_000:
        return BudgetSize.FROM_100M_TO_1B
    if amount < 10_000_000:
        return BudgetSize.FROM_1B_TO_10B
    return BudgetSize.OVER_10B


@dataclass(frozen=True)
class Facet:
    name: str  # the search parameter, and the facet's name in results
    label: Any  # the facet's heading
    param: Any  # the parameter's type: a list asks for any of its values, a bool for one
    description: str  # the parameter in the API's documentation
    default: Any = None  # a single-valued parameter's value when it asks for nothing
    choices: Any = None  # the values in order with their labels, when they are fixed
    columns: tuple = ()  # the columns of Program that ``values`` reads
    values: Callable | None = None  # one program (a dict) → its values, as strings
    multiple: bool = False  # whether a program may have several values
    labels: Callable | None = None  # catalogue → {value: label}, when the data gives values
    newest_first: bool = False  # values from the data in descending order
    unknown: Any = None  # message when asked for a value the data lacks (else no match)
    live: Callable | None = None  # (catalogue, now) → the mask of its one value, per search

    @property
    def is_list(self):
        return typing.get_origin(self.param) is list

    @property
    def unset(self):
        """The parameter's default, which asks for nothing."""
        return [] if self.is_list else self.default

    @property
    def choose_one(self):
        """A pick of one value or none (radio buttons), as opposed to any number."""
        return not self.is_list and self.default is None

    def selected(self, params):
        """The values ``params`` ask for, as strings."""
        value = getattr(params, self.name)
        if value == self.unset:
            return []
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value).lower() if isinstance(value, bool) else str(value)]

    def without(self, params, value):
        """The parameter's value once ``value`` is no longer asked for."""
        current = getattr(params, self.name)
        if isinstance(current, list):
            return [v for v in current if str(v) != value]
        return self.unset


def _column(name):
    return lambda program: [program[name]] if program[name] else []


def _of_choices(name, label, choices, description):
    """A facet on a Program column whose values are a choices class."""
    return Facet(
        name,
        label,
        list[choice(choices)],
        description,
        choices=choices.choices,
        columns=(name,),
        values=_column(name),
    )


_ministry_names: dict = {}


class _FiscalYearLabels:
    """value → 令和4年度 for the fiscal-year facet, for whatever years the catalogue holds."""

    def get(self, value, default=None):
        try:
            return wareki_fiscal_year(int(value))
        except (TypeError, ValueError):
            return default


def fiscal_year_labels(catalogue):
    return _FiscalYearLabels()


def ministry_names(catalogue):
    """code → name of every organisation that owns a program (cached per catalogue)."""
    if _ministry_names.get("version") != catalogue.version:
        codes = catalogue.columns["ministry"].values
        _ministry_names["names"] = dict(
            Organization.objects.filter(code__in=codes).values_list("code", "name")
        )
        _ministry_names["version"] = catalogue.version
    return _ministry_names["names"]


FACETS = [
    Facet(
        "applicant",
        _("申請主体"),
        list[choice(ApplicantType)],
        "申請主体",
        choices=ApplicantType.choices,
        columns=tuple(f"for_{value}" for value in ApplicantType.values),
        values=lambda p: [value for value in ApplicantType.values if p[f"for_{value}"]],
        multiple=True,
    ),
    Facet(
        "ministry",
        _("府省"),
        list[str],
        "府省コード（mext、maff など）",
        columns=("ministry__code",),
        values=_column("ministry__code"),
        labels=ministry_names,
        unknown=_("府省コード「%(code)s」はありません（使える値: %(codes)s）。"),
    ),
    _of_choices("market_area", _("市場領域"), MarketArea, "市場領域"),
    _of_choices("stage", _("段階"), Stage, "段階"),
    _of_choices("aim", _("ねらい"), Aim, "ねらい"),
    Facet(
        "accepts_new",
        _("新規課題採択"),
        bool | None,
        "新規課題採択の有無",
        choices=[("true", _("有")), ("false", _("無"))],
        columns=("accepts_new_projects",),
        values=lambda p: (
            [] if p["accepts_new_projects"] is None else [str(p["accepts_new_projects"]).lower()]
        ),
    ),
    Facet(
        "open_now",
        _("公募状況"),
        bool,
        "いま公募中のものだけ",
        default=False,
        choices=[("true", _("いま公募中"))],
        live=lambda catalogue, now: catalogue.open_mask(now),
    ),
    Facet(
        "budget",
        _("予算規模"),
        list[choice(BudgetSize)],
        "予算規模",
        choices=BudgetSize.choices,
        values=lambda p: [budget_size(p["budget"], p["part_of_larger"])],
    ),
    Facet(
        "fiscal_year",
        _("年度"),
        list[int],
        "予算の年度（西暦）",
        values=lambda p: [str(year) for year in p["fiscal_years"]],
        labels=fiscal_year_labels,  # 令和4年度, as every page writes a fiscal year
        multiple=True,
        newest_first=True,
    ),
]

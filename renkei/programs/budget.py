"""Budget overviews that keep 内数 apart: amounts of larger lines are listed, never summed."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.programs.models import Aim, BudgetLine, MarketArea


@dataclass
class BudgetGroup:
    key: str
    label: str
    own_total: int = 0  # sum of amounts that belong to the programs alone
    own_lines: list = field(default_factory=list)
    part_lines: list = field(default_factory=list)  # 内数: larger lines, shown one by one

    @property
    def program_count(self):
        return len(self.own_lines) + len(self.part_lines)

    @property
    def part_only(self):
        """Only 内数 lines: the group has no amount of its own, which is not zero."""
        return not self.own_lines and bool(self.part_lines)


@dataclass
class BudgetSummary:
    fiscal_year: int
    fiscal_years: list
    by_ministry: list
    by_market_area: list
    by_aim: list
    own_total: int
    part_lines: list

    @property
    def max_own(self):
        return max(
            [g.own_total for g in self.by_ministry + self.by_market_area + self.by_aim] or [0]
        )


@dataclass
class BudgetTable:
    """A budget table of a source as it prints it: one column per fiscal year it gives,
    newest first, and one row per budget item with its line of each year (or None)."""

    columns: list  # (fiscal year, its budget kind: 当初予算案, 当初予算…)
    rows: list  # (the item's newest line, [line or None per column])


def budget_table(source=BudgetLine.Source.BUDGET_TABLE):
    lines = list(BudgetLine.objects.in_table(source))
    fiscal_years = sorted({line.fiscal_year for line in lines}, reverse=True)
    kinds = {}
    items = {}  # program → {fiscal year: line}, in the order of each item's newest line
    for line in lines:
        kinds.setdefault(line.fiscal_year, line.get_kind_display())
        items.setdefault(line.program_id, {})[line.fiscal_year] = line
    return BudgetTable(
        columns=[(year, kinds[year]) for year in fiscal_years],
        rows=[
            (next(iter(by_year.values())), [by_year.get(year) for year in fiscal_years])
            for by_year in items.values()
        ],
    )


def program_lines(fiscal_year=None):
    """The line each program shows for a fiscal year: its headline line of that year (支援
    メニューの連絡先の表, else the budget table), or else its line of the budget table that
    year (how FY2021 is known: the figure the FY2022 budget table prints beside each item).
    With ``fiscal_year`` None, every year's lines. One query."""
    lines = (
        BudgetLine.objects.exclude(amount_thousand_yen__isnull=True)
        .filter(models.Q(is_headline=True) | models.Q(source=BudgetLine.Source.BUDGET_TABLE))
        .select_related("program__ministry")
        .order_by("program__menu_order", "program__name", "-is_headline", "order")
    )
    if fiscal_year is not None:
        lines = lines.filter(fiscal_year=fiscal_year)
    chosen = {}
    for line in lines:
        chosen.setdefault((line.fiscal_year, line.program_id), line)  # the headline first
    return list(chosen.values())


def headline_lines(fiscal_year):
    return program_lines(fiscal_year)


def _group(lines, key_of, label_of, order):
    groups = {}
    for line in lines:
        key = key_of(line)
        group = groups.setdefault(key, BudgetGroup(key=key, label=str(label_of(line))))
        if line.is_part_of_larger:
            group.part_lines.append(line)
        else:
            group.own_lines.append(line)
            group.own_total += line.amount_thousand_yen
    return sorted(groups.values(), key=lambda g: order(g.key))


def _groupings():
    """(name, key of a line, label of a line, order of keys) of the three groupings."""
    market_order = {v: i for i, v in enumerate(MarketArea.values)}
    aim_order = {v: i for i, v in enumerate(Aim.values)}
    unset = _("指定なし")
    return [
        (
            "ministry",
            lambda line: line.program.ministry.code if line.program.ministry else "",
            lambda line: line.program.ministry.name if line.program.ministry else unset,
            lambda key: (key == "", key),
        ),
        (
            "market_area",
            lambda line: line.program.market_area,
            lambda line: line.program.get_market_area_display() or unset,
            lambda key: market_order.get(key, 99),
        ),
        (
            "aim",
            lambda line: line.program.aim,
            lambda line: line.program.get_aim_display() or unset,
            lambda key: aim_order.get(key, 99),
        ),
    ]


def fiscal_years():
    """Every fiscal year with a program line, newest first."""
    return sorted({line.fiscal_year for line in program_lines()}, reverse=True)


def budget_summary(fiscal_year=None):
    """One fiscal year's budget by ministry, market area and aim (the newest by default)."""
    every = program_lines()
    years = sorted({line.fiscal_year for line in every}, reverse=True)
    if fiscal_year is None:
        fiscal_year = years[0] if years else None
    lines = [line for line in every if line.fiscal_year == fiscal_year]
    groups = {name: _group(lines, key, label, order) for name, key, label, order in _groupings()}
    return BudgetSummary(
        fiscal_year=fiscal_year,
        fiscal_years=years,
        by_ministry=groups["ministry"],
        by_market_area=groups["market_area"],
        by_aim=groups["aim"],
        own_total=sum(line.amount_thousand_yen for line in lines if not line.is_part_of_larger),
        part_lines=[line for line in lines if line.is_part_of_larger],
    )


# --- every fiscal year side by side -------------------------------------------------------


@dataclass
class YearColumn:
    fiscal_year: int
    programs: int  # how many programs have a line this year
    kinds: list  # the budget kinds of its lines (当初予算案, 当初予算…)
    sources: list  # the tables they come from
    own_total: int
    part_lines: list


@dataclass
class GroupRow:
    """One group (a ministry, a market area, an aim) with its cell of each fiscal year."""

    key: str
    label: str
    cells: list  # BudgetGroup or None per column (None: no line that year)


@dataclass
class BudgetOverview:
    columns: list  # YearColumn, newest first
    groupings: list  # (name, [GroupRow])
    same_programs: bool  # whether every year counts the same programs

    @property
    def largest_own(self):
        return max(
            [
                cell.own_total
                for _name, rows in self.groupings
                for r in rows
                for cell in r.cells
                if cell
            ]
            or [0]
        )


def budget_overview():
    """Every fiscal year side by side, each group's own total and its 内数 lines per year.

    The years may count different programs (FY2021 is known for the five items the FY2022
    budget table prints it for): ``columns`` say how many each year counts and
    ``same_programs`` whether the totals of two years can be read as a change."""
    every = program_lines()
    years = sorted({line.fiscal_year for line in every}, reverse=True)
    by_year = {year: [line for line in every if line.fiscal_year == year] for year in years}
    columns = [
        YearColumn(
            fiscal_year=year,
            programs=len(lines),
            kinds=sorted({str(line.get_kind_display()) for line in lines}),
            sources=sorted({str(line.get_source_display()) for line in lines}),
            own_total=sum(line.amount_thousand_yen for line in lines if not line.is_part_of_larger),
            part_lines=[line for line in lines if line.is_part_of_larger],
        )
        for year, lines in by_year.items()
    ]
    groupings = []
    for name, key, label, order in _groupings():
        per_year = {
            year: {g.key: g for g in _group(by_year[year], key, label, order)} for year in years
        }
        keys = {}
        for year in years:
            for group in per_year[year].values():
                keys.setdefault(group.key, group.label)
        rows = [
            GroupRow(key=k, label=keys[k], cells=[per_year[year].get(k) for year in years])
            for k in sorted(keys, key=order)
        ]
        groupings.append((name, rows))
    program_sets = {frozenset(line.program_id for line in lines) for lines in by_year.values()}
    return BudgetOverview(
        columns=columns, groupings=groupings, same_programs=len(program_sets) <= 1
    )

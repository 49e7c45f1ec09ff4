"""Budget overviews that keep 内数 apart: amounts of larger lines are listed, never summed."""

from dataclasses import dataclass, field

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


def headline_lines(fiscal_year):
    return list(
        BudgetLine.objects.filter(fiscal_year=fiscal_year, is_headline=True)
        .exclude(amount_thousand_yen__isnull=True)
        .select_related("program__ministry")
        .order_by("program__menu_order", "program__name")
    )


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


def budget_summary(fiscal_year=None):
    years = sorted(
        set(BudgetLine.objects.filter(is_headline=True).values_list("fiscal_year", flat=True)),
        reverse=True,
    )
    if fiscal_year is None:
        fiscal_year = years[0] if years else None
    lines = headline_lines(fiscal_year) if fiscal_year else []
    market_order = {v: i for i, v in enumerate(MarketArea.values)}
    aim_order = {v: i for i, v in enumerate(Aim.values)}
    unset = _("指定なし")
    return BudgetSummary(
        fiscal_year=fiscal_year,
        fiscal_years=years,
        by_ministry=_group(
            lines,
            lambda line: line.program.ministry.code if line.program.ministry else "",
            lambda line: line.program.ministry.name if line.program.ministry else unset,
            lambda key: (key == "", key),
        ),
        by_market_area=_group(
            lines,
            lambda line: line.program.market_area,
            lambda line: line.program.get_market_area_display() or unset,
            lambda key: market_order.get(key, 99),
        ),
        by_aim=_group(
            lines,
            lambda line: line.program.aim,
            lambda line: line.program.get_aim_display() or unset,
            lambda key: aim_order.get(key, 99),
        ),
        own_total=sum(line.amount_thousand_yen for line in lines if not line.is_part_of_larger),
        part_lines=[line for line in lines if line.is_part_of_larger],
    )

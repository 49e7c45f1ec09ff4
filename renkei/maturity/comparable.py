"""Figures that compare like with like (issue 15). Pure functions, no database.

- **A national trend is the sum over one set of communities** — the same communities every
  year of the chart. Summing whoever reported each year turns a year in which fewer
  communities reported into a collapse that never happened. Of every run of consecutive
  reporting years, the chart takes the one that keeps the most values (communities × years;
  on a tie the longer run, then the later one), and the communities that reported in each of
  its years. Every year keeps its count of reporting communities, and the communities and
  years left out are named, so the page can say what changed.
- **A median of a kind needs at least three communities** (``MIN_MEDIAN_COUNT``); with fewer
  it is withheld, never replaced by the values it would be made of, and the count is given
  either way.
"""

import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

MIN_MEDIAN_COUNT = 3


@dataclass
class Trend:
    """One indicator's national trend over one set of communities."""

    years: list  # the chart's years (a run of consecutive reporting years)
    totals: dict  # year → sum over ``panel`` (every member reported that year)
    panel: list  # the communities summed, the same in every year
    reporting: dict  # year → how many communities reported (every year with a report)
    left_out: dict = field(default_factory=dict)  # community → its years, not in the panel
    gaps: list = field(default_factory=list)  # years inside the run nobody reported

    @property
    def years_left_out(self):
        return sorted(year for year in self.reporting if year not in self.years)


def _mask(years, position):
    bits = 0
    for year in years:
        bits |= 1 << position[year]
    return bits


def comparable_trend(series):
    """The trend of ``series`` ({community: {year: value}}) over the same communities.

    Returns None when nobody reported."""
    series = {c: s for c, s in series.items() if s}
    years = sorted({year for values in series.values() for year in values})
    if not years:
        return None
    position = {year: i for i, year in enumerate(years)}
    masks = Counter(_mask(values, position) for values in series.values())
    best = None
    for first in range(len(years)):
        for last in range(first, len(years)):
            run = _mask(years[first : last + 1], position)
            size = sum(n for mask, n in masks.items() if mask & run == run)
            if not size:
                continue
            span = last - first + 1
            key = (size * span, span, last)
            if best is None or key > best[0]:
                best = (key, years[first : last + 1])
    chosen = best[1]
    panel = sorted(c for c, values in series.items() if all(y in values for y in chosen))
    totals = {year: sum((Decimal(series[c][year]) for c in panel), Decimal(0)) for year in chosen}
    reporting = {year: sum(1 for values in series.values() if year in values) for year in years}
    left_out = {c: sorted(values) for c, values in series.items() if c not in panel}
    gaps = [y for y in range(chosen[0], chosen[-1] + 1) if y not in position]
    return Trend(
        years=chosen,
        totals=totals,
        panel=panel,
        reporting=reporting,
        left_out=dict(sorted(left_out.items())),
        gaps=gaps,
    )


def median_or_none(values):
    """(median, count): the median only when at least MIN_MEDIAN_COUNT values are given."""
    values = list(values)
    if len(values) < MIN_MEDIAN_COUNT:
        return None, len(values)
    return statistics.median(values), len(values)


def same_set_sums(series_by_code, codes):
    """Sums of several indicators over one year and one set of communities: the latest year
    in which some communities reported every code in ``codes``, and those communities.

    ``series_by_code``: {code: {community: {year: value}}}. Returns (year, communities,
    {code: sum}) or (None, [], {}) when no community reported them all in one year."""
    complete = {}
    for code in codes:
        for community, values in series_by_code.get(code, {}).items():
            for year in values:
                complete.setdefault((community, year), set()).add(code)
    full = [(c, y) for (c, y), found in complete.items() if found >= set(codes)]
    if not full:
        return None, [], {}
    year = max(y for _c, y in full)
    communities = sorted(c for c, y in full if y == year)
    sums = {
        code: sum((Decimal(series_by_code[code][c][year]) for c in communities), Decimal(0))
        for code in codes
    }
    return year, communities, sums

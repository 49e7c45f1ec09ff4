"""Budget pages: every fiscal year side by side, 内数 kept apart and never drawn as zero."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.lib.formats import wareki_fiscal_year
from renkei.programs.budget import budget_overview as overview_of
from renkei.programs.budget import budget_table
from renkei.programs.models import catalogue_as_of
from renkei.programs.templatetags.programs import budget_chart

GROUPING_LABELS = {
    "ministry": gettext_lazy("府省別"),
    "market_area": gettext_lazy("市場領域別"),
    "aim": gettext_lazy("ねらい別"),
}


def _as_of(years):
    as_of = catalogue_as_of()
    if years:
        as_of.update(first_year=min(years), last_year=max(years))
    return as_of


def budget_overview(request):
    """The budget by ministry, market area and aim, one column (and one chart on one scale)
    per fiscal year. ``?fiscal_year=`` no longer narrows the page (every year is shown); an
    unknown year is still refused so a stale link says so."""
    overview = overview_of()
    years = [column.fiscal_year for column in overview.columns]
    asked = request.GET.get("fiscal_year")
    if asked and (not asked.isdigit() or int(asked) not in years):
        error = _("その年度の予算額はありません。")
        context = {"overview": overview, "error": error, "sections": []}
        return render(request, "programs/budget_overview.html", context, status=400)
    largest = overview.largest_own
    sections = []
    for name, rows in overview.groupings:
        heading = str(GROUPING_LABELS[name])
        charts = [
            (
                column,
                budget_chart(
                    _("%(heading)s（%(year)s）")
                    % {"heading": heading, "year": wareki_fiscal_year(column.fiscal_year)},
                    [(row.label, row.cells[index]) for row in rows],
                    largest,
                ),
            )
            for index, column in enumerate(overview.columns)
        ]
        sections.append({"name": name, "heading": heading, "rows": rows, "charts": charts})
    return render(
        request,
        "programs/budget_overview.html",
        {"overview": overview, "sections": sections, "as_of": _as_of(years)},
    )


def budget(request):
    table = budget_table()
    years = [year for year, _kind in table.columns]
    return render(request, "programs/budget.html", {"table": table, "as_of": _as_of(years)})

"""Template filters for programs and budgets ({% load programs %})."""

from django import template
from django.utils.translation import gettext as _

from renkei.lib import formats
from renkei.lib.charts import horizontal_bars
from renkei.programs.search import SearchParams, query_from_params

register = template.Library()


@register.filter
def budget_amount(line):
    """A budget line as the source writes it: '100億円の内数', '5億円', '13,750,508千円'."""
    if line is None or line.amount_thousand_yen is None:
        return "-"
    amount = formats.oku_yen(line.amount_thousand_yen)
    if line.is_part_of_larger:
        return _("%(amount)sの内数") % {"amount": amount}
    return amount


@register.simple_tag
def budget_chart(title, groups):
    """A bar chart of each group's own (non-内数) budget total."""
    return horizontal_bars(
        title,
        [(g.label, g.own_total, formats.oku_yen(g.own_total)) for g in groups],
    )


@register.filter
def search_query(query):
    """The query string of a saved search's stored parameters."""
    return query_from_params(SearchParams.model_validate(query))

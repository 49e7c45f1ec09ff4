"""Template filters for programs and budgets ({% load programs %})."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def group_text(group):
    """A group's amount as a chart prints it: its own total, and its 内数 lines counted apart
    (「内数のみ 3 件」 when it has no amount of its own — never 0)."""
    if group is None:
        return _("額の記載なし")
    parts = len(group.part_lines)
    if group.part_only:
        return ngettext("内数のみ %(n)s 件", "内数のみ %(n)s 件", parts) % {"n": parts}
    own = formats.oku_yen(group.own_total)
    if parts:
        return ngettext("%(own)s＋内数 %(n)s 件", "%(own)s＋内数 %(n)s 件", parts) % {
            "own": own,
            "n": parts,
        }
    return own


@register.simple_tag
def budget_chart(title, groups, largest=None):
    """A bar chart of each group's own (non-内数) budget total; a group with 内数 lines only is
    drawn as such, and a group without a line (None, in a year's column) says so."""
    return horizontal_bars(
        title,
        [
            (
                label,
                group.own_total if group else 0,
                group_text(group),
                "part" if group and group.part_only else "",
            )
            for label, group in groups
        ],
        largest=largest,
    )


@register.filter
def search_query(query):
    """The query string of a saved search's stored parameters."""
    return query_from_params(SearchParams.model_validate(query))

from django import template
from django.utils.translation import gettext as _

from renkei.core import formats

register = template.Library()


@register.filter
def wareki_fy(value):
    return formats.wareki_fiscal_year(value) if value not in (None, "") else ""


@register.filter
def wareki(value):
    return formats.wareki_date(value)


@register.filter
def sen_yen(value):
    return formats.thousand_yen(value)


@register.filter
def oku_yen(value):
    return formats.oku_yen(value)


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
def query_replace(request, **kwargs):
    """The current query string with some parameters replaced (for pagination and facets)."""
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()

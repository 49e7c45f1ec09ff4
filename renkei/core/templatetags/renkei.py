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


@register.filter
def percent_of(value, maximum):
    """value as a percentage of maximum (0–100), for bar widths."""
    try:
        return round(100 * float(value) / float(maximum), 1) if maximum else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def highlight(text, terms, limit=None):
    """Text with the words matching the query terms in <mark> (escaped, safe)."""
    from renkei.ja.highlight import highlight as mark

    return mark(text, terms, limit=limit)


@register.simple_tag
def budget_chart(title, groups):
    """A bar chart of each group's own (non-内数) budget total."""
    from renkei.core.charts import horizontal_bars

    return horizontal_bars(
        title,
        [(g.label, g.own_total, formats.oku_yen(g.own_total)) for g in groups],
    )


@register.filter
def search_query(query):
    """The query string of a saved search's stored parameters."""
    from renkei.programs.querystring import query_from_params
    from renkei.programs.search import SearchParams

    return query_from_params(SearchParams.model_validate(query))


@register.filter
def num(value):
    """A number with thousands separators and no exponent or trailing zeros (12,000.5)."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return format(number.normalize(), ",f")

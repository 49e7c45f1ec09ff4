from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.translation import pgettext

from renkei.ja.highlight import highlight as mark
from renkei.lib import formats, links

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
    return mark(text, terms, limit=limit)


@register.filter
def num(value):
    """A number with thousands separators and no exponent or trailing zeros (12,000.5)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return format(number.normalize(), ",f")


@register.filter(name="safe_url")
def safe_url_filter(value):
    """A stored address if it may be a link (http/https), else "" (renkei.lib.links)."""
    return links.safe_url(value)


@register.simple_tag
def weblink(url, text=None):
    """A link to a stored address, or only its text when it may not be a link (a
    ``javascript:`` or ``data:`` address stored before imports refused them)."""
    shown = url if text in (None, "") else text
    target = links.safe_url(url)
    if not target:
        return format_html("{}", shown)
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', target, shown)


@register.filter
def yen(value):
    """Thousand yen as people read it: 1億円, 約34.7億円, 1,000万円 (renkei.lib.formats)."""
    return formats.readable_yen(value)


@register.filter
def yen_exact(value):
    """約34.7億円（3,466,178千円）: the readable amount with the exact figure beside it."""
    return formats.yen_with_exact(value)


@register.filter
def measures(values, unit):
    """Figures of an indicator in its unit, as people read them, joined with ' / ':
    amounts in 千円 as 1,000万円 / 1億円, counts without decimals (10 / 30, not 10.0)."""
    if values is None or values == "":
        return ""
    if not isinstance(values, list | tuple):
        values = [values]
    shown = [
        formats.readable_yen(v) if unit == "thousand_yen" else num(formats.count(v)) for v in values
    ]
    return " / ".join(str(s) for s in shown)


@register.filter
def listing(values):
    """Items joined as the reader's language lists them (「、」 in Japanese, ", " in English);
    escaped like any other value."""
    return pgettext("list separator", "、").join(str(v) for v in values)

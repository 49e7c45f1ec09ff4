"""How renkei writes years, dates and yen: 和暦 where people expect it, 千円 and 億円 as the
source uses them. Pure functions, used by the template filters and the exports."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language

# (first day, era name, English name); newest first.
ERAS = [
    (datetime.date(2019, 5, 1), "令和", "Reiwa"),
    (datetime.date(1989, 1, 8), "平成", "Heisei"),
    (datetime.date(1926, 12, 25), "昭和", "Showa"),
]


def _english():
    return (get_language() or "ja").startswith("en")


def era_year(date):
    """(era, English era, year in era) of a date."""
    for start, name, english in ERAS:
        if date >= start:
            return name, english, date.year - start.year + 1
    raise ValueError(date)


def _year_label(year):
    return "元" if year == 1 else str(year)


def wareki_fiscal_year(fiscal_year):
    """2022 → 令和4年度; FY2019 is 令和元年度 (its April–March mostly falls in 令和)."""
    fiscal_year = int(fiscal_year)
    name, english, year = era_year(datetime.date(fiscal_year, 5, 1))
    if _english():
        return f"FY{fiscal_year} ({english} {year})"
    return f"{name}{_year_label(year)}年度"


def wareki_fiscal_year_short(fiscal_year):
    """2022 → R4 (and 2018 → H30), where 令和4年度 does not fit, as on a chart's axis."""
    fiscal_year = int(fiscal_year)
    name, _english_name, year = era_year(datetime.date(fiscal_year, 5, 1))
    if _english():
        return f"FY{fiscal_year}"
    return f"{ {'令和': 'R', '平成': 'H', '昭和': 'S'}[name] }{year}"


def wareki_date(value):
    """A date (or aware datetime, shown in JST) as 令和4年4月22日."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if _english():
        return value.strftime("%-d %B %Y")
    name, _english_name, year = era_year(value)
    return f"{name}{_year_label(year)}年{value.month}月{value.day}日"


def fiscal_year_of(date):
    """The Japanese fiscal year (April–March) a date falls in."""
    return date.year if date.month >= 4 else date.year - 1


def thousand_yen(amount):
    """13750508 → '13,750,508千円'."""
    if amount is None:
        return ""
    grouped = number_format(amount, force_grouping=True)
    return f"¥{grouped} thousand" if _english() else f"{grouped}千円"


def oku_yen(amount):
    """Thousand yen in 億円: exact multiples as '138億円', others rounded as '約137.5億円'."""
    if amount is None:
        return ""
    oku = Decimal(amount) / Decimal(100_000)
    exact = oku == oku.to_integral_value()
    shown = oku.quantize(Decimal(1) if exact else Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole = shown == shown.to_integral_value()  # 約152億円, not 約152.0億円
    text = number_format(shown, decimal_pos=0 if whole else 1, force_grouping=True)
    if _english():
        billions = (Decimal(amount) / Decimal(1_000_000)).quantize(Decimal("0.01"))
        return ("¥%sbn" if exact else "approx. ¥%sbn") % number_format(billions, decimal_pos=2)
    return f"{text}億円" if exact else f"約{text}億円"


def readable_yen(amount):
    """Thousand yen as people read an amount: 億円 from 1億円 up ('1億円', '約34.7億円'),
    万円 below ('1,000万円', '約1,234.5万円'), 千円 under 1万円. Never '10000.0'."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(str(amount))
    if _english() or abs(amount) >= 100_000:
        return oku_yen(amount) if abs(amount) >= 100_000 else thousand_yen(_plain(amount))
    if abs(amount) >= 10:
        man = amount / Decimal(10)
        exact = man == man.to_integral_value()
        shown = man.quantize(Decimal(1) if exact else Decimal("0.1"), rounding=ROUND_HALF_UP)
        whole = shown == shown.to_integral_value()
        text = number_format(shown, decimal_pos=0 if whole else 1, force_grouping=True)
        return f"{text}万円" if exact else f"約{text}万円"
    return thousand_yen(_plain(amount))


def yen_with_exact(amount):
    """An amount read at a glance with its exact figure beside it where rounding hid it:
    '約34.7億円（3,466,178千円）'; an exact '5億円' stands alone."""
    if amount is None or amount == "":
        return ""
    readable = readable_yen(amount)
    exact = thousand_yen(_plain(Decimal(str(amount))))
    if readable == exact or not readable.startswith(("約", "approx")):
        return readable
    return f"{readable}（{exact}）" if not _english() else f"{readable} ({exact})"


def _plain(number):
    """A Decimal without decimals when it has none (10000.0 → 10000)."""
    return int(number) if number == number.to_integral_value() else number


def count(value):
    """A count as an integer ('3', not '3.0'); other values unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value

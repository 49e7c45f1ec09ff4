"""Check digits of Japanese public codes."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def lg_code_check_digit(first_five):
    """The check digit of a local-government code (JIS X 0402) from its first five digits."""
    digits = [int(c) for c in first_five]
    total = sum(weight * digit for weight, digit in zip((6, 5, 4, 3, 2), digits, strict=True))
    return (11 - total % 11) % 10


def is_valid_lg_code(code):
    return (
        isinstance(code, str)
        and len(code) == 6
        and code.isascii()
        and code.isdigit()
        and lg_code_check_digit(code[:5]) == int(code[5])
    )


def validate_lg_code(code):
    if not is_valid_lg_code(code):
        raise ValidationError(
            _("地方公共団体コード「%(code)s」が正しくありません（6桁、検査数字付き）。"),
            code="invalid_lg_code",
            params={"code": code},
        )


def corporate_number_check_digit(base12):
    """The leading check digit of a 法人番号 from its 12-digit base number (国税庁の算式)."""
    digits = [int(c) for c in reversed(base12)]  # P1 is the lowest digit
    total = sum(digit * (1 if n % 2 == 1 else 2) for n, digit in enumerate(digits, start=1))
    return 9 - total % 9


def is_valid_corporate_number(number):
    return (
        isinstance(number, str)
        and len(number) == 13
        and number.isascii()
        and number.isdigit()
        and corporate_number_check_digit(number[1:]) == int(number[0])
    )


def validate_corporate_number(number):
    if not is_valid_corporate_number(number):
        raise ValidationError(
            _("法人番号「%(number)s」が正しくありません（13桁、検査数字付き）。"),
            code="invalid_corporate_number",
            params={"number": number},
        )

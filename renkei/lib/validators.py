"""Validators for values any app may hold."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

_PHONE_RE = re.compile(r"^0\d{1,4}-\d{1,4}-\d{3,4}$|^0\d{9,10}$")


def validate_phone(phone):
    """A Japanese phone number: 03-1234-5678, 0120-123-456 or ten or eleven digits."""
    if not _PHONE_RE.match(phone or ""):
        raise ValidationError(
            _("電話番号「%(phone)s」の形式が正しくありません（例: 03-1234-5678）。"),
            code="invalid_phone",
            params={"phone": phone},
        )


# Researchers' public identifiers (seeds, experts, contribution records)
validate_kaken_id = RegexValidator(r"^\d{8}$", _("KAKEN 研究者番号は8桁の数字です。"))
validate_researchmap_id = RegexValidator(
    r"^[A-Za-z0-9_.-]+$", _("researchmap ID は英数字で入力してください。")
)

"""Shared pieces for validating YAML records with pydantic."""

import re
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from renkei.lib import links
from renkei.lib.validators import validate_phone


class Record(BaseModel):
    """A YAML mapping: unknown keys are refused; ``__line__`` is where it starts.

    Fields typed by a choices class (``TextChoices``) accept its values and hold them as
    plain strings."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=True)
    line: int = Field(0, alias="__line__")


def _email(value):
    if value:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValueError(
                _("メールアドレス「%(v)s」の形式が正しくありません。") % {"v": value}
            ) from exc
    return value


def _phone(value):
    if value:
        try:
            validate_phone(value)
        except DjangoValidationError as exc:
            raise ValueError(
                _("電話番号「%(v)s」の形式が正しくありません（例: 03-1234-5678）。") % {"v": value}
            ) from exc
    return value


def _slug(value):
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise ValueError(
            _("識別子「%(v)s」は半角英小文字・数字・ハイフンで入力してください。") % {"v": value}
        )
    return value


def _web_url(value):
    if value and not links.is_web_url(value):
        raise ValueError(links.web_url_message(value))
    return value


def choice(choices):
    """A request parameter that takes the values of a choices class (``TextChoices``).

    Validation is the class's own; the JSON Schema (the API's OpenAPI document) lists its
    values inline, as a string enum, instead of referring to a shared definition named after
    the class (``Stage`` of programs and ``Stage`` of seeds would collide there)."""
    return Annotated[choices, WithJsonSchema({"type": "string", "enum": list(choices.values)})]


Email = Annotated[str, AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_phone)]
Slug = Annotated[str, AfterValidator(_slug)]
# A prefecture's JIS X 0401 code as the API's parameters take it: 01 to 47, nothing else
# (the schema says what the code enforces).
PREFECTURE_CODE = r"^(0[1-9]|[1-3][0-9]|4[0-7])$"
# What a value that does not match a pattern is told, by the pattern.
PATTERN_MESSAGES = {
    PREFECTURE_CODE: gettext_lazy("都道府県コード「%(value)s」はありません（01〜47）。"),
}
# An address that may become a link: empty, or http(s) with a host (renkei.lib.links).
WebUrl = Annotated[str, AfterValidator(_web_url)]
Text = Annotated[str, Field(min_length=1)]

"""Shared pieces for validating YAML records with pydantic."""

import re
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

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


def choice(choices):
    """A request parameter that takes the values of a choices class (``TextChoices``).

    Validation is the class's own; the JSON Schema (the API's OpenAPI document) lists its
    values inline, as a string enum, instead of referring to a shared definition named after
    the class (``Stage`` of programs and ``Stage`` of seeds would collide there)."""
    return Annotated[choices, WithJsonSchema({"type": "string", "enum": list(choices.values)})]


Email = Annotated[str, AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_phone)]
Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, Field(min_length=1)]

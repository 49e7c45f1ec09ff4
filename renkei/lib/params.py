"""The error for a request parameter whose value is not known (a 400 naming the field)."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _


class ParamError(ValueError):
    """A parameter value the data does not know: the API answers 400 with ``field``."""

    def __init__(self, field, message):
        self.field = field
        self.message = str(message)
        super().__init__(f"{field}: {self.message}")


def object_id(value, field):
    """The id a page's parameter names (``?organization=12``), or a 400 naming the parameter
    when it is not a whole number (``?organization=abc`` once reached the database)."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise BadRequest(
            _("「%(field)s」には番号（半角数字）を指定してください。") % {"field": field}
        )
    return int(text)

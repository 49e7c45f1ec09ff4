"""Links from stored text are safe: only ``http``/``https`` addresses (and ``mailto`` where a
mail address is meant) ever become links.

Imports refuse anything else with the row named (:data:`renkei.lib.schemas.WebUrl` for
pydantic records, :func:`validate_web_url` for forms and models); templates render every
stored address through the ``safe_url`` filter or the ``weblink`` tag
(renkei.lib.templatetags), so an address stored before these checks (``javascript:…``,
``data:…``) is shown as text, never as a link.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

WEB_SCHEMES = ("http", "https")
# Browsers drop tabs and line breaks anywhere in an address and C0 controls and spaces at its
# ends before they read the scheme ("java\tscript:" is javascript:); so do we.
_INVISIBLE = re.compile(r"[\t\n\r]")
_EDGES = "".join(chr(c) for c in range(0x21)) + "\x7f"


def normalise(value) -> str:
    return _INVISIBLE.sub("", str(value or "")).strip(_EDGES)


def is_web_url(value) -> bool:
    """An absolute http(s) address with a host, nothing else."""
    text = normalise(value)
    if not text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def is_mail_address(value) -> bool:
    text = str(value or "").strip()
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def safe_url(value) -> str:
    """The address if it may be a link (http/https), else the empty string."""
    return normalise(value) if is_web_url(value) else ""


def safe_mailto(value) -> str:
    """``mailto:`` and the address if it is a mail address, else the empty string."""
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return f"mailto:{text}" if is_mail_address(text) else ""


def web_url_message(value) -> str:
    return _(
        "アドレス「%(v)s」はリンクにできません"
        "（http:// か https:// で始まるアドレスだけ使えます）。"
    ) % {"v": str(value)[:100]}


def validate_web_url(value) -> None:
    """For forms and model fields: empty, or an http(s) address."""
    if value and not is_web_url(value):
        raise ValidationError(web_url_message(value), code="unsafe_url")

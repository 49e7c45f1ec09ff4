"""Checking uploaded minutes: a PDF (read by content, refused with JavaScript, embedded files
or encryption, as application attachments are: renkei.lib.uploads) or a UTF-8 text file,
size-limited before it is read."""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from renkei.lib import uploads


def max_bytes():
    return uploads.limits().pdf_bytes


def _read(uploaded):
    return uploads.read_upload(uploaded, max_bytes())


def check_pdf(data):
    """The checks of application attachments: encryption, JavaScript, embedded files…"""
    uploads.check_pdf(data)


def check_minutes(uploaded):
    """('pdf', bytes, sha256) or ('text', text, sha256) of an upload; ValidationError if it
    is neither a readable PDF nor UTF-8 text."""
    name = (uploaded.name or "").lower()
    if name.endswith(".pdf"):
        data = _read(uploaded)
        check_pdf(data)
        return "pdf", data, hashlib.sha256(data).hexdigest()
    if name.endswith(".txt"):
        data = _read(uploaded)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("テキストの文字コードが UTF-8 ではありません。UTF-8 で保存し直してください。"),
                code="not_utf8",
            ) from exc
        if "\x00" in text:
            raise ValidationError(_("テキストファイルではありません。"), code="binary")
        return "text", text, hashlib.sha256(data).hexdigest()
    raise ValidationError(
        _("議事録は PDF（.pdf）かテキスト（.txt）のファイルで添付してください。"),
        code="not_minutes",
    )

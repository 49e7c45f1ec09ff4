"""Checking uploaded minutes: a PDF (read by content with pypdf, as application attachments
are) or a UTF-8 text file, size-limited."""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError


def max_bytes():
    return getattr(settings, "RENKEI_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def _read(uploaded):
    if uploaded.size > max_bytes():
        raise ValidationError(
            _("ファイルが大きすぎます（上限 %(mb)s MB）。") % {"mb": max_bytes() // (1024 * 1024)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("ファイルが空です。"), code="empty")
    return uploaded.read()


def check_pdf(data):
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            _("ファイルの中身が PDF ではありません（拡張子だけ .pdf になっています）。"),
            code="not_pdf_content",
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("パスワード付きの PDF は添付できません。"), code="encrypted")
        if len(reader.pages) == 0:
            raise ValidationError(_("ページのない PDF は添付できません。"), code="no_pages")
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(_("PDF が壊れているため読めません。"), code="malformed") from exc


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

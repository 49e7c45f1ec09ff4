"""Checking uploaded application attachments: PDF only, size-limited, read by content."""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError


def max_bytes():
    return getattr(settings, "RENKEI_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def check_pdf(uploaded):
    """Validate an uploaded file; return (bytes, sha256). Raises ValidationError."""
    name = uploaded.name or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError(_("PDF ファイル（.pdf）だけを添付できます。"), code="not_pdf")
    if uploaded.size > max_bytes():
        raise ValidationError(
            _("ファイルが大きすぎます（上限 %(mb)s MB）。") % {"mb": max_bytes() // (1024 * 1024)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("ファイルが空です。"), code="empty")
    data = uploaded.read()
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
    return data, hashlib.sha256(data).hexdigest()

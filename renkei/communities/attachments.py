"""Checking uploaded application attachments: PDF only, size-limited (checked before the
file is read), read by content; encrypted PDFs and PDFs carrying JavaScript, embedded files
or launch actions are refused with the reason (renkei.lib.uploads, shared with council
minutes). Files leave the disk when their attachment row goes, with its application or
alone (``remove_files_on_delete``, connected in CommunitiesConfig.ready)."""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from renkei.lib import uploads


def max_bytes():
    return uploads.limits().pdf_bytes


def check_pdf(uploaded):
    """Validate an uploaded file; return (bytes, sha256). Raises ValidationError."""
    name = uploaded.name or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError(_("PDF ファイル（.pdf）だけを添付できます。"), code="not_pdf")
    data = uploads.read_upload(uploaded, max_bytes())
    uploads.check_pdf(data)
    return data, hashlib.sha256(data).hexdigest()

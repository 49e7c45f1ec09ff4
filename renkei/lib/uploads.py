"""Uploads that cannot take the server down: every limit on a file people send, in one place.

- The request: ``renkei.portal.middleware.RequestGuardMiddleware`` refuses a body larger than
  ``RENKEI_UPLOAD_MAX_BYTES`` from its Content-Length, before Django reads it.
- The file: :class:`UploadField` checks the file's kind (its name) and size on the form,
  before any view reads it; :func:`read_upload` checks again for callers without a form.
- Spreadsheets (CSV, XLSX): :func:`check_spreadsheet` looks at the bytes before they are
  parsed — the XLSX archive's unpacked size and number of entries, the CSV's number of lines
  — and :class:`Deadline` with :func:`count_rows` bound the parsing itself in rows and time.
- PDFs: :func:`check_pdf` refuses encryption, JavaScript, embedded files and launch actions,
  each with its reason.
- Files on disk: :func:`remove_files_on_delete` removes a row's files once its deletion
  commits.

The numbers are settings (README lists them); :func:`limits` reads them.
"""

import io
import time
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.lib.imports import DataImportError, RowError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    request_bytes: int
    spreadsheet_bytes: int
    unpacked_bytes: int
    archive_entries: int
    rows: int
    parse_seconds: float
    pdf_bytes: int
    pdf_objects: int


def limits() -> Limits:
    return Limits(
        request_bytes=settings.RENKEI_UPLOAD_MAX_BYTES,
        spreadsheet_bytes=settings.RENKEI_SPREADSHEET_MAX_BYTES,
        unpacked_bytes=settings.RENKEI_SPREADSHEET_MAX_UNPACKED_BYTES,
        archive_entries=200,
        rows=settings.RENKEI_SPREADSHEET_MAX_ROWS,
        parse_seconds=settings.RENKEI_PARSE_SECONDS,
        pdf_bytes=settings.RENKEI_ATTACHMENT_MAX_BYTES,
        pdf_objects=100_000,
    )


def _megabytes(size: int) -> str:
    return f"{size / MB:.0f}" if size >= MB else f"{size / MB:.1f}"


def too_large_message(size: int, max_bytes: int) -> str:
    return _("ファイルが大きすぎます（%(size)s MB、上限 %(max)s MB）。") % {
        "size": f"{size / MB:.1f}",
        "max": _megabytes(max_bytes),
    }


# --- the file on a form --------------------------------------------------------------------

KINDS = {
    "spreadsheet": ((".csv", ".xlsx"), gettext_lazy("CSV（.csv）か XLSX（.xlsx）")),
    "pdf": ((".pdf",), gettext_lazy("PDF（.pdf）")),
    "minutes": ((".pdf", ".txt"), gettext_lazy("PDF（.pdf）かテキスト（.txt）")),
    "programs": ((".csv", ".xlsx", ".json"), gettext_lazy("CSV・XLSX・JSON")),
}


def max_bytes_of(kind: str) -> int:
    if kind in ("spreadsheet", "programs"):
        return limits().spreadsheet_bytes
    return limits().pdf_bytes


class UploadField(forms.FileField):
    """A file of one kind (``spreadsheet``, ``pdf``, ``minutes``), refused on the form when
    its name has another extension or it is larger than the kind's limit."""

    def __init__(self, *, kind="spreadsheet", **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded or uploaded is initial:
            return uploaded
        extensions, label = KINDS[self.kind]
        if not (uploaded.name or "").lower().endswith(extensions):
            raise ValidationError(
                _("%(kinds)s のファイルを選んでください。") % {"kinds": label}, code="kind"
            )
        check_size(uploaded.size, max_bytes_of(self.kind))
        return uploaded


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ValidationError(too_large_message(size, max_bytes), code="too_large")
    if size == 0:
        raise ValidationError(_("ファイルが空です。"), code="empty")


def read_upload(uploaded, max_bytes: int) -> bytes:
    """The bytes of an uploaded file, its size checked before it is read (and at most
    ``max_bytes`` + 1 read, whatever its size claims)."""
    check_size(uploaded.size, max_bytes)
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    check_size(len(data), max_bytes)
    return data


def read_data_file(path_or_bytes, name: str) -> bytes:
    """The bytes of an import (a path on disk, or bytes already read), refused before reading
    when larger than a spreadsheet may be (programs and jGrants files, CSV, XLSX or JSON)."""
    max_bytes = limits().spreadsheet_bytes
    if isinstance(path_or_bytes, bytes):
        size = len(path_or_bytes)
    else:
        size = Path(path_or_bytes).stat().st_size
    if size > max_bytes:
        raise DataImportError([RowError(name, None, "", too_large_message(size, max_bytes))])
    if isinstance(path_or_bytes, bytes):
        return path_or_bytes
    return Path(path_or_bytes).read_bytes()


# --- spreadsheets, before and while they are parsed ----------------------------------------


def _refuse(name: str, message: str, row: int | None = None):
    raise DataImportError([RowError(name, row, "", message)])


def check_spreadsheet(data: bytes, name: str) -> None:
    """Refuse a CSV or XLSX whose bytes, unpacked size or number of lines is over the limits,
    before it is parsed (a 300 KB XLSX can unpack to 86 MB; a few MB of CSV to millions of
    rows)."""
    limit = limits()
    if len(data) > limit.spreadsheet_bytes:
        _refuse(name, too_large_message(len(data), limit.spreadsheet_bytes))
    if name.lower().endswith(".xlsx"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            entries = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError):
            _refuse(name, _("XLSX ファイルとして読めません。"))
        if len(entries) > limit.archive_entries:
            _refuse(
                name,
                _("XLSX の中身のファイルが多すぎます（%(n)s 個、上限 %(max)s 個）。")
                % {"n": len(entries), "max": limit.archive_entries},
            )
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > limit.unpacked_bytes:
            _refuse(
                name,
                _(
                    "XLSX を展開すると大きすぎます（%(size)s MB、上限 %(max)s MB）。"
                    "行や列を減らすか、CSV に分けてください。"
                )
                % {"size": f"{unpacked / MB:.0f}", "max": _megabytes(limit.unpacked_bytes)},
            )
    else:
        lines = data.count(b"\n")
        # A cell may hold line breaks, so lines may outnumber rows: allow four lines a row.
        if lines > limit.rows * 4:
            _refuse(name, too_many_rows_message(lines, limit.rows))


def too_many_rows_message(rows: int, max_rows: int) -> str:
    return _("行が多すぎます（%(rows)s 行以上、上限 %(max)s 行）。ファイルを分けてください。") % {
        "rows": rows,
        "max": max_rows,
    }


class Deadline:
    """Parsing bounded in time: ``check()`` raises DataImportError once ``seconds`` passed."""

    def __init__(self, name: str, seconds: float | None = None):
        self.name = name
        self.seconds = limits().parse_seconds if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def check(self, row: int | None = None) -> None:
        if time.monotonic() > self.ends:
            _refuse(
                self.name,
                _("%(s)s 秒以内に読み終わりませんでした。ファイルを分けてください。")
                % {"s": f"{self.seconds:g}"},
                row,
            )


def count_rows(rows, name: str, *, max_rows: int | None = None, deadline: Deadline | None = None):
    """Yield from ``rows``, refusing the file past ``max_rows`` rows or its deadline."""
    max_rows = limits().rows if max_rows is None else max_rows
    deadline = deadline or Deadline(name)
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            _refuse(name, too_many_rows_message(count, max_rows))
        if count % 100 == 0:
            deadline.check(count)
        yield row


# --- PDFs ---------------------------------------------------------------------------------

# Keys and names that make a PDF act rather than show: scripts, attached files, launching
# programs, forms that submit, rich media.
_SCRIPT_KEYS = {"/JS", "/JavaScript"}
_FILE_KEYS = {"/EmbeddedFiles", "/EmbeddedFile"}
_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit",
    "/ImportData": "launch",
    "/RichMediaExecute": "javascript",
}


def _pdf_reason(code: str) -> str:
    return {
        "encrypted": _(
            "パスワードや暗号化のかかった PDF は添付できません。保護を外して保存し直してください。"
        ),
        "javascript": _(
            "JavaScript を含む PDF は添付できません。印刷機能などで PDF を作り直してください。"
        ),
        "embedded_file": _(
            "ほかのファイルを埋め込んだ PDF は添付できません。"
            "埋め込みを外すか、別の PDF にしてください。"
        ),
        "launch": _("プログラムを起動する動作を含む PDF は添付できません。"),
        "submit": _("データを送信するフォームを含む PDF は添付できません。"),
        "not_pdf_content": _(
            "ファイルの中身が PDF ではありません（拡張子だけ .pdf になっています）。"
        ),
        "no_pages": _("ページのない PDF は添付できません。"),
        "malformed": _("PDF が壊れているため読めません。"),
        "too_complex": _(
            "PDF の構造が複雑すぎて確認できません。印刷機能などで作り直してください。"
        ),
    }[code]


def _refuse_pdf(code: str):
    raise ValidationError(_pdf_reason(code), code=code)


def _walk_pdf(reader, max_objects: int, deadline_seconds: float) -> str | None:
    """The first active content found in the PDF's object graph, or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    ends = time.monotonic() + deadline_seconds
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > max_objects or (visited % 1000 == 0 and time.monotonic() > ends):
            return "too_complex"
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in _SCRIPT_KEYS:
                    return "javascript"
                if name in _FILE_KEYS:
                    return "embedded_file"
                if name == "/S" and isinstance(value, NameObject) and value in _ACTIONS:
                    return _ACTIONS[value]
                if name == "/Subtype" and value == "/FileAttachment":
                    return "embedded_file"
                if name == "/Parent":
                    continue  # the tree is walked from its root
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that is not one, is encrypted, has no pages, or carries JavaScript,
    embedded files or launch actions (ValidationError with the reason as its code)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    if not data.startswith(b"%PDF-"):
        _refuse_pdf("not_pdf_content")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _refuse_pdf("encrypted")
        if len(reader.pages) == 0:
            _refuse_pdf("no_pages")
        found = _walk_pdf(reader, limits().pdf_objects, limits().parse_seconds)
    except ValidationError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValidationError(_pdf_reason("malformed"), code="malformed") from exc
    except RecursionError as exc:
        raise ValidationError(_pdf_reason("too_complex"), code="too_complex") from exc
    if found:
        _refuse_pdf(found)


# --- files on disk ------------------------------------------------------------------------


def remove_files_on_delete(model, *field_names: str) -> None:
    """When a row of ``model`` is deleted (itself or by a cascade), remove its files from
    storage once the deletion commits (a rolled-back deletion keeps them)."""

    def remove(sender, instance, **kwargs):
        for field_name in field_names:
            file = getattr(instance, field_name)
            if file and file.name:
                transaction.on_commit(partial(file.storage.delete, file.name))

    post_delete.connect(remove, sender=model, weak=False, dispatch_uid=f"remove-files-{model}")

"""Issue 11 (3): uploads that cannot take the server down — sizes checked before reading,
spreadsheets checked for their unpacked size and rows before parsing, parsing bounded in
time, PDFs that act (JavaScript, embedded files, launch actions) or are encrypted refused
with their reason, files removed from disk with their rows."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from renkei.lib import spreadsheets, uploads
from renkei.lib.imports import DataImportError


def _xlsx_bomb(unpacked_mb):
    """A small XLSX whose sheet unpacks to ``unpacked_mb`` MB (the shape of the 300 KB file
    that unpacked to 86 MB and took 68 s)."""
    buffer = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    body = row * (unpacked_mb * 1024 * 1024 // len(row))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + body)
    return buffer.getvalue()


def _message(excinfo):
    return " ".join(str(e) for e in excinfo.value.errors)


def test_an_xlsx_that_unpacks_too_large_is_refused_before_parsing():
    data = _xlsx_bomb(86)
    assert len(data) < 400 * 1024
    started = time.monotonic()
    with pytest.raises(DataImportError) as refused:
        spreadsheets.read_table(data, "bomb.xlsx", ["code"])
    assert time.monotonic() - started < 2
    assert "展開すると大きすぎます（86 MB、上限 20 MB）" in _message(refused)


def test_a_spreadsheet_over_the_size_limit_is_refused(settings):
    settings.RENKEI_SPREADSHEET_MAX_BYTES = 1024
    with pytest.raises(DataImportError) as refused:
        spreadsheets.read_table(b"code\n" + b"a\n" * 1000, "big.csv", ["code"])
    assert "上限" in _message(refused)


def test_a_csv_with_too_many_rows_is_refused_before_parsing(settings):
    settings.RENKEI_SPREADSHEET_MAX_ROWS = 100
    with pytest.raises(DataImportError) as refused:
        spreadsheets.read_table(b"code\n" + b"a\n" * 1000, "rows.csv", ["code"])
    assert "行が多すぎます" in _message(refused) and "上限 100 行" in _message(refused)


def test_rows_are_counted_while_parsing_too(settings):
    settings.RENKEI_SPREADSHEET_MAX_ROWS = 100
    # multi-line cells: few rows by lines, but rows are still counted as they are read
    data = b"code\n" + b'"a\nb"\n' * 150
    with pytest.raises(DataImportError) as refused:
        spreadsheets.read_table(data, "rows.csv", ["code"])
    assert "行が多すぎます" in _message(refused)


def test_an_xlsx_declaring_too_many_rows_is_refused(settings):
    settings.RENKEI_SPREADSHEET_MAX_ROWS = 10
    buffer = io.BytesIO()
    spreadsheets.write_xlsx(buffer, ["code"], [{"code": str(n)} for n in range(50)])
    with pytest.raises(DataImportError) as refused:
        spreadsheets.read_table(buffer.getvalue(), "rows.xlsx", ["code"])
    assert "行が多すぎます" in _message(refused)


def test_parsing_is_bounded_in_time(settings):
    settings.RENKEI_PARSE_SECONDS = 0
    with pytest.raises(DataImportError) as refused:
        spreadsheets.read_table(b"code\n" + b"a\n" * 500, "slow.csv", ["code"])
    assert "秒以内に読み終わりませんでした" in _message(refused)


def test_a_good_spreadsheet_still_reads():
    rows = spreadsheets.read_table("code,name\nA,稲\n".encode(), "ok.csv", ["code"])
    assert rows == [(2, {"code": "A", "name": "稲"})]


def test_an_upload_field_refuses_a_large_file_from_its_size_alone(settings):
    settings.RENKEI_SPREADSHEET_MAX_BYTES = 10

    class Unread(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before its size was checked")

    field = uploads.UploadField()
    with pytest.raises(ValidationError) as refused:
        field.clean(Unread("x.csv", b"a" * 100))
    assert refused.value.code == "too_large"
    with pytest.raises(ValidationError) as wrong_kind:
        field.clean(SimpleUploadedFile("x.exe", b"a"))
    assert wrong_kind.value.code == "kind"


# --- PDFs ---------------------------------------------------------------------------------


def open_with_script(writer):
    """JavaScript run when the PDF opens, in the document's names tree (where add_js of older
    pypdf put it) and as its /OpenAction."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('x');"),
            }
        )
    )
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(names)}
    )


def _pdf(change=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_plain_pdf_passes():
    uploads.check_pdf(_pdf())


@pytest.mark.parametrize(
    ("change", "code", "reason"),
    [
        (open_with_script, "javascript", "JavaScript を含む PDF"),
        (lambda w: w.add_attachment("a.exe", b"MZ"), "embedded_file", "埋め込んだ PDF"),
        (lambda w: w.encrypt("secret"), "encrypted", "暗号化"),
    ],
)
def test_a_pdf_that_acts_or_is_locked_is_refused_with_its_reason(change, code, reason):
    with pytest.raises(ValidationError) as refused:
        uploads.check_pdf(_pdf(change))
    assert refused.value.code == code
    assert reason in refused.value.messages[0]


def test_a_launch_action_on_opening_is_refused():
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def launch(writer):
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    with pytest.raises(ValidationError) as refused:
        uploads.check_pdf(_pdf(launch))
    assert refused.value.code == "launch"


def test_something_that_is_not_a_pdf_is_refused():
    with pytest.raises(ValidationError) as refused:
        uploads.check_pdf(b"MZ\x90\x00 not a pdf")
    assert refused.value.code == "not_pdf_content"


def test_xlsx_files_are_parsed_without_entity_expansion():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # defusedxml is a dependency; openpyxl then refuses XML bombs

"""Tabular files (CSV, XLSX) that open safely in Excel and read back exactly.

A cell that starts with = + - @ (or a tab, carriage return or apostrophe) is written with a
leading apostrophe, so a spreadsheet never runs it as a formula (CSV injection); reading
removes that one apostrophe again, so export → import round-trips.
"""

import csv
import io
import math
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from renkei.lib import uploads
from renkei.lib.imports import DataImportError, Errors, RowError, check_header, decode, read_csv

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(value):
    # A count or an amount with no fraction is written as a whole number (29, not 29.00 or
    # 29.0): a Decimal column or a float from an average keeps its digits only when it has any.
    if isinstance(value, Decimal | float) and math.isfinite(value) and value == int(value):
        value = int(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_DANGEROUS) else text


def restore(value):
    return value[1:] if value.startswith("'") else value


def write_csv(stream, header, rows, *, comment=None):
    """UTF-8 with BOM (Excel reads it as UTF-8), every cell neutralised. Rows are dicts by
    column or sequences in the header's order; ``comment`` is a ``# …`` line above the
    header."""
    stream.write("\ufeff")
    if comment:
        stream.write(f"# {comment}\r\n")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        values = [row.get(column) for column in header] if isinstance(row, dict) else row
        writer.writerow([neutralise(value) for value in values])


def write_open_data_csv(stream, header, rows):
    """An open-data CSV (every download and export of public figures): write_csv with the
    portal's licence line, ``# licence: `` and settings.RENKEI_DATA_LICENCE."""
    write_csv(stream, header, rows, comment=f"licence: {settings.RENKEI_DATA_LICENCE}")


def write_xlsx(path_or_stream, header, rows, title="data"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(row.get(column)) for column in header])
    workbook.save(path_or_stream)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data, name, required_columns, *, headers=None, excel=False):
    """(row number, {column: text}) of a CSV or XLSX upload, by its file name's extension.

    The bytes are checked before parsing (size, the XLSX's unpacked size, the number of
    lines) and parsing is bounded in rows and time (renkei.lib.uploads). ``headers`` (an
    imports.Headers) accepts other names for the columns, such as Japanese labels, and
    keys the rows by the columns' own names; ``excel``: a CSV may also be in CP932
    (Shift_JIS, as Excel saves it on Japanese Windows)."""
    uploads.check_spreadsheet(data, name)
    deadline = uploads.Deadline(name)
    if name.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            declared_rows = sheet.max_row or 0
        except Exception as exc:
            raise DataImportError(
                [RowError(name, None, "", _("XLSX ファイルとして読めません。"))]
            ) from exc
        if declared_rows > uploads.limits().rows + 1:
            raise DataImportError(
                [
                    RowError(
                        name,
                        None,
                        "",
                        uploads.too_many_rows_message(declared_rows - 1, uploads.limits().rows),
                    )
                ]
            )
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(v) for v in next(rows, [])]
        errors = Errors(name)
        if headers is None:
            for column in required_columns:
                if column not in header:
                    errors.add(
                        1, column, _("必須の列「%(name)s」がありません。") % {"name": column}
                    )
        else:
            check_header([h for h in header if h], required_columns, errors, headers)
            header = [headers(h) if h else h for h in header]
        errors.raise_if_any()
        result = []
        bounded = uploads.count_rows(rows, name, deadline=deadline)
        for number, values in enumerate(bounded, start=2):
            cells = [_cell(v) for v in values]
            if not any(cells):
                continue
            cells += [""] * (len(header) - len(cells))
            result.append(
                (number, {h: restore(c) for h, c in zip(header, cells, strict=False) if h})
            )
        return result
    text = decode(data, name, excel=excel)
    return [
        (line, {k: restore(v) for k, v in row.items()})
        for line, row in read_csv(text, name, required_columns, deadline=deadline, headers=headers)
    ]

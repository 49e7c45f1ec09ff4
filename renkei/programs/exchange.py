"""Export and import the program catalogue: CSV, XLSX and JSON, round-tripping exactly.

The columns, how a list is written in a cell and which columns a file must have all come
from ProgramData (records.py). Import validates every row with the same model the data set
uses, checks codes are unique and ministries known, and writes nothing unless everything is
valid (then all of it in one transaction, upserting by the stable program code).
"""

import json
import typing

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from pydantic import ValidationError

from renkei.lib import spreadsheets, uploads
from renkei.lib.imports import DataImportError, Errors, RowError, decode, pydantic_errors
from renkei.programs.actions import check_pathways, resolve_ministries, upsert_programs
from renkei.programs.models import Program, ProgramAlias
from renkei.programs.records import (
    NESTED_FIELDS,
    ProgramData,
    dump,
    fields_of,
    program_data,
)

# The columns of a table are the fields of ProgramData: one cell per plain field, a list of
# choices space-separated, a list of words 「、」-separated, a list of records as JSON.
JSON_COLUMNS = NESTED_FIELDS
COLUMNS = [name for name in fields_of(ProgramData) if name not in JSON_COLUMNS] + JSON_COLUMNS
REQUIRED = [
    name
    for name, info in ProgramData.model_fields.items()
    if name in COLUMNS
    and (info.is_required() or (info.json_schema_extra or {}).get("required_column"))
]


def _separator(name):
    """How a list field is written in one cell: words with 「、」, choice values with spaces."""
    annotation = ProgramData.model_fields[name].annotation
    if name in JSON_COLUMNS or typing.get_origin(annotation) is not list:
        return None
    (item,) = typing.get_args(annotation)
    return "、" if item is str else " "


LIST_SEPARATORS = {name: _separator(name) for name in COLUMNS if _separator(name)}
FORMATS = ("csv", "xlsx", "json")


def export_records():
    programs = Program.objects.with_details().order_by("menu_order", "code")
    return [program_data(p) for p in programs]


def _cell(column, value):
    if column in JSON_COLUMNS:
        return json.dumps(value, ensure_ascii=False) if value else ""
    if column in LIST_SEPARATORS:
        return LIST_SEPARATORS[column].join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _row(record):
    return {column: _cell(column, value) for column, value in dump(record).items()}


def export_programs(fmt, target):
    """Write the catalogue to ``target`` (a text stream for csv/json, a path or binary stream
    for xlsx). Returns how many programs were written."""
    records = export_records()
    if fmt == "json":
        payload = [dump(r) for r in records]
        json.dump(payload, target, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    elif fmt == "csv":
        spreadsheets.write_csv(target, COLUMNS, [_row(r) for r in records])
    elif fmt == "xlsx":
        spreadsheets.write_xlsx(target, COLUMNS, [_row(r) for r in records], title="programs")
    else:
        raise ValueError(fmt)
    return len(records)


def _from_row(row):
    """A table row's text cells as the input of ProgramData."""
    data = {k: v for k, v in row.items() if k in COLUMNS and v != ""}
    column_errors = []
    for column, separator in LIST_SEPARATORS.items():
        if column in data:
            text = data[column].replace("\n", separator)
            data[column] = [item for item in text.split(separator) if item]
    for column in JSON_COLUMNS:
        if column in data:
            try:
                data[column] = json.loads(data[column])
            except json.JSONDecodeError as exc:
                column_errors.append((column, _("JSON として読めません: %(e)s") % {"e": exc.msg}))
                data.pop(column)
    return data, column_errors


def parse_file(path_or_bytes, name):
    """ProgramData records of an uploaded file, or DataImportError with every problem."""
    data = uploads.read_data_file(path_or_bytes, name)
    errors = Errors(name)
    items = []
    if name.lower().endswith(".json"):
        try:
            payload = json.loads(decode(data, name))
        except json.JSONDecodeError as exc:
            raise DataImportError(
                [
                    RowError(
                        name,
                        exc.lineno,
                        "",
                        _("JSON の形式が正しくありません: %(e)s") % {"e": exc.msg},
                    )
                ]
            ) from exc
        if isinstance(payload, dict):
            payload = payload.get("programs")
        if not isinstance(payload, list):
            raise DataImportError([RowError(name, None, "", _("施策の配列（リスト）が必要です。"))])
        items = [(index + 1, item, []) for index, item in enumerate(payload)]
    elif name.lower().endswith((".csv", ".xlsx")):
        for number, row in spreadsheets.read_table(data, name, REQUIRED):
            item, column_errors = _from_row(row)
            items.append((number, item, column_errors))
    else:
        raise DataImportError(
            [
                RowError(
                    name, None, "", _("CSV・XLSX・JSON のいずれかのファイルを指定してください。")
                )
            ]
        )
    records, seen = [], {}
    for number, item, column_errors in items:
        for column, message in column_errors:
            errors.add(number, column, message)
        if not isinstance(item, dict):
            errors.add(number, "", _("施策はオブジェクトで指定してください。"))
            continue
        try:
            record = ProgramData.model_validate({**item, "__line__": number})
        except ValidationError as exc:
            errors.extend(pydantic_errors(exc, name, number))
            continue
        if record.code in seen:
            errors.add(
                number,
                "code",
                _("施策コード「%(c)s」が %(l)s 行目と重複しています。")
                % {"c": record.code, "l": seen[record.code]},
            )
            continue
        seen[record.code] = number
        records.append(record)
    check_aliases(records, errors)
    ministries, errors = resolve_ministries(records, name, errors)
    check_pathways(records, name, errors).raise_if_any()
    return records, ministries


def check_aliases(records, errors):
    """An alias names one program: unique in the file and not another program's already
    (the catalogue refuses both), so a dry run refuses what the real import would."""
    codes = {record.code for record in records}
    taken = dict(
        ProgramAlias.objects.exclude(program__code__in=codes).values_list("name", "program__code")
    )
    seen = {}
    for record in records:
        for alias in record.aliases:
            if alias.name in seen:
                errors.add(
                    record.line,
                    "aliases",
                    _("別名「%(n)s」が %(l)s 行目と重複しています。")
                    % {"n": alias.name, "l": seen[alias.name]},
                )
            elif alias.name in taken:
                errors.add(
                    record.line,
                    "aliases",
                    _("別名「%(n)s」は施策「%(c)s」が使っています。")
                    % {"n": alias.name, "c": taken[alias.name]},
                )
            seen.setdefault(alias.name, record.line)


def import_programs(path_or_bytes, name, *, actor=None, dry_run=False):
    """Validate a whole file, then upsert every program (or, with dry_run, nothing)."""
    records, ministries = parse_file(path_or_bytes, name)
    existing = set(
        Program.objects.filter(code__in=[r.code for r in records]).values_list("code", flat=True)
    )
    if dry_run:
        return {"created": len(records) - len(existing), "updated": len(existing), "dry_run": True}
    return upsert_programs(records, actor=actor, source=name, ministries=ministries)

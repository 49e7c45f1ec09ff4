"""Load the ministries and support programs of the source document (data/source/*.yaml).

programs.yaml is written in the fields of ProgramData (renkei/programs/records.py), the
shape export and import use too; it is loaded through the same upsert as an import."""

from django.utils.translation import gettext as _
from pydantic import ValidationError

from renkei.lib.imports import Errors, pydantic_errors, read_yaml
from renkei.lib.schemas import Record, Slug, Text
from renkei.programs.actions import upsert_programs
from renkei.programs.pathways import load_pathways
from renkei.programs.records import ProgramData
from renkei.regions.models import Organization


class MinistryRecord(Record):
    name: Text
    code: Slug
    short_name: Text
    name_en: str = ""
    website: str = ""


def _parse_list(data, key, model, errors, source_line=None):
    records = []
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        errors.add(source_line, key, _("「%(key)s」のリストがありません。") % {"key": key})
        return records
    for index, item in enumerate(items):
        line = item.get("__line__") if isinstance(item, dict) else None
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            errors.extend(
                pydantic_errors(exc, errors.source, line, prefix=f"{key}[{index}]", data=item)
            )
    return records


def parse_ministries(path):
    errors = Errors(path.name)
    data = read_yaml(path)
    records = _parse_list(data, "ministries", MinistryRecord, errors)
    seen = set()
    for record in records:
        if record.name in seen:
            errors.add(record.line, "name", _("「%(n)s」が重複しています。") % {"n": record.name})
        seen.add(record.name)
    errors.raise_if_any()
    return records


def parse_programs(path, ministry_names):
    """The ProgramData records of programs.yaml and the file's other keys (``document``…).

    Beyond what ProgramData checks, codes and names (aliases included) must be unique in the
    file and each ministry must be one of ministries.yaml."""
    errors = Errors(path.name)
    data = read_yaml(path)
    records = _parse_list(data, "programs", ProgramData, errors)
    codes, names = {}, {}
    for record in records:
        if record.code in codes:
            errors.add(
                record.line,
                "code",
                _("施策コード「%(c)s」が %(l)s 行目と重複しています。")
                % {"c": record.code, "l": codes[record.code]},
            )
        codes[record.code] = record.line
        for name, line in [(record.name, record.line)] + [(a.name, a.line) for a in record.aliases]:
            if name in names:
                errors.add(
                    line,
                    "name",
                    _("名称「%(n)s」が %(l)s 行目と重複しています。")
                    % {"n": name, "l": names[name]},
                )
            names[name] = line
        if record.ministry not in ministry_names:
            errors.add(
                record.line,
                "ministry",
                _("府省「%(m)s」は ministries.yaml にありません。") % {"m": record.ministry},
            )
    errors.raise_if_any()
    meta = {k: v for k, v in data.items() if k not in {"programs", "__line__"}}
    return records, meta


def load_programs(source_dir):
    """Create the ministries and the programs of the data set; returns counts."""
    ministry_records = parse_ministries(source_dir / "ministries.yaml")
    records, meta = parse_programs(source_dir / "programs.yaml", {m.name for m in ministry_records})
    document = meta.get("document", "")
    for record in ministry_records:
        Organization.objects.create(
            name=record.name,
            code=record.code,
            short_name=record.short_name,
            name_en=record.name_en,
            kind=Organization.Kind.MINISTRY,
            website=record.website,
            source=document,
        )
    upsert_programs(records, source="programs.yaml")
    relations = load_pathways(source_dir / "pathways.yaml")
    return {
        "programs": len(records),
        "budget_lines": sum(len(r.budget_lines) for r in records),
        "contacts": sum(len(r.contacts) for r in records),
        "pathways": relations,
    }

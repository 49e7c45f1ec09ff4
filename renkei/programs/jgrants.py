"""Import subsidies from responses of Japan's public subsidy API, jGrants.

Field names: renkei/data/reference/jgrants_api_field_reference.json. jGrants subsidies are
for businesses, so they are imported as programs for ②民間事業者等, with their call period
and the credit line the API's terms require: 「Jグランツ（jGrants）からの出典」.
"""

import datetime
import json
import re

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from pydantic import ValidationError

from renkei.lib import uploads
from renkei.lib.imports import DataImportError, Errors, RowError, decode, pydantic_errors
from renkei.programs.actions import upsert_programs
from renkei.programs.models import Program
from renkei.programs.records import CallData, ProgramData
from renkei.regions.models import Organization

CREDIT = "Jグランツ（jGrants）からの出典"
DETAIL_URL = "https://www.jgrants-portal.go.jp/subsidy/{id}"
SEPARATOR = " / "
STAGE_BY_PURPOSE = {
    "研究開発・実証事業を行いたい": "research",
    "人材育成を行いたい": "human_resources",
    "設備整備・IT導入をしたい": "facilities",
    "新たな事業を行いたい": "implementation",
    "販路拡大・海外展開をしたい": "implementation",
}
_ID_RE = re.compile(r"^[A-Za-z0-9]{6,40}$")


def _items(payload):
    if isinstance(payload, dict) and "result" in payload:
        payload = payload["result"]
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        return None
    return payload


def _datetime(value):
    if not value:
        return None
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _split(value):
    return [v.strip() for v in (value or "").split(SEPARATOR) if v.strip()]


def to_program(item, institutions):
    """The ProgramData of one jGrants subsidy (list item or detail)."""
    subsidy_id = str(item.get("id") or "")
    if not _ID_RE.match(subsidy_id):
        raise ValueError(_("id「%(v)s」が jGrants の補助金IDではありません。") % {"v": subsidy_id})
    purposes = _split(item.get("use_purpose"))
    stage = next((STAGE_BY_PURPOSE[p] for p in purposes if p in STAGE_BY_PURPOSE), "")
    limit = item.get("subsidy_max_limit")
    if limit not in (None, "") and not isinstance(limit, int | float):
        raise ValueError(_("subsidy_max_limit は数値で指定してください。"))
    if limit is not None and limit < 0:
        raise ValueError(_("subsidy_max_limit に負の値は使えません。"))
    institution = (item.get("institution_name") or "").strip()
    description = " ".join(
        part
        for part in (item.get("subsidy_catch_phrase"), strip_tags(item.get("detail") or ""))
        if part
    )
    opens, closes = (
        _datetime(item.get("acceptance_start_datetime")),
        _datetime(item.get("acceptance_end_datetime")),
    )
    area = " ".join(
        p for p in (item.get("target_area_search"), item.get("target_area_detail")) if p
    )
    return ProgramData(
        code=f"jgrants-{subsidy_id.lower()}",
        name=item.get("title") or "",
        ministry=institution if institution in institutions else "",
        department=_("実施機関: %(name)s") % {"name": institution} if institution else "",
        description=re.sub(r"\s+", " ", description).strip(),
        stage=stage,
        applicant_types=["company"],
        url=item.get("front_subsidy_detail_page_url") or DETAIL_URL.format(id=subsidy_id),
        keywords=purposes + _split(item.get("industry")),
        subsidy_max_thousand_yen=int(limit) // 1000 if limit else None,
        subsidy_rate=item.get("subsidy_rate") or "",
        target_area=area,
        external_id=subsidy_id,
        credit=CREDIT,
        source_reference=_("Jグランツ（jGrants）公開API %(name)s")
        % {"name": item.get("name") or subsidy_id},
        call_periods=[CallData(title=item.get("title") or "", opens_at=opens, closes_at=closes)]
        if opens or closes
        else [],
    )


def parse_jgrants(path_or_bytes, name):
    data = uploads.read_data_file(path_or_bytes, name)
    try:
        payload = json.loads(decode(data, name))
    except json.JSONDecodeError as exc:
        raise DataImportError(
            [
                RowError(
                    name, exc.lineno, "", _("JSON の形式が正しくありません: %(e)s") % {"e": exc.msg}
                )
            ]
        ) from exc
    items = _items(payload)
    if items is None:
        raise DataImportError(
            [RowError(name, None, "result", _("jGrants の応答（result の配列）が必要です。"))]
        )
    institutions = set(Organization.objects.filter(is_active=True).values_list("name", flat=True))
    errors, records, seen = Errors(name), [], set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.add(number, "", _("補助金はオブジェクトで指定してください。"))
            continue
        try:
            record = to_program(item, institutions)
        except ValidationError as exc:
            errors.extend(pydantic_errors(exc, name, number))
            continue
        except ValueError as exc:
            errors.add(number, "", str(exc))
            continue
        if record.code in seen:
            errors.add(
                number, "id", _("補助金ID「%(v)s」が重複しています。") % {"v": record.external_id}
            )
            continue
        seen.add(record.code)
        records.append(record)
    errors.raise_if_any()
    return records


def import_jgrants(path_or_bytes, name, *, actor=None, dry_run=False):
    records = parse_jgrants(path_or_bytes, name)
    existing = set(
        Program.objects.filter(code__in=[r.code for r in records]).values_list("code", flat=True)
    )
    if dry_run:
        return {"created": len(records) - len(existing), "updated": len(existing), "dry_run": True}
    return upsert_programs(records, actor=actor, source=f"jgrants:{name}")

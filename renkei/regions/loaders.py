"""Load prefectures, municipalities and schools from the CSVs under renkei/data/reference.

Each loader validates every row (codes, check digits, required fields, duplicates, links
between files) and raises DataImportError with all problems before writing anything.
"""

import datetime
import re

from django.utils.translation import gettext as _

from renkei.lib.imports import Errors, read_csv, read_text
from renkei.regions.models import (
    ContactWindow,
    Municipality,
    Organization,
    Prefecture,
    Topic,
    WindowTopic,
    block_of,
)
from renkei.regions.validators import is_valid_lg_code

PREFECTURE_COLUMNS = ["lgcode", "jis_x0401", "kind", "pref", "name", "name_kana", "name_en",
                      "iso3166_2", "url"]  # fmt: skip
PREFJP_COLUMNS = ["pid", "pref", "prefshort", "lgcode", "capital", "lat", "lng"]
MUNICIPALITY_COLUMNS = ["pid", "pref", "city", "citykana", "lat", "lng", "url", "lgcode"]
SCHOOL_COLUMNS = ["学校コード", "学校種", "都道府県番号", "設置区分", "本分校", "学校名",
                  "学校所在地", "属性情報設定年月日", "属性情報廃止年月日"]  # fmt: skip

_SCHOOL_CODE_RE = re.compile(r"^[A-Z]\d{12}$")
_CODE_PREFIX_RE = re.compile(r"^(\w+)\((.+)\)$")
_ESTABLISHMENT = {"1": "national", "2": "public", "3": "private"}


def _float(value):
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _check_lg_code(errors, line, column, code):
    if not is_valid_lg_code(code):
        errors.add(
            line,
            column,
            _("地方公共団体コード「%(code)s」が正しくありません（6桁、検査数字付き）。")
            % {"code": code},
        )
        return False
    return True


def parse_prefectures(list_path, prefjp_path):
    """Prefectures from the 67-body list, with capitals and coordinates from prefjp."""
    errors = Errors(list_path.name)
    rows = read_csv(read_text(list_path), list_path.name, PREFECTURE_COLUMNS)
    extra = {}
    prefjp_errors = Errors(prefjp_path.name)
    for line, row in read_csv(read_text(prefjp_path), prefjp_path.name, PREFJP_COLUMNS):
        code = row["lgcode"].zfill(6)
        if not _check_lg_code(prefjp_errors, line, "lgcode", code):
            continue
        extra[code] = row
    prefectures, seen = [], set()
    for line, row in rows:
        if row["kind"] != "prefecture":
            continue
        code, jis = row["lgcode"], row["jis_x0401"]
        ok = _check_lg_code(errors, line, "lgcode", code)
        if not re.fullmatch(r"\d{2}", jis) or not 1 <= int(jis) <= 47:
            errors.add(
                line, "jis_x0401", _("都道府県コード「%(c)s」が正しくありません。") % {"c": jis}
            )
            ok = False
        elif code[:2] != jis:
            errors.add(line, "lgcode", _("先頭2桁が都道府県コードと一致しません。"))
            ok = False
        if jis in seen:
            errors.add(
                line, "jis_x0401", _("都道府県コード「%(c)s」が重複しています。") % {"c": jis}
            )
            ok = False
        seen.add(jis)
        for column in ("name", "name_kana", "name_en"):
            if not row[column]:
                errors.add(line, column, _("必須項目がありません。"))
                ok = False
        if code not in extra:
            errors.add(line, "lgcode", _("prefjp-utf8.csv に対応する行がありません。"))
            ok = False
        if ok:
            other = extra[code]
            prefectures.append(
                Prefecture(
                    code=jis,
                    lg_code=code,
                    name=row["name"],
                    name_kana=row["name_kana"],
                    name_en=row["name_en"],
                    short_name=other["prefshort"],
                    iso3166_2=row["iso3166_2"],
                    block=block_of(jis),
                    capital=other["capital"],
                    latitude=_float(other["lat"]),
                    longitude=_float(other["lng"]),
                    url=row["url"],
                )
            )
    if len(seen) != 47 and not errors:
        errors.add(None, "", _("都道府県が47件ではありません（%(n)s件）。") % {"n": len(seen)})
    errors.extend(prefjp_errors)
    errors.raise_if_any()
    return prefectures


def parse_municipalities(path, list_path, prefectures):
    """Every municipality and ward; designated cities are marked from the 67-body list."""
    errors = Errors(path.name)
    designated = {
        row["lgcode"]
        for _line, row in read_csv(read_text(list_path), list_path.name, PREFECTURE_COLUMNS)
        if row["kind"] == "designated_city"
    }
    by_name = {p.name: p for p in prefectures}
    municipalities, seen, cities = [], {}, {}
    for line, row in read_csv(read_text(path), path.name, MUNICIPALITY_COLUMNS):
        code, name = row["lgcode"], row["city"]
        ok = _check_lg_code(errors, line, "lgcode", code)
        prefecture = by_name.get(row["pref"])
        if prefecture is None:
            errors.add(line, "pref", _("都道府県「%(p)s」が見つかりません。") % {"p": row["pref"]})
            ok = False
        elif ok and code[:2] != prefecture.code:
            errors.add(line, "lgcode", _("先頭2桁が都道府県と一致しません。"))
            ok = False
        if not name:
            errors.add(line, "city", _("必須項目がありません。"))
            ok = False
        if code in seen:
            errors.add(
                line,
                "lgcode",
                _("コード「%(c)s」が %(l)s 行目と重複しています。") % {"c": code, "l": seen[code]},
            )
            ok = False
        seen[code] = line
        if not ok:
            continue
        parent_name = None
        if code in designated:
            kind = Municipality.Kind.DESIGNATED_CITY
        elif " " in name:
            kind = Municipality.Kind.WARD
            parent_name, name = name.split(" ", 1)
        elif prefecture.name == "東京都" and name.endswith("区"):
            kind = Municipality.Kind.SPECIAL_WARD
        elif name.endswith("市"):
            kind = Municipality.Kind.CITY
        elif name.endswith("町"):
            kind = Municipality.Kind.TOWN
        elif name.endswith("村"):
            kind = Municipality.Kind.VILLAGE
        else:
            errors.add(line, "city", _("市区町村の種別が判定できません: %(n)s") % {"n": name})
            continue
        municipality = Municipality(
            lg_code=code,
            prefecture=prefecture,
            name=name,
            name_kana=row["citykana"].split(" ")[-1],
            kind=kind,
            latitude=_float(row["lat"]),
            longitude=_float(row["lng"]),
            url=row["url"],
        )
        municipality.parent_name = parent_name
        municipality.line = line
        municipalities.append(municipality)
        if kind == Municipality.Kind.DESIGNATED_CITY:
            cities[(prefecture.code, name)] = municipality
    for municipality in municipalities:
        if municipality.parent_name:
            parent = cities.get((municipality.prefecture.code, municipality.parent_name))
            if parent is None:
                errors.add(
                    municipality.line,
                    "city",
                    _("区の属する政令指定都市「%(n)s」が見つかりません。")
                    % {"n": municipality.parent_name},
                )
            municipality.parent = parent
    missing = designated - {m.lg_code for m in cities.values()}
    for code in sorted(missing):
        errors.add(None, "lgcode", _("政令指定都市 %(c)s が一覧にありません。") % {"c": code})
    errors.raise_if_any()
    return municipalities


def _strip_prefix(value):
    """'F1(大学)' → 'F1'."""
    match = _CODE_PREFIX_RE.match(value)
    return match.group(1) if match else value


def _date(errors, line, column, value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.add(line, column, _("日付は YYYY-MM-DD で入力してください。"))
        return None


def parse_schools(path, prefectures):
    """Universities, junior colleges and colleges of technology of the MEXT school list."""
    errors = Errors(path.name)
    by_code = {p.code: p for p in prefectures}
    schools, seen = [], {}
    for line, row in read_csv(read_text(path), path.name, SCHOOL_COLUMNS):
        code = row["学校コード"]
        ok = True
        if not _SCHOOL_CODE_RE.match(code):
            errors.add(
                line, "学校コード", _("学校コード「%(c)s」の形式が正しくありません。") % {"c": code}
            )
            ok = False
        elif code in seen:
            errors.add(
                line,
                "学校コード",
                _("学校コード「%(c)s」が %(l)s 行目と重複しています。")
                % {"c": code, "l": seen[code]},
            )
            ok = False
        seen[code] = line
        school_type = _strip_prefix(row["学校種"])
        if school_type not in Organization.School.values:
            errors.add(line, "学校種", _("学校種「%(v)s」は扱えません。") % {"v": row["学校種"]})
            ok = False
        prefecture = by_code.get(_strip_prefix(row["都道府県番号"]))
        if prefecture is None:
            errors.add(line, "都道府県番号", _("都道府県番号が正しくありません。"))
            ok = False
        establishment = _ESTABLISHMENT.get(_strip_prefix(row["設置区分"]))
        if establishment is None:
            errors.add(line, "設置区分", _("設置区分が正しくありません。"))
            ok = False
        if not row["学校名"]:
            errors.add(line, "学校名", _("必須項目がありません。"))
            ok = False
        closed_on = _date(errors, line, "属性情報廃止年月日", row["属性情報廃止年月日"])
        if not ok:
            continue
        is_active = _strip_prefix(row["本分校"]) != "9"
        schools.append(
            Organization(
                name=row["学校名"],
                kind=Organization.Kind.UNIVERSITY,
                school_code=code,
                school_type=school_type,
                establishment=establishment,
                prefecture=prefecture,
                address=row["学校所在地"],
                is_active=is_active,
                closed_on=closed_on,
                source=_("文部科学省 学校コード（2023年5月1日時点）"),
            )
        )
    errors.raise_if_any()
    return schools


def municipality_finder(municipalities):
    """A function from an address (北海道札幌市北区北８条…) to its municipality or ward.

    Matches the longest municipality name after the prefecture; a county (上川郡) before a
    town's name is skipped. Returns None when nothing matches."""
    by_prefecture = {}
    cities = {m.lg_code: m for m in municipalities if m.parent_id is None}
    for m in municipalities:
        name = m.name
        if m.parent_id is not None:
            parent = m.parent if m.parent is not None else cities.get(m.parent_id)
            name = (parent.name if parent else "") + m.name
        by_prefecture.setdefault(m.prefecture.name, {})[name] = m
    ordered = {
        pref: sorted(names.items(), key=lambda item: -len(item[0]))
        for pref, names in by_prefecture.items()
    }

    def find(address):
        address = (address or "").strip()
        for pref, names in ordered.items():
            if not address.startswith(pref):
                continue
            rest = address[len(pref) :]
            for candidate in (rest, re.sub(r"^.{1,6}?郡", "", rest, count=1)):
                for name, municipality in names:
                    if candidate.startswith(name):
                        return municipality
        return None

    return find


def load_regions(reference_dir):
    """Parse and save prefectures, municipalities and schools (each school placed in its
    municipality by its address); returns the counts."""
    list_path = reference_dir / "jp_prefectures_designated_cities_67.csv"
    prefectures = parse_prefectures(list_path, reference_dir / "prefjp-utf8.csv")
    municipalities = parse_municipalities(
        reference_dir / "localgovjp-utf8.csv", list_path, prefectures
    )
    schools = parse_schools(reference_dir / "mext_school_codes.csv", prefectures)
    Prefecture.objects.bulk_create(prefectures)
    cities = [m for m in municipalities if m.parent is None]
    Municipality.objects.bulk_create(cities)
    Municipality.objects.bulk_create([m for m in municipalities if m.parent is not None])
    find = municipality_finder(municipalities)
    for school in schools:
        school.search_name = school.compute_search_name()
        school.municipality = find(school.address)
    Organization.objects.bulk_create(schools, batch_size=500)
    return {
        "prefectures": len(prefectures),
        "municipalities": len(municipalities),
        "schools": len(schools),
    }


def classify_program_windows():
    """The ministries' windows come from the support programs' contacts (programs stage):
    they handle 補助金・支援施策 for the whole country. Returns how many were classified."""
    windows = ContactWindow.objects.filter(
        organization__kind=Organization.Kind.MINISTRY, topic_links__isnull=True
    )
    count = 0
    for window in windows:
        WindowTopic.objects.create(window=window, topic=Topic.FUNDING)
        window.scope = ContactWindow.Scope.NATIONWIDE
        window.save(update_fields=["scope"])
        count += 1
    return {"program_windows": count}

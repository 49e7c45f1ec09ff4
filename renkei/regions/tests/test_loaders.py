"""The reference CSVs load whole, and a bad row is reported by row and column."""

import shutil

import pytest

from renkei.lib.imports import DataImportError
from renkei.portal.dataset import DATA_DIR
from renkei.regions.loaders import parse_municipalities, parse_prefectures, parse_schools
from renkei.regions.models import Municipality, Organization, Prefecture


@pytest.fixture
def reference(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(DATA_DIR / "reference", target)
    return target


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _errors(excinfo):
    return [str(e) for e in excinfo.value.errors]


def test_the_default_data_has_every_prefecture_municipality_and_university():
    assert Prefecture.objects.count() == 47
    assert Municipality.objects.count() == 1916
    assert Municipality.objects.designated_cities().count() == 20
    assert Municipality.objects.filter(kind="special_ward").count() == 23
    assert Organization.objects.universities().count() == 822
    assert Organization.objects.filter(school_type="G1").count() == 58


def test_wards_belong_to_their_designated_city():
    ward = Municipality.objects.get(lg_code="011011")
    assert ward.name == "中央区" and ward.kind == "ward"
    assert ward.parent.name == "札幌市" and ward.parent.kind == "designated_city"


def test_prefectures_carry_codes_blocks_and_names_in_both_languages():
    niigata = Prefecture.objects.get(code="15")
    assert (niigata.lg_code, niigata.name, niigata.name_en) == ("150002", "新潟県", "Niigata")
    assert niigata.get_block_display() == "中部"
    assert Prefecture.objects.get(code="47").block == "kyushu"


def test_a_closed_university_keeps_its_record_beside_its_successor():
    closed, current = Organization.objects.filter(name="宝塚大学").order_by("is_active")
    assert not closed.is_active and closed.closed_on.isoformat() == "2021-05-27"
    assert current.is_active and current.prefecture.name == "大阪府"


def test_a_wrong_check_digit_is_reported_with_row_and_column(reference):
    _edit(reference / "localgovjp-utf8.csv", ",011002\n", ",011003\n")
    prefectures = parse_prefectures(
        reference / "jp_prefectures_designated_cities_67.csv", reference / "prefjp-utf8.csv"
    )
    with pytest.raises(DataImportError) as excinfo:
        parse_municipalities(
            reference / "localgovjp-utf8.csv",
            reference / "jp_prefectures_designated_cities_67.csv",
            prefectures,
        )
    assert (
        "localgovjp-utf8.csv:2行:lgcode列: 地方公共団体コード「011003」が正しくありません"
        in (_errors(excinfo)[0])
    )


def test_a_missing_column_is_reported_before_any_row(reference):
    _edit(reference / "prefjp-utf8.csv", "capital", "capitol")
    with pytest.raises(DataImportError) as excinfo:
        parse_prefectures(
            reference / "jp_prefectures_designated_cities_67.csv", reference / "prefjp-utf8.csv"
        )
    assert _errors(excinfo) == ["prefjp-utf8.csv:1行:capital列: 必須の列「capital」がありません。"]


def test_a_file_not_in_utf8_is_refused(reference):
    path = reference / "jp_prefectures_designated_cities_67.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932"))
    with pytest.raises(DataImportError) as excinfo:
        parse_prefectures(path, reference / "prefjp-utf8.csv")
    assert "文字コードが UTF-8 ではありません" in _errors(excinfo)[0]


def test_duplicate_school_codes_and_bad_prefectures_are_all_reported(reference):
    path = reference / "mext_school_codes.csv"
    _edit(path, "F101110100029,F1(大学),01(北海道)", "F101110100010,F1(大学),99(不明)")
    prefectures = list(Prefecture.objects.all())
    with pytest.raises(DataImportError) as excinfo:
        parse_schools(path, prefectures)
    errors = _errors(excinfo)
    assert any("学校コード列: 学校コード「F101110100010」が" in e and "重複" in e for e in errors)
    assert any("都道府県番号列" in e for e in errors)


def test_parsing_writes_nothing():
    before = Municipality.objects.count()
    parse_municipalities(
        DATA_DIR / "reference" / "localgovjp-utf8.csv",
        DATA_DIR / "reference" / "jp_prefectures_designated_cities_67.csv",
        list(Prefecture.objects.all()),
    )
    assert Municipality.objects.count() == before

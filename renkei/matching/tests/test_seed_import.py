"""Issue 12, a seeds import that accepts what offices have: Watanabe, liaison officer of
長岡技術科学大学, downloads the Japanese template with its example row, fills it in Excel and
saves it as Excel does (Shift_JIS/CP932 CSV), writing market areas as the site shows them."""

import csv
import io

import pytest
from django.urls import reverse

from renkei.communities.models import StrategyMarketArea
from renkei.lib.imports import DataImportError
from renkei.matching import actions
from renkei.matching.actions.seeds import market_area_names, parse_market_areas
from renkei.matching.models import Seed

JA_HEADER = "番号（必須）,名称（必須）,概要（必須）,開発段階（必須）,市場領域,都道府県,公開範囲\r\n"
HEALTH = "生活習慣改善ヘルスケア、機能性食品、デジタルヘルス"


def upload(client, organization, name, payload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("matching:seed_import"),
        {"organization": organization.pk, "file": SimpleUploadedFile(name, payload)},
    )


def areas_of(code):
    return sorted(Seed.objects.get(code=code).market_areas.values_list("number", flat=True))


def test_the_template_has_japanese_headers_and_an_example_row(client, liaison):
    client.force_login(liaison)
    page = client.get(reverse("matching:my_seeds")).content.decode()
    assert reverse("matching:seed_template") in page and "記入例つき" in page
    response = client.get(reverse("matching:seed_template"))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens it as UTF-8
    header, example = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[:3] == ["番号（必須）", "名称（必須）", "概要（必須）"]
    assert "開発段階（必須）" in header
    assert "市場領域" in header and "code" not in header
    assert example[header.index("名称（必須）")] == "消化汚泥からのリン回収技術"
    assert HEALTH in example[header.index("市場領域")]


def test_the_template_filled_in_imports_and_its_example_row_left_in_is_refused(
    client, liaison, nagaokaut
):
    client.force_login(liaison)
    template = client.get(reverse("matching:seed_template")).content
    response = upload(client, nagaokaut, "template.csv", template)
    assert response.status_code == 400
    assert "template.csv:2行:番号（必須）列: ひな形の記入例の行です。" in response.content.decode()
    assert not Seed.objects.exists()
    filled = template.decode("utf-8").replace("記入例-001", "NUT-001").encode("utf-8")
    assert upload(client, nagaokaut, "seeds.csv", filled).status_code == 302
    seed = Seed.objects.get(code="NUT-001")
    assert seed.stage == "demonstration" and seed.prefecture_id == "15"
    assert areas_of("NUT-001") == [4, 5]


def test_a_shift_jis_csv_saved_by_excel_is_read(client, liaison, nagaokaut):
    client.force_login(liaison)
    payload = (
        JA_HEADER + f"S1,米ぬかの発酵素材,米ぬかを発酵させて食品素材にする,応用,{HEALTH},,\r\n"
    ).encode("cp932")
    response = upload(client, nagaokaut, "excel.csv", payload)
    assert response.status_code == 302
    assert Seed.objects.get(code="S1").title == "米ぬかの発酵素材"
    assert areas_of("S1") == [5]


def test_the_same_file_in_utf8_with_or_without_bom_reads_the_same(liaison, nagaokaut):
    text = JA_HEADER + "U1,微細藻類の培養,光で藻類を培養する,基礎,1,,\r\n"
    for payload in (text.encode("utf-8"), "\ufeff".encode() + text.encode("utf-8")):
        actions.import_seeds(payload, "u.csv", organization=nagaokaut, by=liaison)
    assert Seed.objects.get(code="U1").title == "微細藻類の培養"


def test_a_file_in_neither_encoding_gets_a_clear_japanese_error(liaison, nagaokaut):
    payload = JA_HEADER.encode("utf-8") + b"X1,\x81\x20\xff\xfe,s,basic,,,\r\n"
    with pytest.raises(DataImportError) as excinfo:
        actions.import_seeds(payload, "broken.csv", organization=nagaokaut, by=liaison)
    message = str(excinfo.value)
    assert "broken.csv:2行" in message and "Shift_JIS（CP932）" in message
    assert not Seed.objects.exists()


def test_english_headers_are_still_accepted(liaison, nagaokaut):
    payload = "code,title,summary,stage,market_areas\nE1,木質バイオマス,酵素で糖化,applied,9\n"
    actions.import_seeds(payload.encode(), "en.csv", organization=nagaokaut, by=liaison)
    assert areas_of("E1") == [9]


@pytest.mark.parametrize(
    ("cell", "numbers"),
    [
        (HEALTH, [5]),
        (f"5. {HEALTH}", [5]),
        (f"5.{HEALTH}、1. 高機能バイオ素材", [1, 5]),
        (f"{HEALTH}、高機能バイオ素材", [1, 5]),
        (f"4、{HEALTH}", [4, 5]),
        ("５，１", [1, 5]),
        ("①、②", [1, 2]),
        ("3; 4", [3, 4]),
        ("有機廃棄物・有機排水処理", [4]),
        ("バイオ生産システム（工業・食料生産関連）", [7]),
        ("バイオ生産システム(工業・食料生産関連)", [7]),
        ("bioplastics", [2]),
        ("", []),
    ],
)
def test_market_areas_are_read_by_the_numbers_and_names_the_site_shows(cell, numbers):
    areas, unknown = parse_market_areas(cell, market_area_names())
    assert sorted(a.number for a in areas) == numbers and unknown == []


def test_an_unknown_market_area_is_named_and_nothing_is_written(liaison, nagaokaut):
    payload = JA_HEADER + f"M1,良い行,概要,基礎,{HEALTH},,\r\nM2,悪い行,概要,基礎,10、宇宙,,\r\n"
    with pytest.raises(DataImportError) as excinfo:
        actions.import_seeds(payload.encode(), "m.csv", organization=nagaokaut, by=liaison)
    errors = [str(e) for e in excinfo.value.errors]
    assert errors[0].startswith("m.csv:3行:市場領域列: 市場領域「10」はありません。")
    assert errors[1].startswith("m.csv:3行:市場領域列: 市場領域「宇宙」はありません。")
    assert not Seed.objects.exists()


def test_errors_name_the_columns_as_the_file_does(liaison, nagaokaut):
    payload = JA_HEADER + "J1,,概要,いつか,,,\r\n"
    with pytest.raises(DataImportError) as excinfo:
        actions.import_seeds(payload.encode(), "j.csv", organization=nagaokaut, by=liaison)
    columns = {e.column for e in excinfo.value.errors}
    assert columns == {"名称（必須）", "開発段階（必須）"}


def test_every_market_area_the_site_lists_is_importable(liaison, nagaokaut):
    names = "、".join(str(a) for a in StrategyMarketArea.objects.order_by("number"))
    payload = f'code,title,summary,stage,market_areas\r\nA1,t,s,basic,"{names}"\r\n'
    actions.import_seeds(payload.encode("cp932"), "all.csv", organization=nagaokaut, by=liaison)
    assert areas_of("A1") == list(range(1, 10))

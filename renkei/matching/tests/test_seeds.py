"""Watanabe, liaison officer of 長岡技術科学大学, keeps the university's seeds in renkei."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from renkei.accounts.models import AuditLog
from renkei.matching.models import Seed

SEED = {
    "title": "消化汚泥からのリン回収技術",
    "summary": "下水処理場の消化汚泥からリンを結晶として回収し、肥料原料にする。",
    "problem": "輸入に頼るリン肥料の価格高騰",
    "uses": "下水処理場、肥料メーカー",
    "stage": "demonstration",
    "keywords": "リン回収, 下水汚泥、肥料",
    "prefecture": "15",
    "visibility": "public",
    "code": "NUT-001",
    "kaken_id": "12345678",
}


def test_a_liaison_officer_registers_and_edits_a_seed(client, liaison, nagaokaut):
    client.force_login(liaison)
    assert client.get(reverse("matching:my_seeds")).status_code == 200
    response = client.post(reverse("matching:seed_new"), SEED)
    seed = Seed.objects.get()
    assert response.url == seed.get_absolute_url()
    assert seed.organization == nagaokaut
    assert seed.keywords == "リン回収、下水汚泥、肥料"
    assert seed.created_by == liaison
    client.post(reverse("matching:seed_edit", args=[seed.pk]), {**SEED, "stage": "practical"})
    seed.refresh_from_db()
    assert seed.stage == "practical"
    update = AuditLog.objects.get(action="matching.update_seed")
    assert update.before == {"stage": "demonstration"} and update.after == {"stage": "practical"}
    page = client.get(seed.get_absolute_url()).content.decode()
    assert "消化汚泥からのリン回収技術" in page and "KAKEN" in page


def test_bad_seed_input_gets_clear_messages(client, liaison):
    client.force_login(liaison)
    page = client.post(
        reverse("matching:seed_new"), {**SEED, "title": "", "kaken_id": "12ab", "stage": "soon"}
    ).content.decode()
    assert "このフィールドは必須です。" in page
    assert "KAKEN 研究者番号は8桁の数字です。" in page
    assert not Seed.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "coordinator"])
def test_only_the_organisations_liaison_or_the_secretariat_may_edit_its_seeds(
    persona, request, client, liaison, nagaokaut
):
    seed = Seed.objects.create(
        organization=nagaokaut, title="t", summary="s", stage="basic", prefecture_id="15"
    )
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("matching:seed_edit", args=[seed.pk]), SEED)
    assert response.status_code == 403
    assert client.post(reverse("matching:seed_archive", args=[seed.pk])).status_code == 403
    seed.refresh_from_db()
    assert seed.title == "t" and not seed.archived


def test_the_secretariat_may_edit_any_organisations_seeds(client, secretariat, nagaokaut):
    seed = Seed.objects.create(
        organization=nagaokaut, title="t", summary="s", stage="basic", prefecture_id="15"
    )
    client.force_login(secretariat)
    client.post(reverse("matching:seed_edit", args=[seed.pk]), SEED)
    seed.refresh_from_db()
    assert seed.title == SEED["title"]


def test_visibility_decides_who_sees_a_seed(client, nagaokaut, outsider, coordinator):
    hidden = Seed.objects.create(
        organization=nagaokaut,
        title="未公開の技術",
        summary="s",
        stage="basic",
        prefecture_id="15",
        visibility="coordinators",
    )
    members = Seed.objects.create(
        organization=nagaokaut,
        title="会員向けの技術",
        summary="s",
        stage="basic",
        prefecture_id="15",
        visibility="signed_in",
    )
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(members.get_absolute_url()).status_code == 404
    assert client.get(f"/api/seeds/{members.pk}").status_code == 404
    client.force_login(outsider)
    assert client.get(members.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(coordinator)
    assert client.get(hidden.get_absolute_url()).status_code == 200


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_seed_search_finds_by_other_words_and_the_api_agrees(client, portal_seeds):
    page = client.get(reverse("matching:seeds"), {"q": "カキ 酸素"}).content.decode()
    assert f'href="{portal_seeds["s001"].get_absolute_url()}"' in page
    assert "<mark>酸素</mark>" in page
    data = client.get("/api/seeds", {"q": "カキ 酸素"}).json()
    assert data["results"][0]["id"] in {s.pk for s in portal_seeds.values()}
    assert portal_seeds["s001"].pk in [r["id"] for r in data["results"][:5]]
    hokkaido = client.get("/api/seeds", {"prefecture": "01"}).json()
    assert hokkaido["count"] and all(r["prefecture"] == "01" for r in hokkaido["results"])
    unknown = client.get("/api/seeds", {"prefecture": "48"})
    assert unknown.status_code == 400
    assert unknown.json()["detail"] == [
        {"field": "prefecture", "message": "都道府県コード「48」はありません（01〜47）。"}
    ]
    bad = client.get("/api/seeds", {"stage": "someday"})
    assert bad.status_code == 400
    assert bad.json()["detail"][0]["field"] == "stage"


CSV_HEADER = "code,title,summary,stage,keywords,market_areas,prefecture,visibility\n"


def upload(client, organization, name, payload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("matching:seed_import"),
        {"organization": organization.pk, "file": SimpleUploadedFile(name, payload)},
    )


def test_a_csv_import_creates_and_updates_seeds_by_code(client, liaison, nagaokaut):
    client.force_login(liaison)
    Seed.objects.create(
        organization=nagaokaut,
        code="A1",
        title="old",
        summary="s",
        stage="basic",
        prefecture_id="15",
    )
    payload = (
        CSV_HEADER
        + "A1,微細藻類の高密度培養,光バイオリアクターで藻類を培養する,応用,藻類、培養,,,\n"
        + "A2,発酵副産物の飼料化,焼酎粕を発酵させて飼料にする,実用化,,,新潟県,公開\n"
    ).encode()
    response = upload(client, nagaokaut, "seeds.csv", payload)
    assert response.status_code == 302
    assert Seed.objects.get(code="A1").title == "微細藻類の高密度培養"
    assert Seed.objects.get(code="A2").stage == "practical"
    assert Seed.objects.get(code="A2").prefecture_id == "15"
    assert AuditLog.objects.get(action="matching.import_seeds").after["created"] == 1


def test_a_bad_import_reports_every_row_and_writes_nothing(client, liaison, nagaokaut):
    client.force_login(liaison)
    payload = (
        CSV_HEADER
        + "B1,良い行,概要,基礎,,,,\n"
        + "B2,,概要,いつか,,存在しない領域,ムー大陸,\n"
        + "B1,重複,概要,基礎,,,,\n"
    ).encode()
    response = upload(client, nagaokaut, "seeds.csv", payload)
    assert response.status_code == 400
    page = response.content.decode()
    assert "seeds.csv:3行:title列" in page
    assert "seeds.csv:3行:stage列" in page
    assert "seeds.csv:3行:market_areas列: 市場領域「存在しない領域」はありません。" in page
    assert "seeds.csv:3行:prefecture列" in page
    assert "番号「B1」がファイル内で重複しています。" in page
    assert not Seed.objects.exists()


def test_an_import_with_wrong_columns_is_refused(client, liaison, nagaokaut):
    client.force_login(liaison)
    response = upload(client, nagaokaut, "seeds.csv", b"name,text\nx,y\n")
    assert response.status_code == 400
    assert "必須の列「番号（code）」がありません。" in response.content.decode()
    assert not Seed.objects.exists()


def test_an_xlsx_import_works_like_csv(client, liaison, nagaokaut):
    client.force_login(liaison)
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "title", "summary", "stage", "market_areas"])
    sheet.append(["X1", "木質バイオマスの糖化", "酵素で木材を糖にする", "applied", "1"])
    stream = io.BytesIO()
    book.save(stream)
    assert upload(client, nagaokaut, "seeds.xlsx", stream.getvalue()).status_code == 302
    seed = Seed.objects.get(code="X1")
    assert seed.market_areas.count() == 1


def test_another_organisations_liaison_cannot_import_into_nagaokaut(client, nagaokaut, outsider):
    client.force_login(outsider)
    response = upload(client, nagaokaut, "seeds.csv", (CSV_HEADER + "C1,t,s,基礎,,,,\n").encode())
    assert response.status_code in (403, 404)
    assert not Seed.objects.exists()


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_archived_seeds_leave_search_and_matching(client, secretariat, outsider, portal_seeds):
    from renkei.matching import actions, indexes

    seed = portal_seeds["s001"]
    ranked = indexes.search_seeds("溶存酸素", user=outsider)
    assert seed in [s for s, _r in ranked]
    actions.archive_seed(seed, by=secretariat)
    ranked = indexes.search_seeds("溶存酸素", user=outsider)
    assert seed not in [s for s, _r in ranked]
    assert client.get(seed.get_absolute_url()).status_code == 404


def test_the_command_line_imports_a_file_and_builds_the_index(tmp_path, liaison, nagaokaut):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "seeds.csv"
    path.write_text(CSV_HEADER + "D1,藻類由来の燃料,藻類から油をとる,応用,,,,\n", "utf-8")
    out = StringIO()
    call_command(
        "seeds", "import", str(path), "--organization", nagaokaut.name, "--user", "watanabe",
        "--dry-run", stdout=out,
    )  # fmt: skip
    assert "書き込んでいません" in out.getvalue()
    assert not Seed.objects.exists()
    call_command(
        "seeds", "import", str(path), "--organization", nagaokaut.name, "--user", "watanabe",
        stdout=out,
    )  # fmt: skip
    assert Seed.objects.get().code == "D1"
    path.write_text(CSV_HEADER + "D2,,藻類,応用,,,,\n", "utf-8")
    with pytest.raises(CommandError, match=r"seeds\.csv:2行:title列"):
        call_command(
            "seeds", "import", str(path), "--organization", nagaokaut.name, "--user", "watanabe"
        )
    out = StringIO()
    call_command("seeds", "index", stdout=out)
    assert "seeds: 1 件を索引しました" in out.getvalue()


def test_the_api_seed_search_ranks_without_building_explanations_it_does_not_return(
    client, portal_seeds, monkeypatch
):
    from renkei.matching import engine, mapped

    def no_explanations(*args, **kwargs):
        raise AssertionError("the API does not return explanations")

    monkeypatch.setattr(engine, "explain", no_explanations)
    monkeypatch.setattr(mapped, "explain", no_explanations)
    data = client.get("/api/seeds", {"q": "カキ 酸素"}).json()
    assert portal_seeds["s001"].pk in [r["id"] for r in data["results"][:5]]

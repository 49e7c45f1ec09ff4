"""A university's liaison office (産学連携本部) brings its seeds in from a spreadsheet: from
the start page to its seeds page, a CSV as Excel saves it, and the seeds listed and public."""

import re

import pytest

from e2e.conftest import check

ROWS = [
    {
        "code": "NUT-2026-001",
        "title": "牡蠣殻を原料とするカルシウム肥料の低温焼成技術",
        "summary": "牡蠣殻を600℃以下で焼成し、土壌改良に使える肥料にする。処理コストは従来の半分。",
        "stage": "実証",
        "visibility": "公開",
        "researcher_name": "長岡 一郎",
    },
    {
        "code": "NUT-2026-002",
        "title": "米ぬか由来の発酵セルロースナノファイバー",
        "summary": "醸造で出る米ぬかを発酵させ、食品添加物に使えるナノファイバーを得る。",
        "stage": "応用",
        "visibility": "公開",
        "researcher_name": "越後 花子",
    },
]


def as_csv(columns, encoding):
    lines = [",".join(columns)]
    for row in ROWS:
        lines.append(",".join(f'"{row.get(column, "")}"' for column in columns))
    text = "\r\n".join(lines) + "\r\n"
    return text.encode(encoding)


def upload(page, content, name):
    form = page.locator("main form").filter(has=page.get_by_role("button", name="取り込む"))
    form.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    form.get_by_role("button", name="取り込む").click()
    page.wait_for_load_state()
    check(page)
    alert = page.locator("main [role=alert]")
    return alert.inner_text() if alert.count() else ""


def test_a_liaison_office_imports_its_seeds_from_a_csv(team):
    page = team["yamada"].tab()
    page.goto("/")
    check(page)
    page.get_by_role("link", name="マイページ").first.click()
    page.wait_for_load_state()
    check(page)
    page.get_by_role("link", name=re.compile("シーズの管理|自機関のシーズ")).first.click()
    page.wait_for_load_state()
    check(page)
    assert "長岡技術科学大学" in page.locator("h1").inner_text()

    # The columns are the ones the page lists (a person copies them from there).
    listed = page.locator("main p", has_text="列").locator("code").first.inner_text()
    columns = [c.strip() for c in listed.split(",")]
    assert "code" in columns or "番号" in columns, columns
    english = "code" in columns
    columns = [c for c in columns if not english or c in ROWS[0] or c == "code"]
    if not english:  # a Japanese-headed template: keep the English names it still accepts
        columns = ["code", "title", "summary", "stage", "visibility", "researcher_name"]

    # Excel on a Japanese Windows saves CSV as Shift_JIS (CP932) (issue 12, 7).
    refused_cp932 = upload(page, as_csv(columns, "cp932"), "seeds-sjis.csv")
    if refused_cp932:
        assert "何も登録していません" in refused_cp932
        assert upload(page, as_csv(columns, "utf-8-sig"), "seeds-utf8.csv") == ""
    table = page.locator("main table")
    for row in ROWS:
        assert row["title"] in table.inner_text()

    table.get_by_role("link", name=ROWS[0]["title"]).click()
    page.wait_for_load_state()
    check(page)
    assert ROWS[0]["summary"][:10] in page.locator("main").inner_text()
    page.close()
    if refused_cp932:
        pytest.xfail(
            "a CP932 (Shift_JIS) CSV as Excel saves it is refused by the seeds import"
            f" ({refused_cp932.splitlines()[-1]}): issue 12, 7, owned by helper-15"
        )

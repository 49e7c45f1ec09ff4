"""A university's liaison office (産学連携本部) brings its seeds in from a spreadsheet, as the
page tells it to: from the start page to its seeds page, the template downloaded, its example
row replaced as Excel would, saved as Excel on a Japanese Windows saves CSV (Shift_JIS), and
uploaded; the seeds are listed and public."""

import csv
import io
import re

from e2e.conftest import check

SEEDS = [
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


def columns_of(page):
    """Header → English column name, from the page's list of columns (or the header itself
    when it is already the English name). The list is folded away: its text, not what shows."""
    names = {}
    rows = page.locator("main details table tbody tr")
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        names[cells.nth(0).text_content().strip()] = cells.nth(1).text_content().strip()
    return names


def filled_in(template, names):
    """The template with its example row replaced by SEEDS (empty where we say nothing)."""
    header = next(csv.reader(io.StringIO(template.lstrip("\ufeff"))))
    columns = []
    for heading in header:
        bare = re.sub(r"（必須）$", "", heading).strip()
        columns.append(names.get(heading) or names.get(bare) or bare)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for seed in SEEDS:
        writer.writerow([seed.get(column, "") for column in columns])
    return out.getvalue()


def test_a_liaison_office_imports_its_seeds_from_the_template(team):
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

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("ひな形")).first.click()
    template = download.value.path().read_bytes().decode("utf-8-sig")
    assert len(template.splitlines()) >= 2, "the template has an example row"
    names = columns_of(page)
    assert names.get("番号") == "code", names
    content = filled_in(template, names).encode("cp932")

    form = page.locator("main form").filter(has=page.get_by_role("button", name="取り込む"))
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "シーズ一覧.csv", "mimeType": "text/csv", "buffer": content}]
    )
    form.get_by_role("button", name="取り込む").click()
    page.wait_for_load_state()
    check(page)
    alert = page.locator("main [role=alert]")
    assert not alert.count(), alert.inner_text()
    table = page.locator("main table").first
    for seed in SEEDS:
        assert seed["title"] in table.inner_text()

    table.get_by_role("link", name=SEEDS[0]["title"]).click()
    page.wait_for_load_state()
    check(page)
    assert SEEDS[0]["summary"][:10] in page.locator("main").inner_text()
    page.close()

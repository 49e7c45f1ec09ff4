"""A community's coordinator files the year's maturity report from マイページ; the
secretariat accepts it from theirs."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from e2e.conftest import check

# The fiscal year running (April to March) in 令和: the years before it ship as accepted
# history for 長岡, so the coordinator files this one.
TODAY = datetime.now(ZoneInfo("Asia/Tokyo"))
REIWA = (TODAY.year if TODAY.month >= 4 else TODAY.year - 1) - 2018


def test_a_coordinator_files_the_years_report_and_the_secretariat_accepts_it(team, server):
    page = team["kobayashi"].tab()
    page.goto("/")
    page.get_by_role("link", name="マイページ").first.click()
    page.wait_for_load_state()
    check(page)
    page.get_by_role("link", name=re.compile("年次報告|報告を作成する")).first.click()
    page.wait_for_load_state()
    check(page)
    if page.get_by_role("button", name="報告を作る").count():
        form = page.locator("main form").filter(has=page.get_by_role("button", name="報告を作る"))
        community = form.get_by_label("コミュニティ")
        community.select_option(
            value=community.locator("option", has_text="長岡").first.get_attribute("value")
        )
        # Last year's first: it ships accepted, and the form says so (its error is a list
        # inside an alert, for axe).
        form.get_by_label("年度").fill(f"令和{REIWA - 1}")
        form.get_by_role("button", name="報告を作る").click()
        page.wait_for_load_state()
        check(page)
        assert "既にあります" in page.locator("main [role=alert]").inner_text()
        assert "長岡" in form.get_by_label("コミュニティ").locator("option:checked").inner_text()
        form.get_by_label("年度").fill(f"令和{REIWA}")
        form.get_by_role("button", name="報告を作る").click()
        page.wait_for_load_state()
        check(page)
        assert not page.locator("main [role=alert]").count(), page.locator("main").inner_text()
    assert re.search(f"長岡.*令和{REIWA}年度", page.locator("h1").inner_text()), page.locator(
        "h1"
    ).inner_text()

    # Every value typed: last year's where the table shows one (no change to explain).
    values = page.locator("main form").filter(has=page.get_by_role("button", name="値を保存"))
    rows = values.locator("tbody tr")
    assert rows.count() >= 10
    for i in range(rows.count()):
        row = rows.nth(i)
        previous = row.locator("td.num").inner_text().replace(",", "").strip()
        row.locator("td").first.locator("input").fill(
            previous if re.fullmatch(r"\d+", previous) else "3"
        )
    values.get_by_role("button", name="値を保存").click()
    page.wait_for_load_state()
    check(page)
    assert not page.locator("main [role=alert]").count(), page.locator("main").inner_text()
    page.get_by_role("button", name="事務局に提出する").click()
    page.wait_for_load_state()
    check(page)
    assert "提出" in page.locator("main .badge").first.inner_text()
    page.close()

    sato = team["sato"].tab()
    sato.goto("/")
    sato.get_by_role("link", name="マイページ").first.click()
    sato.wait_for_load_state()
    check(sato)
    sato.get_by_role("link", name=re.compile("確認を待つ成熟度の年次報告")).first.click()
    sato.wait_for_load_state()
    check(sato)
    if not sato.get_by_role("button", name="受理する").count():
        sato.get_by_role("link", name=re.compile(f"長岡.*令和{REIWA}年度")).first.click()
        sato.wait_for_load_state()
        check(sato)
    sato.get_by_role("button", name="受理する").click()
    sato.wait_for_load_state()
    check(sato)
    assert "受理" in sato.locator("main .badge").first.inner_text()
    server.wait_for_mail(team["kobayashi"].email, "受理")
    sato.close()

"""A visitor searches the program catalogue, narrows it with facets and opens a program, on
a desktop and on a phone."""

import pytest

from e2e.conftest import check


@pytest.mark.parametrize("device", ["page", "phone"])
def test_a_visitor_searches_programs_and_narrows_them_with_facets(device, request):
    page = request.getfixturevalue(device)
    page.goto("/")
    check(page)
    page.get_by_role("link", name="支援施策").first.click()
    check(page)
    page.get_by_label("キーワード").first.fill("事業")
    page.get_by_role("button", name="検索").first.click()
    page.wait_for_url("**/programs/search/**")
    check(page)
    results = page.locator("main").get_by_role("link", name="地域活性化人材育成事業")
    assert results.count() >= 1
    results.first.click()
    check(page)
    assert page.locator("h1").inner_text().startswith("地域活性化人材育成事業")

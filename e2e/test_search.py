"""A visitor searches the program catalogue, narrows it with facets and opens a program, on
a desktop and on a phone."""

import re

import pytest

from e2e.conftest import check


def result_count(page):
    return int(re.search(r"(\d+)\s*件の施策", page.locator("#result-count").inner_text()).group(1))


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
    everything = result_count(page)
    assert everything >= 2

    # Narrow by a ministry: the count beside its checkbox is the number of results after.
    facets = page.get_by_role("complementary", name="絞り込み")
    ministry = facets.locator("fieldset").filter(
        has=page.locator("legend", has_text=re.compile("^府省$"))
    )
    choice = ministry.locator("label:not(.zero)").first
    label = choice.inner_text()
    expected = int(re.search(r"\((\d+)\)\s*$", label).group(1))
    assert 0 < expected <= everything
    choice.get_by_role("checkbox").check()
    facets.get_by_role("button", name="この条件で絞り込む").click()
    page.wait_for_url(re.compile(r"ministry="))
    check(page)
    assert result_count(page) == expected
    assert page.get_by_label("キーワード").first.input_value() == "事業"
    chosen = page.get_by_role("complementary", name="絞り込み").get_by_role(
        "checkbox", checked=True
    )
    assert chosen.count() == 1

    # And by a stage (radio or checkboxes alike): never more results than before.
    stage = (
        page.get_by_role("complementary", name="絞り込み")
        .locator("fieldset")
        .filter(has=page.locator("legend", has_text=re.compile("^段階$")))
    )
    stage.locator("label:not(.zero)").filter(has=page.locator("input")).first.locator(
        "input"
    ).check()
    page.get_by_role("complementary", name="絞り込み").get_by_role(
        "button", name="この条件で絞り込む"
    ).click()
    page.wait_for_url(re.compile(r"stage="))
    check(page)
    narrowed = result_count(page)
    assert 1 <= narrowed <= expected
    if device == "phone":
        # Issue 12, 4: on a phone the results come before the facets.
        results_top = page.locator("#result-count").bounding_box()["y"]
        facets_top = page.get_by_role("complementary", name="絞り込み").bounding_box()["y"]
        assert results_top < facets_top, (results_top, facets_top)

    results = page.locator("ol.results h2 a")
    name = results.first.inner_text()
    results.first.click()
    page.wait_for_load_state()
    check(page)
    assert page.locator("h1").inner_text().startswith(name)

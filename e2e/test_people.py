"""The secretariat's first account invites the people a round needs; each accepts from the
mail (the journey itself is the `team` fixture, which the other journeys share)."""

from e2e.conftest import check


def test_the_secretariat_invites_a_coordinator_a_reviewer_and_a_liaison_office(team, server):
    sato = team["sato"]
    page = sato.tab()
    page.goto("/")
    page.get_by_role("link", name="人と役割").first.click()
    page.wait_for_load_state()
    check(page)
    page.get_by_role("link", name="招待の一覧").first.click()
    page.wait_for_load_state()
    check(page)
    rows = page.locator("main table tbody tr")
    for username in ("kobayashi", "tanaka", "yamada"):
        row = rows.filter(has_text=team[username].email)
        assert "受諾済み" in row.inner_text()
    for username in ("kobayashi", "tanaka", "yamada"):
        assert "招待を受け" in server.wait_for_mail(sato.email, f"{username} さんが招待を受け")
    page.close()

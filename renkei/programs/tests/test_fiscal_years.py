"""Fiscal years are first-class: the secretariat rolls the menu into a new year from the
portal — drafts beside last year's figures, edited, published together — and every budget
figure shows every year side by side, with 内数-only groups drawn as such.

Personas: 佐藤 is the secretariat; 伊藤 is a signed-in outsider."""

import re

import pytest
from django.urls import reverse

from renkei.accounts.models import AuditLog
from renkei.programs.budget import budget_overview, budget_summary
from renkei.programs.models import (
    BudgetLine,
    MenuEdition,
    Program,
    ProgramDraft,
    catalogue_fiscal_year,
)


def html(response):
    return response.content.decode()


def draft_form(draft, **changes):
    """The draft's form as the page posts it, with ``changes``."""
    data = {
        "name": draft.name,
        "description": draft.description,
        "department": draft.department,
        "accepts_new_projects": {None: "unknown", True: "true", False: "false"}[
            draft.accepts_new_projects
        ],
        "budget_kind": draft.budget_kind,
        "amount_thousand_yen": ""
        if draft.amount_thousand_yen is None
        else draft.amount_thousand_yen,
        "budget_notes": draft.budget_notes,
        "menu_budget_label": draft.menu_budget_label,
        "url": draft.url,
    }
    flags = {
        name: getattr(draft, name)
        for name in ("included", "for_university", "for_company", "for_local_government", "is_part_of_larger")
    }  # fmt: skip
    flags.update({k: v for k, v in changes.items() if k in flags})
    data.update({k: v for k, v in changes.items() if k not in flags})
    data.update({name: "on" for name, checked in flags.items() if checked})
    return data


class TestRolloverFromThePortal:
    def test_the_secretariat_rolls_the_menu_into_a_new_year_from_draft_to_publication(
        self, login, secretariat, client
    ):
        sato = login(secretariat)
        page = html(sato.get(reverse("programs:editions")))
        assert "公開中の支援メニューは令和4年度です。" in page

        response = sato.post(reverse("programs:edition_new"), {"fiscal_year": 2023})
        edition = MenuEdition.objects.get(fiscal_year=2023)
        assert response["Location"] == edition.get_absolute_url()
        drafts = list(edition.drafts.select_related("program"))
        assert len(drafts) == 12  # the 11 of the menu and the budget table's own item
        co_creation = next(d for d in drafts if d.program.code == "mext-co-creation-platform")
        assert co_creation.previous["amount_thousand_yen"] == 13_750_508
        assert co_creation.previous["fiscal_year"] == 2022

        # the drafts stay out of the catalogue until published
        assert catalogue_fiscal_year() == 2022
        assert not BudgetLine.objects.filter(fiscal_year=2023).exists()
        assert "令和5年度" not in html(client.get(reverse("programs:budget_overview")))
        api = client.get("/api/programs/mext-co-creation-platform").json()
        assert {b["fiscal_year"] for b in api["budget_lines"]} == {2021, 2022}

        # edited beside last year's figures
        page = html(sato.get(co_creation.get_absolute_url()))
        assert "前年度（令和4年度）の内容" in page and "13,750,508千円" in page

        # publishing is refused, with nothing written, while amounts are missing
        response = sato.post(reverse("programs:edition_publish", args=[2023]))
        assert response.status_code == 400
        assert "予算額が入っていない施策があります" in html(response)
        assert MenuEdition.objects.get(fiscal_year=2023).state == "draft"

        for number, draft in enumerate(drafts):
            if draft.program.code == "meti-bio-manufacturing-demonstration":
                changes = {"included": False}
            elif draft.program.code == "mext-co-creation-platform":
                changes = {"amount_thousand_yen": 14_000_000, "menu_budget_label": "140億円"}
            else:
                changes = {"amount_thousand_yen": 100_000 + number}
            response = sato.post(draft.get_absolute_url(), draft_form(draft, **changes))
            assert response.status_code == 302, html(response)

        response = sato.post(reverse("programs:edition_publish", args=[2023]))
        assert response.status_code == 302
        assert MenuEdition.objects.get(fiscal_year=2023).state == "published"
        assert catalogue_fiscal_year() == 2023

        program = Program.objects.with_details().get(code="mext-co-creation-platform")
        headline = program.headline_budget
        assert (headline.fiscal_year, headline.amount_thousand_yen, headline.source) == (
            2023,
            14_000_000,
            "menu",
        )
        assert program.menu_budget_label == "140億円"
        # last year's lines stay exactly as the source gives them
        assert program.budget_lines.get(fiscal_year=2022, source="r4_menu_contacts").amount_thousand_yen == 13_750_508  # fmt: skip
        left_out = Program.objects.get(code="meti-bio-manufacturing-demonstration")
        assert not left_out.budget_lines.filter(fiscal_year=2023).exists()

        page = html(client.get(program.get_absolute_url()))
        assert "令和5年度の情報です。" in page
        overview = html(client.get(reverse("programs:budget_overview")))
        totals = overview[overview.index("<caption>年度ごとの合計") :]
        assert totals.index("令和5年度") < totals.index("令和4年度") < totals.index("令和3年度")
        assert "令和3年度〜令和5年度の情報です。" in overview
        actions = set(AuditLog.objects.values_list("action", flat=True))
        assert {
            "programs.start_rollover",
            "programs.edit_draft",
            "programs.publish_edition",
        } <= actions

    @pytest.mark.parametrize("year", [2021, 2022])
    def test_a_year_that_exists_or_is_not_after_the_published_one_is_refused(
        self, login, secretariat, year
    ):
        response = login(secretariat).post(reverse("programs:edition_new"), {"fiscal_year": year})
        assert response.status_code == 400
        assert "公開中の支援メニュー（令和4年度）より後の年度ではありません。" in html(response)
        assert not MenuEdition.objects.filter(fiscal_year=year, state="draft").exists()
        assert not ProgramDraft.objects.exists()

    def test_a_rollover_into_a_year_with_an_edition_and_a_second_draft_are_refused(
        self, login, secretariat
    ):
        sato = login(secretariat)
        sato.post(reverse("programs:edition_new"), {"fiscal_year": 2023})
        again = sato.post(reverse("programs:edition_new"), {"fiscal_year": 2023})
        assert again.status_code == 400 and "令和5年度の支援メニューはすでにあります。" in html(
            again
        )
        second = sato.post(reverse("programs:edition_new"), {"fiscal_year": 2024})
        assert second.status_code == 400 and "準備中の年度版（令和5年度）があります。" in html(
            second
        )
        assert MenuEdition.objects.filter(state="draft").count() == 1
        assert ProgramDraft.objects.count() == 12

    def test_a_published_edition_cannot_be_published_again_or_edited(self, login, secretariat):
        sato = login(secretariat)
        sato.post(reverse("programs:edition_new"), {"fiscal_year": 2023})
        edition = MenuEdition.objects.get(fiscal_year=2023)
        edition.drafts.update(amount_thousand_yen=1000)
        assert sato.post(reverse("programs:edition_publish", args=[2023])).status_code == 302
        lines = BudgetLine.objects.count()
        again = sato.post(reverse("programs:edition_publish", args=[2023]))
        assert again.status_code == 400 and "すでに公開されています" in html(again)
        draft = edition.drafts.first()
        response = sato.post(draft.get_absolute_url(), draft_form(draft, amount_thousand_yen=5))
        assert response.status_code == 400
        assert BudgetLine.objects.count() == lines

    def test_a_discarded_draft_leaves_the_catalogue_as_it_was(self, login, secretariat):
        sato = login(secretariat)
        sato.post(reverse("programs:edition_new"), {"fiscal_year": 2023})
        response = sato.post(reverse("programs:edition_discard", args=[2023]))
        assert response.status_code == 302
        assert not MenuEdition.objects.filter(fiscal_year=2023).exists()
        assert catalogue_fiscal_year() == 2022

    def test_only_the_secretariat_rolls_the_menu_over(self, login, outsider, client):
        assert client.get(reverse("programs:editions")).status_code == 302  # sign in first
        ito = login(outsider)
        assert ito.get(reverse("programs:editions")).status_code == 403
        assert ito.post(reverse("programs:edition_new"), {"fiscal_year": 2023}).status_code == 403
        assert not MenuEdition.objects.exists()


class TestEveryFiscalYearSideBySide:
    def test_the_overview_shows_fy2022_and_fy2021_with_how_many_programs_each_counts(self, client):
        overview = budget_overview()
        assert [(c.fiscal_year, c.programs) for c in overview.columns] == [(2022, 12), (2021, 5)]
        assert not overview.same_programs
        page = html(client.get(reverse("programs:budget_overview")))
        assert "令和4年度（12 施策）" in page and "令和3年度（5 施策）" in page
        assert "年度どうしの差は、予算の増減ではありません。" in page
        assert "令和3年度〜令和4年度の情報です。" in page

    def test_a_group_of_part_of_larger_lines_only_is_drawn_as_such_never_as_zero(self, client):
        summary = budget_summary(2022)
        maff = next(g for g in summary.by_ministry if g.key == "maff")
        assert maff.part_only and maff.own_total == 0 and len(maff.part_lines) == 3
        page = html(client.get(reverse("programs:budget_overview")))
        assert "内数のみ 3 件" in page
        assert '<rect class="bar part"' in page
        chart = page[page.index("<svg") : page.index("</svg>")]
        assert not re.search(r">0(億円|千円)<", chart)

    def test_an_unknown_fiscal_year_in_a_link_is_refused(self, client):
        response = client.get(reverse("programs:budget_overview"), {"fiscal_year": "1999"})
        assert response.status_code == 400
        assert "その年度の予算額はありません。" in html(response)

    def test_the_api_gives_each_fiscal_year_and_says_which_groups_are_part_of_larger_only(
        self, client
    ):
        data = client.get("/api/budget/summary", {"fiscal_year": 2021}).json()
        assert data["fiscal_years"] == [2022, 2021]
        assert data["own_total_thousand_yen"] == 800_000  # 環境省 500,000 + 厚労省 300,000
        maff = next(g for g in data["by_ministry"] if g["key"] == "maff")
        assert maff["part_of_larger_only"] is True and maff["own_total_thousand_yen"] == 0

    @pytest.mark.parametrize(
        "name",
        [
            "programs:list",
            "programs:search",
            "programs:compare",
            "programs:pathways",
            "programs:budget",
            "programs:budget_overview",
        ],
    )
    def test_each_catalogue_page_says_which_fiscal_year_its_data_is_from(self, client, name):
        page = html(client.get(reverse(name)))
        assert "令和4年度の情報です。" in page or "令和3年度〜令和4年度の情報です。" in page
        assert "最終更新: 令和" in page


def test_the_secretariats_start_page_shows_the_draft_menu_and_links_the_pages(login, secretariat):
    sato = login(secretariat)
    page = html(sato.get(reverse("portal:mypage")))
    assert f'href="{reverse("programs:editions")}"' in page
    assert f'href="{reverse("programs:uploads")}"' in page
    sato.post(reverse("programs:edition_new"), {"fiscal_year": 2023})
    page = html(sato.get(reverse("portal:mypage")))
    assert "準備中の支援メニュー: 令和5年度" in page and "予算額が未入力の施策 12 件" in page


def test_the_budget_and_rollover_pages_work_without_javascript_and_read_in_order(
    client, login, secretariat
):
    from renkei.councils.tests.test_accessibility import check

    check(html(client.get(reverse("programs:budget_overview"))))
    check(html(client.get(reverse("programs:budget"))))
    sato = login(secretariat)
    check(html(sato.get(reverse("programs:editions"))))
    sato.post(reverse("programs:edition_new"), {"fiscal_year": 2023})
    check(html(sato.get(reverse("programs:edition", args=[2023]))))
    draft = ProgramDraft.objects.first()
    check(html(sato.get(draft.get_absolute_url())))
    check(html(sato.get(reverse("programs:uploads"))))


def test_a_program_page_links_the_official_page_where_known_and_else_the_ministrys_site(client):
    page = html(client.get(reverse("programs:detail", args=["mext-co-creation-platform"])))
    assert "出典にこの施策のページの記載はありません。" in page  # the source gives no URL
    assert 'href="https://www.mext.go.jp/"' in page and "文部科学省のウェブサイト" in page
    assert "令和4年度の情報です。" in page
    Program.objects.filter(code="mext-co-creation-platform").update(
        url="https://www.jst.go.jp/pf/platform/"
    )
    page = html(client.get(reverse("programs:detail", args=["mext-co-creation-platform"])))
    assert '<a href="https://www.jst.go.jp/pf/platform/">' in page
    assert "出典にこの施策のページの記載はありません。" not in page

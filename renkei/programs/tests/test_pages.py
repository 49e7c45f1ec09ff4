"""The navigator's pages, as an applicant, a visitor and a signed-in user use them."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from renkei.accounts.models import AuditLog
from renkei.programs.models import Program, SavedProgram, SavedSearch


def html(response):
    return response.content.decode()


def program_links(page):
    return set(re.findall(r'href="/programs/([a-z0-9-]+)/"', page)) - {
        "search",
        "budget",
        "compare",
        "pathways",
        "saved",
    }


def test_a_local_government_reaches_its_four_programs_in_two_clicks(client):
    home = html(client.get(reverse("portal:home")))
    navigator_url = reverse("programs:list")
    assert f'href="{navigator_url}"' in home  # click 1: 支援施策
    navigator = html(client.get(navigator_url))
    link = re.search(r'href="(/programs/search/\?applicant=local_government)"', navigator).group(1)
    results = html(client.get(link))  # click 2: ③自治体
    assert "4 件の施策" in results
    assert program_links(results) == {
        "cao-prism-bio-community",
        "maff-local-biomass-energy",
        "env-regional-circular-ecosphere-platform",
        "cao-regional-university-industry-grant",
    }


def test_results_highlight_the_matched_words(client):
    page = html(client.get(reverse("programs:search"), {"q": "ﾊﾞｲｵﾏｽ"}))
    assert "<mark>バイオマス</mark>地産地消対策" in page


def test_facets_show_counts_and_keep_the_chosen_values_checked(client):
    page = html(
        client.get(reverse("programs:search"), {"applicant": "company", "ministry": "maff"})
    )
    assert re.search(
        r'name="applicant" value="company" checked> ②民間事業者等 <span class="count">\(3\)', page
    )
    assert re.search(
        r'name="ministry" value="maff" checked> 農林水産省 <span class="count">\(3\)', page
    )


def test_an_empty_result_explains_how_to_widen_the_search(client):
    page = html(client.get(reverse("programs:search"), {"q": "養殖", "applicant": "university"}))
    assert "条件に合う施策は見つかりませんでした" in page
    assert "の条件を外す" in page and "?q=%E9%A4%8A%E6%AE%96" in page


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "あ" * 201}, "q"),
        ({"page_size": "101"}, "page_size"),
        ({"sort": "popularity"}, "sort"),
        ({"applicant": "student"}, "applicant"),
        ({"ministry": "nasa"}, "ministry"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_search_parameters_get_a_400_naming_the_field(client, params, field):
    response = client.get(reverse("programs:search"), params)
    assert response.status_code == 400
    assert f"<li>{field}: " in html(response)


def test_the_program_page_shows_contacts_budget_history_and_next_programs(client):
    page = html(client.get(reverse("programs:detail", args=["mext-co-creation-platform"])))
    assert "coi-next@mext.go.jp" in page and "03-5253-4111（内線4195）" in page
    assert "13,800,000千円" in page and "13,700,000千円" in page  # FY2022 beside FY2021
    assert "次の一手" in page and "地域の中核大学の産学融合拠点の整備" in page


def test_comparing_shows_two_to_four_programs_side_by_side(client):
    codes = [
        "mext-co-creation-platform",
        "maff-midori-food-system-rd",
        "mhlw-medical-venture-total-support",
    ]
    page = html(client.get(reverse("programs:compare"), {"p": codes}))
    assert page.count('<th scope="col"><a href="/programs/') == 3
    assert "3,466,178千円" in page


@pytest.mark.parametrize("count", [1, 5])
def test_comparing_fewer_than_two_or_more_than_four_is_refused(client, count):
    codes = list(Program.objects.values_list("code", flat=True)[:count])
    response = client.get(reverse("programs:compare"), {"p": codes})
    assert response.status_code == 400


def test_the_budget_overview_keeps_part_of_larger_lines_apart(client):
    page = html(client.get(reverse("programs:budget_overview")))
    # Own amounts of FY2022 (contacts table): 文科省 1,450,000 + 13,750,508; 内閣府 7,200,000;
    # 経産省 250,911 + 5,903,060; 環境省 500,000; 厚労省 300,000.
    for total in ["15,200,508千円", "7,200,000千円", "6,153,971千円", "500,000千円", "300,000千円"]:
        assert total in page
    assert "29,354,479千円" in page  # their sum; no 内数 amount is added
    assert "100億円の内数" in page and "30億円の内数" in page
    assert "<svg" in page and 'role="img"' in page


def test_the_pathway_of_a_research_project_points_to_demonstration_and_facilities(client):
    page = html(client.get(reverse("programs:pathways"), {"stage": "research"}))
    assert "みどりの食料システム戦略実現技術開発・実証事業" in page
    assert "地域の中核大学の産学融合拠点の整備" in page
    assert client.get(reverse("programs:pathways"), {"stage": "moon"}).status_code == 400


class TestSavedSearchesAndFollowing:
    def test_a_signed_in_user_saves_a_search(self, login, outsider):
        client = login(outsider)
        response = client.post(
            reverse("programs:save_search"),
            {"q": "スマート農業", "applicant": "company", "name": "農業DX"},
        )
        assert response.status_code == 302
        saved = SavedSearch.objects.get(user=outsider)
        assert saved.name == "農業DX" and saved.query["applicant"] == ["company"]
        assert AuditLog.objects.filter(action="programs.save_search", actor=outsider).exists()
        assert "農業DX" in html(client.get(reverse("programs:saved")))

    def test_an_anonymous_visitor_is_asked_to_sign_in(self, client):
        response = client.post(reverse("programs:save_search"), {"q": "養殖"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not SavedSearch.objects.exists()

    def test_nobody_deletes_another_users_saved_search(self, login, outsider, coordinator):
        saved = SavedSearch.objects.create(user=coordinator, name="x", query={})
        response = login(outsider).post(reverse("programs:delete_search", args=[saved.pk]))
        assert response.status_code == 404
        assert SavedSearch.objects.filter(pk=saved.pk).exists()

    def test_following_and_unfollowing_a_program(self, login, outsider):
        client = login(outsider)
        url = reverse("programs:follow", args=["mext-co-creation-platform"])
        client.post(url)
        client.post(url)
        assert SavedProgram.objects.filter(user=outsider).count() == 1
        client.post(
            reverse("programs:unfollow", args=["mext-co-creation-platform"]),
            {"next": "https://evil.example/"},
        )
        assert not SavedProgram.objects.filter(user=outsider).exists()

    def test_saving_needs_a_post_with_csrf(self, client, outsider):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(outsider)
        assert strict.post(reverse("programs:save_search"), {"q": "x"}).status_code == 403


def test_the_budget_table_has_a_column_for_each_fiscal_year_it_gives(client):
    page = html(client.get(reverse("programs:budget")))
    assert re.findall(r'<th scope="col" class="num">([^<]+)</th>', page) == [
        "令和4年度当初予算案",
        "令和3年度当初予算",
    ]
    program = Program.objects.get(code="mext-co-creation-platform")
    program.budget_lines.create(
        fiscal_year=2020, kind="initial", source="r4_budget_table", amount_thousand_yen=13_500_000
    )
    page = html(client.get(reverse("programs:budget")))
    assert "令和2年度当初予算" in page and "(135億円)" in page


class _SearchPage(HTMLParser):
    """What a screen reader and a phone meet, in the page's order: the forms (open and
    nested), the results' count, the facets and the controls bound to a form."""

    def __init__(self):
        super().__init__()
        self.order = []  # "results", "facets", "to-facets" as they come
        self.open_forms = []
        self.nested_forms = 0
        self.form_of = {}  # name of a facet's control -> the id of its form
        self.in_facets = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.nested_forms += bool(self.open_forms)
            self.open_forms.append(attrs.get("id", ""))
        if attrs.get("id") == "result-count":
            self.order.append("results")
        if tag == "aside" and attrs.get("id") == "facets":
            self.order.append("facets")
            self.in_facets = True
        if tag == "a" and attrs.get("href") == "#facets":
            self.order.append("to-facets")
        if self.in_facets and tag in ("input", "button"):
            form = attrs.get("form") or (self.open_forms[-1] if self.open_forms else None)
            self.form_of[attrs.get("name") or tag] = form

    def handle_endtag(self, tag):
        if tag == "form" and self.open_forms:
            self.open_forms.pop()
        if tag == "aside":
            self.in_facets = False


def test_on_a_phone_the_results_come_before_the_facets_with_a_link_down_to_them(client):
    page = _SearchPage()
    page.feed(html(client.get(reverse("programs:search"), {"q": "事業"})))
    # The page's own order (what a phone's one column and a screen reader follow): the link
    # to the facets, the results, then the facets.
    assert page.order == ["to-facets", "results", "facets"]
    # The facets still narrow the search the box above made: every control of theirs
    # belongs to the search form, and no form is nested in another (the compare form works).
    assert page.nested_forms == 0
    assert set(page.form_of) >= {"applicant", "ministry", "button"}
    assert set(page.form_of.values()) == {"search-form"}


def test_a_chosen_facet_stays_checked_in_the_search_form_beside_the_words_typed(client):
    page = html(client.get(reverse("programs:search"), {"q": "事業", "ministry": "maff"}))
    assert re.search(r'<form method="get" action="/programs/search/" id="search-form">', page)
    assert re.search(r'form="search-form" name="ministry" value="maff" checked>', page)
    assert 'id="q" name="q" value="事業"' in page

"""The case library: searchable with facets, linked from the pages of the prefectures,
communities, programs and organisations a case involves."""

import pytest
from django.urls import reverse

from renkei.communities.models import Community
from renkei.councils.models import CaseParticipant, CaseStudy
from renkei.programs.models import Program
from renkei.regions import resolve


@pytest.fixture
def nagaoka_case(nagaoka):
    """A case a secretariat might add from a community's report (test data)."""
    case = CaseStudy.objects.create(
        slug="nagaoka-rice",
        title="長岡の米ぬか活用",
        prefecture_id="15",
        since="令和4年度から",
        theme="米ぬかの機能性素材",
        market_area="bio_manufacturing",
        stage="demonstration",
        outcomes=[{"text": "試作品", "value": 3, "unit": "件"}],
        lessons=["地域の JA を最初から巻き込む"],
    )
    for order, (name, sector) in enumerate(
        [("長岡技術科学大学", "academia"), ("長岡市", "government")]
    ):
        organization = (
            resolve.university(name)
            if sector == "academia"
            else resolve.local_government("新潟県長岡市")
        )
        CaseParticipant.objects.create(
            case=case, category="参画主体", name=name, organization=organization,
            sector=sector, order=order,
        )  # fmt: skip
    case.programs.add(Program.objects.get(code="mext-co-creation-platform"))
    case.communities.add(nagaoka)
    case.update_sector_mix()
    return case


def test_the_library_lists_the_sources_cases_with_facet_counts(client):
    response = client.get(reverse("councils:cases"))
    html = response.content.decode()
    assert "静岡県事例" in html and "奈良県事例" in html
    facets = response.context["facets"]
    assert [(label, n) for _value, label, n in facets["prefecture"]] == [
        ("静岡県", 1),
        ("奈良県", 1),
    ]
    assert ("industry+academia+government+other", "産・学・官・その他", 1) in facets["sectors"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"prefecture": "22"}, ["shizuoka-maoi"]),
        ({"q": "木柱"}, ["nara-wooden-pillar"]),
        ({"q": "早稲田大学"}, ["shizuoka-maoi"]),
        ({"sectors": "academia+government"}, ["nagaoka-rice"]),
        ({"market_area": "bio_manufacturing"}, ["nagaoka-rice"]),
        ({"program": "mext-co-creation-platform"}, ["nagaoka-rice"]),
    ],
)
def test_cases_are_found_by_each_facet(client, nagaoka_case, params, expected):
    response = client.get(reverse("councils:cases"), params)
    assert [c.slug for c in response.context["cases"]] == expected
    api = client.get("/api/cases", params).json()
    assert [c["slug"] for c in api] == expected


def test_a_case_page_shows_actors_by_sector_outcomes_lessons_and_sources(client, nagaoka_case):
    html = client.get(nagaoka_case.get_absolute_url()).content.decode()
    assert "長岡技術科学大学</a>（学）" in html
    assert "試作品: <strong>3件</strong>" in html and "地域の JA を最初から巻き込む" in html
    maoi = client.get(reverse("councils:case", args=["shizuoka-maoi"])).content.decode()
    assert "数値で示された成果は、出典にありません。" in maoi
    assert "東京工業大学</a>（学）、" in maoi and "静岡県立大学</a>（学） 等" in maoi


def test_the_pages_of_what_a_case_involves_link_to_it(client, nagaoka_case, nagaoka):
    pages = [
        nagaoka.get_absolute_url(),
        Program.objects.get(code="mext-co-creation-platform").get_absolute_url(),
        resolve.university("長岡技術科学大学").get_absolute_url(),
        reverse("portal:prefecture", args=["15"]),
    ]
    for url in pages:
        assert nagaoka_case.get_absolute_url() in client.get(url).content.decode(), url
    waseda = resolve.university("早稲田大学").get_absolute_url()
    assert reverse("councils:case", args=["shizuoka-maoi"]) in client.get(waseda).content.decode()


def test_the_api_refuses_what_it_does_not_know(client):
    for params, field in (
        ({"prefecture": "99"}, "prefecture"),
        ({"program": "no-such-program"}, "program"),
        ({"market_area": "space"}, "market_area"),
    ):
        response = client.get("/api/cases", params)
        assert response.status_code == 400
        assert response.json()["detail"][0]["field"] == field


def test_a_community_without_cases_shows_no_case_section(client):
    community = Community.objects.exclude(case_studies__isnull=False).first()
    assert "関わる取組事例" not in client.get(community.get_absolute_url()).content.decode()

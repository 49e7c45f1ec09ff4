"""A prefecture officer asks "Where do I ask?" and finds the windows nearest first; the
prefecture's and the designated city's pages gather what the region has."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.councils.models import Council, Survey, SurveyInvitation, SurveyResponse
from renkei.matching.models import Need, Seed
from renkei.regions import resolve
from renkei.regions.models import ContactWindow, Topic


def window(organization, department, *topics, **extra):
    item = ContactWindow.objects.create(
        organization=organization,
        department=department,
        phone=extra.pop("phone", "03-0000-0000"),
        confirmed_at=timezone.now(),
        **extra,
    )
    for topic in topics:
        item.topic_links.create(topic=topic)
    return item


@pytest.fixture
def windows(nagaokaut):
    return {
        "nagaoka": window(nagaokaut, "技術相談窓口", Topic.TECHNICAL, phone="0258-47-9999"),
        "niigata": window(resolve.university("新潟大学"), "産学連携推進センター", Topic.GENERAL),
        "tokyo": window(resolve.university("東京大学"), "産学協創推進本部", Topic.TECHNICAL),
        "kyushu": window(
            resolve.university("九州大学"),
            "オープンイノベーション窓口",
            Topic.TECHNICAL,
            scope=ContactWindow.Scope.NATIONWIDE,
        ),
        "ip_only": window(resolve.university("新潟薬科大学"), "知財窓口", Topic.IP_LICENSING),
    }


def ask(client, **params):
    return client.get(reverse("portal:ask"), params)


def test_a_prefecture_officer_finds_the_windows_for_a_topic_nearest_first(client, windows):
    response = ask(client, topic="technical", prefecture="15", city="長岡市")
    assert response.status_code == 200
    answer = response.context["answer"]
    nearby = [f.window for f in answer.nearby]
    assert nearby[:2] == [windows["nagaoka"], windows["niigata"]]  # same prefecture first
    assert nearby.index(windows["tokyo"]) == 2
    assert windows["ip_only"] not in nearby  # another topic
    assert answer.nearby[0].distance < 5 and answer.nearby[0].names_topic
    assert not answer.nearby[1].names_topic  # a general window (総合窓口) comes after
    assert [f.window for f in answer.nationwide] == [windows["kyushu"]]
    html = response.content.decode()
    assert (
        html.index("技術相談窓口")
        < html.index("産学協創推進本部")
        < html.index("オープンイノベーション窓口")
    )


def test_funding_questions_reach_the_ministries_windows_nationwide(client):
    answer = ask(client, topic="funding", prefecture="47").context["answer"]
    assert answer.nearby == []
    organizations = {f.window.organization.code for f in answer.nationwide}
    assert {"cao", "mext", "maff", "meti"} <= organizations


def test_each_window_comes_with_its_organisations_seeds_and_the_regions_council(
    client, windows, nagaokaut
):
    Seed.objects.create(
        organization=nagaokaut,
        title="米ぬかからの機能性素材",
        summary="未利用バイオ資源の活用",
        stage="applied",
        prefecture_id="15",
    )
    Council.objects.create(
        name="新潟県産学官連携推進協議会",
        purpose="県内の産学官連携を進める",
        prefecture_id="15",
        organization=resolve.body("150002"),
    )
    html = ask(client, topic="technical", prefecture="15").content.decode()
    assert "米ぬかからの機能性素材" in html
    assert "新潟県産学官連携推進協議会" in html


def test_an_unknown_city_or_topic_is_a_clear_error(client):
    response = ask(client, topic="technical", prefecture="15", city="札幌市")
    assert response.status_code == 400
    assert "新潟県 に「札幌市」という市区町村は見つかりません。" in response.content.decode()
    assert ask(client, topic="fortune", prefecture="15").status_code == 400


def test_the_prefecture_page_gathers_what_the_region_has(client, windows, nagaokaut):
    Need.objects.create(
        title="規格外の枝豆を使った加工品を作りたい",
        description="農家です。規格外の枝豆を加工品にしたい。",
        prefecture_id="15",
        submitter_kind="ja",
        submitter_name="山田",
        email="yamada@example.jp",
        consent_at=timezone.now(),
        confirmed_at=timezone.now(),
        status=Need.Status.QUEUED,
    )
    html = client.get(reverse("portal:prefecture", args=["15"])).content.decode()
    for text in (
        "技術相談窓口",  # windows
        "長岡バイオコミュニティ",  # communities
        "長岡技術科学大学",  # universities
        "規格外の枝豆を使った加工品を作りたい",  # needs from the region
        "地方大学・地域産業創生交付金",  # a program open to ③ local governments
        "新潟市",  # its designated city
    ):
        assert text in html, text
    assert "yamada@example.jp" not in html


def test_the_prefecture_page_links_its_cases(client):
    html = client.get(reverse("portal:prefecture", args=["22"])).content.decode()
    assert "マリンオープンイノベーションプロジェクト" in html


def test_the_designated_city_page_gathers_its_own_organisations(client):
    hokudai = resolve.university("北海道大学")
    window(hokudai, "産学・地域協働推進機構", Topic.JOINT_RESEARCH)
    html = client.get(reverse("portal:city", args=["011002"])).content.decode()
    assert "<h1>札幌市</h1>" in html and "産学・地域協働推進機構" in html
    assert "中央区" in html  # its wards
    assert client.get(reverse("portal:city", args=["152021"])).status_code == 404  # 長岡市


def test_a_prefectures_survey_answers_appear_once_published(client, secretariat):
    niigata = resolve.body("150002")
    survey = Survey.objects.create(
        slug="windows-2026",
        title="窓口の調査",
        status=Survey.Status.CLOSED,
        answers_public=True,
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    question = survey.questions.create(kind="single", text="窓口はありますか", options=["有", "無"])
    invitation = SurveyInvitation.objects.create(survey=survey, organization=niigata)
    SurveyResponse.objects.create(
        survey=survey, invitation=invitation, organization=niigata, answers={question.key: "有"}
    )
    url = reverse("portal:prefecture", args=["15"])
    assert "窓口はありますか" not in client.get(url).content.decode()
    survey.results_published_at = timezone.now()
    survey.save()
    assert "窓口はありますか" in client.get(url).content.decode()


def test_each_role_reaches_the_regional_pages_from_its_start_page(
    login, secretariat, liaison, coordinator, nagaokaut
):
    def mypage(user):
        return login(user).get(reverse("portal:mypage")).content.decode()

    sato = mypage(secretariat)
    for name in ("councils:surveys", "regions:windows_review", "councils:councils"):
        assert reverse(name) in sato, name
    watanabe = mypage(liaison)
    assert reverse("regions:my_windows") + f"?organization={nagaokaut.pk}" in watanabe
    assert reverse("councils:council_new") in watanabe
    assert reverse("councils:councils") in mypage(coordinator)

"""The regional pages work without JavaScript: one h1, headings that never skip a level,
every field labelled, no inline script or style (a Content-Security-Policy is coming)."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.councils.models import Council, CouncilMember, Meeting, Survey, SurveyInvitation
from renkei.regions import resolve
from renkei.regions.models import ContactWindow


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.fields, self.labels, self.problems = [], [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
        ):
            self.fields.append(attrs)
        if tag == "script":
            self.problems.append("script")
        if "style" in attrs and tag != "svg":  # the shared _bar_chart.html sizes its svg
            self.problems.append(f"style on <{tag}>")


def check(html):
    page = Page()
    page.feed(html)
    assert page.headings.count(1) == 1, page.headings
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings
    unlabelled = [
        f for f in page.fields if f.get("id") not in page.labels and not f.get("aria-label")
    ]
    assert unlabelled == []
    assert page.problems == []


@pytest.fixture
def setting(secretariat, nagaokaut):
    window = ContactWindow.objects.create(
        organization=nagaokaut, department="技術相談窓口", phone="0258-47-9999"
    )
    window.topic_links.create(topic="technical")
    council = Council.objects.create(
        name="新潟県産学官連携推進協議会",
        purpose="連携",
        prefecture_id="15",
        organization=resolve.body("150002"),
    )
    member = CouncilMember.objects.create(
        council=council, organization=nagaokaut, sector="academia"
    )
    meeting = Meeting.objects.create(
        council=council, held_on=datetime.date(2026, 5, 1), title="第1回"
    )
    meeting.attendance.create(member=member)
    survey = Survey.objects.create(
        slug="a11y",
        title="調査",
        status="open",
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    for kind, options in (
        ("single", ["有", "無"]),
        ("multiple", ["a", "b"]),
        ("number", []),
        ("text", []),
    ):
        survey.questions.create(kind=kind, text=f"{kind}の設問", options=options)
    invitation = SurveyInvitation.objects.create(survey=survey, organization=nagaokaut)
    return {"window": window, "council": council, "meeting": meeting, "survey": survey,
            "invitation": invitation}  # fmt: skip


def test_the_public_pages_are_well_formed(client, setting):
    urls = [
        reverse("regions:windows"),
        reverse("portal:ask") + "?topic=technical&prefecture=15&city=長岡市",
        reverse("portal:ask"),
        reverse("portal:prefecture", args=["15"]),
        reverse("portal:city", args=["151009"]),
        reverse("councils:index"),
        reverse("councils:councils"),
        setting["council"].get_absolute_url(),
        setting["meeting"].get_absolute_url(),
        reverse("councils:surveys"),
        reverse("councils:survey", args=["prefectures-designated-cities-2021"]),
        reverse("councils:cases"),
        reverse("councils:case", args=["shizuoka-maoi"]),
        reverse("councils:findings"),
        setting["invitation"].get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        check(response.content.decode())


def test_the_keepers_and_the_secretariats_pages_are_well_formed(
    login, secretariat, liaison, setting
):
    survey, council = setting["survey"], setting["council"]
    sato = login(secretariat)
    for url in (
        reverse("regions:windows_review"),
        reverse("regions:my_windows") + f"?organization={setting['window'].organization_id}",
        reverse("regions:window_edit", args=[setting["window"].pk]),
        reverse("councils:council_new"),
        reverse("councils:meeting_new", args=[council.pk]),
        reverse("councils:action_new", args=[council.pk]),
        council.get_absolute_url(),
        reverse("councils:survey_new"),
        reverse("councils:survey_edit", args=[survey.slug]),
        reverse("councils:survey_send", args=[survey.slug]),
        reverse("councils:survey_progress", args=[survey.slug]),
        reverse("councils:findings"),
    ):
        response = sato.get(url)
        assert response.status_code == 200, url
        check(response.content.decode())
    watanabe = login(liaison)
    check(watanabe.get(reverse("regions:my_windows")).content.decode())

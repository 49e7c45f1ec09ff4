"""Watanabe (liaison office) registers Nakamura, whose seed was introduced and agreed on; the
record reads the portal's history with its evidence; Nakamura sees and exports it and alone
decides to make it public; other organisations and the public see nothing until then."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from renkei.contributions import actions
from renkei.contributions.forms import CouncilRoleForm, ResearcherForm
from renkei.contributions.record import record_of
from renkei.matching import actions as matching
from renkei.matching.tests.conftest import walk_to_introduction

NAKAMURA = "nakamura@nagaokaut.example.jp"


@pytest.fixture
def agreed(taken_need, nut_seed, coordinator, liaison):
    proposal = walk_to_introduction(taken_need, nut_seed, coordinator, liaison)
    matching.record_meeting(proposal, by=liaison)
    matching.record_outcome(proposal, by=coordinator, outcome="license")
    return proposal


@pytest.fixture
def researcher(liaison, nagaokaut):
    form = ResearcherForm(
        {
            "organization": nagaokaut.pk,
            "name": "中村 海",
            "researchmap_id": "nakamura-umi",
            "email": NAKAMURA,
        },
        user=liaison,
    )
    assert form.is_valid(), form.errors
    return actions.register_researcher(form, by=liaison)


@pytest.fixture
def nakamura():
    from renkei.accounts.models import User

    return User.objects.create_user(username="nakamura", email=NAKAMURA, password="x")


def test_the_record_reads_introductions_meetings_and_agreements_with_evidence(agreed, researcher):
    record = record_of(researcher)
    assert [i.category for i in record.items] == ["introduction", "meeting", "agreement"]
    summary = record.summary
    assert (summary["introductions"], summary["meetings"], summary["agreements"]) == (1, 1, 1)
    assert ("ライセンス", 1) in summary["agreements_by_type"]
    agreement = record.items[-1]
    assert agreement.evidence.startswith(agreed.get_absolute_url() + "#step-")
    assert agreement.recorded_by == "小林（長岡コーディネーター）"


def test_the_researcher_exports_it_and_alone_makes_it_public(
    client, agreed, researcher, nakamura, liaison, outsider
):
    page = reverse("contributions:record", args=[researcher.pk])
    assert client.get(page).status_code == 404  # not public yet
    client.force_login(outsider)
    assert client.get(page).status_code == 404
    client.force_login(nakamura)
    csv = client.get(reverse("contributions:csv", args=[researcher.pk])).content.decode("utf-8-sig")
    assert "の社会貢献の記録" in csv and "ライセンス" in csv and agreed.need.title in csv
    printable = client.get(reverse("contributions:print", args=[researcher.pk])).content.decode()
    assert "記録と根拠" in printable and "CSV でダウンロード" not in printable
    with pytest.raises(PermissionDenied):
        actions.set_public(researcher, True, by=liaison)
    client.post(reverse("contributions:publish", args=[researcher.pk]), {"public": "yes"})
    client.logout()
    html = client.get(page).content.decode()
    assert "ライセンス" in html and agreed.need.title not in html and "山本" not in html
    public_csv = client.get(reverse("contributions:csv", args=[researcher.pk])).content.decode()
    assert agreed.need.title not in public_csv


def test_the_liaison_office_records_council_roles_and_sees_unregistered_names(
    client, liaison, nut_seed, researcher
):
    from renkei.councils.models import Council

    council = Council.objects.create(
        name="新潟県バイオ協議会",
        purpose="連携",
        prefecture_id="15",
        organization=nut_seed.organization,
    )
    form = CouncilRoleForm({"council": council.pk, "role": "adviser", "since": "2026-04-01"})
    assert form.is_valid(), form.errors
    actions.add_council_role(researcher, form, by=liaison)
    assert record_of(researcher).summary["council_roles"] == 1
    other = type(nut_seed).objects.create(
        organization=nut_seed.organization,
        title="米ぬかの発酵",
        summary="米ぬかを発酵させる",
        stage="applied",
        prefecture_id="15",
        researcher_name="佐々木 稔",
    )
    client.force_login(liaison)
    html = client.get(reverse("contributions:index")).content.decode()
    assert "佐々木 稔" in html and "中村 海" in html
    assert other.title in html

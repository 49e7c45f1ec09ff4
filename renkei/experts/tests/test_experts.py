"""Kobayashi registers experts; a need's text finds them with the same engine as seeds; he
assigns one beside himself, seeing each person's open load; the expert is told, handles the
need while assigned, and records a consultation that joins the need's history. Profiles are
public only with the person's consent."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from renkei.experts import actions
from renkei.experts.forms import ConsultationForm, ExpertForm
from renkei.experts.models import Assignment, Expert

OYSTER = {
    "name": "岡田 潮",
    "kind": "expert",
    "title": "元 県水産試験場 研究員",
    "email": "okada@example.jp",
    "expertise": "牡蠣の養殖と海の溶存酸素・水温の観測。夏場の大量死の原因調査。",
    "fields": "水産、養殖、海洋観測",
    "availability": "available",
    "engagement": ["free", "program_funded"],
    "languages": ["ja"],
    "public": "on",
    "active": "on",
}
BRIDGES = {
    **OYSTER,
    "name": "橋本 剛",
    "email": "hashimoto@example.jp",
    "expertise": "橋梁やコンクリートの劣化診断",
    "fields": "土木、インフラ",
    "public": "",
}


@pytest.fixture
def experts(coordinator):
    found = []
    for data in (OYSTER, BRIDGES):
        form = ExpertForm(data)
        assert form.is_valid(), form.errors
        found.append(actions.save_expert(form, by=coordinator))
    return found


def test_a_needs_text_finds_experts_with_their_load_and_one_is_assigned(
    client, taken_need, coordinator, experts
):
    oyster, _bridges = experts
    client.force_login(coordinator)
    page = client.get(reverse("experts:need", args=[taken_need.pk])).content.decode()
    assert page.index("岡田 潮") < page.index("橋本 剛")  # the need's text ranks them
    assert "担当中 0 件" in page
    assert "小林（長岡コーディネーター）" in page  # coordinators' load for the secretariat's choice
    mail.outbox.clear()
    client.post(
        reverse("experts:assign", args=[taken_need.pk, oyster.pk]), {"note": "原因の見立て"}
    )
    assignment = Assignment.objects.get()
    assert assignment.expert == oyster and assignment.note == "原因の見立て"
    assert taken_need.steps.filter(kind="expert_assigned").exists()
    assert (
        "担当中 1 件" in client.get(reverse("experts:need", args=[taken_need.pk])).content.decode()
    )
    with pytest.raises(Exception, match="すでに"):
        actions.assign_expert(taken_need, oyster, by=coordinator)


def test_only_those_acting_on_the_need_assign(taken_need, other_coordinator, liaison, experts):
    for person in (other_coordinator, liaison):
        with pytest.raises(PermissionDenied):
            actions.assign_expert(taken_need, experts[0], by=person)
    assert not Assignment.objects.exists()


def test_an_assigned_expert_with_an_account_handles_the_need_and_records_a_consultation(
    client, taken_need, coordinator, outsider, experts
):
    oyster = experts[0]
    Expert.objects.filter(pk=oyster.pk).update(user=outsider)
    oyster.refresh_from_db()
    need_page = reverse("matching:need", args=[taken_need.pk])
    client.force_login(outsider)
    assert "yamamoto@" not in client.get(need_page).content.decode()
    actions.assign_expert(taken_need, oyster, by=coordinator)
    html = client.get(need_page).content.decode()
    assert "yamamoto@shimanami-gyokyo.example.jp" in html and "提案と経過" in html
    form = ConsultationForm(
        {
            "held_on": "2026-11-01",
            "asker_kind": "fishery_cooperative",
            "topic": "夏場の酸欠",
            "outcome": "proposal",
            "need": taken_need.pk,
            "summary": "センサーの設置を提案",
        },
        expert=oyster,
    )
    assert form.is_valid(), form.errors
    actions.record_consultation(oyster, form, by=outsider)
    step = taken_need.steps.get(kind="consultation")
    assert "シーズの提案・共同研究の検討へ進んだ" in step.reason_text


def test_profiles_are_public_only_with_consent(client, experts):
    html = client.get(reverse("experts:directory")).content.decode()
    assert "岡田 潮" in html and "橋本 剛" not in html
    assert client.get(reverse("experts:detail", args=[experts[1].pk])).status_code == 404
    data = client.get("/api/experts").json()
    assert [e["name"] for e in data["results"]] == ["岡田 潮"]
    assert "okada@example.jp" not in str(data)
    assert client.get("/api/experts", {"engagement": "bogus"}).status_code == 400
    found = client.get(reverse("experts:directory"), {"q": "牡蠣が夏に死ぬ"}).content.decode()
    assert "岡田 潮" in found

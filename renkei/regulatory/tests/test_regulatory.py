"""An SME owner without an account asks whether genome-edited fish need a notification; the
question goes to the ministry's regulatory window, is answered there (or through the
window's link), and — with the asker's consent — is published anonymised as a searchable
Q&A. Farmland questions go to the prefecture first; a question no window takes waits for the
secretariat."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from renkei.regions import resolve
from renkei.regions.models import ContactWindow, Organization
from renkei.regulatory import actions
from renkei.regulatory.models import RegulatoryConsultation
from renkei.regulatory.routing import candidates

ASK = {
    "topic": "gmo_genome",
    "title": "ゲノム編集した魚を養殖して売るには",
    "question": "ゲノム編集で成長の早いマダイを養殖し、販売したいと考えています。どんな届出が必要ですか。",
    "prefecture": "34",
    "asker_kind": "sme",
    "asker_organization": "瀬戸内フィッシュ",
    "asker_name": "森 花子",
    "email": "mori@setouchi-fish.example.jp",
    "publish_consent": "on",
    "consent": "on",
}
MORI = ASK["email"]
DATA = {**ASK, "publish_consent": True, "consent": True}  # as the form cleans it


def window(organization, department, *, email="", topics=("regulation",), scope="regional"):
    found = ContactWindow.objects.create(
        organization=organization,
        department=department,
        email=email,
        phone="03-1234-5678",
        scope=scope,
    )
    for topic in topics:
        found.topic_links.create(topic=topic)
    return found


@pytest.fixture
def windows():
    maff = Organization.objects.get(code="maff")
    env = Organization.objects.get(code="env")
    hiroshima = resolve.body("340006")  # 広島県 (its office is created on first use)
    return {
        "maff": window(
            maff,
            "消費・安全局 農産安全管理課",
            email="genome@maff.example.go.jp",
            scope="nationwide",
        ),
        "env": window(env, "自然環境局 野生生物課", scope="nationwide"),
        "hiroshima": window(hiroshima, "農林水産局 農業経営発展課"),
    }


def status_link(to):
    message = [m for m in mail.outbox if m.to == [to]][-1]
    return re.search(r"https?://[^/\s]+(/regulatory/status/\S+/)", message.body).group(1)


def test_a_question_is_routed_answered_by_link_and_published_with_consent(
    client, windows, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("regulatory:ask"), ASK)
    consultation = RegulatoryConsultation.objects.get()
    assert consultation.status == "unconfirmed" and consultation.window is None
    status = status_link(MORI)
    assert "受付を確定する" in client.get(status).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(status, {"action": "confirm"})
    consultation.refresh_from_db()
    assert consultation.status == "routed" and consultation.window == windows["maff"]
    (asked,) = [m for m in mail.outbox if m.to == ["genome@maff.example.go.jp"]]
    link = re.search(r"https?://[^/\s]+(/regulatory/answer/\S+/)", asked.body).group(1)
    assert "森 花子" not in asked.body
    page = client.get(link).content.decode()
    assert "回答を送る" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            link,
            {
                "step": "answer",
                "answer": "カルタヘナ法の対象外となる場合でも、事前相談と情報提供が必要です。",
                "public_question": "ゲノム編集した魚を養殖・販売するときの手続きは？",
                "public_answer": "事前相談と情報提供の手続きがあります。",
            },
        )
    consultation.refresh_from_db()
    assert consultation.status == "answered" and consultation.is_published
    assert "窓口のリンク" in consultation.answered_by_label
    assert any("への回答" in m.subject for m in mail.outbox if m.to == [MORI])
    assert "事前相談と情報提供が必要" in client.get(status).content.decode()
    found = client.get(reverse("regulatory:index"), {"q": "ゲノム編集 養殖"}).content.decode()
    assert "ゲノム編集した魚を養殖・販売するときの手続きは？" in found and "森" not in found
    data = client.get("/api/consultations", {"topic": "gmo_genome"}).json()
    assert data["count"] == 1 and data["results"][0]["answered_by"] == "農林水産省"
    assert "瀬戸内" not in str(data)
    client.post(status, {"publish": "no"})  # the asker withdraws consent
    assert client.get("/api/consultations").json()["count"] == 0


def test_farmland_goes_to_the_prefecture_and_an_orphan_to_the_secretariat(windows, secretariat):
    from renkei.regions.models import Prefecture

    hiroshima = Prefecture.objects.get(code="34")
    assert candidates("farmland", hiroshima)[0] == windows["hiroshima"]
    assert candidates("gmo_genome", hiroshima)[:2] == [windows["maff"], windows["env"]]
    assert candidates("waste", hiroshima)[0] == windows["hiroshima"]
    ContactWindow.objects.update(archived=True)
    consultation = actions.ask({**DATA, "prefecture": hiroshima, "topic": "fishery_rights"})
    actions.confirm(consultation)
    consultation.refresh_from_db()
    assert consultation.status == "unrouted"
    with pytest.raises(PermissionDenied):
        actions.route(consultation, windows["maff"], by=consultation.user or _someone())
    ContactWindow.objects.filter(pk=windows["hiroshima"].pk).update(archived=False)
    windows["hiroshima"].refresh_from_db()
    actions.route(consultation, windows["hiroshima"], by=secretariat)
    consultation.refresh_from_db()
    assert consultation.status == "routed"


def _someone():
    from renkei.accounts.models import User

    return User.objects.create_user(username="x", email="x@example.jp", password="x")


def test_bad_input_is_refused_and_nothing_is_written(client, windows, liaison, secretariat):
    from renkei.regions.models import Prefecture

    before = RegulatoryConsultation.objects.count()
    response = client.post(reverse("regulatory:ask"), {**ASK, "topic": "astrology"})
    assert response.status_code == 200 and "候補にありません" in response.content.decode()
    response = client.post(reverse("regulatory:ask"), {**ASK, "consent": ""})
    assert "同意が必要" in response.content.decode()
    assert RegulatoryConsultation.objects.count() == before
    assert client.get("/regulatory/status/forged:token/").status_code == 404
    consultation = actions.ask({**DATA, "prefecture": Prefecture.objects.get(code="34")})
    actions.confirm(consultation)
    consultation.refresh_from_db()
    with pytest.raises(PermissionDenied):  # Watanabe's university is not the window
        actions.answer(consultation, "答え", by=liaison)
    with pytest.raises(PermissionDenied):
        actions.publish(consultation, by=liaison, public_question="q", public_answer="a")
    with pytest.raises(ValidationError, match="回答してから"):
        actions.publish(consultation, by=secretariat, public_question="q", public_answer="a")
    with pytest.raises(PermissionDenied):
        actions.set_publish_consent(consultation, False, token="wrong")
    assert client.get("/api/consultations", {"topic": "astrology"}).status_code == 400

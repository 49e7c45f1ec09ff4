"""A council records its meetings and actions, and its indicators move: meetings in the last
12 months, action items done on time, overdue items, attendance by sector."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from renkei.accounts.models import AuditLog, Role, User
from renkei.conftest import PASSWORD
from renkei.councils.models import ActionItem, Council, CouncilMember, Meeting
from renkei.regions import resolve


@pytest.fixture
def officer():
    """加藤, who runs the prefecture's council at 新潟県."""
    user = User.objects.create_user("kato", "kato@pref.niigata.lg.jp", PASSWORD)
    user.display_name = "加藤（新潟県 産業政策課）"
    user.save()
    Role.objects.create(
        user=user, kind=Role.Kind.ORGANIZATION_MEMBER, organization=resolve.body("150002")
    )
    return user


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def start_council(client, **extra):
    niigata = resolve.body("150002")
    data = {
        "name": "新潟県産学官連携推進協議会",
        "purpose": "県内の産学官金の連携を進める",
        "prefecture": "15",
        "organization": niigata.pk,
        "is_public": "on",
        **extra,
    }
    return client.post(reverse("councils:council_new"), data)


def add_member(client, council, name, **extra):
    return client.post(
        reverse("councils:member_add", args=[council.pk]),
        {"organization_name": name, "role": "member", **extra},
    )


@pytest.fixture
def council(login, officer):
    client = login(officer)
    assert start_council(client).status_code == 302
    council = Council.objects.get()
    for name in ("新潟県", "長岡技術科学大学", "新潟大学"):
        add_member(client, council, name)
    return council


def test_a_prefecture_officer_starts_a_council_with_members_resolved_by_sector(
    council, login, officer
):
    sectors = dict(council.members.values_list("organization__name", "sector"))
    assert sectors == {
        "新潟県": "government",
        "長岡技術科学大学": "academia",
        "新潟大学": "academia",
    }
    response = add_member(login(officer), council, "第四北越銀行", sector="finance")
    assert "当たる機関が1つに定まりません" in " ".join(
        str(m) for m in response.wsgi_request._messages
    )
    assert AuditLog.objects.filter(action="councils.add_member").count() == 3


def test_the_same_organisation_cannot_join_twice(council, login, officer):
    response = add_member(login(officer), council, "新潟大学")
    assert "この機関はすでに構成員です。" in " ".join(
        str(m) for m in response.wsgi_request._messages
    )
    assert council.members.count() == 3


def record(client, council, **extra):
    present = council.members.filter(organization__name__in=["新潟県", "新潟大学", "長岡市"])
    data = {
        "held_on": "2026-05-20",
        "title": "第1回 協議会",
        "agenda": "連携の方針",
        "attendees": [m.pk for m in present],
        "decisions": "窓口一覧を作る\n企業向け説明会を開く",
        "is_public": "on",
        **extra,
    }
    return client.post(reverse("councils:meeting_new", args=[council.pk]), data)


def test_a_council_records_a_meeting_with_pdf_minutes_attendance_and_decisions(
    council, login, officer, client
):
    upload = SimpleUploadedFile("minutes.pdf", pdf_bytes(), content_type="application/pdf")
    response = record(login(officer), council, minutes_upload=upload)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert [d.text for d in meeting.decisions.all()] == ["窓口一覧を作る", "企業向け説明会を開く"]
    assert meeting.attendance.count() == 2 and len(meeting.minutes_sha256) == 64
    client.logout()
    assert client.get(reverse("councils:meeting_minutes", args=[meeting.pk])).status_code == 200
    assert "企業向け説明会を開く" in client.get(meeting.get_absolute_url()).content.decode()


def test_minutes_can_be_a_text_file(council, login, officer):
    upload = SimpleUploadedFile("minutes.txt", "出席者の意見を記録。".encode(), "text/plain")
    record(login(officer), council, minutes_upload=upload)
    assert "出席者の意見を記録。" in Meeting.objects.get().minutes_text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.docx", b"PK\x03\x04", "PDF（.pdf）かテキスト（.txt）"),
        ("minutes.pdf", b"just text", "中身が PDF ではありません"),
        ("minutes.txt", "議事録".encode("shift_jis"), "UTF-8 ではありません"),
    ],
)
def test_minutes_that_are_not_pdf_or_text_are_refused_and_nothing_is_saved(
    council, login, officer, name, content, message
):
    response = record(login(officer), council, minutes_upload=SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists()
    assert not AuditLog.objects.filter(action="councils.record_meeting").exists()


def test_the_indicators_move_as_the_council_meets_and_acts(council, login, officer):
    client = login(officer)
    today = timezone.localdate()
    before = council.indicators(today)
    assert (before.meetings, before.overdue, before.on_time_percent) == (0, 0, None)
    assert "この12か月、会議が開かれていません。" in before.warnings
    record(client, council, held_on=(today - datetime.timedelta(days=30)).isoformat())
    owner = council.members.get(organization__name="長岡技術科学大学")
    for title, due in (("窓口一覧を作る", -10), ("説明会を開く", -5), ("報告書", 20)):
        client.post(
            reverse("councils:action_new", args=[council.pk]),
            {
                "title": title,
                "owner": owner.pk,
                "due_on": (today + datetime.timedelta(days=due)).isoformat(),
                "status": "open",
            },
        )
    first = ActionItem.objects.get(title="窓口一覧を作る")
    client.post(
        reverse("councils:action_update", args=[first.pk]),
        {
            "status": "done",
            "done_on": (today - datetime.timedelta(days=12)).isoformat(),
            "evidence": "窓口一覧 https://example.jp/windows",
        },
    )
    indicators = Council.objects.with_indicator_data().get(pk=council.pk).indicators(today)
    assert indicators.meetings == 1
    assert (indicators.items_due, indicators.done_on_time, indicators.on_time_percent) == (2, 1, 50)
    assert indicators.overdue == 1  # 説明会を開く
    attendance = {a.label: (a.attended, a.expected) for a in indicators.attendance}
    assert attendance == {"学": (1, 2), "官": (1, 1)}
    html = client.get(council.get_absolute_url()).content.decode()
    assert "期限切れ" in html and "50%" in html


def test_an_item_marked_done_needs_its_date(council, login, officer):
    owner = council.members.first()
    response = login(officer).post(
        reverse("councils:action_new", args=[council.pk]),
        {"title": "報告", "owner": owner.pk, "due_on": "2026-06-01", "status": "done"},
    )
    assert response.status_code == 400
    assert "完了日を入力してください" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_outsider_cannot_record_for_a_council(council, login, outsider, liaison):
    for user in (outsider, liaison):
        assert record(login(user), council).status_code == 403
    assert not Meeting.objects.exists()


def test_a_private_council_is_seen_only_by_those_who_keep_it_and_the_secretariat(
    login, officer, secretariat, client
):
    start_council(login(officer), is_public="")
    council = Council.objects.get()
    url = council.get_absolute_url()
    client.logout()
    assert client.get(url).status_code == 404
    assert (
        "新潟県産学官連携推進協議会"
        not in client.get(reverse("councils:councils")).content.decode()
    )
    assert client.get("/api/councils").json() == []
    assert login(officer).get(url).status_code == 200
    sato = login(secretariat)
    html = sato.get(reverse("councils:councils")).content.decode()
    assert "新潟県産学官連携推進協議会" in html and "非公開" in html and "事務局向け" in html


def test_a_coordinator_keeps_the_council_of_their_community(login, coordinator, nagaoka):
    client = login(coordinator)
    response = client.post(
        reverse("councils:council_new"),
        {
            "name": "長岡バイオコミュニティ運営協議会",
            "purpose": "コミュニティの運営",
            "prefecture": "15",
            "community": nagaoka.pk,
            "organization": nagaoka.network_organization_id,
        },
    )
    assert response.status_code == 302
    council = Council.objects.get()
    assert council.community == nagaoka and not council.is_public
    for name in ("長岡市", "長岡技術科学大学"):
        add_member(client, council, name)
    assert record(client, council).status_code == 302


def test_the_api_gives_public_councils_with_their_indicators(council, login, officer, client):
    record(login(officer), council)
    client.logout()
    listed = client.get("/api/councils", {"prefecture": "15"}).json()
    assert [c["name"] for c in listed] == ["新潟県産学官連携推進協議会"]
    assert listed[0]["members"] == 3
    detail = client.get(f"/api/councils/{council.pk}").json()
    assert {m["sector"] for m in detail["member_list"]} == {"government", "academia"}
    assert detail["meetings"][0]["decisions"] == ["窓口一覧を作る", "企業向け説明会を開く"]
    assert "meetings_last_12_months" in detail["indicators"]
    assert client.get("/api/councils", {"prefecture": "99"}).status_code == 400
    assert client.get("/api/councils/999999").status_code == 404


def test_the_council_action_items_due_show_on_the_keepers_start_page(council, login, officer):
    owner = council.members.first()
    ActionItem.objects.create(
        council=council,
        title="報告書",
        owner=owner,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    html = login(officer).get(reverse("portal:mypage")).content.decode()
    assert "期限が近い・過ぎた実行項目" in html and council.get_absolute_url() in html


def test_the_example_compositions_of_the_survey_show_their_sectors(client):
    url = reverse("councils:survey", args=["prefectures-designated-cities-2021"])
    html = client.get(url).content.decode()
    assert "金融機関（銀行等）: 金" in html


def test_members_are_kept_on_record_when_they_leave_after_attending(council, login, officer):
    client = login(officer)
    record(client, council)
    attended = Meeting.objects.get().attendance.first().member
    client.post(reverse("councils:member_remove", args=[attended.pk]))
    attended.refresh_from_db()
    assert attended.left_on == timezone.localdate()
    never = council.members.exclude(attendance__isnull=False).first()
    client.post(reverse("councils:member_remove", args=[never.pk]))
    assert not CouncilMember.objects.filter(pk=never.pk).exists()

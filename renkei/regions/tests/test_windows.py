"""Windows (窓口) kept by their organisations: a liaison office publishes its windows, the
secretariat verifies them, each shows when it was last confirmed, and owners are reminded
after 12 months."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import AuditLog, Role, User
from renkei.conftest import PASSWORD
from renkei.notifications.models import Notification
from renkei.regions import actions, resolve
from renkei.regions.models import ContactWindow, Topic

LIAISON_WINDOW = {
    "department": "産学連携本部 技術相談窓口",
    "topics": ["technical", "joint_research"],
    "description": "企業からの技術相談と共同研究の窓口です。",
    "phone": "0258-47-9999",
    "email": "sangaku@example.ac.jp",
    "hours": "平日 9:00〜17:00",
    "languages": ["ja", "en"],
    "scope": "regional",
    "is_primary": "on",
}


def publish(client, organization, data=None):
    return client.post(
        reverse("regions:window_new") + f"?organization={organization.pk}",
        data or LIAISON_WINDOW,
    )


def test_a_liaison_office_publishes_its_window_and_it_waits_for_the_secretariat(
    login, liaison, nagaokaut, client
):
    response = publish(login(liaison), nagaokaut)
    assert response.status_code == 302
    window = ContactWindow.objects.get(organization=nagaokaut)
    assert [t.value for t in window.topics] == ["technical", "joint_research"]
    assert window.languages == ["ja", "en"] and window.confirmed_at is not None
    assert window.verified_at is None
    assert AuditLog.objects.for_object(window).get().action == "regions.create_window"
    client.logout()
    html = client.get(reverse("regions:windows") + "?topic=technical").content.decode()
    assert "産学連携本部 技術相談窓口" in html and "事務局の確認前" in html


def test_the_secretariat_verifies_a_window_and_the_public_sees_it_verified(
    login, liaison, nagaokaut, secretariat, client
):
    publish(login(liaison), nagaokaut)
    window = ContactWindow.objects.get(organization=nagaokaut)
    assert window in ContactWindow.objects.awaiting_verification()
    sato = login(secretariat)
    review = sato.get(reverse("regions:windows_review")).content.decode()
    assert "産学連携本部 技術相談窓口" in review
    sato.post(reverse("regions:window_verify", args=[window.pk]))
    window.refresh_from_db()
    assert window.verified_by == secretariat
    client.logout()
    html = client.get(nagaokaut.get_absolute_url()).content.decode()
    assert "事務局確認済み" in html and "0258-47-9999" in html


def test_changing_how_to_reach_a_window_asks_the_secretariat_again(
    login, liaison, nagaokaut, secretariat
):
    watanabe = login(liaison)
    publish(watanabe, nagaokaut)
    window = ContactWindow.objects.get(organization=nagaokaut)
    actions.verify_window(window, by=secretariat)
    watanabe.force_login(liaison)
    edit = reverse("regions:window_edit", args=[window.pk])
    watanabe.post(edit, {**LIAISON_WINDOW, "hours": "平日 10:00〜16:00"})
    window.refresh_from_db()
    assert window.verified_at is not None  # the hours are not a way to reach it
    watanabe.post(edit, {**LIAISON_WINDOW, "phone": "0258-47-1111"})
    window.refresh_from_db()
    assert window.verified_at is None and window.phone == "0258-47-1111"


def test_a_window_without_a_way_to_contact_is_refused_and_nothing_is_saved(
    login, liaison, nagaokaut
):
    data = {**LIAISON_WINDOW, "phone": "", "email": ""}
    response = publish(login(liaison), nagaokaut, data)
    assert response.status_code == 400
    assert "連絡の手段" in response.content.decode()
    assert not ContactWindow.objects.filter(organization=nagaokaut).exists()
    assert not AuditLog.objects.filter(action="regions.create_window").exists()


def test_an_unknown_topic_or_language_is_refused(login, liaison, nagaokaut):
    response = publish(login(liaison), nagaokaut, {**LIAISON_WINDOW, "topics": ["fortune"]})
    assert response.status_code == 400
    response = publish(login(liaison), nagaokaut, {**LIAISON_WINDOW, "languages": ["klingon"]})
    assert response.status_code == 400
    response = publish(login(liaison), nagaokaut, {**LIAISON_WINDOW, "topics": []})
    assert "取り扱う分野を1つ以上選んでください。" in response.content.decode()
    assert not ContactWindow.objects.filter(organization=nagaokaut).exists()


def test_nobody_edits_another_organisations_windows(login, outsider, liaison, nagaokaut):
    hokudai = resolve.university("北海道大学")
    assert publish(login(liaison), hokudai).status_code == 403
    assert publish(login(outsider), nagaokaut).status_code == 403
    assert not ContactWindow.objects.filter(organization__in=[hokudai, nagaokaut]).exists()


@pytest.fixture
def stale_window(nagaokaut):
    window = ContactWindow.objects.create(
        organization=nagaokaut,
        department="地域連携推進センター",
        phone="0258-46-0000",
        confirmed_at=timezone.now() - datetime.timedelta(days=400),
    )
    window.topic_links.create(topic=Topic.GENERAL)
    return window


def test_a_window_unconfirmed_for_12_months_is_marked(client, stale_window, nagaokaut):
    assert stale_window.is_stale()
    html = client.get(nagaokaut.get_absolute_url()).content.decode()
    assert "12か月以上未確認" in html


def test_owners_of_a_stale_window_are_reminded_once_a_month(
    liaison, stale_window, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.remind_stale_windows() == 1
    notification = Notification.objects.get(recipient=liaison)
    assert notification.kind == "window_reminder"
    assert "長岡技術科学大学" in notification.subject
    assert "地域連携推進センター" in notification.body
    assert [m.to for m in mailoutbox] == [[liaison.email]]
    assert actions.remind_stale_windows() == 0  # not again within 30 days
    later = timezone.now() + datetime.timedelta(days=31)
    assert actions.remind_stale_windows(now=later) == 1


def test_confirming_a_window_clears_its_mark_and_shows_on_the_start_page(
    login, liaison, stale_window
):
    watanabe = login(liaison)
    mypage = watanabe.get(reverse("portal:mypage")).content.decode()
    assert "12か月以上確認されていない窓口" in mypage
    watanabe.post(reverse("regions:window_confirm", args=[stale_window.pk]))
    stale_window.refresh_from_db()
    assert not stale_window.is_stale()
    assert (
        "12か月以上確認されていない窓口"
        not in watanabe.get(reverse("portal:mypage")).content.decode()
    )


def test_the_secretariat_sees_windows_to_verify_on_its_start_page(
    login, liaison, nagaokaut, secretariat
):
    publish(login(liaison), nagaokaut)
    html = login(secretariat).get(reverse("portal:mypage")).content.decode()
    assert "事務局の確認を待っている窓口" in html
    assert reverse("regions:windows_review") in html


def test_a_window_taken_off_the_portal_is_no_longer_listed(login, liaison, stale_window, client):
    login(liaison).post(reverse("regions:window_archive", args=[stale_window.pk]))
    client.logout()
    assert "地域連携推進センター" not in client.get(reverse("regions:windows")).content.decode()


# --- import --------------------------------------------------------------------------------

CSV = (
    "department,topics,phone,email,hours,languages,scope,is_primary\n"
    "技術相談窓口,技術相談、共同研究・受託研究,0258-47-1000,tech@example.ac.jp,平日,日本語,,true\n"
    "知財本部,知財・ライセンス,,ip@example.ac.jp,,,全国から受け付ける,\n"
)


def upload(client, organization, text, name="windows.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(name, text.encode("utf-8"))}
    if organization is not None:
        data["organization"] = organization.pk
    return client.post(reverse("regions:window_import"), data)


def test_a_liaison_office_imports_its_windows_from_a_csv(login, liaison, nagaokaut):
    response = upload(login(liaison), nagaokaut, CSV)
    assert response.status_code == 302
    windows = {w.department: w for w in ContactWindow.objects.filter(organization=nagaokaut)}
    assert [t.value for t in windows["技術相談窓口"].topics] == ["technical", "joint_research"]
    assert windows["技術相談窓口"].is_primary and windows["知財本部"].scope == "nationwide"
    assert AuditLog.objects.filter(action="regions.import_windows").count() == 1
    # the same file again updates, never duplicates
    upload(login(liaison), nagaokaut, CSV.replace("0258-47-1000", "0258-47-2000"))
    assert ContactWindow.objects.filter(organization=nagaokaut).count() == 2
    assert ContactWindow.objects.get(department="技術相談窓口").phone == "0258-47-2000"


def test_a_file_with_bad_rows_names_row_and_column_and_imports_nothing(login, liaison, nagaokaut):
    bad = (
        "department,topics,phone,email,organization\n"
        "技術相談窓口,占い,0258-47-1000,,\n"
        "知財本部,知財・ライセンス,,,\n"
        "連携窓口,技術相談,0258-47-1000,,北海道大学\n"
        "良い窓口,技術相談,0258-47-3000,,\n"
    )
    response = upload(login(liaison), nagaokaut, bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "windows.csv:2行:topics列: 分野「占い」はありません" in html
    assert "windows.csv:3行" in html and "連絡の手段" in html
    assert "windows.csv:4行:organization列: 「北海道大学」の窓口は編集できません。" in html
    assert not ContactWindow.objects.filter(organization=nagaokaut).exists()


def test_the_secretariat_imports_windows_of_several_organisations_from_xlsx(
    login, secretariat, nagaokaut, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renkei.lib.spreadsheets import write_xlsx

    path = tmp_path / "windows.xlsx"
    write_xlsx(
        path,
        ["organization", "department", "topics", "phone"],
        [
            {"organization": "長岡技術科学大学", "department": "技術相談", "topics": "技術相談",
             "phone": "0258-47-1000"},
            {"organization": "F101110100010", "department": "産学連携", "topics": "総合窓口",
             "phone": "011-706-0000"},
        ],
    )  # fmt: skip
    response = login(secretariat).post(
        reverse("regions:window_import"),
        {"file": SimpleUploadedFile("windows.xlsx", path.read_bytes())},
    )
    assert response.status_code == 302
    windows = ContactWindow.objects.filter(department__in=["技術相談", "産学連携"])
    assert {w.organization.name for w in windows} == {"長岡技術科学大学", "北海道大学"}
    assert all(w.verified_at for w in windows)  # the secretariat's own entries are verified


def test_an_unknown_organisation_in_the_secretariats_file_is_an_error(login, secretariat):
    text = "organization,department,topics,phone\nどこにもない大学,窓口,技術相談,03-1234-5678\n"
    response = upload(login(secretariat), None, text)
    assert "windows.csv:2行:organization列: 機関「どこにもない大学」が見つかりません" in (
        response.content.decode()
    )


def test_the_import_template_opens_in_a_spreadsheet(client):
    response = client.get(reverse("regions:window_template"))
    assert response.content.decode("utf-8-sig").startswith("organization,department,topics")


# --- default data and the API --------------------------------------------------------------


def test_the_ministries_windows_handle_programs_for_the_whole_country():
    window = ContactWindow.objects.get(phone="03-6910-2049")
    assert [t.value for t in window.topics] == ["funding"]
    assert window.scope == "nationwide" and window.source


def test_universities_are_placed_in_their_municipality():
    hokudai = resolve.university("北海道大学")
    assert hokudai.municipality.name == "北区" and hokudai.municipality.parent.name == "札幌市"
    assert resolve.university("長岡技術科学大学").municipality.name == "長岡市"


def test_the_api_lists_windows_by_topic_prefecture_kind_and_organisation(
    client, login, liaison, nagaokaut
):
    publish(login(liaison), nagaokaut)
    client.logout()
    data = client.get("/api/windows", {"topic": "technical", "prefecture": "15"}).json()
    assert data["count"] == 1
    window = data["results"][0]
    assert window["organization"] == "長岡技術科学大学"
    assert window["topics"] == ["technical", "joint_research"] and not window["verified"]
    assert client.get("/api/windows", {"kind": "ministry"}).json()["count"] >= 10
    by_code = client.get("/api/windows", {"organization": nagaokaut.school_code}).json()
    assert by_code["count"] == 1
    assert client.get("/api/windows", {"q": "長岡技術"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"prefecture": "99"}, "prefecture"),
        ({"prefecture": "tokyo"}, "prefecture"),
        ({"topic": "fortune"}, "topic"),
        ({"kind": "castle"}, "kind"),
        ({"organization": "どこにもない大学"}, "organization"),
    ],
)
def test_the_api_answers_400_naming_the_field_it_does_not_know(client, params, field):
    response = client.get("/api/windows", params)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == field


def test_a_prefecture_officer_can_keep_the_prefectures_windows():
    niigata = resolve.body("150002")
    officer = User.objects.create_user("kato", "kato@pref.niigata.lg.jp", PASSWORD)
    Role.objects.create(user=officer, kind=Role.Kind.ORGANIZATION_MEMBER, organization=niigata)
    assert officer.has_perm("regions.change_contactwindow", niigata)
    assert not officer.has_perm("regions.verify_contactwindow")


def test_the_command_line_exports_windows_and_imports_them_back(tmp_path, nagaokaut):
    from django.core.management import call_command

    window = ContactWindow.objects.create(
        organization=nagaokaut, department="技術相談", phone="0258-47-1000", hours="平日"
    )
    window.topic_links.create(topic=Topic.TECHNICAL)
    path = tmp_path / "windows.csv"
    call_command("regions", "export-windows", "--format", "csv", "--output", str(path))
    text = path.read_text(encoding="utf-8-sig")
    assert "F115110105055,技術相談,技術相談" in text
    ContactWindow.objects.filter(pk=window.pk).update(hours="")
    call_command("regions", "import-windows", str(path))
    window.refresh_from_db()
    assert window.hours == "平日"
    assert ContactWindow.objects.filter(organization=nagaokaut).count() == 1


def test_the_command_line_import_prints_each_error_and_writes_nothing(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bad.csv"
    path.write_text(
        "organization,department,topics\n長岡技術科学大学,窓口,占い\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="何も書き込んでいません"):
        call_command("regions", "import-windows", str(path))
    assert not ContactWindow.objects.filter(department="窓口").exists()


def test_the_reminder_runs_daily_as_a_scheduled_job(liaison, stale_window):
    from django.utils.module_loading import import_string
    from django_q.models import Schedule

    from renkei.portal.schedules import ensure_schedules

    ensure_schedules()
    schedule = Schedule.objects.get(name="remind-windows")
    assert schedule.schedule_type == Schedule.DAILY
    assert import_string(schedule.func)() == 1

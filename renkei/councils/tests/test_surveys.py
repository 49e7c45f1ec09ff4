"""The secretariat designs a survey, sends it to the 67 prefectures and designated cities
with one link each, the bodies answer through their links (no account), the secretariat
reminds, closes and publishes the aggregates."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renkei.accounts.models import AuditLog, Role, User
from renkei.conftest import PASSWORD
from renkei.councils import actions
from renkei.councils.models import Survey, SurveyInvitation, SurveyResponse
from renkei.notifications.models import Mail, Notification
from renkei.regions import resolve

QUESTIONS = [
    {"kind": "single", "text": "協議会等はありますか", "options_text": "有\n無", "required": "on"},
    {
        "kind": "multiple",
        "text": "協議会の構成員",
        "options_text": "大学\n企業\n金融機関",
        "required": "on",
    },
    {
        "kind": "number",
        "text": "昨年度の会議の回数",
        "min_value": "0",
        "max_value": "52",
        "unit": "回",
        "required": "on",
    },
    {"kind": "text", "text": "課題と感じていること", "help_text": "自由にお書きください"},
]


@pytest.fixture
def survey(login, secretariat):
    sato = login(secretariat)
    deadline = (timezone.localtime() + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = sato.post(
        reverse("councils:survey_new"),
        {
            "title": "産学官連携の推進体制に関する調査（2026）",
            "slug": "governance-2026",
            "description": "協議会の状況を伺います。",
            "closes_at": deadline,
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get(slug="governance-2026")
    for question in QUESTIONS:
        assert (
            sato.post(reverse("councils:question_add", args=[survey.slug]), question).status_code
            == 302
        )
    return survey


def send_to_67(client, survey, extra=""):
    return client.post(
        reverse("councils:survey_send", args=[survey.slug]),
        {"preset": "bodies67", "organizations": extra},
    )


def link_of(invitation):
    return invitation.get_absolute_url()


def answers(survey, **values):
    q = {question.text: f"q{question.pk}" for question in survey.questions.all()}
    data = {
        q["協議会等はありますか"]: "有",
        q["協議会の構成員"]: ["大学", "企業"],
        q["昨年度の会議の回数"]: "4",
        q["課題と感じていること"]: "大学の分野が県内産業と合わない。",
        "respondent_name": "産業政策課 加藤",
    }
    data.update({q[k]: v for k, v in values.items()})
    return data


def test_the_secretariat_designs_a_survey_with_each_kind_of_question(survey):
    assert survey.status == "draft" and survey.origin == "renkei"
    kinds = [(q.kind, q.options) for q in survey.questions.all()]
    assert kinds == [
        ("single", ["有", "無"]),
        ("multiple", ["大学", "企業", "金融機関"]),
        ("number", []),
        ("text", []),
    ]


def test_a_choice_question_without_options_is_refused(login, secretariat, survey):
    response = login(secretariat).post(
        reverse("councils:question_add", args=[survey.slug]),
        {"kind": "single", "text": "どれですか", "options_text": "ひとつ"},
    )
    assert response.status_code == 400
    assert "選択肢を2つ以上" in response.content.decode()


def test_sending_to_the_67_bodies_gives_each_its_own_link(
    login, secretariat, survey, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_to_67(login(secretariat), survey, extra="150002, sangyo@pref.niigata.lg.jp")
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    invitations = SurveyInvitation.objects.filter(survey=survey)
    assert invitations.count() == 67
    assert invitations.filter(organization__lg_code="011002").exists()  # 札幌市
    assert len({link_of(i) for i in invitations}) == 67
    niigata = invitations.get(organization__lg_code="150002")
    assert niigata.email == "sangyo@pref.niigata.lg.jp"
    assert Mail.objects.filter(to="sangyo@pref.niigata.lg.jp").exists()
    mail = next(m for m in mailoutbox if m.to == ["sangyo@pref.niigata.lg.jp"])
    assert link_of(niigata) in mail.body and "新潟県" in mail.body
    assert "アカウントなしで回答できます" in mail.body
    assert AuditLog.objects.filter(action="surveys.send").count() == 1


def test_an_unknown_recipient_is_refused_and_nothing_is_sent(login, secretariat, survey):
    response = send_to_67(login(secretariat), survey, extra="どこにもない県\n150002, not-a-mail")
    html = response.content.decode()
    assert response.status_code == 400
    assert "1行目: 「どこにもない県」に当たる機関が1つに定まりません。" in html
    assert "2行目: メールアドレス「not-a-mail」の形式が正しくありません。" in html
    assert not SurveyInvitation.objects.exists()
    survey.refresh_from_db()
    assert survey.status == "draft"


@pytest.fixture
def sent(login, secretariat, survey):
    send_to_67(login(secretariat), survey)
    survey.refresh_from_db()
    return survey


def invitation(survey, lg_code):
    return SurveyInvitation.objects.get(survey=survey, organization__lg_code=lg_code)


def test_a_body_answers_through_its_link_without_an_account(client, sent):
    niigata = invitation(sent, "150002")
    page = client.get(link_of(niigata))
    assert page.status_code == 200 and "新潟県 としてご回答ください" in page.content.decode()
    response = client.post(link_of(niigata), answers(sent))
    assert response.status_code == 200 and "回答を受け付けました" in response.content.decode()
    response = SurveyResponse.objects.get()
    assert response.organization.lg_code == "150002"
    values = sorted(map(str, response.answers.values()))
    assert values == sorted(["有", "['大学', '企業']", "4", "大学の分野が県内産業と合わない。"])


def test_the_answer_can_be_changed_until_close_and_stays_one_per_body(client, sent):
    link = link_of(invitation(sent, "150002"))
    client.post(link, answers(sent))
    client.post(link, answers(sent, 昨年度の会議の回数="6"))
    assert SurveyResponse.objects.count() == 1
    assert "6" in SurveyResponse.objects.get().answers.values()
    assert AuditLog.objects.filter(action="surveys.answer").count() == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"昨年度の会議の回数": "99"}, "52 以下"),
        ({"昨年度の会議の回数": "-1"}, "0 以上"),
        ({"昨年度の会議の回数": "たくさん"}, "数値"),
        ({"協議会等はありますか": "たぶん"}, "選択"),
        ({"協議会の構成員": []}, "必須"),
    ],
)
def test_an_answer_out_of_range_or_not_an_option_is_refused(client, sent, values, message):
    response = client.post(link_of(invitation(sent, "150002")), answers(sent, **values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_wrong_or_replaced_link_is_refused(client, login, secretariat, sent):
    niigata = invitation(sent, "150002")
    old = link_of(niigata)
    tampered = re.sub(r"/answer/(\d+)", lambda m: f"/answer/{int(m.group(1)) + 1}", old)
    assert client.get(tampered).status_code == 404
    assert client.get("/councils/answer/nonsense/").status_code == 404
    login(secretariat).post(reverse("councils:invitation_reissue", args=[niigata.pk]))
    client.logout()
    response = client.post(old, answers(sent))
    assert response.status_code == 404
    assert "新しいリンクに置き換えられました" in response.content.decode()
    niigata.refresh_from_db()
    assert client.post(link_of(niigata), answers(sent)).status_code == 200
    assert SurveyResponse.objects.count() == 1


def test_answers_after_close_are_refused(client, login, secretariat, sent):
    link = link_of(invitation(sent, "150002"))
    login(secretariat).post(reverse("councils:survey_close", args=[sent.slug]))
    client.logout()
    response = client.post(link, answers(sent))
    assert response.status_code == 410
    assert "締め切られました" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_links_expire_at_the_deadline(client, sent):
    link = link_of(invitation(sent, "150002"))
    Survey.objects.filter(pk=sent.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(link).status_code == 410
    actions.close_expired_surveys()
    sent.refresh_from_db()
    assert sent.status == "closed"


def test_the_secretariat_watches_progress_and_reminds_those_not_yet_answered(
    client, login, secretariat, sent, django_capture_on_commit_callbacks
):
    client.post(link_of(invitation(sent, "150002")), answers(sent))
    sato = login(secretariat)
    html = sato.get(reverse("councils:survey_progress", args=[sent.slug])).content.decode()
    assert "67 団体中 1 団体が回答（1%）" in html and "未回答 66 団体" in html
    member = User.objects.create_user("suzuki", "suzuki@city.sapporo.jp", PASSWORD)
    Role.objects.create(
        user=member, kind=Role.Kind.ORGANIZATION_MEMBER, organization=resolve.body("011002")
    )
    with django_capture_on_commit_callbacks(execute=True):
        sato.post(reverse("councils:survey_remind", args=[sent.slug]))
    reminded = SurveyInvitation.objects.filter(survey=sent, reminder_count=1)
    assert [i.organization.lg_code for i in reminded] == ["011002"]  # the one with someone to tell
    note = Notification.objects.get(recipient=member)
    assert "再送" in note.subject and note.link == link_of(invitation(sent, "011002"))
    assert "調査「産学官連携の推進体制に関する調査（2026）」への回答" in (
        login(member).get(reverse("portal:mypage")).content.decode()
    )


def test_the_daily_job_reminds_in_the_last_week_at_most_every_three_days(sent):
    member = User.objects.create_user("suzuki", "suzuki@city.sapporo.jp", PASSWORD)
    Role.objects.create(
        user=member, kind=Role.Kind.ORGANIZATION_MEMBER, organization=resolve.body("011002")
    )
    early = timezone.now()
    assert actions.send_survey_reminders(now=early) == 0  # 20 days before the deadline
    last_week = sent.closes_at - datetime.timedelta(days=5)
    assert actions.send_survey_reminders(now=last_week) == 1
    assert actions.send_survey_reminders(now=last_week + datetime.timedelta(days=1)) == 0
    assert actions.send_survey_reminders(now=last_week + datetime.timedelta(days=3, hours=1)) == 1


def answered_by_three(client, survey):
    client.post(link_of(invitation(survey, "150002")), answers(survey))
    client.post(
        link_of(invitation(survey, "011002")),
        answers(survey, 協議会等はありますか="無", 協議会の構成員=["企業"], 昨年度の会議の回数="0"),
    )
    client.post(
        link_of(invitation(survey, "130001")),
        answers(survey, 協議会の構成員=["大学", "金融機関"], 昨年度の会議の回数="10"),
    )


def test_the_aggregates_are_published_with_charts_and_tables(client, login, secretariat, sent):
    answered_by_three(client, sent)
    sato = login(secretariat)
    response = sato.post(reverse("councils:survey_publish", args=[sent.slug]))
    assert "結果は調査を締め切ってから公表します。" in " ".join(
        str(m) for m in response.wsgi_request._messages
    )
    sato.post(reverse("councils:survey_close", args=[sent.slug]))
    sato.post(reverse("councils:survey_publish", args=[sent.slug]))
    client.logout()
    html = client.get(sent.get_absolute_url()).content.decode()
    assert '<svg class="chart"' in html and "2（67%）" in html
    assert "中央値" in html and "4" in html
    assert "大学の分野が県内産業と合わない。" not in html  # answers are not public here
    assert "団体ごとの回答" not in html
    data = client.get(f"/api/surveys/{sent.slug}/results").json()
    first, members, meetings, _text = data["questions"]
    assert [(c["option"], c["count"]) for c in first["counts"]] == [("有", 2), ("無", 1)]
    assert [(c["option"], c["count"]) for c in members["counts"]] == [
        ("大学", 2),
        ("企業", 2),
        ("金融機関", 1),
    ]
    assert meetings["numbers"] == {
        "n": 3.0, "total": 14.0, "mean": 4.67, "median": 4.0, "min": 0.0, "max": 10.0,
    }  # fmt: skip
    assert all(q["answers"] == [] for q in data["questions"])
    assert sent.slug in [s["slug"] for s in client.get("/api/surveys").json()]


def test_unpublished_results_are_for_the_secretariat_only(client, login, secretariat, sent):
    answered_by_three(client, sent)
    client.logout()
    assert client.get(sent.get_absolute_url()).status_code == 404
    assert client.get(f"/api/surveys/{sent.slug}/results").status_code == 404
    html = login(secretariat).get(sent.get_absolute_url()).content.decode()
    assert "未公表の結果です" in html and "大学の分野が県内産業と合わない。" in html


def test_a_survey_that_says_so_publishes_each_bodys_answers(client, login, secretariat, sent):
    Survey.objects.filter(pk=sent.pk).update(answers_public=True)
    answered_by_three(client, sent)
    actions.close_survey(sent, by=secretariat)
    actions.publish_results(sent, by=secretariat)
    client.logout()
    html = client.get(sent.get_absolute_url()).content.decode()
    assert "団体ごとの回答" in html and "大学の分野が県内産業と合わない。" in html
    exported = client.get(
        reverse("councils:survey_export", args=[sent.slug, "csv"]) + "?what=answers"
    )
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {row["organization"] for row in rows} == {"新潟県", "札幌市", "東京都"}
    hub = client.get(reverse("portal:prefecture", args=["15"])).content.decode()
    assert "協議会等はありますか" in hub


def test_the_exports_give_aggregates_to_all_and_answers_to_the_secretariat(
    client, login, secretariat, sent
):
    answered_by_three(client, sent)
    actions.close_survey(sent, by=secretariat)
    actions.publish_results(sent, by=secretariat)
    client.logout()
    aggregates = client.get(reverse("councils:survey_export", args=[sent.slug, "csv"]))
    text = aggregates.content.decode("utf-8-sig")
    assert text.startswith("question,kind,option,count,percent")
    assert "Q1. 協議会等はありますか,single,有,2,67" in text
    answers_url = reverse("councils:survey_export", args=[sent.slug, "xlsx"]) + "?what=answers"
    assert client.get(answers_url).status_code == 403
    workbook = login(secretariat).get(answers_url)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == 4  # header + three bodies


def test_the_2021_survey_publishes_only_the_sources_aggregates(client):
    url = reverse("councils:survey", args=["prefectures-designated-cities-2021"])
    html = client.get(url).content.decode()
    assert "28 団体" in html and "67 団体" in html
    assert "差し引きで示した数" in html
    data = client.get("/api/surveys/prefectures-designated-cities-2021/results").json()
    council = data["questions"][0]
    assert council["source"] == "published"
    assert [(c["option"], c["count"], c["derived"]) for c in council["counts"]] == [
        ("有", 28, False),
        ("無", 39, True),
    ]
    assert len(data["questions"][1]["items"]) == 6 and data["questions"][1]["answers"] == []
    assert data["invited"] == 0 and data["answered"] == 0


def test_an_open_survey_waits_on_the_secretariats_start_page(login, secretariat, sent):
    html = login(secretariat).get(reverse("portal:mypage")).content.decode()
    assert "回答受付中の調査「産学官連携の推進体制に関する調査（2026）」" in html
    assert "67 団体中 0 団体が回答" in html


def test_nobody_but_the_secretariat_designs_or_sends_surveys(login, liaison, coordinator, sent):
    for user in (liaison, coordinator):
        client = login(user)
        assert client.get(reverse("councils:survey_new")).status_code == 403
        assert client.post(reverse("councils:survey_remind", args=[sent.slug])).status_code == 403
        assert client.get(reverse("councils:survey_progress", args=[sent.slug])).status_code == 403


def test_questions_cannot_change_once_the_survey_is_sent(login, secretariat, sent):
    question = sent.questions.first()
    login(secretariat).post(reverse("councils:question_delete", args=[question.pk]))
    assert sent.questions.count() == 4


def test_the_command_line_exports_the_aggregates_and_runs_the_daily_reminders(tmp_path, sent):
    from django.core.management import call_command

    path = tmp_path / "results.csv"
    call_command("councils", "export-survey", sent.slug, "--format", "csv", "--output", str(path))
    assert path.read_text(encoding="utf-8-sig").startswith("question,kind,option")
    out = io.StringIO()
    call_command("councils", "remind-surveys", stdout=out)
    assert "0 件の調査を締め切り" in out.getvalue()
    out = io.StringIO()
    call_command("councils", "surveys", stdout=out)
    assert "governance-2026" in out.getvalue() and "0 / 67 団体が回答" in out.getvalue()


def test_the_reminders_run_daily_as_a_scheduled_job(sent):
    from django.utils.module_loading import import_string
    from django_q.models import Schedule

    from renkei.portal.schedules import ensure_schedules

    ensure_schedules()
    schedule = Schedule.objects.get(name="survey-reminders")
    assert schedule.schedule_type == Schedule.DAILY
    Survey.objects.filter(pk=sent.pk).update(closes_at=timezone.now() - datetime.timedelta(hours=1))
    import_string(schedule.func)()
    sent.refresh_from_db()
    assert sent.status == "closed"


def test_bodies_nobody_can_be_told_of_are_shown_and_can_be_given_an_address(
    login, secretariat, sent, mailoutbox, django_capture_on_commit_callbacks
):
    sato = login(secretariat)
    progress = reverse("councils:survey_progress", args=[sent.slug])
    html = sato.get(progress).content.decode()
    assert "67 団体には、renkei から知らせる相手" in html and "未送付（連絡先なし）" in html
    with django_capture_on_commit_callbacks(execute=True):
        send_to_67(sato, sent, extra="150002, sangyo@pref.niigata.lg.jp")
    niigata = invitation(sent, "150002")
    assert niigata.sent_at is not None and niigata.email == "sangyo@pref.niigata.lg.jp"
    assert [m.to for m in mailoutbox] == [["sangyo@pref.niigata.lg.jp"]]
    assert SurveyInvitation.objects.filter(survey=sent).count() == 67  # no second link
    assert "66 団体には" in sato.get(progress).content.decode()

"""Issue 14's "Done when", as one story: 渡辺 publishes 長岡技術科学大学's window and 佐藤
verifies it; 加藤 of 新潟県 finds it by topic; a survey sent to the 67 bodies is answered
through its links and its aggregates published; 加藤's council records a meeting and its
actions, and its indicators move — each step reached from the person's start page."""

import datetime

from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.conftest import PASSWORD
from renkei.councils.models import ActionItem, Council, Survey, SurveyInvitation
from renkei.regions import resolve
from renkei.regions.models import ContactWindow


def test_regional_governance_end_to_end(client, login, secretariat, liaison, nagaokaut):
    # 渡辺 (liaison office) publishes the university's window, from the start page
    watanabe = login(liaison)
    mypage = watanabe.get(reverse("portal:mypage")).content.decode()
    my_windows = reverse("regions:my_windows") + f"?organization={nagaokaut.pk}"
    assert my_windows in mypage
    watanabe.post(
        reverse("regions:window_new") + f"?organization={nagaokaut.pk}",
        {
            "department": "産学連携本部 技術相談窓口",
            "topics": ["technical"],
            "phone": "0258-47-9999",
            "scope": "regional",
        },
    )
    window = ContactWindow.objects.get(organization=nagaokaut)

    # 佐藤 (secretariat) sees it waiting on the start page and verifies it
    sato = login(secretariat)
    assert "事務局の確認を待っている窓口" in sato.get(reverse("portal:mypage")).content.decode()
    sato.post(reverse("regions:window_verify", args=[window.pk]))
    window.refresh_from_db()
    assert window.verified_at is not None

    # 加藤 of 新潟県 finds it by topic, nearest first
    niigata = resolve.body("150002")
    kato = User.objects.create_user("kato", "kato@pref.niigata.lg.jp", PASSWORD)
    Role.objects.create(user=kato, kind=Role.Kind.ORGANIZATION_MEMBER, organization=niigata)
    officer = login(kato)
    answer = officer.get(
        reverse("portal:ask"), {"topic": "technical", "prefecture": "15", "city": "新潟市"}
    ).context["answer"]
    assert answer.nearby[0].window == window and answer.nearby[0].window.verified_at

    # 佐藤 sends a survey to the 67 bodies
    sato = login(secretariat)
    sato.post(
        reverse("councils:survey_new"),
        {
            "title": "協議会の調査",
            "slug": "councils-2026",
            "closes_at": (timezone.localtime() + datetime.timedelta(days=14)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )
    survey = Survey.objects.get(slug="councils-2026")
    sato.post(
        reverse("councils:question_add", args=[survey.slug]),
        {
            "kind": "single",
            "text": "協議会はありますか",
            "options_text": "有\n無",
            "required": "on",
        },
    )
    sato.post(reverse("councils:survey_send", args=[survey.slug]), {"preset": "bodies67"})
    assert SurveyInvitation.objects.filter(survey=survey).count() == 67

    # 加藤 answers for 新潟県 from the start page (the link needs no account); two more bodies
    mypage = login(kato).get(reverse("portal:mypage")).content.decode()
    link = SurveyInvitation.objects.get(survey=survey, organization=niigata).get_absolute_url()
    assert link in mypage
    question = f"q{survey.questions.get().pk}"
    client.logout()
    for code, value in (("150002", "有"), ("011002", "無"), ("270008", "有")):
        url = SurveyInvitation.objects.get(survey=survey, organization__lg_code=code)
        assert client.post(url.get_absolute_url(), {question: value}).status_code == 200

    # 佐藤 closes the survey and publishes the aggregates
    sato = login(secretariat)
    sato.post(reverse("councils:survey_close", args=[survey.slug]))
    sato.post(reverse("councils:survey_publish", args=[survey.slug]))
    client.logout()
    results = client.get(f"/api/surveys/{survey.slug}/results").json()
    counts = [(c["option"], c["count"]) for c in results["questions"][0]["counts"]]
    assert counts == [("有", 2), ("無", 1)]

    # 加藤 starts the prefecture's council, records a meeting and its actions
    officer = login(kato)
    officer.post(
        reverse("councils:council_new"),
        {
            "name": "新潟県産学官連携推進協議会",
            "purpose": "県内の産学官金の連携",
            "prefecture": "15",
            "organization": niigata.pk,
            "is_public": "on",
        },
    )
    council = Council.objects.get()
    for name in ("新潟県", "長岡技術科学大学"):
        officer.post(
            reverse("councils:member_add", args=[council.pk]),
            {"organization_name": name, "role": "member"},
        )
    before = council.indicators()
    today = timezone.localdate()
    officer.post(
        reverse("councils:meeting_new", args=[council.pk]),
        {
            "held_on": today.isoformat(),
            "title": "第1回",
            "attendees": [m.pk for m in council.members.all()],
            "decisions": "窓口一覧を公開する",
        },
    )
    officer.post(
        reverse("councils:action_new", args=[council.pk]),
        {
            "title": "窓口一覧を公開する",
            "owner": council.members.get(organization=nagaokaut).pk,
            "due_on": (today - datetime.timedelta(days=1)).isoformat(),
            "status": "open",
        },
    )
    after = Council.objects.with_indicator_data().get(pk=council.pk).indicators()
    assert (before.meetings, after.meetings) == (0, 1)
    assert (before.overdue, after.overdue) == (0, 1)
    assert {a.label: a.percent for a in after.attendance} == {"学": 100, "官": 100}
    assert "期限が近い・過ぎた実行項目" in officer.get(reverse("portal:mypage")).content.decode()
    item = ActionItem.objects.get()
    officer.post(
        reverse("councils:action_update", args=[item.pk]),
        {"status": "done", "done_on": today.isoformat(), "evidence": "公開しました"},
    )
    done = Council.objects.with_indicator_data().get(pk=council.pk).indicators()
    assert done.overdue == 0 and done.items_due == 1 and done.on_time_percent == 0  # a day late

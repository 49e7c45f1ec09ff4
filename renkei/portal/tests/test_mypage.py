"""マイページ: after signing in, each persona lands on a page listing what waits for them,
and the pages their roles use are one click away."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.communities import actions
from renkei.communities.models import CertificationRound
from renkei.matching.models import Need, Proposal, Seed
from renkei.maturity.models import Report
from renkei.notifications.models import Kind, Notification
from renkei.programs.models import CallPeriod, Program, SavedProgram

MYPAGE = reverse("portal:mypage")


@pytest.fixture
def round_(secretariat, reviewer):
    now = timezone.now()
    return actions.open_round(
        by=secretariat,
        kind="regional",
        fiscal_year=2026,
        title="地域バイオコミュニティの認定（令和8年度）",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=5),
        review_deadline=now + datetime.timedelta(days=30),
        reviewers=[reviewer],
    )


def answered(application, coordinator):
    answers = {field: "回答" for field in ("strengths", "actors", "network", "plan")}
    return actions.update_answers(application, answers, by=coordinator)


@pytest.fixture
def need():
    return Need.objects.create(
        title="牡蠣の養殖で海の状態を自動で見張りたい",
        description="夏場に牡蠣が死ぬことがあります。",
        submitter_name="山本 一郎",
        submitter_kind="fishery_cooperative",
        email="yamamoto@shimanami-gyokyo.example.jp",
        prefecture_id="34",
        consent_at=timezone.now(),
        confirmed_at=timezone.now(),
        status=Need.Status.QUEUED,
    )


def page(client):
    response = client.get(MYPAGE)
    assert response.status_code == 200
    return response.content.decode()


def test_signing_in_leads_to_mypage_and_the_header_links_to_it(client, outsider):
    response = client.post(
        reverse("accounts:login"), {"username": "ito", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and response["Location"] == MYPAGE
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{MYPAGE}"' in home and "マイページ" in home


def test_visitors_are_asked_to_sign_in(client):
    response = client.get(MYPAGE)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_outsider_with_nothing_waiting_is_told_so_and_sees_their_account_pages(login, outsider):
    html = page(login(outsider))
    assert "いま対応が必要なことはありません。" in html
    assert reverse("notifications:inbox") in html
    assert reverse("notifications:preferences") in html
    assert reverse("programs:saved") in html
    assert reverse("portal:jobs") not in html


def test_a_followed_program_whose_call_closes_soon_is_listed(login, outsider):
    program = Program.objects.get(code="maff-midori-food-system-rd")
    SavedProgram.objects.create(user=outsider, program=program)
    CallPeriod.objects.create(
        program=program,
        title="二次公募",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    html = page(login(outsider))
    assert "締切が近い公募（フォロー中）" in html and "二次公募" in html
    assert program.get_absolute_url() in html


def test_unread_notifications_are_counted_on_mypage_and_in_the_header(login, outsider):
    for n in range(3):
        Notification.objects.create(
            recipient=outsider, kind=Kind.ALERT, subject=f"お知らせ {n}", body="本文"
        )
    html = page(login(outsider))
    assert "未読のお知らせ" in html and "3 件" in html
    assert "未読 3 件" in html  # the header


def test_a_coordinator_sees_the_open_round_then_the_draft_to_finish(
    login, coordinator, nagaoka, round_
):
    kobayashi = login(coordinator)
    html = page(kobayashi)
    assert "申請を受け付けている認定ラウンド" in html and round_.get_absolute_url() in html
    assert "急ぎ" in html  # the round closes within a week
    application = actions.start_application(round_, nagaoka, by=coordinator)
    html = page(kobayashi)
    assert "申請の下書きを仕上げて提出する" in html
    assert application.get_absolute_url() in html
    assert "申請を受け付けている認定ラウンド" not in html


def test_a_coordinator_sees_the_yearly_report_due_and_one_returned_for_correction(
    login, coordinator
):
    from renkei.accounts.models import Role
    from renkei.communities.models import Community
    from renkei.lib.formats import fiscal_year_of, wareki_fiscal_year

    tokai = Community.objects.get(slug="tokai")  # no reports yet, unlike Nagaoka
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, community=tokai)
    last_year = fiscal_year_of(timezone.localdate()) - 1
    html = page(login(coordinator))
    assert f"{wareki_fiscal_year(last_year)}の報告を作成する：{tokai.name}" in html
    report = Report.objects.create(
        community=tokai,
        fiscal_year=last_year,
        state=Report.State.CHANGES_REQUESTED,
        review_note="外部資金の単位を千円にしてください。",
    )
    html = page(login(coordinator))
    assert "修正を依頼された報告を直して再提出する" in html
    assert "外部資金の単位を千円にしてください。" in html
    assert report.get_absolute_url() in html
    assert f"{wareki_fiscal_year(last_year)}の報告を作成する：{tokai.name}" not in html


def test_a_coordinator_sees_the_queue_and_the_needs_they_took(login, coordinator, need):
    kobayashi = login(coordinator)
    html = page(kobayashi)
    assert "担当の決まっていないご相談" in html and reverse("matching:queue") in html
    need.assigned_to = coordinator
    need.status = Need.Status.IN_PROGRESS
    need.save()
    html = page(kobayashi)
    assert "担当しているご相談: 牡蠣の養殖で海の状態を自動で見張りたい" in html
    assert need.get_absolute_url() in html
    assert "担当の決まっていないご相談" not in html


def test_a_reviewer_sees_the_reviews_assigned_and_their_deadline(
    login, reviewer, coordinator, secretariat, nagaoka, round_
):
    application = answered(actions.start_application(round_, nagaoka, by=coordinator), coordinator)
    actions.submit_application(application, by=coordinator)
    actions.assign_reviewer(application, reviewer, by=secretariat)
    html = page(login(reviewer))
    assert "審査が割り当てられた申請" in html and "1 件" in html and "審査期限" in html
    assert reverse("communities:reviews") in html


def test_the_secretariat_sees_assignments_decisions_publication_reports_and_failed_jobs(
    login, secretariat, reviewer, coordinator, nagaoka, round_
):
    from django_q.models import Task

    application = answered(actions.start_application(round_, nagaoka, by=coordinator), coordinator)
    actions.submit_application(application, by=coordinator)
    Report.objects.create(community=nagaoka, fiscal_year=2026, state=Report.State.SUBMITTED)
    Task.objects.create(
        id="f" * 32,
        name="failed-mail",
        func="renkei.notifications.jobs.send",
        started=timezone.now(),
        stopped=timezone.now(),
        success=False,
        result="SMTP unreachable",
    )
    sato = login(secretariat)
    html = page(sato)
    assert "審査委員の割当てを待つ申請" in html
    assert "確認を待つ成熟度の年次報告" in html
    assert "失敗したバックグラウンド処理" in html and reverse("portal:jobs") in html
    for name in ["communities:rounds", "communities:round_new", "maturity:reports"]:
        assert reverse(name) in html

    actions.assign_reviewer(application, reviewer, by=secretariat)
    actions.submit_review(
        application.assignments.get(),
        {f: "4" for f in ("strengths", "actors", "network", "plan")},
        {},
        by=reviewer,
    )
    assert "審査がそろい、決定を待つ申請" in page(sato)
    actions.decide_application(application, "certified", "要件を満たす。", by=secretariat)
    CertificationRound.objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert "結果を公表できる認定ラウンド" in page(sato)


def test_a_liaison_officer_sees_their_seed_proposed_for_a_need(
    login, liaison, nagaokaut, need, coordinator
):
    seed = Seed.objects.create(
        organization=nagaokaut,
        title="二枚貝養殖海域の溶存酸素・水温リアルタイム計測システム",
        summary="海中センサーで溶存酸素と水温を測り、異常を知らせる。",
        stage="demonstration",
        prefecture_id="15",
    )
    watanabe = login(liaison)
    html = page(watanabe)
    assert "いま対応が必要なことはありません。" in html
    assert reverse("matching:my_seeds") in html and reverse("matching:seed_new") in html
    proposal = Proposal.objects.create(need=need, seed=seed, state="asked")
    html = page(watanabe)
    assert "ご回答をお願いしている提案" in html and proposal.get_absolute_url() in html


def test_mypage_issues_no_more_queries_as_rounds_and_applications_grow(
    login, secretariat, reviewer, coordinator, nagaoka
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user):
        client = login(user)
        with CaptureQueriesContext(connection) as context:
            assert client.get(MYPAGE).status_code == 200
        return len(context.captured_queries)

    now = timezone.now()

    def one_more_round(n):
        round_ = actions.open_round(
            by=secretariat,
            kind="regional",
            fiscal_year=2026,
            title=f"第{n}回",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=20),
            review_deadline=now + datetime.timedelta(days=30),
            reviewers=[reviewer],
        )
        application = answered(
            actions.start_application(round_, nagaoka, by=coordinator), coordinator
        )
        actions.submit_application(application, by=coordinator)
        actions.assign_reviewer(application, reviewer, by=secretariat)

    one_more_round(1)
    before = {user: queries(user) for user in (secretariat, reviewer, coordinator)}
    for n in range(2, 6):
        one_more_round(n)
    for user, count in before.items():
        assert queries(user) == count, user
    # the secretariat's: + the menu's draft edition and the uploads awaiting application;
    # + late needs (one query), needs assigned to them as an expert, regulatory questions
    # waiting for a window (ADR 0009)
    assert max(before.values()) <= 30

"""A certification round run through the pages by every persona, and everything refused.

Personas: 佐藤 (secretariat), 田中 (reviewer, no conflict), 中村 (reviewer from 長岡技術科学大学,
a member of the Nagaoka community: conflicted), 小林 (coordinator of Nagaoka), 山本 (coordinator
of Tokai, another community), and an anonymous visitor.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import AuditLog, Role
from renkei.communities import actions
from renkei.communities.models import Application, CertificationRound, ReviewAssignment
from renkei.communities.tests.conftest import ANSWERS, SCORES, pdf_bytes
from renkei.conftest import _user

__all__ = ["ANSWERS", "SCORES", "pdf_bytes"]  # the other round tests import them from here


def test_a_full_round_runs_through_the_pages_from_opening_to_published_results(
    login,
    client,
    secretariat,
    reviewer,
    conflicted_reviewer,
    coordinator,
    nagaoka,
    django_capture_on_commit_callbacks,
):
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    # 佐藤 opens the round.
    sato = login(secretariat)
    response = sato.post(reverse("communities:round_new"), {
        "kind": "regional", "fiscal_year": 2026, "title": "地域バイオコミュニティの認定（令和8年度）",
        "opens_at": (now - datetime.timedelta(hours=1)).strftime(fmt),
        "closes_at": (now + datetime.timedelta(days=14)).strftime(fmt),
        "review_deadline": (now + datetime.timedelta(days=40)).strftime(fmt),
        "reviewers": [reviewer.pk, conflicted_reviewer.pk],
    })  # fmt: skip
    round_ = CertificationRound.objects.get(fiscal_year=2026)
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()

    # 小林 drafts, answers, attaches and submits Nagaoka's application.
    kobayashi = login(coordinator)
    response = kobayashi.post(
        reverse("communities:application_start", args=[round_.pk]), {"community": nagaoka.pk}
    )
    application = Application.objects.get(round=round_)
    kobayashi.post(application.get_absolute_url(), {"form": "application", **ANSWERS})
    upload = SimpleUploadedFile("計画書.pdf", pdf_bytes(), content_type="application/pdf")
    assert (
        kobayashi.post(
            application.get_absolute_url(),
            {"form": "application", "action": "attach", "file": upload},
        ).status_code
        == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        kobayashi.post(application.get_absolute_url(), {"form": "application", "action": "submit"})
    application.refresh_from_db()
    assert application.state == "submitted"
    assert any("認定申請が提出されました" in m.subject for m in mail.outbox)

    # 佐藤 assigns 田中; assigning 中村 (conflicted) is refused.
    sato = login(secretariat)
    response = sato.post(
        application.get_absolute_url(),
        {"form": "assign", "reviewer": conflicted_reviewer.pk},
    )
    assert (
        response.status_code == 400
        and "利益相反のため割り当てられません" in response.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        sato.post(
            application.get_absolute_url(),
            {"form": "assign", "reviewer": reviewer.pk},
        )
    application.refresh_from_db()
    assert application.state == "under_review"
    assert any(m.to == [reviewer.email] and "審査の依頼" in m.subject for m in mail.outbox)

    # 田中 reviews.
    tanaka = login(reviewer)
    assert ReviewAssignment.objects.filter(application=application, reviewer=reviewer).exists()
    page = tanaka.get(application.get_absolute_url()).content.decode()
    assert "計画書.pdf" in page and "審査結果を提出する" in page
    response = tanaka.post(
        application.get_absolute_url(),
        {"form": "review", "action": "submit", **SCORES, "plan_comment": "KPI を具体的に"},
    )
    assert response.status_code == 302

    # 佐藤 sees the score sheet, decides and publishes.
    sato = login(secretariat)
    page = sato.get(application.get_absolute_url()).content.decode()
    assert "評点表" in page and "KPI を具体的に" in page
    sato.post(
        application.get_absolute_url(),
        {"form": "decide", "decision": "certified", "reasons": "4要件を満たす"},
    )
    sato.post(reverse("communities:round_close", args=[round_.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = sato.post(reverse("communities:round_publish", args=[round_.pk]))
    assert response.status_code == 302

    # Anyone reads the published results.
    page = client.get(reverse("communities:results", args=[round_.pk])).content.decode()
    assert "長岡バイオコミュニティ" in page and "認定" in page
    nagaoka.refresh_from_db()
    assert nagaoka.status_events.filter(round=round_, status="certified").exists()
    logged = set(
        AuditLog.objects.filter(
            target_type="communities.application", target_id=str(application.pk)
        ).values_list("action", flat=True)
    )
    assert {
        "certification.submit",
        "certification.start_review",
        "certification.review",
        "certification.decide",
        "certification.publish",
    } <= logged
    assert any("結果を公表しました" in m.subject for m in mail.outbox)


def test_the_2021_results_reproduce_the_source_table(client):
    round_ = CertificationRound.objects.get(fiscal_year=2021, kind="regional")
    page = client.get(reverse("communities:results", args=[round_.pk])).content.decode()
    decisions = list(
        round_.applications.order_by("community__table_order").values_list(
            "community__name", "decision"
        )
    )
    assert decisions == [
        ("北海道プライムバイオコミュニティ", "certified"),
        ("鶴岡バイオコミュニティ", "certified"),
        ("長岡バイオコミュニティ", "certified"),
        ("東海バイオコミュニティ", "registered"),
        ("福岡バイオコミュニティ", "certified"),
    ]
    assert (
        page.count('class="badge certified"') == 4 and page.count('class="badge registered"') == 1
    )
    assert "名大、岐阜大、三重大、愛知県、岐阜県、三重県、農林中金 等" in page
    assert "コメや未利用バイオ資源のバリューチェーンを構築し" in page
    assert "令和3年6月25日 公表" in page


class TestAttachments:
    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("plan.docx", b"PK\x03\x04 not a pdf", "PDF ファイル（.pdf）だけ"),
            ("plan.pdf", b"MZ\x90\x00 an exe renamed", "中身が PDF ではありません"),
            ("plan.pdf", b"%PDF-1.7\n garbage without objects", "PDF が壊れている"),
            ("plan.pdf", b"", "ファイルが空です"),
        ],
    )
    def test_wrong_or_malformed_files_are_refused_and_nothing_is_stored(
        self, draft, coordinator, name, content, message
    ):
        with pytest.raises(ValidationError, match=message):
            actions.add_attachment(draft, SimpleUploadedFile(name, content), by=coordinator)
        assert not draft.attachments.exists()

    def test_an_oversized_file_is_refused(self, draft, coordinator, settings):
        settings.RENKEI_ATTACHMENT_MAX_BYTES = 100
        with pytest.raises(ValidationError, match="大きすぎます"):
            actions.add_attachment(
                draft, SimpleUploadedFile("big.pdf", pdf_bytes()), by=coordinator
            )

    def test_files_are_stored_under_random_names(self, draft, coordinator):
        attachment = actions.add_attachment(
            draft, SimpleUploadedFile("../../etc/計画.pdf", pdf_bytes()), by=coordinator
        )
        assert "計画" not in attachment.file.name and attachment.file.name.endswith(".pdf")
        assert attachment.file.name.startswith(f"applications/{draft.pk}/")


class TestReviews:
    @pytest.mark.parametrize("bad", ["0", "6", "abc", "3.5", "", "-1"])
    def test_a_score_outside_one_to_five_is_refused(self, under_review, reviewer, bad):
        assignment = under_review.assignments.get(reviewer=reviewer)
        scores = {"strengths": bad, "actors": "3", "network": "3", "plan": "3"}
        with pytest.raises(ValidationError, match="1〜5 の整数"):
            actions.submit_review(assignment, scores, {}, by=reviewer)
        assert not hasattr(ReviewAssignment.objects.get(pk=assignment.pk), "review")

    def test_a_review_after_the_deadline_is_refused(self, under_review, reviewer):
        assignment = under_review.assignments.get(reviewer=reviewer)
        late = under_review.round.review_deadline + datetime.timedelta(minutes=1)
        with pytest.raises(ValidationError, match="審査期限を過ぎている"):
            actions.submit_review(
                assignment,
                dict.fromkeys(["strengths", "actors", "network", "plan"], "3"),
                {},
                by=reviewer,
                now=late,
            )

    def test_a_reviewer_sees_other_scores_only_after_submitting(
        self, under_review, reviewer, conflicted_reviewer, secretariat, login
    ):
        second = _user("kato", "加藤（審査委員）")
        Role.objects.create(user=second, kind=Role.Kind.REVIEWER)
        under_review.round.reviewers.add(second)
        actions.assign_reviewer(under_review, second, by=secretariat)
        first = under_review.assignments.get(reviewer=reviewer)
        actions.submit_review(
            first,
            dict.fromkeys(["strengths", "actors", "network", "plan"], "5"),
            {"plan": "とても具体的"},
            by=reviewer,
        )
        page = login(second).get(under_review.get_absolute_url()).content.decode()
        assert "とても具体的" not in page and "評点表" not in page
        mine = under_review.assignments.get(reviewer=second)
        actions.submit_review(
            mine, dict.fromkeys(["strengths", "actors", "network", "plan"], "2"), {}, by=second
        )
        page = login(second).get(under_review.get_absolute_url()).content.decode()
        assert "とても具体的" in page and "評点表" in page

    def test_a_reviewer_who_declares_a_conflict_cannot_review_or_open_the_application(
        self, under_review, reviewer, login
    ):
        assignment = under_review.assignments.get(reviewer=reviewer)
        actions.declare_conflict(assignment, "共同研究先", by=reviewer)
        with pytest.raises(ValidationError, match="利益相反を申告した申請"):
            actions.submit_review(
                assignment,
                dict.fromkeys(["strengths", "actors", "network", "plan"], "3"),
                {},
                by=reviewer,
            )
        assert login(reviewer).get(under_review.get_absolute_url()).status_code == 404


class TestTheStateMachine:
    def test_only_the_secretariat_decides(self, under_review, coordinator, reviewer):
        for person in (coordinator, reviewer):
            with pytest.raises(PermissionDenied, match="事務局だけ"):
                actions.decide_application(under_review, "certified", "x", by=person)

    def test_a_second_decision_is_refused_and_changes_nothing(self, under_review, secretariat):
        actions.decide_application(under_review, "registered", "成長が期待される", by=secretariat)
        with pytest.raises(
            actions.IllegalTransition, match="「決定済み（未公表）」の申請は決定できません"
        ):
            actions.decide_application(under_review, "certified", "やはり認定", by=secretariat)
        under_review.refresh_from_db()
        assert under_review.decision == "registered"
        assert (
            AuditLog.objects.filter(
                action="certification.decide", target_id=str(under_review.pk)
            ).count()
            == 1
        )

    def test_withdrawal_is_possible_before_review_only(
        self, draft, coordinator, secretariat, reviewer
    ):
        actions.submit_application(draft, by=coordinator)
        actions.assign_reviewer(draft, reviewer, by=secretariat)
        with pytest.raises(actions.IllegalTransition, match="「審査中」の申請は取下げできません"):
            actions.withdraw_application(draft, by=coordinator)

    def test_an_incomplete_application_cannot_be_submitted(self, round_, nagaoka, coordinator):
        application = actions.start_application(round_, nagaoka, by=coordinator)
        actions.update_answers(application, {**ANSWERS, "plan": " "}, by=coordinator)
        with pytest.raises(ValidationError, match="④ あるべき姿と具体的な実施計画"):
            actions.submit_application(application, by=coordinator)

    def test_a_round_with_undecided_applications_cannot_be_published(
        self, under_review, secretariat
    ):
        with pytest.raises(actions.IllegalTransition, match="決定していない申請"):
            actions.publish_round(under_review.round, by=secretariat)
        assert under_review.round.status == "open"

    def test_a_closed_round_takes_no_submission(self, draft, coordinator):
        draft.round.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        draft.round.save()
        with pytest.raises(ValidationError, match="受付期間外"):
            actions.submit_application(draft, by=coordinator)


class TestWhoSeesWhat:
    def test_another_communitys_coordinator_cannot_reach_a_draft(
        self, draft, other_coordinator, login
    ):
        client = login(other_coordinator)
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert (
            client.post(draft.get_absolute_url(), {"form": "application", **ANSWERS}).status_code
            == 404
        )
        assert (
            client.post(
                draft.get_absolute_url(), {"form": "application", "action": "submit"}
            ).status_code
            == 404
        )
        with pytest.raises(PermissionDenied):
            actions.update_answers(draft, {"strengths": "乗っ取り"}, by=other_coordinator)

    def test_an_anonymous_visitor_cannot_reach_a_draft_or_its_files(
        self, draft, coordinator, client
    ):
        attachment = actions.add_attachment(
            draft, SimpleUploadedFile("a.pdf", pdf_bytes()), by=coordinator
        )
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert (
            client.get(
                reverse("communities:attachment", args=[draft.pk, attachment.pk])
            ).status_code
            == 404
        )

    def test_a_reviewer_not_assigned_cannot_reach_the_application(
        self, under_review, conflicted_reviewer, login
    ):
        assert login(conflicted_reviewer).get(under_review.get_absolute_url()).status_code == 404

    def test_the_assigned_reviewer_downloads_attachments(
        self, draft, coordinator, secretariat, reviewer, login
    ):
        attachment = actions.add_attachment(
            draft, SimpleUploadedFile("計画.pdf", pdf_bytes()), by=coordinator
        )
        actions.submit_application(draft, by=coordinator)
        actions.assign_reviewer(draft, reviewer, by=secretariat)
        response = login(reviewer).get(
            reverse("communities:attachment", args=[draft.pk, attachment.pk])
        )
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    @pytest.mark.parametrize("persona", ["reviewer", "coordinator", "outsider"])
    def test_only_the_secretariat_opens_rounds_and_publishes(self, request, login, round_, persona):
        client = login(request.getfixturevalue(persona))
        assert client.get(reverse("communities:round_new")).status_code == 403
        assert (
            client.post(reverse("communities:round_publish", args=[round_.pk])).status_code == 403
        )

    def test_an_anonymous_visitor_is_sent_to_sign_in_for_workflow_pages(self, client, round_):
        response = client.get(reverse("communities:round_new"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_a_coordinator_cannot_assign_or_decide(
        self, under_review, coordinator, reviewer, login
    ):
        client = login(coordinator)
        assert (
            client.post(
                under_review.get_absolute_url(),
                {"form": "assign", "reviewer": reviewer.pk},
            ).status_code
            == 403
        )
        assert (
            client.post(
                under_review.get_absolute_url(),
                {"form": "decide", "decision": "certified", "reasons": "x"},
            ).status_code
            == 403
        )

    def test_the_secretariat_sees_every_application_of_a_round(self, draft, secretariat, login):
        page = login(secretariat).get(draft.round.get_absolute_url()).content.decode()
        assert "長岡バイオコミュニティ" in page and "下書き" in page

    def test_published_results_are_public_but_open_rounds_list_no_applications(self, draft, client):
        page = client.get(draft.round.get_absolute_url()).content.decode()
        assert "長岡バイオコミュニティ" not in page

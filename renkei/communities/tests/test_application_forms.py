"""Issue 12, forms that never lose work: 小林 (coordinator of Nagaoka) answers, attaches,
removes and submits in one form, and withdraws only after being asked; 田中 (reviewer) keeps
a draft of his scores with the rubric beside them; 山本 (coordinator of Tokai) and 佐藤
(secretariat) cannot touch what is not theirs. A refused form comes back at the page's own
address, with what was typed."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.accounts.models import AuditLog
from renkei.communities import actions
from renkei.communities.models import Application, Review, ReviewDraft
from renkei.communities.models.rounds import RUBRIC
from renkei.communities.tests.conftest import ANSWERS, SCORES, pdf_bytes


def pdf(name="計画書.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def press(client, application, action, **data):
    """Press one of the coordinator's buttons on the application's page."""
    return client.post(
        application.get_absolute_url(), {"form": "application", "action": action, **data}
    )


def form_actions(page):
    return set(re.findall(r'<form method="post" action="([^"]*)"', page))


class TestTheCoordinatorsOneForm:
    def test_answers_typed_before_pressing_submit_are_saved_and_submitted(
        self, login, round_, nagaoka, coordinator
    ):
        application = actions.start_application(round_, nagaoka, by=coordinator)
        response = press(login(coordinator), application, "submit", **ANSWERS)
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.state == "submitted" and application.plan == ANSWERS["plan"]

    def test_answers_typed_before_attaching_are_saved_with_the_file(
        self, login, round_, nagaoka, coordinator
    ):
        application = actions.start_application(round_, nagaoka, by=coordinator)
        response = press(login(coordinator), application, "attach", **ANSWERS, file=pdf())
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.strengths == ANSWERS["strengths"]
        assert [a.original_name for a in application.attachments.all()] == ["計画書.pdf"]

    def test_a_file_chosen_before_saving_is_attached_too(self, login, draft, coordinator):
        press(login(coordinator), draft, "save", **ANSWERS, file=pdf("予算.pdf"))
        assert draft.attachments.get().original_name == "予算.pdf"

    def test_an_incomplete_application_refused_on_submit_keeps_what_was_typed(
        self, login, round_, nagaoka, coordinator
    ):
        application = actions.start_application(round_, nagaoka, by=coordinator)
        typed = {**ANSWERS, "plan": ""}
        response = press(login(coordinator), application, "submit", **typed)
        assert response.status_code == 400
        assert response.request["PATH_INFO"] == application.get_absolute_url()
        page = response.content.decode()
        assert "次の要件への回答がありません" in page and ANSWERS["network"] in page
        application.refresh_from_db()
        assert application.state == "draft" and application.network == ANSWERS["network"]

    def test_a_wrong_file_is_refused_and_the_answers_typed_are_saved_all_the_same(
        self, login, round_, nagaoka, coordinator
    ):
        application = actions.start_application(round_, nagaoka, by=coordinator)
        not_pdf = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 an exe renamed")
        response = press(login(coordinator), application, "attach", **ANSWERS, file=not_pdf)
        assert response.status_code == 400
        assert response.request["PATH_INFO"] == application.get_absolute_url()
        assert "中身が PDF ではありません" in response.content.decode()
        application.refresh_from_db()
        assert application.actors == ANSWERS["actors"] and not application.attachments.exists()

    def test_a_file_of_another_kind_is_refused_and_the_answers_are_saved(
        self, login, round_, nagaoka, coordinator
    ):
        application = actions.start_application(round_, nagaoka, by=coordinator)
        docx = SimpleUploadedFile("plan.docx", b"PK\x03\x04")
        response = press(login(coordinator), application, "submit", **ANSWERS, file=docx)
        assert response.status_code == 400 and "PDF" in response.content.decode()
        application.refresh_from_db()
        assert application.plan == ANSWERS["plan"] and application.state == "draft"

    def test_attaching_without_a_file_says_so_and_saves_the_answers(
        self, login, round_, nagaoka, coordinator
    ):
        application = actions.start_application(round_, nagaoka, by=coordinator)
        response = press(login(coordinator), application, "attach", **ANSWERS)
        assert response.status_code == 400
        assert "添付するファイルを選んでください。" in response.content.decode()
        application.refresh_from_db()
        assert application.strengths == ANSWERS["strengths"]

    def test_the_page_has_one_form_with_the_three_buttons(self, login, draft, coordinator):
        page = login(coordinator).get(draft.get_absolute_url()).content.decode()
        form = page[page.index('value="application"') :]
        form = form[: form.index("</form>")]
        for label in ("下書きを保存", "添付する", "申請を提出する"):
            assert label in form
        assert 'name="file"' in form and 'name="strengths"' in form


class TestRemovingAnAttachment:
    def test_the_coordinator_removes_a_wrong_attachment_and_its_file_leaves_the_disk(
        self, login, draft, coordinator, settings, django_capture_on_commit_callbacks
    ):
        wrong = actions.add_attachment(draft, pdf("間違い.pdf"), by=coordinator)
        path = Path(settings.MEDIA_ROOT) / wrong.file.name
        assert path.exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = login(coordinator).post(
                draft.get_absolute_url(),
                {"form": "application", **ANSWERS, "remove_attachment": wrong.pk},
            )
        assert response.status_code == 302
        assert not draft.attachments.exists() and not path.exists()
        row = AuditLog.objects.get(action="certification.remove_attachment")
        assert row.before["file"] == "間違い.pdf" and row.actor == coordinator

    def test_nothing_can_be_removed_once_submitted(self, draft, coordinator):
        attachment = actions.add_attachment(draft, pdf(), by=coordinator)
        actions.submit_application(draft, by=coordinator)
        with pytest.raises(actions.IllegalTransition, match="提出後の申請からは"):
            actions.remove_attachment(attachment, by=coordinator)
        assert draft.attachments.exists()

    def test_another_communitys_coordinator_and_the_secretariat_cannot_remove_it(
        self, login, draft, coordinator, other_coordinator, secretariat
    ):
        attachment = actions.add_attachment(draft, pdf(), by=coordinator)
        data = {"form": "application", "remove_attachment": attachment.pk}
        assert login(other_coordinator).post(draft.get_absolute_url(), data).status_code == 404
        assert login(secretariat).post(draft.get_absolute_url(), data).status_code == 403
        assert draft.attachments.exists()


class TestWithdrawing:
    def test_withdrawing_asks_first_and_says_until_when_it_can_be_undone(
        self, login, draft, coordinator
    ):
        kobayashi = login(coordinator)
        page = kobayashi.get(draft.get_absolute_url()).content.decode()
        confirm = reverse("communities:application_withdraw", args=[draft.pk])
        assert f'href="{confirm}"' in page  # a link to the question, not a button that acts
        page = kobayashi.get(confirm).content.decode()
        assert "取り下げますか" in page and "取り消せます" in page and "受付締切" in page
        draft.refresh_from_db()
        assert draft.state == "draft"
        assert kobayashi.post(confirm).status_code == 302
        draft.refresh_from_db()
        assert draft.state == "withdrawn"

    def test_a_withdrawal_is_undone_while_the_round_takes_applications(
        self, login, draft, coordinator
    ):
        actions.submit_application(draft, by=coordinator)
        actions.withdraw_application(draft, by=coordinator)
        kobayashi = login(coordinator)
        assert "取下げを取り消す" in kobayashi.get(draft.get_absolute_url()).content.decode()
        response = kobayashi.post(draft.get_absolute_url(), {"form": "reopen"})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.state == "draft" and draft.submitted_at is None
        assert AuditLog.objects.filter(action="certification.reopen").exists()
        press(kobayashi, draft, "submit", **ANSWERS)
        draft.refresh_from_db()
        assert draft.state == "submitted"

    def test_a_withdrawal_cannot_be_undone_once_the_round_has_closed(
        self, login, draft, coordinator, secretariat
    ):
        actions.withdraw_application(draft, by=coordinator)
        actions.close_round(draft.round, by=secretariat)
        kobayashi = login(coordinator)
        page = kobayashi.get(draft.get_absolute_url()).content.decode()
        assert "取下げは取り消せません" in page and 'value="reopen"' not in page
        response = kobayashi.post(draft.get_absolute_url(), {"form": "reopen"})
        assert response.status_code == 400
        draft.refresh_from_db()
        assert draft.state == "withdrawn"

    def test_the_question_says_it_is_final_when_the_round_has_closed(
        self, login, draft, coordinator, secretariat
    ):
        actions.submit_application(draft, by=coordinator)
        actions.close_round(draft.round, by=secretariat)
        url = reverse("communities:application_withdraw", args=[draft.pk])
        assert "元に戻せません" in login(coordinator).get(url).content.decode()

    def test_only_the_coordinator_is_asked(self, login, draft, secretariat, other_coordinator):
        url = reverse("communities:application_withdraw", args=[draft.pk])
        assert login(secretariat).get(url).status_code == 403
        assert login(other_coordinator).get(url).status_code == 404


class TestReviewDrafts:
    def test_the_review_form_explains_each_score(self, login, under_review, reviewer):
        page = login(reviewer).get(under_review.get_absolute_url()).content.decode()
        assert "評点の目安" in page
        for _score, meaning in RUBRIC:
            assert str(meaning) in page

    def test_a_reviewer_saves_a_draft_and_submits_it_later(
        self, login, under_review, reviewer, secretariat
    ):
        tanaka = login(reviewer)
        url = under_review.get_absolute_url()
        response = tanaka.post(
            url,
            {
                "form": "review",
                "action": "save_draft",
                "strengths_score": "4",
                "plan_comment": "KPI を具体的に",
            },
        )
        assert response.status_code == 302
        draft = ReviewDraft.objects.get(assignment__reviewer=reviewer)
        assert draft.strengths_score == 4 and draft.actors_score is None
        page = tanaka.get(url).content.decode()
        assert "保存した下書き" in page and "KPI を具体的に" in page
        assert re.search(r'name="strengths_score" value="4"[^>]*checked', page)
        # 佐藤 sees no score until it is submitted
        assert "KPI を具体的に" not in login(secretariat).get(url).content.decode()
        tanaka = login(reviewer)
        response = tanaka.post(
            url, {"form": "review", "action": "submit", **SCORES, "plan_comment": "KPI を具体的に"}
        )
        assert response.status_code == 302
        assert Review.objects.get(assignment__reviewer=reviewer).plan_comment == "KPI を具体的に"
        assert not ReviewDraft.objects.exists()
        assert AuditLog.objects.filter(action="certification.save_review_draft").count() == 1

    def test_submitting_with_a_score_missing_keeps_what_was_typed(
        self, login, under_review, reviewer
    ):
        url = under_review.get_absolute_url()
        response = login(reviewer).post(
            url,
            {
                "form": "review",
                "action": "submit",
                **{**SCORES, "plan_score": ""},
                "network_comment": "連携の実績が厚い",
            },
        )
        assert response.status_code == 400 and response.request["PATH_INFO"] == url
        page = response.content.decode()
        assert "1〜5 の整数" in page and "連携の実績が厚い" in page
        assert not Review.objects.exists()

    def test_a_draft_score_outside_one_to_five_is_refused(self, under_review, reviewer):
        assignment = under_review.assignments.get(reviewer=reviewer)
        with pytest.raises(actions.ValidationError, match="1〜5 の整数"):
            actions.save_review_draft(assignment, {"strengths": "6"}, {}, by=reviewer)
        assert not ReviewDraft.objects.exists()

    def test_no_draft_is_kept_after_the_deadline(self, under_review, reviewer):
        assignment = under_review.assignments.get(reviewer=reviewer)
        late = under_review.round.review_deadline + datetime.timedelta(minutes=1)
        with pytest.raises(actions.ValidationError, match="審査期限"):
            actions.save_review_draft(assignment, {}, {}, by=reviewer, now=late)

    def test_the_reviewers_list_says_a_draft_is_saved(self, login, under_review, reviewer):
        assignment = under_review.assignments.get(reviewer=reviewer)
        actions.save_review_draft(assignment, {"actors": "3"}, {}, by=reviewer)
        page = login(reviewer).get(reverse("communities:reviews")).content.decode()
        assert "下書き保存済み・未提出" in page


class TestRefusedFormsStayAtThePage:
    def test_every_form_of_the_application_page_posts_to_the_page_itself(
        self, login, draft, coordinator, secretariat, reviewer
    ):
        url = draft.get_absolute_url()
        assert form_actions(login(coordinator).get(url).content.decode()) == {url}
        actions.submit_application(draft, by=coordinator)
        actions.assign_reviewer(draft, reviewer, by=secretariat)
        assert form_actions(login(reviewer).get(url).content.decode()) == {url}
        assert form_actions(login(secretariat).get(url).content.decode()) == {url}

    def test_a_refused_decision_comes_back_at_the_page_with_the_reasons_typed(
        self, login, under_review, secretariat
    ):
        url = under_review.get_absolute_url()
        response = login(secretariat).post(url, {"form": "decide", "reasons": "要件②が弱い"})
        assert response.status_code == 400 and response.request["PATH_INFO"] == url
        assert "要件②が弱い" in response.content.decode()

    def test_an_unknown_form_is_refused_at_the_page(self, login, draft, coordinator):
        response = login(coordinator).post(draft.get_absolute_url(), {"form": "nothing"})
        assert response.status_code == 400
        assert Application.objects.get(pk=draft.pk).state == "draft"

    def test_an_anonymous_post_is_sent_to_sign_in(self, client, draft):
        response = client.post(draft.get_absolute_url(), {"form": "application"})
        assert response.status_code in (302, 404)
        assert Application.objects.get(pk=draft.pk).strengths == ANSWERS["strengths"]

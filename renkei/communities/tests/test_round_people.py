"""People in a running round: reviewers added to a round or an application at any time before
the decision, closing a round, and no results while it still takes applications."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from renkei.accounts import actions as accounts
from renkei.accounts.models import AuditLog, Role
from renkei.communities import actions
from renkei.communities.models import Application, CertificationRound
from renkei.communities.tests.test_rounds import ANSWERS
from renkei.conftest import _user
from renkei.notifications.models import Notification


@pytest.fixture
def round_(secretariat):
    now = timezone.now()
    return actions.open_round(
        by=secretariat,
        kind="regional",
        fiscal_year=2026,
        title="地域バイオコミュニティの認定（令和8年度）",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        review_deadline=now + datetime.timedelta(days=30),
        reviewers=[],
    )


@pytest.fixture
def submitted(round_, nagaoka, coordinator):
    application = actions.start_application(round_, nagaoka, by=coordinator)
    actions.update_answers(application, ANSWERS, by=coordinator)
    return actions.submit_application(application, by=coordinator)


@pytest.fixture
def late_reviewer():
    user = _user("kimura", "木村（審査委員）")
    Role.objects.create(user=user, kind=Role.Kind.REVIEWER)
    return user


class TestAddingReviewers:
    def test_the_secretariat_adds_a_reviewer_to_an_open_round_from_its_page(
        self, login, secretariat, round_, late_reviewer
    ):
        client = login(secretariat)
        assert "木村（審査委員）" in client.get(round_.get_absolute_url()).content.decode()
        client.post(
            reverse("communities:round_add_reviewer", args=[round_.pk]),
            {"reviewer": late_reviewer.pk},
        )
        assert round_.reviewers.filter(pk=late_reviewer.pk).exists()
        row = AuditLog.objects.for_object(round_).get(action="certification.add_round_reviewer")
        assert row.actor == secretariat and row.after == {"reviewer": "kimura"}
        assert Notification.objects.filter(recipient=late_reviewer, kind="review").exists()

    def test_a_submitted_application_gets_a_reviewer_who_was_not_in_the_round(
        self, secretariat, submitted, late_reviewer
    ):
        actions.assign_reviewer(submitted, late_reviewer, by=secretariat)
        submitted.refresh_from_db()
        assert submitted.state == "under_review"
        assert submitted.round.reviewers.filter(pk=late_reviewer.pk).exists()

    def test_a_reviewer_is_added_to_an_application_under_review_too(
        self, secretariat, submitted, reviewer, late_reviewer
    ):
        actions.assign_reviewer(submitted, reviewer, by=secretariat)
        actions.assign_reviewer(submitted, late_reviewer, by=secretariat)
        assert submitted.assignments.count() == 2

    def test_no_reviewer_is_added_once_the_application_is_decided(
        self, secretariat, submitted, reviewer, late_reviewer
    ):
        actions.assign_reviewer(submitted, reviewer, by=secretariat)
        actions.decide_application(submitted, "certified", "4要件を満たす", by=secretariat)
        with pytest.raises(ValidationError, match="提出済みか審査中の申請にだけ"):
            actions.assign_reviewer(
                Application.objects.get(pk=submitted.pk), late_reviewer, by=secretariat
            )

    def test_only_people_with_the_reviewer_role_are_added(self, secretariat, round_, outsider):
        with pytest.raises(ValidationError, match="審査委員の役割を持っていません"):
            actions.add_round_reviewer(round_, outsider, by=secretariat)

    def test_a_published_round_takes_no_new_reviewer(self, secretariat, late_reviewer):
        published = CertificationRound.objects.published().first()
        with pytest.raises(ValidationError, match="公表したラウンド"):
            actions.add_round_reviewer(published, late_reviewer, by=secretariat)

    @pytest.mark.parametrize("persona", ["coordinator", "reviewer"])
    def test_only_the_secretariat_adds_reviewers(self, request, persona, round_, late_reviewer):
        with pytest.raises(PermissionDenied):
            actions.add_round_reviewer(round_, late_reviewer, by=request.getfixturevalue(persona))

    def test_a_reviewer_invited_for_the_round_joins_it_on_accepting(
        self, secretariat, round_, outsider
    ):
        _invitation, link = accounts.invite_person(
            accounts.InvitationRequest(email="kimura@example.jp", kind="reviewer", round=round_.pk),
            by=secretariat,
        )
        person = accounts.accept_invitation(
            link.rstrip("/").rsplit("/", 1)[1],
            account={"username": "kimura", "password": "a long and unusual passphrase 42"},
        )
        assert round_.reviewers.filter(pk=person.pk).exists()
        row = AuditLog.objects.for_object(round_).get(action="certification.add_round_reviewer")
        assert row.actor == secretariat


class TestClosingAndPublishing:
    def test_results_are_not_published_while_the_round_takes_applications(
        self, secretariat, submitted, reviewer
    ):
        actions.assign_reviewer(submitted, reviewer, by=secretariat)
        actions.decide_application(submitted, "certified", "4要件を満たす", by=secretariat)
        with pytest.raises(ValidationError, match="まだ申請を受け付けている"):
            actions.publish_round(submitted.round, by=secretariat)
        actions.close_round(submitted.round, by=secretariat)
        actions.publish_round(submitted.round, by=secretariat)
        assert CertificationRound.objects.get(pk=submitted.round_id).status == "published"

    def test_closing_stops_submissions_and_review_goes_on(
        self, login, secretariat, round_, nagaoka, coordinator, reviewer
    ):
        draft = actions.start_application(round_, nagaoka, by=coordinator)
        actions.update_answers(draft, ANSWERS, by=coordinator)
        login(secretariat).post(reverse("communities:round_close", args=[round_.pk]))
        round_.refresh_from_db()
        assert round_.status == "closed" and round_.closes_at <= timezone.now()
        with pytest.raises(ValidationError, match="受付期間外"):
            actions.submit_application(draft, by=coordinator)
        row = AuditLog.objects.for_object(round_).get(action="certification.close_round")
        assert row.before["status"] == "open" and row.after["status"] == "closed"

    def test_the_round_page_offers_close_and_publish_in_turn(self, login, secretariat, round_):
        client = login(secretariat)
        html = client.get(round_.get_absolute_url()).content.decode()
        assert "申請の受付を締め切る" in html and "決定した結果を公表する" not in html
        actions.close_round(round_, by=secretariat)
        html = client.get(round_.get_absolute_url()).content.decode()
        assert "申請の受付を締め切る" not in html and "決定した結果を公表する" in html
        assert "受付終了・審査中" in html

    def test_a_closed_round_is_not_closed_again(self, secretariat, round_):
        actions.close_round(round_, by=secretariat)
        with pytest.raises(ValidationError, match="締め切れません"):
            actions.close_round(round_, by=secretariat)

    def test_only_the_secretariat_closes_a_round(self, login, coordinator, round_):
        assert (
            login(coordinator)
            .post(reverse("communities:round_close", args=[round_.pk]))
            .status_code
            == 403
        )
        round_.refresh_from_db()
        assert round_.status == "open"

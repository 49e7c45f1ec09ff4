"""Kobayashi (coordinator, Nagaoka) carries Mr Yamamoto's need to an agreement with a seed of
Watanabe's university: every step is a row of the need's history, nothing is overwritten,
and each step is refused when it comes out of order, from the wrong person, without
consent, twice, or with a reason nobody coded."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from renkei.matching import actions
from renkei.matching.models import HistoryIsAppendOnly, Need, Proposal, State, Step
from renkei.matching.tests.conftest import walk_to_introduction

YAMAMOTO = "yamamoto@shimanami-gyokyo.example.jp"


def kinds(need):
    return [s.kind for s in need.steps.order_by("at", "pk")]


def test_a_proposal_travels_to_an_agreement_and_every_step_is_kept(
    taken_need, nut_seed, coordinator, liaison, nagaoka, django_capture_on_commit_callbacks
):
    proposal = walk_to_introduction(taken_need, nut_seed, coordinator, liaison)
    assert proposal.state == State.INTRODUCED
    actions.record_meeting(proposal, by=liaison, on=timezone.localdate(), note="現地で面談")
    actions.record_meeting(proposal, by=coordinator, note="2回目の面談")
    with django_capture_on_commit_callbacks(execute=True):  # the snapshots' rebuild
        actions.record_outcome(proposal, by=coordinator, outcome="joint_research", note="契約締結")
    proposal.refresh_from_db()
    assert proposal.state == State.AGREED
    assert kinds(taken_need) == [
        "taken",
        "proposed",
        "asked",
        "interested",
        "consent_asked",
        "consent_given",
        "introduced",
        "meeting",
        "meeting",
        "outcome",
    ]
    first = taken_need.steps.get(kind="proposed")
    assert first.note == "溶存酸素の先生" and first.by == coordinator  # never overwritten
    answer = taken_need.steps.get(kind="interested")
    assert answer.by == liaison and answer.by_organization
    assert taken_need.steps.get(kind="consent_given").by_label == "相談者"
    taken_need.refresh_from_db()
    assert taken_need.status == Need.Status.MATCHED
    from renkei.maturity.models import ValueSnapshot

    value = ValueSnapshot.objects.get(community=nagaoka, indicator__code="renkei_matches")
    assert value.value == 1  # agreements keep counting toward the maturity indicator


def test_steps_out_of_order_are_refused_and_nothing_is_written(
    taken_need, nut_seed, coordinator, liaison
):
    proposal = actions.propose_seed(taken_need, nut_seed, by=coordinator, ask=False)
    before = Step.objects.count()
    with pytest.raises(ValidationError, match="順番が違います"):
        actions.record_meeting(proposal, by=coordinator)
    with pytest.raises(ValidationError, match="順番が違います"):
        actions.record_outcome(proposal, by=coordinator, outcome="license")
    with pytest.raises(ValidationError, match="順番が違います"):
        actions.request_consent(proposal, by=coordinator)
    with pytest.raises(ValidationError, match="順番が違います"):
        actions.answer_proposal(proposal, interested=True, by=liaison)  # not asked yet
    assert Step.objects.count() == before
    proposal.refresh_from_db()
    assert proposal.state == State.PROPOSED
    with pytest.raises(ValidationError, match="すでに提案"):
        actions.propose_seed(taken_need, nut_seed, by=coordinator)


def test_only_the_seeds_organisation_answers_for_it(
    taken_need, nut_seed, coordinator, liaison, outsider, secretariat
):
    from renkei.accounts.models import Role
    from renkei.regions.models import Organization

    proposal = actions.propose_seed(taken_need, nut_seed, by=coordinator)
    someone_else = Organization.objects.universities().exclude(pk=nut_seed.organization_id)[0]
    Role.objects.create(
        user=outsider, kind=Role.Kind.ORGANIZATION_MEMBER, organization=someone_else
    )
    outsider.refresh_from_db()
    for person in (outsider, coordinator, secretariat):
        with pytest.raises(PermissionDenied):
            actions.answer_proposal(proposal, interested=True, by=person)
    proposal.refresh_from_db()
    assert proposal.state == State.ASKED


def test_only_the_takers_community_acts_and_the_secretariat_reassigns(
    taken_need, nut_seed, coordinator, other_coordinator, secretariat, liaison
):
    for act in (
        lambda: actions.propose_seed(taken_need, nut_seed, by=other_coordinator),
        lambda: actions.take_need(taken_need, by=other_coordinator),
        lambda: actions.propose_seed(taken_need, nut_seed, by=secretariat),
        lambda: actions.judge_seed(taken_need, nut_seed, useful=True, by=other_coordinator),
    ):
        with pytest.raises(PermissionDenied):
            act()
    with pytest.raises(PermissionDenied):
        actions.reassign_need(taken_need, other_coordinator, by=coordinator)
    actions.reassign_need(taken_need, other_coordinator, by=secretariat, note="鶴岡に専門家")
    taken_need.refresh_from_db()
    assert taken_need.community.slug == "tsuruoka" and taken_need.assigned_to == other_coordinator
    actions.propose_seed(taken_need, nut_seed, by=other_coordinator)
    with pytest.raises(PermissionDenied):
        actions.propose_seed(taken_need, nut_seed, by=coordinator)
    assert "reassigned" in kinds(taken_need)


def test_consent_is_asked_at_that_moment_and_only_the_status_link_gives_it(
    client, taken_need, nut_seed, coordinator, liaison
):
    proposal = actions.propose_seed(taken_need, nut_seed, by=coordinator)
    actions.answer_proposal(proposal, interested=True, by=liaison)
    token = Need.objects.get(pk=taken_need.pk).status_token
    with pytest.raises(ValidationError, match="順番が違います"):  # nobody asked them yet
        actions.answer_consent(proposal, consent=True, need_token=token)
    actions.request_consent(proposal, by=coordinator)
    with pytest.raises(PermissionDenied):
        actions.answer_consent(proposal, consent=True, need_token=token + "x")
    client.force_login(liaison)
    page = client.get(reverse("matching:proposal", args=[proposal.pk])).content.decode()
    assert "山本 一郎" not in page and YAMAMOTO not in page  # not before consent
    status = reverse("matching:need_status_page", args=[token])
    client.logout()
    html = client.get(status).content.decode()
    assert "同意して紹介を受ける" in html and "溶存酸素の先生" not in html
    client.post(status, {"proposal": proposal.pk, "consent": "yes"})
    proposal.refresh_from_db()
    assert proposal.state == State.INTRODUCED
    client.force_login(liaison)
    page = client.get(reverse("matching:proposal", args=[proposal.pk])).content.decode()
    assert "山本 一郎" in page and YAMAMOTO in page


def test_a_submitter_who_declines_is_not_introduced(
    client, taken_need, nut_seed, coordinator, liaison
):
    proposal = actions.propose_seed(taken_need, nut_seed, by=coordinator)
    actions.answer_proposal(proposal, interested=True, by=liaison)
    actions.request_consent(proposal, by=coordinator)
    token = Need.objects.get(pk=taken_need.pk).status_token
    mail.outbox.clear()
    actions.answer_consent(proposal, consent=False, need_token=token)
    proposal.refresh_from_db()
    assert proposal.state == State.WITHDRAWN
    assert not any("山本 一郎" in m.body for m in mail.outbox if m.to == ["watanabe@example.jp"])
    assert "introduced" not in kinds(taken_need)


def test_duplicate_outcomes_are_refused_even_below_the_actions(
    taken_need, nut_seed, coordinator, liaison
):
    proposal = walk_to_introduction(taken_need, nut_seed, coordinator, liaison)
    actions.record_outcome(proposal, by=coordinator, outcome="license")
    with pytest.raises(ValidationError, match="すでに記録されています"):
        actions.record_outcome(proposal, by=coordinator, outcome="joint_research")
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.create(need=taken_need, proposal=proposal, kind="outcome", outcome="license")
    assert taken_need.steps.filter(kind="outcome").count() == 1


def test_unknown_reason_codes_and_unexplained_others_are_refused(
    taken_need, nut_seed, coordinator, liaison
):
    proposal = actions.propose_seed(taken_need, nut_seed, by=coordinator)
    before = Step.objects.count()
    with pytest.raises(ValidationError, match="理由のコード「bogus」はありません"):
        actions.answer_proposal(proposal, interested=False, by=liaison, reason="bogus")
    with pytest.raises(ValidationError):
        actions.answer_proposal(proposal, interested=False, by=liaison, reason="other")
    assert Step.objects.count() == before
    actions.answer_proposal(proposal, interested=False, by=liaison, reason="timing")
    proposal.refresh_from_db()
    assert proposal.state == State.DECLINED
    assert taken_need.steps.get(kind="declined").get_reason_display() == "時期が合わない"
    other = walk_to_introduction(
        taken_need,
        type(nut_seed).objects.create(
            organization=nut_seed.organization,
            title="牡蠣の殻を肥料にする",
            summary="焼成して肥料",
            stage="applied",
            prefecture_id="15",
        ),
        coordinator,
        liaison,
    )
    with pytest.raises(ValidationError):
        actions.record_outcome(other, by=coordinator, outcome="not_concluded")  # no reason
    with pytest.raises(ValidationError, match="結果の種類「merger」はありません"):
        actions.record_outcome(other, by=coordinator, outcome="merger")
    actions.record_outcome(other, by=coordinator, outcome="not_concluded", reason="cost")


def test_the_history_cannot_be_changed_or_deleted(taken_need):
    step = taken_need.steps.get(kind="taken")
    step.note = "書き換え"
    with pytest.raises(HistoryIsAppendOnly):
        step.save()
    with pytest.raises(HistoryIsAppendOnly):
        step.delete()
    with pytest.raises(HistoryIsAppendOnly):
        Step.objects.filter(pk=step.pk).update(note="x")
    for sql in (
        "UPDATE matching_step SET note = 'x' WHERE id = %s",
        "DELETE FROM matching_step WHERE id = %s",
    ):
        with (  # the database refuses too
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [step.pk])


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_notes_are_read_only_by_those_handling_the_need(
    client, taken_need, nut_seed, coordinator, other_coordinator, liaison
):
    proposal = actions.propose_seed(taken_need, nut_seed, by=coordinator, note="電話 090-1111-2222")
    actions.answer_proposal(proposal, interested=True, by=liaison, note="教授は来月不在")
    need_page = reverse("matching:need", args=[taken_need.pk])
    client.force_login(coordinator)
    html = client.get(need_page).content.decode()
    assert "090-1111-2222" in html and "教授は来月不在" in html
    client.force_login(other_coordinator)
    html = client.get(need_page).content.decode()
    assert "090-1111-2222" not in html and "教授は来月不在" not in html
    client.force_login(liaison)
    html = client.get(reverse("matching:proposal", args=[proposal.pk])).content.decode()
    assert "教授は来月不在" in html and "090-1111-2222" not in html  # its own note only
    client.logout()
    html = client.get(taken_need.get_status_url()).content.decode()
    assert "090-1111-2222" not in html and "教授は来月不在" not in html


def test_a_window_without_accounts_answers_with_the_link_its_mail_carried(
    client, taken_need, coordinator, django_capture_on_commit_callbacks
):
    from renkei.matching.models import Seed
    from renkei.matching.tests.conftest import university_in

    university = university_in("34")  # nobody of it has an account
    window = university.contact_windows.create(
        department="産学連携推進部", email="sangaku@university.example.jp", is_primary=True
    )
    seed = Seed.objects.create(
        organization=university,
        title="牡蠣殻を原料とするカルシウム肥料の製造",
        summary="牡蠣殻を焼成して肥料にする。",
        stage="applied",
        prefecture_id=university.prefecture_id,
        contact_window=window,
    )
    with django_capture_on_commit_callbacks(execute=True):
        proposal = actions.propose_seed(taken_need, seed, by=coordinator)
    (asked,) = [m for m in mail.outbox if m.to == [window.email]]
    path = asked.body.split("/matching/proposals/answer/")[1].split()[0]
    url = f"/matching/proposals/answer/{path}"
    assert "ご回答のお願い" in client.get(url).content.decode()
    assert client.get(url[:-3] + "xx/").status_code == 404
    client.post(url, {"answer": "declined", "reason": "capacity", "note": ""})
    proposal.refresh_from_db()
    assert proposal.state == State.DECLINED
    step = proposal.steps.get(kind="declined")
    assert step.by is None and "窓口のリンク" in step.by_label


def test_late_needs_and_unanswered_proposals_are_flagged_once(
    confirmed_need,
    nut_seed,
    coordinator,
    liaison,
    secretariat,
    nagaoka,
    django_capture_on_commit_callbacks,
):
    from renkei.matching.jobs import flag_stalled_daily

    Need.objects.filter(pk=confirmed_need.pk).update(
        confirmed_at=timezone.now() - datetime.timedelta(days=15)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_stalled_daily() == {"needs": 1, "proposals": 0}
    assert any("遅れている" in m.subject for m in mail.outbox if m.to == ["sato@example.jp"])
    assert flag_stalled_daily() == {"needs": 0, "proposals": 0}  # once

    actions.take_need(confirmed_need, by=coordinator)
    proposal = actions.propose_seed(confirmed_need, nut_seed, by=coordinator)
    Proposal.objects.filter(pk=proposal.pk).update(
        state_since=timezone.now() - datetime.timedelta(days=11)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_stalled_daily() == {"needs": 0, "proposals": 1}
    assert any(
        "10日間回答がありません" in m.subject
        for m in mail.outbox
        if m.to == ["kobayashi@example.jp"]
    )
    assert "flag_unanswered" in kinds(confirmed_need)


def test_the_daily_flags_are_scheduled_on_migrate():
    from django_q.models import Schedule

    from renkei.matching.schedules import ensure_schedules

    ensure_schedules()
    schedule = Schedule.objects.get(name="flag-stalled-needs")
    assert schedule.func == "renkei.matching.jobs.flag_stalled_daily"
    assert schedule.schedule_type == Schedule.DAILY

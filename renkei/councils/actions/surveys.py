"""Surveys the secretariat runs: design, send per-organisation links, answers through those
links (no account), reminders, close, publish (ADR 0007)."""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.accounts.permissions import require
from renkei.councils.models import Survey, SurveyInvitation, SurveyResponse
from renkei.councils.models.surveys import read_token
from renkei.lib.formats import wareki_date
from renkei.notifications import tell
from renkei.notifications.actions import Address
from renkei.notifications.models import Kind
from renkei.regions import resolve
from renkei.regions.models import Organization

SURVEY_FIELDS = ["title", "slug", "description", "closes_at", "answers_public", "status"]
# Automatic reminders: in the last week before the deadline, at most every three days.
REMIND_WITHIN = datetime.timedelta(days=7)
REMIND_EVERY = datetime.timedelta(days=3)


class SurveyLinkError(Exception):
    """An answer link that cannot be used: wrong, replaced, or the survey is closed."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = str(message)
        self.code = code


def _require_draft(survey):
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("送付した調査の設問は変更できません。"), code="not_draft")


@transaction.atomic
def save_survey(form, *, by):
    survey = form.instance
    is_new = survey.pk is None
    require(by, "councils.add_survey" if is_new else "councils.change_survey", survey)
    before = None if is_new else audit.snapshot(Survey.objects.get(pk=survey.pk), SURVEY_FIELDS)
    survey = form.save(commit=False)
    if is_new:
        survey.created_by = by
        survey.origin = Survey.Origin.RENKEI
    survey.save()
    after = audit.snapshot(survey, SURVEY_FIELDS)
    if is_new:
        audit.record(audit.Action.CREATE_SURVEY, actor=by, target=survey, after=after)
    else:
        old, new = audit.changed_fields(before, after)
        audit.record(audit.Action.UPDATE_SURVEY, actor=by, target=survey, before=old, after=new)
    return survey


@transaction.atomic
def add_question(form, survey, *, by):
    require(by, "councils.change_survey", survey)
    _require_draft(survey)
    question = form.save(commit=False)
    question.survey = survey
    if question.pk is None:
        question.order = survey.questions.count()
    question.save()
    audit.record(
        audit.Action.UPDATE_SURVEY,
        actor=by,
        target=survey,
        after={"question": audit.snapshot(question, ["kind", "text", "options", "required"])},
    )
    return question


@transaction.atomic
def delete_question(question, *, by):
    survey = question.survey
    require(by, "councils.change_survey", survey)
    _require_draft(survey)
    before = audit.snapshot(question, ["kind", "text", "options"])
    question.delete()
    for order, rest in enumerate(survey.questions.all()):
        if rest.order != order:
            rest.order = order
            rest.save(update_fields=["order"])
    audit.record(audit.Action.UPDATE_SURVEY, actor=by, target=survey, before={"question": before})


INVITE_SUBJECT = gettext_lazy("【renkei】調査へのご回答のお願い：%(survey)s")
REMIND_SUBJECT = gettext_lazy("【renkei】調査へのご回答のお願い（再送）：%(survey)s")


def _recipients(invitation):
    people = list(User.objects.members_of(invitation.organization))
    if invitation.email:
        people.append(Address(invitation.email, name=invitation.organization.name))
    return people


def _tell(invitation, subject, *, reminder=False):
    survey = invitation.survey
    people = _recipients(invitation)
    if not people:
        return False
    tell(
        Kind.SURVEY,
        people,
        subject,
        "councils/email/survey_invitation.txt",
        {
            "survey": survey.title,
            "organization": invitation.organization.name,
            "description": survey.description,
            "closes_at": wareki_date(survey.closes_at),
            "answers_public": survey.answers_public,
            "reminder": reminder,
        },
        link=invitation.get_absolute_url(),
    )
    return True


@transaction.atomic
def send_survey(survey, recipients, *, by, now=None):
    """Ask each (organisation, e-mail) of ``recipients`` to answer: one invitation and link
    per organisation, told to its members and the given address. An organisation may be
    given as the local-government code of a prefecture or municipality (its organisation is
    created on first use). Opens a draft survey. An organisation asked before keeps its
    link; it is told again only when a new address is given for it (and it has not
    answered). Returns the new invitations."""
    require(by, "councils.change_survey", survey)
    now = now or timezone.now()
    if survey.origin != Survey.Origin.RENKEI or survey.status == Survey.Status.CLOSED:
        raise ValidationError(_("締め切った調査は送付できません。"), code="closed")
    if not survey.questions.exists():
        raise ValidationError(_("設問のない調査は送付できません。"), code="no_questions")
    if survey.closes_at is None or survey.closes_at <= now:
        raise ValidationError(_("回答期限を今より後に設定してください。"), code="deadline")
    asked = {i.organization_id: i for i in survey.invitations.select_related("response")}
    created, readdressed = [], []
    for target, email in recipients:
        organization = target if isinstance(target, Organization) else resolve.body(target)
        if organization is None:
            raise ValidationError(
                _("地方公共団体コード「%(code)s」はありません。") % {"code": target}, code="unknown"
            )
        invitation = asked.get(organization.pk)
        if invitation is not None:
            # asked before: a new address is told (unless the organisation has answered)
            answered = getattr(invitation, "response", None) is not None
            if email and email != invitation.email and not answered:
                invitation.email = email
                if _tell(invitation, INVITE_SUBJECT):
                    invitation.sent_at = now
                invitation.save(update_fields=["email", "sent_at"])
                readdressed.append(invitation)
            continue
        invitation = SurveyInvitation.objects.create(
            survey=survey, organization=organization, email=email or "", created_at=now
        )
        invitation.organization = organization
        if _tell(invitation, INVITE_SUBJECT):
            invitation.sent_at = now
            invitation.save(update_fields=["sent_at"])
        asked[organization.pk] = invitation
        created.append(invitation)
    if survey.status == Survey.Status.DRAFT:
        survey.status = Survey.Status.OPEN
        survey.opened_at = now
        survey.save(update_fields=["status", "opened_at"])
    audit.record(
        audit.Action.SEND_SURVEY,
        actor=by,
        target=survey,
        after={
            "organizations": [i.organization_id for i in created],
            "readdressed": [i.organization_id for i in readdressed],
            "status": survey.status,
        },
    )
    return created


@transaction.atomic
def reissue_link(invitation, *, by, now=None):
    """A new link for one organisation (the old one stops working), sent again."""
    require(by, "councils.change_survey", invitation.survey)
    if invitation.survey.status != Survey.Status.OPEN:
        raise ValidationError(_("回答を受け付けていない調査です。"), code="not_open")
    invitation.renew()
    told = _tell(invitation, INVITE_SUBJECT)
    invitation.sent_at = (now or timezone.now()) if told else None
    invitation.save(update_fields=["nonce", "sent_at"])
    audit.record(
        audit.Action.REISSUE_SURVEY_LINK,
        actor=by,
        target=invitation.survey,
        after={"organization": invitation.organization_id},
    )
    return invitation


def _remind(survey, invitations, *, by, now):
    reminded = []
    for invitation in invitations:
        if _tell(invitation, REMIND_SUBJECT, reminder=True):
            invitation.reminded_at = now
            invitation.reminder_count += 1
            invitation.save(update_fields=["reminded_at", "reminder_count"])
            reminded.append(invitation.organization_id)
    audit.record(
        audit.Action.REMIND_SURVEY, actor=by, target=survey, after={"organizations": reminded}
    )
    return len(reminded)


@transaction.atomic
def remind_survey(survey, *, by, now=None):
    """Remind every organisation that has not answered yet."""
    require(by, "councils.change_survey", survey)
    if not survey.accepts_answers(now):
        raise ValidationError(_("回答を受け付けていない調査です。"), code="not_open")
    pending = survey.invitations.filter(response__isnull=True).select_related("organization")
    return _remind(survey, pending, by=by, now=now or timezone.now())


def send_survey_reminders(now=None):
    """Daily: in the last week before a deadline, remind those who have not answered (at
    most every three days), and close surveys whose deadline has passed."""
    now = now or timezone.now()
    close_expired_surveys(now)
    told = 0
    for survey in Survey.objects.open().filter(
        closes_at__gt=now, closes_at__lte=now + REMIND_WITHIN
    ):
        pending = survey.invitations.filter(response__isnull=True).filter(
            Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY)
        )
        pending = pending.filter(created_at__lt=now - REMIND_EVERY).select_related("organization")
        with transaction.atomic():
            told += _remind(survey, pending, by=None, now=now) if pending else 0
    return told


def close_expired_surveys(now=None):
    now = now or timezone.now()
    closed = 0
    for survey in Survey.objects.open().filter(closes_at__lte=now):
        with transaction.atomic():
            _close(survey, by=None, now=survey.closes_at)
        closed += 1
    return closed


def _close(survey, *, by, now):
    survey.status = Survey.Status.CLOSED
    survey.closed_at = now
    survey.save(update_fields=["status", "closed_at"])
    audit.record(
        audit.Action.CLOSE_SURVEY,
        actor=by,
        target=survey,
        after={"responses": survey.responses.count(), "invited": survey.invitations.count()},
    )


@transaction.atomic
def close_survey(survey, *, by, now=None):
    require(by, "councils.change_survey", survey)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("回答受付中の調査だけを締め切れます。"), code="not_open")
    _close(survey, by=by, now=now or timezone.now())
    return survey


@transaction.atomic
def publish_results(survey, *, by, now=None):
    """Publish the aggregates (and the per-organisation answers when the survey said so)."""
    require(by, "councils.change_survey", survey)
    if survey.status != Survey.Status.CLOSED:
        raise ValidationError(_("結果は調査を締め切ってから公表します。"), code="not_closed")
    survey.results_published_at = now or timezone.now()
    survey.save(update_fields=["results_published_at"])
    audit.record(
        audit.Action.PUBLISH_SURVEY_RESULTS,
        actor=by,
        target=survey,
        after={"answers_public": survey.answers_public},
    )
    return survey


# --- answering through a link --------------------------------------------------------------


def invitation_for(token, *, now=None):
    """The invitation a link is for, if the link may be used now; SurveyLinkError says why
    not (wrong link, replaced by a newer one, survey not open or past its deadline)."""
    now = now or timezone.now()
    try:
        pk, nonce = read_token(token)
    except signing.BadSignature as exc:
        raise SurveyLinkError(
            _("このリンクは正しくありません。メールに書かれたリンクをそのまま開いてください。"),
            "wrong",
        ) from exc
    invitation = (
        SurveyInvitation.objects.select_related("survey", "organization").filter(pk=pk).first()
    )
    if invitation is None:
        raise SurveyLinkError(_("このリンクは正しくありません。"), "wrong")
    if invitation.nonce != nonce:
        raise SurveyLinkError(
            _(
                "このリンクは新しいリンクに置き換えられました。最新のメールのリンクを開いてください。"
            ),
            "replaced",
        )
    survey = invitation.survey
    if survey.status == Survey.Status.CLOSED or (survey.closes_at and now >= survey.closes_at):
        raise SurveyLinkError(
            _("この調査は締め切られました（回答期限: %(date)s）。回答の登録・変更はできません。")
            % {"date": wareki_date(survey.closes_at or survey.closed_at)},
            "closed",
        )
    if survey.status != Survey.Status.OPEN:
        raise SurveyLinkError(_("この調査はまだ回答を受け付けていません。"), "not_open")
    return invitation


@transaction.atomic
def answer_survey(token, form, *, now=None):
    """Save the organisation's one response (or change it, until the survey closes)."""
    now = now or timezone.now()
    invitation = invitation_for(token, now=now)
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    before = dict(response.answers) if response else None
    if response is None:
        response = SurveyResponse(
            survey_id=invitation.survey_id,
            invitation=invitation,
            organization_id=invitation.organization_id,
            submitted_at=now,
        )
    response.answers = form.answers()
    response.respondent_name = form.cleaned_data.get("respondent_name", "")
    response.respondent_email = form.cleaned_data.get("respondent_email", "")
    response.save()
    audit.record(
        audit.Action.ANSWER_SURVEY,
        target=response,
        before=before,
        after=response.answers,
        note=_("%(organization)s が回答リンクから")
        % {"organization": invitation.organization.name},
    )
    return response

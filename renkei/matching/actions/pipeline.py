"""The pipeline's writes (ADR 0009): a seed proposed for a need, its organisation asked and
answering, the submitter's consent to be introduced, meetings and the outcome.

Every write locks the proposal, checks who may (renkei.matching.rules) and that the step
follows the state the proposal is in (TRANSITIONS), appends a step to the need's history and
an audit row, and tells the people concerned. A refused write raises ValidationError or
PermissionDenied and writes nothing."""

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.lib.formats import fiscal_year_of
from renkei.matching import next_steps
from renkei.matching.actions.needs import STATUS_LINK_INTRO, submitter
from renkei.matching.actions.steps import record_step
from renkei.matching.models import AGREEMENTS, Need, Outcome, Proposal, Reason, State, Step
from renkei.matching.models.pipeline import new_answer_nonce
from renkei.matching.rules import acts_on_need, answers_for
from renkei.maturity.actions import record_counted_values
from renkei.notifications import tell
from renkei.notifications.actions import Address
from renkei.notifications.models import Kind

# step → (the states it may follow, the state it leaves)
TRANSITIONS = {
    Step.Kind.ASKED: ({State.PROPOSED}, State.ASKED),
    Step.Kind.INTERESTED: ({State.ASKED}, State.INTERESTED),
    Step.Kind.DECLINED: ({State.ASKED, State.INTERESTED}, State.DECLINED),
    Step.Kind.CONSENT_ASKED: ({State.INTERESTED}, State.CONSENT_ASKED),
    Step.Kind.CONSENT_GIVEN: ({State.CONSENT_ASKED}, State.INTRODUCED),
    Step.Kind.CONSENT_REFUSED: ({State.CONSENT_ASKED}, State.WITHDRAWN),
    Step.Kind.MEETING: ({State.INTRODUCED, State.MEETING}, State.MEETING),
    Step.Kind.OUTCOME: ({State.INTRODUCED, State.MEETING}, None),  # agreed or not concluded
    Step.Kind.WITHDRAWN: (
        {
            State.PROPOSED,
            State.ASKED,
            State.INTERESTED,
            State.CONSENT_ASKED,
            State.INTRODUCED,
            State.MEETING,
        },
        State.WITHDRAWN,
    ),
}
SUBMITTER = gettext_lazy("相談者")


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


def _require_acts(by, need):
    _require(
        by.is_authenticated and acts_on_need(by, need),
        _(
            "このご相談を進められるのは、担当するコミュニティのコーディネーターです"
            "（まず「担当になる」を押すか、事務局に担当替えを依頼してください）。"
        ),
    )


def _lock(proposal):
    return Proposal.objects.select_for_update().select_related("need", "seed").get(pk=proposal.pk)


def _check_order(proposal, kind):
    """Refuse a step the proposal's state does not allow, saying what comes first."""
    allowed, _to = TRANSITIONS[kind]
    if proposal.state in allowed:
        return
    if kind == Step.Kind.OUTCOME and proposal.state in (State.AGREED, State.NOT_CONCLUDED):
        raise ValidationError(
            _("この提案の結果はすでに記録されています。結果は一度だけ記録します。")
        )
    raise ValidationError(
        _(
            "順番が違います。「%(step)s」は「%(allowed)s」のときに記録できます（いまは「%(state)s」）。"
        )
        % {
            "step": Step.Kind(kind).label,
            "allowed": "・".join(str(State(s).label) for s in State if s in allowed),
            "state": proposal.get_state_display(),
        }
    )


def _check_reason(reason, reason_text, *, field="reason"):
    if reason not in Reason.values:
        raise ValidationError(
            {field: _("理由のコード「%(code)s」はありません。") % {"code": reason}}
        )
    if reason == Reason.OTHER and not (reason_text or "").strip():
        raise ValidationError({"reason_text": _("「その他」のときは理由を書いてください。")})


def _check_day(day, need, *, field="on"):
    if day is None:
        return timezone.localdate()
    if isinstance(day, datetime.datetime):
        day = day.date()
    if day > timezone.localdate():
        raise ValidationError({field: _("未来の日付は記録できません。")})
    if need.confirmed_at and day < timezone.localdate(need.confirmed_at):
        raise ValidationError({field: _("ご相談の受付より前の日付は記録できません。")})
    return day


def _move(proposal, kind, *, by, state=None, **step):
    """Append the step and move the proposal to the state it leaves."""
    to = state or TRANSITIONS[kind][1]
    before = proposal.state
    row = record_step(proposal.need, kind, proposal=proposal, by=by, **step)
    proposal.state, proposal.state_since = to, timezone.now()
    proposal.save(update_fields=["state", "state_since"])
    audit.record(
        audit.Action.MOVE_PROPOSAL,
        actor=by if isinstance(by, User) else None,
        target=proposal,
        before={"state": before},
        after={
            "state": to,
            "step": str(kind),
            "outcome": step.get("outcome", ""),
            "reason": step.get("reason", ""),
        },
        note="" if isinstance(by, User) else str(by),
    )
    return row


# --- who hears ----------------------------------------------------------------------------


def need_coordinators(need):
    """The need's coordinator and their community's colleagues."""
    people = [need.assigned_to] if need.assigned_to_id else []
    if need.community_id:
        people += list(User.objects.coordinators_of(need.community_id))
    return people


def seed_members(seed):
    return list(User.objects.members_of(seed.organization))


def seed_window(seed):
    """The seed's window address, for an organisation nobody of which has an account."""
    window = (
        seed.contact_window
        or seed.organization.contact_windows.filter(archived=False)
        .exclude(email="")
        .order_by("-is_primary", "pk")
        .first()
    )
    if window and window.email:
        return Address(window.email)
    return None


def seed_organization(seed):
    """Who hears about a seed of an organisation: its members with an account, or else the
    address of the seed's contact window."""
    members = seed_members(seed)
    if members:
        return members
    window = seed_window(seed)
    return [window] if window else []


def researcher_of(seed):
    """The researcher named on the seed, where they can be told: their account (found by
    the seed's researcher address), else that address."""
    if not seed.researcher_email:
        return None
    account = User.objects.with_email(seed.researcher_email).filter(is_active=True).first()
    return account or Address(seed.researcher_email, name=seed.researcher_name)


def _tell_organization(proposal, subject, template, context):
    """The seed's organisation: members get the proposal's page, a window without accounts
    the signed link it answers with."""
    context = {"proposal": proposal, "need": proposal.need, "seed": proposal.seed, **context}
    members = seed_members(proposal.seed)
    if members:
        tell(
            Kind.SEED_PROPOSAL,
            members,
            subject,
            template,
            context,
            link=proposal.get_absolute_url(),
        )
        return
    window = seed_window(proposal.seed)
    if window:
        if not proposal.answer_nonce:
            proposal.answer_nonce = new_answer_nonce()
            proposal.save(update_fields=["answer_nonce"])
        tell(
            Kind.SEED_PROPOSAL,
            [window],
            subject,
            template,
            {**context, "by_link": True},
            link=proposal.get_answer_url(),
        )


def _tell_coordinators(proposal, subject, template, context, *, but=None):
    people = [p for p in need_coordinators(proposal.need) if p != but]
    tell(
        Kind.NEED_STATUS,
        people,
        subject,
        template,
        {"proposal": proposal, "need": proposal.need, "seed": proposal.seed, **context},
        link=proposal.need.get_absolute_url(),
    )


def _tell_submitter(proposal, subject, template, context=None):
    need = proposal.need
    tell(
        Kind.NEED_STATUS,
        [submitter(need)],
        subject,
        template,
        {
            "title": need.title,
            "need": need,
            "proposal": proposal,
            "seed": proposal.seed,
            **(context or {}),
            "link_intro": STATUS_LINK_INTRO,
        },
        link=need.get_status_url(),
    )


# --- the steps ----------------------------------------------------------------------------


@transaction.atomic
def propose_seed(need, seed, *, by, note="", ask=True):
    """Propose ``seed`` for ``need`` (and, unless ``ask`` is False, ask its organisation at
    once). A seed is proposed once per need."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_acts(by, need)
    if not need.is_open:
        raise ValidationError(_("受付中でないご相談には提案できません。"))
    if seed.archived:
        raise ValidationError(_("掲載を終えたシーズは提案できません。"))
    if Proposal.objects.filter(need=need, seed=seed).exists():
        raise ValidationError(_("このシーズはこのご相談にすでに提案しています。"))
    proposal = Proposal.objects.create(
        need=need,
        seed=seed,
        community=need.community,
        proposed_by=by,
        state=State.PROPOSED,
        answer_nonce=new_answer_nonce(),
    )
    record_step(need, Step.Kind.PROPOSED, proposal=proposal, by=by, note=note)
    audit.record(
        audit.Action.MOVE_PROPOSAL,
        actor=by,
        target=proposal,
        after={"state": State.PROPOSED, "step": Step.Kind.PROPOSED, "seed": seed.pk},
    )
    if ask:
        ask_organization(proposal, by=by)
        proposal.refresh_from_db()
    return proposal


@transaction.atomic
def ask_organization(proposal, *, by, note=""):
    """Ask the seed's organisation whether it is interested (its start page and a mail)."""
    proposal = _lock(proposal)
    _require_acts(by, proposal.need)
    _check_order(proposal, Step.Kind.ASKED)
    if not seed_organization(proposal.seed):
        raise ValidationError(
            _(
                "この機関には知らせる相手がいません（担当者のアカウントも、窓口のメールアドレスも"
                "ありません）。窓口を登録してもらうか、別のシーズを提案してください。"
            )
        )
    _move(proposal, Step.Kind.ASKED, by=by, note=note)
    _tell_organization(
        proposal,
        gettext_lazy("【renkei】シーズ「%(title)s」へのご相談: ご回答のお願い"),
        "matching/email/proposal_asked.txt",
        {"title": proposal.seed.title, "coordinator": by},
    )
    _tell_submitter(
        proposal,
        gettext_lazy("【renkei】ご相談「%(title)s」: 候補の技術の機関に打診しました"),
        "matching/email/submitter_asked.txt",
    )
    return proposal


@transaction.atomic
def answer_proposal(proposal, *, interested, by, reason="", reason_text="", note="", via=None):
    """The seed's organisation answers: interested, or declines with a coded reason.
    ``by`` is one of its members; or ``via`` names the window whose signed link was used
    (``by`` is then None)."""
    proposal = _lock(proposal)
    if via is None:
        _require(
            by is not None and answers_for(by, proposal.seed),
            _("このシーズについて回答できるのは、%(org)sの担当者です。")
            % {"org": proposal.seed.organization.name},
        )
    who = by if via is None else via
    if interested:
        _check_order(proposal, Step.Kind.INTERESTED)
        _move(proposal, Step.Kind.INTERESTED, by=who, note=note, by_organization=True)
        _tell_coordinators(
            proposal,
            gettext_lazy("【renkei】「%(title)s」: 機関が関心を示しました"),
            "matching/email/proposal_answered.txt",
            {"title": proposal.seed.title, "interested": True},
        )
        return proposal
    _check_reason(reason, reason_text)
    _check_order(proposal, Step.Kind.DECLINED)
    _move(
        proposal,
        Step.Kind.DECLINED,
        by=who,
        reason=reason,
        reason_text=reason_text.strip(),
        note=note,
        by_organization=True,
    )
    _tell_coordinators(
        proposal,
        gettext_lazy("【renkei】「%(title)s」: 機関が辞退しました"),
        "matching/email/proposal_answered.txt",
        {"title": proposal.seed.title, "interested": False},
    )
    _tell_submitter(
        proposal,
        gettext_lazy("【renkei】ご相談「%(title)s」の進み具合のお知らせ"),
        "matching/email/submitter_declined.txt",
    )
    return proposal


@transaction.atomic
def request_consent(proposal, *, by, note=""):
    """Ask the submitter, now, whether their name and contact may go to the seed's
    organisation (their status page and a mail)."""
    proposal = _lock(proposal)
    _require_acts(by, proposal.need)
    _check_order(proposal, Step.Kind.CONSENT_ASKED)
    _move(proposal, Step.Kind.CONSENT_ASKED, by=by, note=note)
    _tell_submitter(
        proposal,
        gettext_lazy("【renkei】ご相談「%(title)s」: 紹介してよいかのご確認"),
        "matching/email/submitter_consent.txt",
        {"organization": proposal.seed.organization.name},
    )
    return proposal


@transaction.atomic
def answer_consent(proposal, *, consent, need_token):
    """The submitter answers on their status page (the link is the proof: ``need_token``
    must be their need's). Consent introduces them: their name and contact go to the seed's
    organisation, and the seed's researcher hears of it. Refusing ends the proposal."""
    from_link = Need.objects.filter(pk=proposal.need_id).first()
    if from_link is None or from_link.status_token != need_token:
        raise PermissionDenied(_("この確認は、ご相談の状況ページからだけ行えます。"))
    proposal = _lock(proposal)
    if not consent:
        _check_order(proposal, Step.Kind.CONSENT_REFUSED)
        _move(proposal, Step.Kind.CONSENT_REFUSED, by=str(SUBMITTER))
        _tell_coordinators(
            proposal,
            gettext_lazy("【renkei】「%(title)s」: 相談者が紹介を見送りました"),
            "matching/email/consent_answered.txt",
            {"title": proposal.need.title, "consent": False},
        )
        return proposal
    _check_order(proposal, Step.Kind.CONSENT_GIVEN)
    _move(proposal, Step.Kind.CONSENT_GIVEN, by=str(SUBMITTER))
    record_step(proposal.need, Step.Kind.INTRODUCED, proposal=proposal, by=None)
    need, seed = proposal.need, proposal.seed
    _tell_organization(
        proposal,
        gettext_lazy("【renkei】ご相談「%(title)s」の相談者をご紹介します"),
        "matching/email/proposal_introduced.txt",
        {"title": need.title},
    )
    researcher = researcher_of(seed)
    if researcher is not None:
        tell(
            Kind.SEED_PROPOSAL,
            [researcher],
            gettext_lazy("【renkei】あなたのシーズ「%(title)s」が紹介されました"),
            "matching/email/researcher_introduced.txt",
            {"title": seed.title, "seed": seed, "need": need},
            link=seed.get_absolute_url(),
        )
    _tell_coordinators(
        proposal,
        gettext_lazy("【renkei】「%(title)s」: 相談者が紹介に同意しました"),
        "matching/email/consent_answered.txt",
        {"title": need.title, "consent": True},
    )
    _tell_submitter(
        proposal,
        gettext_lazy("【renkei】ご相談「%(title)s」: %(organization)sにご紹介しました"),
        "matching/email/submitter_introduced.txt",
        {
            "organization": seed.organization.name,
            "window": seed.contact_window or seed.organization.primary_window,
        },
    )
    return proposal


@transaction.atomic
def record_meeting(proposal, *, by, on=None, note="", via=None):
    """A meeting of the two sides, after the introduction: recorded by the need's
    coordinators or by the seed's organisation (a member, or its window's link)."""
    proposal = _lock(proposal)
    if via is None:
        _require(
            by is not None
            and by.is_authenticated
            and (acts_on_need(by, proposal.need) or answers_for(by, proposal.seed))
        )
    _check_order(proposal, Step.Kind.MEETING)
    on = _check_day(on, proposal.need)
    by_organization = via is not None or not acts_on_need(by, proposal.need)
    _move(
        proposal,
        Step.Kind.MEETING,
        by=by if via is None else via,
        on=on,
        note=note,
        by_organization=by_organization,
    )
    if by_organization:
        _tell_coordinators(
            proposal,
            gettext_lazy("【renkei】「%(title)s」: 面談が記録されました"),
            "matching/email/meeting_recorded.txt",
            {"title": proposal.seed.title, "on": on},
        )
    return proposal


@transaction.atomic
def record_outcome(proposal, *, by, outcome, on=None, reason="", reason_text="", note=""):
    """What the collaboration became, once: an agreement of a type, or 不成立 with a coded
    reason. An agreement marks the need matched, counts toward its community's maturity
    indicator, and comes with the programs that could fund the next step."""
    proposal = _lock(proposal)
    _require_acts(by, proposal.need)
    if outcome not in Outcome.values:
        raise ValidationError(
            {"outcome": _("結果の種類「%(code)s」はありません。") % {"code": outcome}}
        )
    _check_order(proposal, Step.Kind.OUTCOME)
    if outcome == Outcome.NOT_CONCLUDED:
        _check_reason(reason, reason_text)
    else:
        reason, reason_text = "", ""
    on = _check_day(on, proposal.need)
    agreed = outcome != Outcome.NOT_CONCLUDED
    _move(
        proposal,
        Step.Kind.OUTCOME,
        by=by,
        state=State.AGREED if agreed else State.NOT_CONCLUDED,
        on=on,
        outcome=outcome,
        reason=reason,
        reason_text=reason_text.strip(),
        note=note,
    )
    need = Need.objects.select_for_update().get(pk=proposal.need_id)
    if agreed and need.status != Need.Status.MATCHED:
        need.status = Need.Status.MATCHED
        need.save(update_fields=["status", "updated_at"])
    if proposal.community_id:
        report_agreements(proposal.community, by=by)
    label = Outcome(outcome).label
    funded = next_steps.for_proposal(proposal, outcome) if agreed else []
    context = {"outcome": label, "agreed": agreed, "next_steps": funded}
    _tell_submitter(
        proposal,
        gettext_lazy("【renkei】ご相談「%(title)s」の結果のお知らせ"),
        "matching/email/submitter_outcome.txt",
        {**context, "organization": proposal.seed.organization.name},
    )
    _tell_organization(
        proposal,
        gettext_lazy("【renkei】シーズ「%(title)s」: 結果が記録されました"),
        "matching/email/proposal_outcome.txt",
        {**context, "title": proposal.seed.title},
    )
    researcher = researcher_of(proposal.seed)
    if researcher is not None and agreed:
        tell(
            Kind.SEED_PROPOSAL,
            [researcher],
            gettext_lazy("【renkei】あなたのシーズ「%(title)s」: 合意が記録されました"),
            "matching/email/proposal_outcome.txt",
            {**context, "title": proposal.seed.title, "proposal": proposal, "seed": proposal.seed},
            link=proposal.seed.get_absolute_url(),
        )
    return proposal


@transaction.atomic
def withdraw_proposal(proposal, *, by, reason="", reason_text="", note=""):
    """The coordinators stop pursuing a proposal (a coded reason where one applies)."""
    proposal = _lock(proposal)
    _require_acts(by, proposal.need)
    if reason:
        _check_reason(reason, reason_text)
    _check_order(proposal, Step.Kind.WITHDRAWN)
    was_asked = proposal.state != State.PROPOSED
    _move(
        proposal,
        Step.Kind.WITHDRAWN,
        by=by,
        reason=reason,
        reason_text=(reason_text or "").strip(),
        note=note,
    )
    if was_asked:
        _tell_organization(
            proposal,
            gettext_lazy("【renkei】シーズ「%(title)s」へのご相談: 提案の取りやめ"),
            "matching/email/proposal_withdrawn.txt",
            {"title": proposal.seed.title},
        )
    return proposal


def report_agreements(community, *, by=None):
    """Tell maturity how many agreements the community reached through renkei, per fiscal
    year of the agreement (its automatic indicator counts them)."""
    days = Step.objects.filter(
        kind=Step.Kind.OUTCOME, outcome__in=AGREEMENTS, proposal__community=community
    ).values_list("on", flat=True)
    counts = Counter(fiscal_year_of(day) for day in days)
    record_counted_values("matching", community, counts, by=by)

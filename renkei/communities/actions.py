"""Writes of the certification workflow: every write is an action that checks who may do it,
allows only legal transitions, and writes the audit log in the same transaction.

    draft ──submit──▶ submitted ──assign reviewer──▶ under_review ──decide──▶ decided
      │  ▲                │                                                   │
      │  └──reopen──┐     │                                       publish round ▼
      └──withdraw──▶ withdrawn ◀──withdraw─┘                              published

A withdrawal can be undone (``reopen``: back to a draft, to be submitted again) while the
round still takes applications; once it has closed, a withdrawal is final.

A round takes applications while it is open; the secretariat closes it (its closing time
does as much), adds reviewers to it or to an application at any time before the decision,
and publishes the results once nothing is undecided and no application can still come in.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import Role, User
from renkei.communities.attachments import check_pdf
from renkei.communities.models import (
    Application,
    Attachment,
    CertificationRound,
    Community,
    CommunityStatusEvent,
    Review,
    ReviewAssignment,
    ReviewDraft,
)
from renkei.communities.models.rounds import REQUIREMENTS
from renkei.communities.rules import is_coordinator_of
from renkei.notifications import tell
from renkei.notifications.models import Kind

State = Application.State

# action → (states it may start from, state it leads to)
TRANSITIONS = {
    "submit": ({State.DRAFT}, State.SUBMITTED),
    "withdraw": ({State.DRAFT, State.SUBMITTED}, State.WITHDRAWN),
    "start_review": ({State.SUBMITTED}, State.UNDER_REVIEW),
    "decide": ({State.UNDER_REVIEW}, State.DECIDED),
    "publish": ({State.DECIDED}, State.PUBLISHED),
    "reopen": ({State.WITHDRAWN}, State.DRAFT),
}
ACTION_LABELS = {
    "submit": gettext_lazy("提出"),
    "withdraw": gettext_lazy("取下げ"),
    "start_review": gettext_lazy("審査開始"),
    "decide": gettext_lazy("決定"),
    "publish": gettext_lazy("公表"),
    "reopen": gettext_lazy("取下げの取消し"),
}


class IllegalTransition(ValidationError):
    pass


def _transition(application, action, actor, **changes):
    """Move the application along TRANSITIONS and audit it (call inside a transaction)."""
    allowed, target = TRANSITIONS[action]
    if application.state not in allowed:
        raise IllegalTransition(
            _("「%(state)s」の申請は%(action)sできません。")
            % {"state": application.get_state_display(), "action": ACTION_LABELS[action]},
            code="illegal_transition",
        )
    fields = {"state", *changes}
    before = audit.snapshot(application, fields=fields)
    application.state = target
    for field, value in changes.items():
        setattr(application, field, value)
    application.save()
    audit.record(
        f"certification.{action}",
        actor=actor,
        target=application,
        before=before,
        after=audit.snapshot(application, fields=fields),
    )
    return application


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


# --- rounds -------------------------------------------------------------------------------


@transaction.atomic
def open_round(*, by, kind, fiscal_year, title, opens_at, closes_at, review_deadline, reviewers):
    _require(by.is_secretariat)
    if opens_at and closes_at and opens_at > closes_at:
        raise ValidationError({"closes_at": _("受付締切は受付開始より後にしてください。")})
    if closes_at and review_deadline and review_deadline < closes_at:
        raise ValidationError({"review_deadline": _("審査期限は受付締切より後にしてください。")})
    round_ = CertificationRound.objects.create(
        kind=kind,
        fiscal_year=fiscal_year,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        review_deadline=review_deadline,
    )
    round_.reviewers.set(reviewers)
    audit.record(audit.Action.OPEN_ROUND, actor=by, target=round_, after=audit.snapshot(round_))
    return round_


def _join_round(round_, reviewer, *, by):
    """Add ``reviewer`` to the round's reviewers, audited (call inside a transaction)."""
    round_.reviewers.add(reviewer)
    audit.record(
        audit.Action.ADD_ROUND_REVIEWER,
        actor=by,
        target=round_,
        after={"reviewer": reviewer.username},
    )
    tell(
        Kind.REVIEW,
        [reviewer],
        gettext_lazy("【renkei】%(title)s の審査委員になりました"),
        "communities/email/round_reviewer.txt",
        {"title": round_.title, "round": round_},
        link=reverse("communities:reviews"),
    )


def _check_new_reviewer(round_, reviewer):
    if round_.status == CertificationRound.Status.PUBLISHED:
        raise IllegalTransition(
            _("結果を公表したラウンドには審査委員を加えられません。"), code="published"
        )
    if not (reviewer.is_active and reviewer.has_role(Role.Kind.REVIEWER)):
        raise ValidationError(
            _("%(person)s さんは審査委員の役割を持っていません。") % {"person": reviewer}
        )


@transaction.atomic
def add_round_reviewer(round_, reviewer, *, by):
    """Add a reviewer to a round at any time before its results are published (a submitted
    application need not wait for the reviewers named when the round opened)."""
    _require(by.is_secretariat, _("審査委員を加えられるのは事務局だけです。"))
    round_ = CertificationRound.objects.select_for_update().get(pk=round_.pk)
    _check_new_reviewer(round_, reviewer)
    if round_.reviewers.filter(pk=reviewer.pk).exists():
        raise ValidationError(
            _("%(person)s さんは既にこのラウンドの審査委員です。") % {"person": reviewer}
        )
    _join_round(round_, reviewer, by=by)
    return round_


def reviewer_joins_round(reviewer, round_id, invited_by):
    """A reviewer invited for a round joins it on accepting (accounts' round binding calls
    this inside the acceptance's transaction; the inviter's right was checked when inviting).
    A round published in the meantime is left alone."""
    round_ = CertificationRound.objects.select_for_update().get(pk=round_id)
    if (
        round_.status != CertificationRound.Status.PUBLISHED
        and not round_.reviewers.filter(pk=reviewer.pk).exists()
    ):
        _join_round(round_, reviewer, by=invited_by)


@transaction.atomic
def close_round(round_, *, by, now=None):
    """Stop taking applications: drafts can no longer be submitted; review and decisions go
    on, and the results can then be published."""
    _require(by.is_secretariat, _("受付を締め切れるのは事務局だけです。"))
    now = now or timezone.now()
    round_ = CertificationRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != CertificationRound.Status.OPEN:
        raise IllegalTransition(
            _("「%(status)s」のラウンドは締め切れません。")
            % {"status": round_.get_status_display()},
            code="not_open",
        )
    before = audit.snapshot(round_, fields={"status", "closes_at"})
    round_.status = CertificationRound.Status.CLOSED
    if round_.closes_at is None or round_.closes_at > now:
        round_.closes_at = now
    round_.save()
    audit.record(
        audit.Action.CLOSE_ROUND,
        actor=by,
        target=round_,
        before=before,
        after=audit.snapshot(round_, fields={"status", "closes_at"}),
    )
    return round_


@transaction.atomic
def publish_round(round_, *, by, today=None):
    """Publish every decided application of the round and update the communities' status."""
    _require(by.is_secretariat)
    round_ = CertificationRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status == CertificationRound.Status.PUBLISHED:
        raise IllegalTransition(_("このラウンドは公表済みです。"), code="already_published")
    pending = round_.applications.filter(state__in=[State.SUBMITTED, State.UNDER_REVIEW])
    if pending.exists():
        names = "、".join(a.community.name for a in pending.select_related("community"))
        raise IllegalTransition(
            _("決定していない申請があるため公表できません: %(names)s") % {"names": names},
            code="undecided",
        )
    if round_.accepts_submissions(timezone.now()):
        raise IllegalTransition(
            _(
                "このラウンドはまだ申請を受け付けているため、結果を公表できません。"
                "先に受付を締め切ってください。"
            ),
            code="still_open",
        )
    decided = list(round_.applications.filter(state=State.DECIDED).select_related("community"))
    if not decided:
        raise IllegalTransition(_("公表する決定がありません。"), code="nothing_to_publish")
    now = timezone.now()
    today = today or timezone.localdate()
    for application in decided:
        _transition(application, "publish", by, published_at=now)
        community = application.community
        community.status = application.decision
        if application.decision == Community.Status.CERTIFIED:
            community.certified_on = today
        elif application.decision == Community.Status.REGISTERED:
            community.registered_on = today
        community.save()
        CommunityStatusEvent.objects.create(
            community=community, status=application.decision, decided_on=today, round=round_
        )
    round_.status = CertificationRound.Status.PUBLISHED
    round_.published_on = today
    round_.save()
    audit.record(
        audit.Action.PUBLISH_ROUND,
        actor=by,
        target=round_,
        after={"published_on": today.isoformat(), "applications": [a.pk for a in decided]},
    )
    people = set(round_.reviewers.all())
    for application in decided:
        people |= set(User.objects.coordinators_of(application.community))
    tell(
        Kind.CERTIFICATION,
        people,
        gettext_lazy("【renkei】%(title)s の結果を公表しました"),
        "communities/email/published.txt",
        {"title": round_.title, "round": round_, "applications": decided},
        link=reverse("communities:results", args=[round_.pk]),
    )
    return round_


# --- applications -------------------------------------------------------------------------


@transaction.atomic
def start_application(round_, community, *, by):
    _require(
        is_coordinator_of(by, community),
        _("このコミュニティのコーディネーターだけが申請できます。"),
    )
    if round_.kind != community.kind:
        raise ValidationError(
            _("このラウンドは%(kind)sのためのものです。") % {"kind": round_.get_kind_display()}
        )
    if not round_.accepts_submissions(timezone.now()):
        raise ValidationError(_("このラウンドは申請を受け付けていません。"))
    if Application.objects.filter(round=round_, community=community).exists():
        raise ValidationError(_("このラウンドへの申請は既にあります。"))
    application = Application.objects.create(round=round_, community=community, created_by=by)
    audit.record(audit.Action.START_APPLICATION, actor=by, target=application)
    return application


@transaction.atomic
def update_answers(application, answers, *, by):
    """answers: {requirement field: text}; a requirement not given keeps its answer."""
    _require(is_coordinator_of(by, application.community))
    if application.state != State.DRAFT:
        raise IllegalTransition(_("提出後の申請は編集できません。"), code="not_draft")
    before = {field: getattr(application, field) for field, _label in REQUIREMENTS}
    for field, _label in REQUIREMENTS:
        if field in answers:
            setattr(application, field, (answers[field] or "").strip())
    application.save()
    after = {field: getattr(application, field) for field, _label in REQUIREMENTS}
    changed_before, changed_after = audit.changed_fields(before, after)
    audit.record(
        audit.Action.EDIT_APPLICATION,
        actor=by,
        target=application,
        before=changed_before,
        after=changed_after,
    )
    return application


@transaction.atomic
def add_attachment(application, uploaded, *, by):
    _require(is_coordinator_of(by, application.community))
    if application.state != State.DRAFT:
        raise IllegalTransition(_("提出後の申請には添付できません。"), code="not_draft")
    data, digest = check_pdf(uploaded)
    uploaded.seek(0)
    attachment = Attachment(
        application=application,
        original_name=uploaded.name[:255],
        size=len(data),
        sha256=digest,
        uploaded_by=by,
    )
    attachment.file.save(uploaded.name, uploaded, save=False)
    attachment.save()
    audit.record(
        audit.Action.ATTACH_FILE,
        actor=by,
        target=application,
        after={"file": attachment.original_name, "sha256": digest, "size": len(data)},
    )
    return attachment


@transaction.atomic
def remove_attachment(attachment, *, by):
    """Remove a wrong attachment from a draft: its row, and its file once this commits."""
    application = attachment.application
    _require(is_coordinator_of(by, application.community))
    if application.state != State.DRAFT:
        raise IllegalTransition(_("提出後の申請からは添付資料を削除できません。"), code="not_draft")
    gone = {"file": attachment.original_name, "sha256": attachment.sha256, "size": attachment.size}
    attachment.delete()  # the file leaves the disk on commit (CommunitiesConfig.ready)
    audit.record(audit.Action.REMOVE_ATTACHMENT, actor=by, target=application, before=gone)
    return application


def save_application(application, answers, *, by, upload=None, remove=None, submit=False):
    """The coordinator's one form: save the answers, then remove an attachment (``remove``,
    one of the application's), attach a file (``upload``) and submit, each only if asked.

    One transaction: what succeeds is written together. Each step after the answers runs in
    its own savepoint, so a refused step (a wrong file, an incomplete application) undoes
    only itself and the steps after it: the answers typed are saved all the same, and the
    refusal is raised once they are (a file's refusal keyed by ``file``)."""
    refused = None
    with transaction.atomic():
        update_answers(application, answers, by=by)
        steps = []
        if remove is not None:
            steps.append((None, lambda: remove_attachment(remove, by=by)))
        if upload is not None:
            steps.append(("file", lambda: add_attachment(application, upload, by=by)))
        if submit:
            steps.append((None, lambda: submit_application(application, by=by)))
        for field, step in steps:
            try:
                with transaction.atomic():
                    step()
            except ValidationError as exc:
                if field is not None and not hasattr(exc, "error_dict"):
                    exc = ValidationError({field: exc.error_list})
                refused = exc
                application.refresh_from_db()
                break
    if refused is not None:
        raise refused
    return application


@transaction.atomic
def submit_application(application, *, by):
    _require(is_coordinator_of(by, application.community))
    missing = [
        str(label) for field, label in REQUIREMENTS if not getattr(application, field).strip()
    ]
    if missing:
        raise ValidationError(_("次の要件への回答がありません: %(m)s") % {"m": "、".join(missing)})
    if not application.round.accepts_submissions(timezone.now()):
        raise ValidationError(_("受付期間外のため提出できません。"))
    _transition(application, "submit", by, submitted_at=timezone.now())
    tell(
        Kind.CERTIFICATION,
        [*User.objects.secretariat(), *User.objects.coordinators_of(application.community)],
        gettext_lazy("【renkei】%(community)s の認定申請が提出されました"),
        "communities/email/submitted.txt",
        {"community": application.community, "application": application},
        link=application.get_absolute_url(),
    )
    return application


@transaction.atomic
def withdraw_application(application, *, by):
    """Withdraw a draft or a submitted application; undone by ``reopen_application`` while
    the round takes applications."""
    _require(is_coordinator_of(by, application.community))
    return _transition(application, "withdraw", by)


def can_reopen(application, now=None):
    """Whether a withdrawal can still be undone: until the round stops taking applications."""
    return application.state == State.WITHDRAWN and application.round.accepts_submissions(
        now or timezone.now()
    )


@transaction.atomic
def reopen_application(application, *, by, now=None):
    """Undo a withdrawal: the application is a draft again, to be submitted anew."""
    _require(is_coordinator_of(by, application.community))
    if application.state != State.WITHDRAWN:
        raise IllegalTransition(_("取り下げた申請だけを下書きに戻せます。"), code="not_withdrawn")
    if not can_reopen(application, now):
        raise IllegalTransition(
            _("このラウンドの受付が終わったため、取下げは取り消せません。"), code="round_closed"
        )
    return _transition(application, "reopen", by, submitted_at=None)


# --- review -------------------------------------------------------------------------------


def conflict_of(reviewer, community):
    """Why ``reviewer`` may not review ``community``, or None: they coordinate it (conflicts
    by community), or their organisation is one of its members (by organisation)."""
    if reviewer.has_role(Role.Kind.COORDINATOR, community):
        return _("%(community)sのコーディネーターです。") % {"community": community}
    if (
        reviewer.affiliation_id
        and community.active_members().filter(organization_id=reviewer.affiliation_id).exists()
    ):
        return _("所属機関（%(org)s）が%(community)sの構成機関です。") % {
            "org": reviewer.affiliation,
            "community": community,
        }
    return None


@transaction.atomic
def assign_reviewer(application, reviewer, *, by):
    _require(by.is_secretariat)
    if application.state not in (State.SUBMITTED, State.UNDER_REVIEW):
        raise IllegalTransition(
            _("提出済みか審査中の申請にだけ審査委員を割り当てられます。"), code="not_reviewable"
        )
    conflict = conflict_of(reviewer, application.community)
    if conflict:
        raise ValidationError(
            _("利益相反のため割り当てられません: %(reason)s") % {"reason": conflict}
        )
    if ReviewAssignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError(_("既に割り当てられています。"))
    if not application.round.reviewers.filter(pk=reviewer.pk).exists():
        # Any reviewer may be assigned before the decision; they join the round as well.
        _check_new_reviewer(application.round, reviewer)
        _join_round(application.round, reviewer, by=by)
    assignment = ReviewAssignment.objects.create(
        application=application, reviewer=reviewer, assigned_by=by
    )
    audit.record(
        audit.Action.ASSIGN_REVIEWER,
        actor=by,
        target=application,
        after={"reviewer": reviewer.username},
    )
    if application.state == State.SUBMITTED:
        _transition(application, "start_review", by)
    tell(
        Kind.REVIEW,
        [reviewer],
        gettext_lazy("【renkei】審査の依頼: %(community)s"),
        "communities/email/assigned.txt",
        {"community": application.community, "application": application},
        link=application.get_absolute_url(),
    )
    return assignment


@transaction.atomic
def declare_conflict(assignment, reason, *, by):
    _require(by.pk == assignment.reviewer_id)
    if hasattr(assignment, "review"):
        raise IllegalTransition(
            _("審査結果を提出した後は申告できません。"), code="already_reviewed"
        )
    if not reason.strip():
        raise ValidationError({"reason": _("利益相反の内容を書いてください。")})
    assignment.conflict_declared = True
    assignment.conflict_reason = reason.strip()
    assignment.save()
    audit.record(
        audit.Action.DECLARE_CONFLICT,
        actor=by,
        target=assignment.application,
        after={"reviewer": by.username, "reason": assignment.conflict_reason},
    )
    return assignment


def _check_reviewer(assignment, by, now):
    """Refuse anyone but the assigned reviewer, without a conflict, while under review and
    before the deadline."""
    _require(by.pk == assignment.reviewer_id)
    application = assignment.application
    if assignment.conflict_declared:
        raise ValidationError(_("利益相反を申告した申請は審査できません。"))
    conflict = conflict_of(by, application.community)
    if conflict:
        # e.g. made the community's coordinator after being assigned
        raise PermissionDenied(_("利益相反のため審査できません: %(reason)s") % {"reason": conflict})
    if application.state != State.UNDER_REVIEW:
        raise IllegalTransition(_("審査中の申請ではありません。"), code="not_under_review")
    if not application.round.review_open(now):
        raise ValidationError(_("審査期限を過ぎているため提出できません。"))
    if Review.objects.filter(assignment=assignment).exists():
        raise IllegalTransition(_("審査結果は提出済みです。"), code="already_reviewed")


def _review_values(scores, comments, *, complete):
    """{field_score: int or None, field_comment: text} from the form's values; every score
    must be a whole number 1–5 (``complete``), or 1–5 or empty (a draft)."""
    errors = {}
    values = {}
    for field, label in REQUIREMENTS:
        raw = scores.get(field)
        text = "" if raw is None else str(raw).strip()
        try:
            score = int(text)
        except ValueError:
            score = None
        if (text or complete) and (score is None or not 1 <= score <= 5 or text != str(score)):
            errors[f"{field}_score"] = _("%(label)s の評点は 1〜5 の整数で入力してください。") % {
                "label": label
            }
        values[f"{field}_score"] = score
        values[f"{field}_comment"] = (comments.get(field) or "").strip()
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def save_review_draft(assignment, scores, comments, *, by, now=None):
    """Keep a reviewer's scores and comments to finish later (any may be empty); only they
    see it, and it counts for nothing until submitted."""
    now = now or timezone.now()
    _check_reviewer(assignment, by, now)
    values = _review_values(scores, comments, complete=False)
    draft, created = ReviewDraft.objects.update_or_create(assignment=assignment, defaults=values)
    audit.record(
        audit.Action.SAVE_REVIEW_DRAFT,
        actor=by,
        target=assignment.application,
        after={"reviewer": by.username, "new": created},
    )
    return draft


@transaction.atomic
def submit_review(assignment, scores, comments, *, by, now=None):
    """scores/comments: {requirement field: value}. Scores must be whole numbers 1–5. A
    saved draft is replaced by the submitted review."""
    now = now or timezone.now()
    _check_reviewer(assignment, by, now)
    application = assignment.application
    values = _review_values(scores, comments, complete=True)
    review = Review.objects.create(assignment=assignment, **values)
    ReviewDraft.objects.filter(assignment=assignment).delete()
    audit.record(audit.Action.REVIEW_APPLICATION, actor=by, target=application, after=values)
    return review


@transaction.atomic
def decide_application(application, decision, reasons, *, by):
    _require(by.is_secretariat, _("決定は事務局だけが行えます。"))
    if decision not in Application.Decision.values:
        raise ValidationError(
            {"decision": _("決定は「認定」「育成登録」「不認定」から選んでください。")}
        )
    if not reasons.strip():
        raise ValidationError({"reasons": _("決定の理由を書いてください。")})
    application = Application.objects.select_for_update().get(pk=application.pk)
    _transition(
        application,
        "decide",
        by,
        decision=decision,
        decision_reasons=reasons.strip(),
        decided_at=timezone.now(),
        decided_by=by,
    )
    tell(
        Kind.CERTIFICATION,
        User.objects.coordinators_of(application.community),
        gettext_lazy("【renkei】認定申請の審査結果（公表前）: %(community)s"),
        "communities/email/decided.txt",
        {"community": application.community, "application": application},
        link=application.get_absolute_url(),
    )
    return application


def score_sheet(application):
    """Per requirement: each submitted review's score and comment, and the mean."""
    reviews = list(
        Review.objects.filter(assignment__application=application).select_related(
            "assignment__reviewer"
        )
    )
    rows = []
    for field, label in REQUIREMENTS:
        values = [getattr(r, f"{field}_score") for r in reviews]
        rows.append(
            {
                "field": field,
                "label": label,
                "reviews": [
                    (
                        r.assignment.reviewer,
                        getattr(r, f"{field}_score"),
                        getattr(r, f"{field}_comment"),
                    )
                    for r in reviews
                ],
                "mean": round(sum(values) / len(values), 2) if values else None,
            }
        )
    return reviews, rows

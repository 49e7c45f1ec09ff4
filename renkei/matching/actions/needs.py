"""Writes about needs: the public form, its confirmation, taking a need on, the secretariat's
reassignment, and its status. Each checks permission, writes in one transaction, appends an
audit row (and a step of the need's history) and tells the people concerned."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.communities.models import Community
from renkei.communities.rules import coordinated_community_ids
from renkei.lib.jobs import later
from renkei.matching.actions.steps import record_step
from renkei.matching.models import FINISHED, Need, Step
from renkei.matching.rules import acts_on_need, coordinates_need, is_coordinator
from renkei.notifications import tell
from renkei.notifications.actions import Address
from renkei.notifications.models import Kind

CONFIRM_WITHIN = timedelta(hours=72)
# What the audit log keeps of a need: never the submitter's e-mail, phone or name.
NEED_AUDIT_FIELDS = ["title", "prefecture", "submitter_kind", "status", "community"]


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


def _token_hash(token):
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@transaction.atomic
def submit_need(data, *, now=None):
    """Save a need from the public form (unconfirmed) and mail its confirmation link.

    ``data`` is the form's cleaned data; consent must be given. Returns the need."""
    now = now or timezone.now()
    if not data.get("consent"):
        raise ValidationError({"consent": _("個人情報の取扱いへの同意が必要です。")})
    fields = {k: v for k, v in data.items() if k not in {"consent", "website"}}
    need = Need(**fields, consent_at=now, status=Need.Status.UNCONFIRMED)
    token = secrets.token_urlsafe(32)
    need.confirm_token_hash = _token_hash(token)
    need.full_clean()
    need.save()
    audit.record(
        audit.Action.SUBMIT_NEED, target=need, after=audit.snapshot(need, NEED_AUDIT_FIELDS)
    )
    tell(
        Kind.NEED_STATUS,
        [submitter(need, language=translation.get_language() or settings.LANGUAGE_CODE)],
        gettext_lazy("【renkei】ご相談の受付確認のお願い"),
        "matching/email/confirm.txt",
        {
            "need": need,
            "hours": int(CONFIRM_WITHIN.total_seconds() // 3600),
            "link_intro": gettext_lazy("受付を確定するページ:"),
        },
        link=reverse("matching:need_confirm", args=[token]),
    )
    return need


def submitter(need, language=""):
    """The person who submitted ``need`` (no account: their address on the need)."""
    return Address(need.email, name=need.submitter_name, language=language)


def need_for_token(token):
    need = Need.objects.filter(confirm_token_hash=_token_hash(token)).first() if token else None
    if need is None:
        raise ValidationError(
            _("この確認リンクは無効です。メールに書かれたリンクをそのまま開いてください。")
        )
    return need


@transaction.atomic
def confirm_need(token, *, now=None):
    """Confirm the e-mail address: the need enters the coordinators' queue. Confirming
    twice changes nothing; a link older than 72 hours has expired."""
    now = now or timezone.now()
    need = need_for_token(token)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.confirmed_at:
        return need
    if now - need.created_at > CONFIRM_WITHIN:
        raise ValidationError(
            _("確認の期限（%(hours)s時間）を過ぎました。お手数ですが、もう一度ご相談ください。")
            % {"hours": int(CONFIRM_WITHIN.total_seconds() // 3600)}
        )
    need.confirmed_at = now
    need.status = Need.Status.QUEUED
    need.save(update_fields=["confirmed_at", "status", "updated_at"])
    audit.record(audit.Action.CONFIRM_NEED, target=need, after={"status": need.status})
    communities = Community.objects.filter(prefectures=need.prefecture_id)
    recipients = [u for c in communities for u in User.objects.coordinators_of(c)] or list(
        User.objects.secretariat()
    )
    tell(
        Kind.NEED_QUEUE,
        recipients,
        gettext_lazy("【renkei】新しいご相談（ニーズ）が届きました"),
        "matching/email/need_queued.txt",
        {"need": need},
        link=need.get_absolute_url(),
    )
    tell(
        Kind.NEED_STATUS,
        [submitter(need)],
        gettext_lazy("【renkei】ご相談「%(title)s」を受け付けました"),
        "matching/email/need_received.txt",
        {
            "title": need.title,
            "need": need,
            "link_intro": gettext_lazy(
                "ご相談の状況ページ（あなた専用。ほかの人に知らせないでください）:"
            ),
        },
        link=need.get_status_url(),
    )
    later("renkei.matching.jobs.embed_needs", [need.pk], group="embeddings")
    return need


def _coordinator_community(user):
    ids = coordinated_community_ids(user)
    return Community.objects.filter(pk=ids[0]).first() if ids else None


def _tell_submitter(need, subject, template, context):
    """The submitter's mails link to their private status page (no account needed)."""
    tell(
        Kind.NEED_STATUS,
        [submitter(need)],
        subject,
        template,
        {"title": need.title, "need": need, **context, "link_intro": STATUS_LINK_INTRO},
        link=need.get_status_url(),
    )


STATUS_LINK_INTRO = gettext_lazy("ご相談の状況ページ（あなた専用）:")


def _require_confirmed(need):
    _require(need.confirmed_at is not None, _("メール確認の済んでいないニーズです。"))


@transaction.atomic
def take_need(need, *, by):
    """A coordinator takes a need on: it is theirs (and their community's) to follow up.
    A need another community took is theirs: only a colleague there takes it over, or the
    secretariat reassigns it."""
    _require(
        bool(coordinated_community_ids(by)),
        _("ご相談を担当できるのは、バイオコミュニティのコーディネーターです。"),
    )
    _require_confirmed(need)
    Need.objects.select_for_update().filter(pk=need.pk).first()  # lock, then read fresh
    need.refresh_from_db()
    if need.assigned_to_id and not coordinates_need(by, need):
        raise PermissionDenied(
            _(
                "このご相談は%(community)sが担当しています。担当を替えるときは事務局に"
                "依頼してください。"
            )
            % {"community": need.community.name if need.community else _("別のコミュニティ")}
        )
    before = audit.snapshot(need, ["assigned_to", "community", "status"])
    need.assigned_to = by
    if not coordinates_need(by, need):
        need.community = _coordinator_community(by)
    if need.status == Need.Status.QUEUED:
        need.status = Need.Status.IN_PROGRESS
    need.save(update_fields=["assigned_to", "community", "status", "updated_at"])
    audit.record(
        audit.Action.TAKE_NEED,
        actor=by,
        target=need,
        before=before,
        after=audit.snapshot(need, ["assigned_to", "community", "status"]),
    )
    if before["assigned_to"] != by.pk:
        record_step(need, Step.Kind.TAKEN, by=by)
        _tell_submitter(
            need,
            gettext_lazy("【renkei】ご相談「%(title)s」の担当コーディネーターが決まりました"),
            "matching/email/need_taken.txt",
            {"coordinator": by},
        )
    return need


@transaction.atomic
def reassign_need(need, to, *, by, community=None, note=""):
    """The secretariat hands a need to another coordinator (and their community); the
    proposals still open follow it."""
    _require(by.is_authenticated and by.is_secretariat, _("担当替えは事務局が行います。"))
    _require_confirmed(need)
    ids = coordinated_community_ids(to)
    if not ids or not to.is_active:
        raise ValidationError({"to": _("担当にできるのは、コミュニティのコーディネーターです。")})
    community = community or Community.objects.get(pk=ids[0])
    if community.pk not in ids:
        raise ValidationError(
            {
                "community": _("%(name)sさんはこのコミュニティのコーディネーターではありません。")
                % {"name": to}
            }
        )
    Need.objects.select_for_update().filter(pk=need.pk).first()  # lock, then read fresh
    need.refresh_from_db()
    before = audit.snapshot(need, ["assigned_to", "community", "status"])
    need.assigned_to, need.community = to, community
    if need.status == Need.Status.QUEUED:
        need.status = Need.Status.IN_PROGRESS
    need.save(update_fields=["assigned_to", "community", "status", "updated_at"])
    need.proposals.exclude(state__in=FINISHED).update(community=community)
    audit.record(
        audit.Action.REASSIGN_NEED,
        actor=by,
        target=need,
        before=before,
        after=audit.snapshot(need, ["assigned_to", "community", "status"]),
        note=note,
    )
    record_step(
        need,
        Step.Kind.REASSIGNED,
        by=by,
        note=note,
        reason_text=_("%(name)s（%(community)s）へ") % {"name": to, "community": community.name},
    )
    tell(
        Kind.NEED_QUEUE,
        [to],
        gettext_lazy("【renkei】ご相談「%(title)s」の担当になりました"),
        "matching/email/need_reassigned.txt",
        {"title": need.title, "need": need, "by": by, "note": note},
        link=need.get_absolute_url(),
    )
    _tell_submitter(
        need,
        gettext_lazy("【renkei】ご相談「%(title)s」の担当コーディネーターが決まりました"),
        "matching/email/need_taken.txt",
        {"coordinator": to},
    )
    return need


@transaction.atomic
def set_need_status(need, status, *, by):
    """Change a need's status: its community's coordinators or the secretariat (any
    coordinator while nobody has taken it, to close a need nobody should take)."""
    _require(
        by.is_authenticated
        and (
            by.is_secretariat
            or acts_on_need(by, need)
            or (not need.community_id and is_coordinator(by))
        )
    )
    if status not in Need.Status.values or status == Need.Status.UNCONFIRMED:
        raise ValidationError({"status": _("この状態には変更できません。")})
    _require_confirmed(need)
    before = need.status
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    audit.record(
        audit.Action.SET_NEED_STATUS,
        actor=by,
        target=need,
        before={"status": before},
        after={"status": status},
    )
    if status != before:
        record_step(need, Step.Kind.STATUS, by=by, reason_text=str(need.get_status_display()))
        _tell_submitter(
            need,
            gettext_lazy("【renkei】ご相談「%(title)s」の状況が変わりました"),
            "matching/email/need_status.txt",
            {},
        )
    return need

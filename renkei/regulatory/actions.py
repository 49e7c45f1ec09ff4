"""Writes about regulatory consultations: asking (the public form), confirming the address
(which routes it), routing by hand, answering, the asker's consent to publish, publishing
the anonymised Q&A. Each checks permission, writes in one transaction, appends an audit row
(never the asker's name or address) and tells the people concerned."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.notifications import tell
from renkei.notifications.actions import Address
from renkei.notifications.models import Kind
from renkei.regulatory.models import RegulatoryConsultation, RegulatoryTopic
from renkei.regulatory.routing import route_for
from renkei.regulatory.rules import answers_consultation

CONFIRM_WITHIN = timedelta(hours=72)
Status = RegulatoryConsultation.Status
AUDIT_FIELDS = ["topic", "title", "prefecture", "asker_kind", "status", "window", "publish_consent"]
LINK_INTRO = gettext_lazy("ご相談の状況ページ（あなた専用）:")


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


def asker(consultation, language=""):
    return Address(consultation.email, name=consultation.asker_name, language=language)


def _tell_asker(consultation, subject, template, **context):
    tell(
        Kind.REGULATORY,
        [asker(consultation)],
        subject,
        template,
        {
            "consultation": consultation,
            "title": consultation.title,
            **context,
            "link_intro": LINK_INTRO,
        },
        link=consultation.get_status_url(),
    )


@transaction.atomic
def ask(data, *, user=None, now=None):
    """A question from the public form (unconfirmed until its address is confirmed)."""
    now = now or timezone.now()
    if not data.get("consent"):
        raise ValidationError({"consent": _("個人情報の取扱いへの同意が必要です。")})
    if data.get("topic") not in RegulatoryTopic.values:
        raise ValidationError({"topic": _("分野のコードがありません。")})
    fields = {k: v for k, v in data.items() if k not in {"consent", "website"}}
    consultation = RegulatoryConsultation(
        **fields, consent_at=now, user=user if user and user.is_authenticated else None
    )
    consultation.full_clean()
    consultation.save()
    audit.record(
        audit.Action.ASK_REGULATORY,
        actor=user,
        target=consultation,
        after=audit.snapshot(consultation, AUDIT_FIELDS),
    )
    tell(
        Kind.REGULATORY,
        [asker(consultation, language=translation.get_language() or settings.LANGUAGE_CODE)],
        gettext_lazy("【renkei】規制・特区のご相談の受付確認のお願い"),
        "regulatory/email/confirm.txt",
        {
            "consultation": consultation,
            "hours": int(CONFIRM_WITHIN.total_seconds() // 3600),
            "link_intro": gettext_lazy("受付を確定するページ（あなた専用）:"),
        },
        link=consultation.get_status_url(),
    )
    return consultation


def _tell_window(consultation, subject, template, **context):
    window = consultation.window
    members = list(User.objects.members_of(window.organization))
    context = {
        "consultation": consultation,
        "window": window,
        "title": consultation.title,
        **context,
    }
    if members:
        tell(
            Kind.REGULATORY,
            members,
            subject,
            template,
            context,
            link=consultation.get_absolute_url(),
        )
    elif window.email:
        tell(
            Kind.REGULATORY,
            [Address(window.email)],
            subject,
            template,
            {**context, "by_link": True},
            link=consultation.get_answer_url(),
        )


def _routed(consultation, window, *, by=None):
    consultation.window = window
    consultation.routed_at = timezone.now()
    consultation.routed_by = by
    consultation.status = Status.ROUTED
    consultation.save(update_fields=["window", "routed_at", "routed_by", "status", "updated_at"])
    audit.record(
        audit.Action.ROUTE_REGULATORY,
        actor=by,
        target=consultation,
        after={"window": window.pk, "organization": window.organization_id},
    )
    _tell_window(
        consultation,
        gettext_lazy("【renkei】規制・特区のご相談「%(title)s」: ご回答のお願い"),
        "regulatory/email/routed.txt",
    )


@transaction.atomic
def confirm(consultation, *, now=None):
    """The asker confirms their address on their page: the question goes to the window
    for its topic, or to the secretariat to route. Confirming twice changes nothing."""
    now = now or timezone.now()
    consultation = RegulatoryConsultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.confirmed_at:
        return consultation
    if now - consultation.created_at > CONFIRM_WITHIN:
        raise ValidationError(
            _("確認の期限（%(hours)s時間）を過ぎました。お手数ですが、もう一度ご相談ください。")
            % {"hours": int(CONFIRM_WITHIN.total_seconds() // 3600)}
        )
    consultation.confirmed_at = now
    consultation.status = Status.UNROUTED
    consultation.save(update_fields=["confirmed_at", "status", "updated_at"])
    audit.record(audit.Action.CONFIRM_REGULATORY, target=consultation, after={"status": "unrouted"})
    window = route_for(consultation)
    if window is not None:
        _routed(consultation, window)
    else:
        tell(
            Kind.REGULATORY,
            list(User.objects.secretariat()),
            gettext_lazy("【renkei】規制・特区のご相談「%(title)s」: 窓口の振り分けをお願いします"),
            "regulatory/email/unrouted.txt",
            {"consultation": consultation, "title": consultation.title},
            link=consultation.get_absolute_url(),
        )
    _tell_asker(
        consultation,
        gettext_lazy("【renkei】規制・特区のご相談「%(title)s」を受け付けました"),
        "regulatory/email/received.txt",
    )
    return consultation


@transaction.atomic
def route(consultation, window, *, by):
    """The secretariat sends (or resends) a question to a window."""
    _require(by.is_authenticated and by.is_secretariat, _("窓口の振り分けは事務局が行います。"))
    if consultation.status not in (Status.UNROUTED, Status.ROUTED):
        raise ValidationError(_("回答済み・終了したご相談は振り分けられません。"))
    if window.archived:
        raise ValidationError(_("掲載を終えた窓口には振り分けられません。"))
    _routed(consultation, window, by=by)
    return consultation


@transaction.atomic
def answer(consultation, text, *, by=None, via=None, public_question="", public_answer=""):
    """The window's organisation (a member, or the window by its link) or the secretariat
    answers; the asker is told. The anonymised texts are kept for publication, which needs
    the asker's consent."""
    consultation = RegulatoryConsultation.objects.select_for_update().get(pk=consultation.pk)
    if via is None:
        _require(
            by is not None and answers_consultation(by, consultation),
            _("このご相談に回答できるのは、振り分けられた窓口の機関と事務局です。"),
        )
    if consultation.status != Status.ROUTED:
        raise ValidationError(
            _("いまは回答できません（状態: %(status)s）。")
            % {"status": consultation.get_status_display()}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": _("回答を書いてください。")})
    consultation.answer = text
    consultation.answered_at = timezone.now()
    consultation.answered_by = by if via is None else None
    consultation.answered_by_label = str(by) if via is None else via
    consultation.public_question = (public_question or "").strip()
    consultation.public_answer = (public_answer or "").strip()
    consultation.status = Status.ANSWERED
    consultation.save()
    audit.record(
        audit.Action.ANSWER_REGULATORY,
        actor=by if via is None else None,
        target=consultation,
        after={"status": "answered"},
        note=via or "",
    )
    _tell_asker(
        consultation,
        gettext_lazy("【renkei】規制・特区のご相談「%(title)s」への回答"),
        "regulatory/email/answered.txt",
    )
    if consultation.publish_consent and consultation.public_question and consultation.public_answer:
        _publish(consultation, by=by)
    return consultation


def _publish(consultation, *, by=None):
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["published_at", "updated_at"])
    audit.record(
        audit.Action.PUBLISH_REGULATORY, actor=by, target=consultation, after={"published": True}
    )


@transaction.atomic
def publish(consultation, *, by, public_question, public_answer):
    """Publish the anonymised Q&A: the answerer or the secretariat, only with the asker's
    consent, only once answered."""
    consultation = RegulatoryConsultation.objects.select_for_update().get(pk=consultation.pk)
    _require(answers_consultation(by, consultation))
    if not consultation.publish_consent:
        raise ValidationError(_("相談者が公開に同意していないため、公開できません。"))
    if consultation.status != Status.ANSWERED:
        raise ValidationError(_("回答してから公開してください。"))
    if not (public_question or "").strip() or not (public_answer or "").strip():
        raise ValidationError(_("公開する質問と回答（匿名）を書いてください。"))
    consultation.public_question = public_question.strip()
    consultation.public_answer = public_answer.strip()
    consultation.save(update_fields=["public_question", "public_answer", "updated_at"])
    _publish(consultation, by=by)
    return consultation


@transaction.atomic
def set_publish_consent(consultation, consent, *, token):
    """The asker gives or withdraws consent on their page; withdrawing unpublishes."""
    if consultation.status_token != token:
        raise PermissionDenied(_("この操作は、ご相談の状況ページからだけ行えます。"))
    consultation = RegulatoryConsultation.objects.select_for_update().get(pk=consultation.pk)
    consultation.publish_consent = bool(consent)
    if not consent:
        consultation.published_at = None
    elif consultation.public_question and consultation.public_answer and consultation.answered_at:
        consultation.published_at = consultation.published_at or timezone.now()
    consultation.save(update_fields=["publish_consent", "published_at", "updated_at"])
    audit.record(
        audit.Action.PUBLISH_REGULATORY,
        target=consultation,
        after={"consent": bool(consent), "published": consultation.published_at is not None},
        note=_("相談者"),
    )
    return consultation


@transaction.atomic
def close(consultation, *, by):
    _require(answers_consultation(by, consultation))
    consultation.status = Status.CLOSED
    consultation.save(update_fields=["status", "updated_at"])
    audit.record(
        audit.Action.CLOSE_REGULATORY, actor=by, target=consultation, after={"status": "closed"}
    )
    return consultation

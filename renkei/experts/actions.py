"""Writes about experts: profiles, assignments of needs, consultations. Each checks
permission, writes in one transaction, appends an audit row, writes the need's history
where a need is concerned (renkei.matching.actions.record_step) and tells the people
concerned."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.experts.models import Assignment, Consultation, Engagement, Expert
from renkei.experts.rules import can_edit_expert, records_consultations_of, registers_experts
from renkei.lib.jobs import later
from renkei.matching.actions import record_step
from renkei.matching.models import Step
from renkei.matching.rules import acts_on_need, handles_need
from renkei.notifications import tell
from renkei.notifications.actions import Address
from renkei.notifications.models import Kind
from renkei.regions.models import Language

PROFILE_FIELDS = [
    "name",
    "kind",
    "title",
    "organization",
    "community",
    "fields",
    "availability",
    "engagement",
    "public",
    "active",
]


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


def _check_codes(values, choices, field):
    unknown = [v for v in values or [] if v not in choices]
    if unknown:
        raise ValidationError({field: _("選べない値です: %(v)s") % {"v": "、".join(unknown)}})


@transaction.atomic
def save_expert(form, *, by):
    """Create or update a profile from a validated ExpertForm."""
    expert = form.instance
    if expert.pk:
        _require(can_edit_expert(by, Expert.objects.get(pk=expert.pk)))
    else:
        _require(registers_experts(by) or form.cleaned_data.get("user") == by)
    _check_codes(form.cleaned_data.get("engagement"), Engagement.values, "engagement")
    _check_codes(form.cleaned_data.get("languages"), Language.values, "languages")
    before = audit.snapshot(Expert.objects.get(pk=expert.pk), PROFILE_FIELDS) if expert.pk else None
    expert = form.save(commit=False)
    if not expert.pk:
        expert.created_by = by
    expert.save()
    form.save_m2m()
    after = audit.snapshot(expert, PROFILE_FIELDS)
    old, new = audit.changed_fields(before, after)
    audit.record(audit.Action.SAVE_EXPERT, actor=by, target=expert, before=old or None, after=new)
    later("renkei.experts.jobs.embed_experts", [expert.pk], group="embeddings")
    return expert


def _told(expert):
    if expert.user_id and expert.user.is_active:
        return [expert.user]
    return [Address(expert.email, name=expert.name)] if expert.email else []


@transaction.atomic
def assign_expert(need, expert, *, by, note=""):
    """Assign ``need`` to ``expert`` beside its coordinator: those who act on the need, or
    the secretariat. The expert handles the need while assigned and is told at once."""
    _require(
        by.is_authenticated and (by.is_secretariat or acts_on_need(by, need)),
        _(
            "専門家を割り当てられるのは、このご相談を担当するコミュニティのコーディネーターと事務局です。"
        ),
    )
    if not need.is_open:
        raise ValidationError(_("受付中でないご相談には割り当てられません。"))
    if not expert.active:
        raise ValidationError(_("掲載を終えた専門家には割り当てられません。"))
    if Assignment.objects.filter(need=need, expert=expert, ended_at__isnull=True).exists():
        raise ValidationError(_("この専門家はすでにこのご相談の担当です。"))
    assignment = Assignment.objects.create(need=need, expert=expert, assigned_by=by, note=note)
    audit.record(
        audit.Action.ASSIGN_EXPERT,
        actor=by,
        target=assignment,
        after={"need": need.pk, "expert": expert.pk},
    )
    record_step(
        need,
        Step.Kind.EXPERT_ASSIGNED,
        by=by,
        reason_text=_("%(name)s（%(kind)s）")
        % {"name": expert.name, "kind": expert.get_kind_display()},
        note=note,
    )
    tell(
        Kind.EXPERT_ASSIGNMENT,
        _told(expert),
        gettext_lazy("【renkei】ご相談「%(title)s」へのご協力のお願い"),
        "experts/email/assigned.txt",
        {"title": need.title, "need": need, "expert": expert, "by": by, "note": note},
        link=need.get_absolute_url() if expert.user_id else "",
    )
    return assignment


@transaction.atomic
def end_assignment(assignment, *, by):
    _require(
        by.is_authenticated
        and (
            by.is_secretariat
            or acts_on_need(by, assignment.need)
            or assignment.expert.user_id == by.pk
        )
    )
    if assignment.ended_at:
        raise ValidationError(_("この割当てはすでに終わっています。"))
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    audit.record(audit.Action.END_ASSIGNMENT, actor=by, target=assignment, after={"ended": True})
    return assignment


@transaction.atomic
def record_consultation(expert, form, *, by):
    """Record a consultation the expert gave (with its coded outcome); one about a need
    joins the need's history."""
    _require(records_consultations_of(by, expert))
    data = form.cleaned_data
    need = data.get("need")
    if need is not None:
        _require(
            handles_need(by, need),
            _("このご相談についての記録は、ご相談の担当者だけが書けます。"),
        )
    if data["outcome"] not in Consultation.Outcome.values:
        raise ValidationError({"outcome": _("結果のコードがありません。")})
    consultation = form.save(commit=False)
    consultation.expert = expert
    consultation.recorded_by = by
    consultation.save()
    audit.record(
        audit.Action.RECORD_CONSULTATION,
        actor=by,
        target=consultation,
        after={"expert": expert.pk, "need": need.pk if need else None, "outcome": data["outcome"]},
    )
    if need is not None:
        record_step(
            need,
            Step.Kind.CONSULTATION,
            by=by,
            on=consultation.held_on,
            reason_text=_("%(name)s: %(outcome)s")
            % {"name": expert.name, "outcome": consultation.get_outcome_display()},
            note=consultation.summary,
        )
    return consultation
